package bot

import (
	"testing"

	"neurotutor/lessons"
)

// Every generated question kind is explained by a section its lesson has.
func TestGeneratorsHaveTheirSection(t *testing.T) {
	for _, g := range generators {
		l, ok := lessons.Get(g.lesson)
		if !ok {
			t.Fatalf("%s: no lesson %d", g.id, g.lesson)
		}
		if _, ok := l.Section(g.explains); !ok {
			t.Errorf("%s: lesson %d has no section %q", g.id, g.lesson, g.explains)
		}
	}
}
