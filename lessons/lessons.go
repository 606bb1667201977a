package lessons

import (
	"embed"
	"fmt"
	"strings"
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
	Text  string // plain text (not HTML); the bot escapes it
	Labs  []Lab
}

var catalogue = [...]struct {
	file, title string
	labs        []Lab
}{
	{"1_neuron.txt", "Нейрон: y = f(Σ(w_i·x_i) + b)", []Lab{
		{"neuron", "w=0.5,1 x=2,3 b=-1", "🧪 Посчитать нейрон"},
		{"neuron", "w=0.5,1 x=2,3 b=-5 f=step", "🧪 Строгий учитель (step)"},
	}},
	{"2_seed.txt", "Random seed: одна и та же «страница»", []Lab{
		{"seed", "42", "🧪 Seed 42"},
	}},
	{"3_embeddings.txt", "Эмбеддинги", []Lab{
		{"embed", "нейрон dim=2", "🧪 Эмбеддинги, dim=2"},
		{"embed", "нейрон dim=20", "🧪 Эмбеддинги, dim=20"},
	}},
	{"4_positional.txt", "Позиционные кодировки", []Lab{
		{"posenc", "10", "🧪 10 позиций"},
		{"posenc", "64 d=32", "🧪 64 позиции, D=32"},
	}},
	{"5_attention.txt", "Внимание: токен, текущий токен, веса", []Lab{
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
	data, err := texts.ReadFile("texts/" + c.file)
	if err != nil {
		panic(fmt.Sprintf("lessons: embedded %s missing: %v", c.file, err)) // caught by tests
	}
	return Lesson{N: n, Title: c.title, Text: strings.TrimSpace(string(data)), Labs: append([]Lab(nil), c.labs...)}, true
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
