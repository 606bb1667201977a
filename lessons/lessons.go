package lessons

import (
	"embed"
	"fmt"
	"strings"
	"unicode"
)

//go:embed texts/*.txt
var texts embed.FS

// Lab is a command a lesson teaches, with an example learners can press.
type Lab struct {
	Command string // without the slash: "neuron"
	Example string // arguments of a runnable example: "w=0.5,1 x=2,3 b=-1"
	Label   string // button text
}

// Lesson is one lesson in teaching order.
type Lesson struct {
	N     int    // 1-based position in the course
	Title string // short Russian title
	// Text is the learner's own note, word for word (plain text, not
	// HTML; the bot escapes it). It is shown first, as "Конспект", with
	// its lines reflowed by Reflow.
	Text string
	// Sections are what a teacher adds after the note: explanations,
	// worked examples, corrections. Lessons whose note needs nothing
	// more have none.
	Sections []Section
	Labs     []Lab
}

// Section is one titled part of a lesson.
type Section struct {
	ID    string // short lower-case ASCII, unique in the lesson: "prng"; used in callback data
	Title string // Russian heading
	Text  string // plain text; paragraphs are separated by blank lines
}

// NoteID is the id of the learner's note among a lesson's sections, and
// NoteTitle its heading.
const (
	NoteID    = "note"
	NoteTitle = "Конспект"
)

// maxSectionID bounds a section id, so that "sec:N:id" stays short.
const maxSectionID = 8

var catalogue = [...]struct {
	file, teach, title string
	labs               []Lab
}{
	{"1_neuron.txt", "1_neuron.teach.txt", "Нейрон: y = f(Σ(w_i·x_i) + b)", []Lab{
		{"neuron", "w=0.5,1 x=2,3 b=-1", "🧪 Посчитать нейрон"},
		{"neuron", "w=0.5,1 x=2,3 b=-5 f=step", "🧪 Строгий учитель (step)"},
	}},
	{"2_seed.txt", "2_seed.teach.txt", "Random seed: одна и та же «страница»", []Lab{
		{"seed", "42", "🧪 Seed 42"},
	}},
	{"3_embeddings.txt", "3_embeddings.teach.txt", "Эмбеддинги", []Lab{
		{"embed", "нейрон dim=2", "🧪 Эмбеддинги, dim=2"},
		{"embed", "нейрон dim=20", "🧪 Эмбеддинги, dim=20"},
	}},
	{"4_positional.txt", "4_positional.teach.txt", "Позиционные кодировки", []Lab{
		{"posenc", "10", "🧪 10 позиций"},
		{"posenc", "64 d=32", "🧪 64 позиции, d=32"},
	}},
	{"5_attention.txt", "", "Внимание: токен, текущий токен, веса", []Lab{
		{"attention", "кошка сидит на ковре", "🧪 Внимание в предложении"},
	}},
}

// Count is the number of lessons.
const Count = len(catalogue)

// Get returns lesson n (1..Count).
func Get(n int) (Lesson, bool) {
	if n < 1 || n > Count {
		return Lesson{}, false
	}
	c := catalogue[n-1]
	l := Lesson{N: n, Title: c.title, Text: strings.TrimSpace(embedded(c.file)), Labs: append([]Lab(nil), c.labs...)}
	if c.teach != "" {
		l.Sections = parseSections(embedded(c.teach))
	}
	return l, true
}

func embedded(file string) string {
	data, err := texts.ReadFile("texts/" + file)
	if err != nil {
		panic(fmt.Sprintf("lessons: embedded %s missing: %v", file, err)) // caught by tests
	}
	return string(data)
}

// parseSections reads a teacher's file: each section starts with a line
// "## id | Title" and runs to the next such line.
func parseSections(text string) []Section {
	var out []Section
	var body []string
	flush := func() {
		if len(out) > 0 {
			out[len(out)-1].Text = strings.TrimSpace(strings.Join(body, "\n"))
		}
		body = body[:0]
	}
	for _, line := range strings.Split(text, "\n") {
		if head, ok := strings.CutPrefix(line, "## "); ok {
			flush()
			id, title, _ := strings.Cut(head, "|")
			out = append(out, Section{ID: strings.TrimSpace(id), Title: strings.TrimSpace(title)})
			continue
		}
		body = append(body, line)
	}
	flush()
	return out
}

// Section returns the section with id: NoteID is the learner's note
// (reflowed), any other id one of l.Sections.
func (l Lesson) Section(id string) (Section, bool) {
	if id == NoteID {
		return Section{ID: NoteID, Title: NoteTitle, Text: Reflow(l.Text)}, true
	}
	for _, s := range l.Sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// All returns every lesson in teaching order.
func All() []Lesson {
	out := make([]Lesson, 0, Count)
	for n := 1; n <= Count; n++ {
		l, _ := Get(n)
		out = append(out, l)
	}
	return out
}

// Reflow joins the lines of a paragraph that were broken in the middle of
// a sentence, so that a chat shows them as one line; lines that start a
// list item or a new sentence stay as they are. A line continues the
// previous one when it starts with a space, when the previous line ends
// with a comma, or when it starts with a lower-case Cyrillic letter after
// a line that does not end with punctuation. Words and their order never
// change; only line breaks become spaces.
func Reflow(text string) string {
	lines := strings.Split(text, "\n")
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			if continues(lines[i-1], line) {
				b.WriteByte(' ')
				line = strings.TrimLeft(line, " \t")
			} else {
				b.WriteByte('\n')
			}
		}
		if i+1 < len(lines) && continues(line, lines[i+1]) {
			line = strings.TrimRight(line, " \t")
		}
		b.WriteString(line)
	}
	return b.String()
}

// continues reports whether next continues the sentence of prev.
func continues(prev, next string) bool {
	p := strings.TrimRight(prev, " \t")
	if p == "" || strings.TrimSpace(next) == "" {
		return false
	}
	if next[0] == ' ' || next[0] == '\t' || strings.HasSuffix(p, ",") {
		return true
	}
	last := []rune(p)[len([]rune(p))-1]
	first := []rune(next)[0]
	endsOpen := unicode.IsLetter(last) || unicode.IsDigit(last) || last == ')'
	return endsOpen && unicode.Is(unicode.Cyrillic, first) && unicode.IsLower(first)
}
