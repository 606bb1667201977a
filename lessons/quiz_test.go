package lessons_test

import (
	"strings"
	"testing"

	"neurotutor/lessons"
)

func TestQuizValidates(t *testing.T) {
	qs := lessons.Quiz()
	if len(qs) < 40 {
		t.Errorf("bank has %d questions, want at least 40", len(qs))
	}
	ids := make(map[string]bool, len(qs))
	for _, q := range qs {
		if err := q.Validate(); err != nil {
			t.Error(err)
		}
		if ids[q.ID] {
			t.Errorf("duplicate id %q", q.ID)
		}
		ids[q.ID] = true
		if q.Correct < 0 || q.Correct >= len(q.Options) {
			t.Errorf("%s: correct %d out of range of %d options", q.ID, q.Correct, len(q.Options))
		}
		seen := make(map[string]bool, len(q.Options))
		for _, o := range q.Options {
			k := strings.ToLower(strings.TrimSpace(o))
			if seen[k] {
				t.Errorf("%s: duplicate option %q", q.ID, o)
			}
			seen[k] = true
		}
		if strings.TrimSpace(q.Explanation) == "" {
			t.Errorf("%s: no explanation", q.ID)
		}
	}
}

func TestQuizPerLesson(t *testing.T) {
	total := 0
	for n := 1; n <= 5; n++ {
		qs := lessons.QuizFor(n)
		if len(qs) < 8 {
			t.Errorf("lesson %d has %d questions, want at least 8", n, len(qs))
		}
		// The correct option must not always sit in the same place.
		pos := make(map[int]bool)
		for _, q := range qs {
			if q.Lesson != n {
				t.Errorf("QuizFor(%d) returned %s of lesson %d", n, q.ID, q.Lesson)
			}
			pos[q.Correct] = true
		}
		if len(pos) < 3 {
			t.Errorf("lesson %d: correct options use only %d positions", n, len(pos))
		}
		total += len(qs)
	}
	if all := len(lessons.Quiz()); total != all {
		t.Errorf("lessons 1..5 hold %d questions, bank has %d: some lesson is out of range", total, all)
	}
	for _, n := range []int{0, 6, -1} {
		if qs := lessons.QuizFor(n); len(qs) != 0 {
			t.Errorf("QuizFor(%d) = %d questions, want none", n, len(qs))
		}
	}
}

func TestQuizIsACopy(t *testing.T) {
	a := lessons.Quiz()
	a[0].Text = "changed"
	a[0].Options[0] = "changed"
	b := lessons.Quiz()
	if b[0].Text == "changed" || b[0].Options[0] == "changed" {
		t.Error("Quiz returned shared data")
	}
	c := lessons.QuizFor(b[0].Lesson)
	c[0].Options[0] = "changed"
	if d := lessons.Quiz(); d[0].Options[0] == "changed" {
		t.Error("QuizFor returned shared options")
	}
}

func TestValidateRejects(t *testing.T) {
	good := func() lessons.Question {
		return lessons.Question{
			ID:          "t1",
			Lesson:      1,
			Text:        "Что такое Σ?",
			Options:     []string{"Сумма", "Произведение"},
			Correct:     0,
			Explanation: "Σ — знак суммы.",
		}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("good question: %v", err)
	}
	many := make([]string, 11)
	for i := range many {
		many[i] = strings.Repeat("в", i+1)
	}
	tests := []struct {
		name string
		edit func(*lessons.Question)
	}{
		{"text 301 chars", func(q *lessons.Question) { q.Text = strings.Repeat("я", 301) }},
		// An emoji outside the BMP is two UTF-16 code units: 150 of them are 300, one more is too many.
		{"text 301 utf16 units", func(q *lessons.Question) { q.Text = strings.Repeat("🧠", 150) + "я" }},
		{"empty text", func(q *lessons.Question) { q.Text = " " }},
		{"1 option", func(q *lessons.Question) { q.Options = []string{"Сумма"}; q.Correct = 0 }},
		{"11 options", func(q *lessons.Question) { q.Options = many }},
		{"empty option", func(q *lessons.Question) { q.Options[1] = "" }},
		{"option 101 chars", func(q *lessons.Question) { q.Options[1] = strings.Repeat("ё", 101) }},
		{"duplicate options", func(q *lessons.Question) { q.Options[1] = q.Options[0] }},
		{"correct 2 of 2", func(q *lessons.Question) { q.Correct = 2 }},
		{"correct -1", func(q *lessons.Question) { q.Correct = -1 }},
		{"explanation 201 chars", func(q *lessons.Question) { q.Explanation = strings.Repeat("ж", 201) }},
		{"explanation 3 line feeds", func(q *lessons.Question) { q.Explanation = "а\nб\nв\nг" }},
		{"empty id", func(q *lessons.Question) { q.ID = "" }},
		{"cyrillic id", func(q *lessons.Question) { q.ID = "н1" }},
		{"long id", func(q *lessons.Question) { q.ID = strings.Repeat("n", 17) }},
		{"lesson 0", func(q *lessons.Question) { q.Lesson = 0 }},
		{"lesson 6", func(q *lessons.Question) { q.Lesson = 6 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := good()
			tt.edit(&q)
			err := q.Validate()
			if err == nil {
				t.Fatal("Validate accepted a bad question")
			}
			if !strings.Contains(err.Error(), q.ID) && q.ID != "" {
				t.Errorf("error %q does not name the question %q", err, q.ID)
			}
		})
	}

	// The limits themselves are allowed.
	q := good()
	q.Text = strings.Repeat("я", 300)
	q.Options = many[:10]
	for i := range q.Options {
		q.Options[i] = strings.Repeat("ё", 90+i)
	}
	q.Correct = 9
	q.Explanation = strings.Repeat("ж", 198) + "\n\n"
	if err := q.Validate(); err != nil {
		t.Errorf("question at the limits: %v", err)
	}
}
