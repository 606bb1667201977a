package lessons_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"neurotutor/lessons"
)

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// Every lesson but the last adds a teacher's sections after the note;
// each has a short ASCII id and fits one Telegram message (4096 UTF-16
// units) with its heading and HTML escaping to spare.
func TestSectionsValid(t *testing.T) {
	for _, l := range lessons.All() {
		if l.N < 5 && len(l.Sections) < 2 {
			t.Errorf("lesson %d: %d teacher's sections, want at least 2", l.N, len(l.Sections))
		}
		ids := map[string]bool{lessons.NoteID: true}
		total := utf16Len(l.Text)
		for _, s := range l.Sections {
			if s.ID == "" || len(s.ID) > 8 || strings.Trim(s.ID, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
				t.Errorf("lesson %d: bad section id %q", l.N, s.ID)
			}
			if ids[s.ID] {
				t.Errorf("lesson %d: section id %q twice", l.N, s.ID)
			}
			ids[s.ID] = true
			if s.Title == "" || s.Text == "" {
				t.Errorf("lesson %d section %q: empty title or text", l.N, s.ID)
			}
			if n := utf16Len(s.Title) + utf16Len(s.Text); n > 3500 {
				t.Errorf("lesson %d section %q: %d UTF-16 units, want ≤ 3500 (one message)", l.N, s.ID, n)
			}
			if strings.Contains(s.Text, "## ") {
				t.Errorf("lesson %d section %q: a heading leaked into the text", l.N, s.ID)
			}
			// House rules for added text: "векторы", not "вектора".
			// (The genitive singular, "нет вектора", is right.)
			if low := strings.ToLower(s.Text); strings.Contains(low, "ые вектора") || strings.Contains(low, "ие вектора") {
				t.Errorf("lesson %d section %q: write «векторы», not «вектора»", l.N, s.ID)
			}
			total += utf16Len(s.Text)
		}
		// A lesson is sent as at most three messages.
		if total > 3*3500 {
			t.Errorf("lesson %d: %d UTF-16 units in all", l.N, total)
		}
		note, ok := l.Section(lessons.NoteID)
		if !ok || note.Title != lessons.NoteTitle || note.Text == "" {
			t.Errorf("lesson %d: no note section: %+v", l.N, note)
		}
		if _, ok := l.Section("nosuch"); ok {
			t.Errorf("lesson %d: unknown section found", l.N)
		}
	}
}

// Every question points to a section of its own lesson that exists.
func TestEveryQuestionHasAnExplainingSection(t *testing.T) {
	for _, q := range lessons.Quiz() {
		l, _ := lessons.Get(q.Lesson)
		id := lessons.Explains(q)
		if _, ok := l.Section(id); !ok {
			t.Errorf("question %s: section %q not in lesson %d", q.ID, id, q.Lesson)
		}
		if q.Lesson < 5 && id == lessons.NoteID && q.Lesson != 1 {
			t.Errorf("question %s of lesson %d is explained only by the note", q.ID, q.Lesson)
		}
	}
	if got := lessons.Explains(lessons.Question{ID: "gen:x"}); got != lessons.NoteID {
		t.Errorf("unknown question explained by %q", got)
	}
}

// Reflow only turns line breaks into spaces: the note's words all stay,
// in order.
func TestReflowKeepsTheWords(t *testing.T) {
	for _, l := range lessons.All() {
		got := lessons.Reflow(l.Text)
		if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(l.Text), " ") {
			t.Errorf("lesson %d: reflow changed the words", l.N)
		}
		if strings.Count(got, "\n") > strings.Count(l.Text, "\n") {
			t.Errorf("lesson %d: reflow added line breaks", l.N)
		}
	}
}

// Lesson 1's sentences broken across lines are joined; its list and its
// separate sentences stay on their own lines.
func TestReflowLessonOne(t *testing.T) {
	l, _ := lessons.Get(1)
	got := lessons.Reflow(l.Text)
	for _, joined := range []string{
		"выражение Σ(w_i * x_i) означает:",
		"пришедшую к нему информацию, но пока не принимает решения",
		"специальная добавка, которая прибавляется",
		"сумма баллов за домашние работы",
		"(был штраф), он автоматически не сдал.",
		"что вы накопили\". В этом случае",
	} {
		if !strings.Contains(got, joined) {
			t.Errorf("not joined: %q", joined)
		}
	}
	for _, line := range []string{
		"В ней:", "Σ - сумма", "x_i — входные сигналы;", "w_i — веса соответствующих входов;",
		"Простая аналогия:", "Зачем это нужно в нейросетях?",
		"Если b положительное — нейрону легче сработать (порог как бы понижается).",
	} {
		if !strings.Contains("\n"+got+"\n", "\n"+line+"\n") {
			t.Errorf("line %q is not on its own line", line)
		}
	}
}

func TestReflowRules(t *testing.T) {
	for in, want := range map[string]string{
		"один,\nдва":            "один, два",
		"слово\nпродолжение":    "слово продолжение",
		"конец.\nНачало":        "конец.\nНачало",
		"конец.\n продолжение":  "конец. продолжение",
		"список:\nпункт":        "список:\nпункт",
		"Σ - сумма\nx_i — вход": "Σ - сумма\nx_i — вход",
		"абзац\n\nабзац":        "абзац\n\nабзац",
		"хвост   \n  дальше":    "хвост дальше",
		"":                      "",
	} {
		if got := lessons.Reflow(in); got != want {
			t.Errorf("Reflow(%q) = %q, want %q", in, got, want)
		}
	}
}
