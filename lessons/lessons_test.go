package lessons_test

import (
	"os"
	"strings"
	"testing"

	"neurotutor/lessons"
)

func TestLessonsInTeachingOrder(t *testing.T) {
	all := lessons.All()
	if len(all) != 5 || lessons.Count != 5 {
		t.Fatalf("%d lessons, want 5", len(all))
	}
	wantFirstLab := []string{"neuron", "seed", "embed", "posenc", "attention"}
	for i, l := range all {
		if l.N != i+1 || l.Title == "" || l.Text == "" || len(l.Labs) == 0 {
			t.Fatalf("lesson %d incomplete: %+v", i+1, l)
		}
		if l.Labs[0].Command != wantFirstLab[i] {
			t.Errorf("lesson %d first lab %q, want %q", l.N, l.Labs[0].Command, wantFirstLab[i])
		}
		for _, lab := range l.Labs {
			// Callback data is "run:<lesson>:<index>", far below 64 bytes;
			// the label must fit on a phone button.
			if len([]rune(lab.Label)) > 40 {
				t.Errorf("lab label too long: %q", lab.Label)
			}
		}
	}
	if _, ok := lessons.Get(0); ok {
		t.Error("Get(0) succeeded")
	}
	if _, ok := lessons.Get(6); ok {
		t.Error("Get(6) succeeded")
	}
}

// The lessons serve the learner's notes faithfully: every non-empty line of
// the seed file (but the separator rules) appears in a lesson.
func TestLessonsServeTheNotes(t *testing.T) {
	seed, err := os.ReadFile("../../shared/seeds/000_db4709c1235bf65f.txt")
	if err != nil {
		t.Skip("seed notes not beside the repository:", err)
	}
	var all strings.Builder
	for _, l := range lessons.All() {
		all.WriteString(l.Text)
		all.WriteString("\n")
	}
	for _, line := range strings.Split(string(seed), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line == "===" || strings.Trim(line, "_") == "" {
			continue
		}
		if !strings.Contains(all.String(), line) {
			t.Errorf("note line missing from lessons: %q", line)
		}
	}
}
