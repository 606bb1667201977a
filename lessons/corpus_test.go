package lessons_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"neurotutor/lessons"
)

func TestCorpus(t *testing.T) {
	s := lessons.Corpus()
	if len(s) < 300 {
		t.Errorf("corpus has %d sentences, want at least 300", len(s))
	}
	seen := make(map[string]int, len(s))
	for i, line := range s {
		if n := utf8.RuneCountInString(line); n > 300 {
			t.Errorf("sentence %d is %d characters, more than 300: %q", i, n, line)
		}
		if line == "" || strings.HasPrefix(line, "#") || line != strings.TrimSpace(line) {
			t.Errorf("sentence %d is blank, a comment or not trimmed: %q", i, line)
		}
		if j, ok := seen[strings.ToLower(line)]; ok {
			t.Errorf("sentences %d and %d are the same: %q", j, i, line)
		}
		seen[strings.ToLower(line)] = i
	}
	s[0] = "changed"
	if lessons.Corpus()[0] == "changed" {
		t.Error("Corpus returned shared data")
	}
}

// keyWords are words the lessons teach, in the forms the corpus uses.
var keyWords = []string{
	"нейрон", "вес", "вход", "смещение", "активации",
	"зерно", "генератор", "последовательность", "seed",
	"слово", "вектор", "контекст", "размерность",
	"позиции", "порядок", "синусоида", "трансформер",
	"токен", "внимания", "запрос", "ключ", "softmax",
}

// TestCorpusKeyWords checks that the words the /embed lab shows by default
// occur often enough in the exact form the tokenizer sees.
func TestCorpusKeyWords(t *testing.T) {
	counts := make(map[string]int)
	for _, line := range lessons.Corpus() {
		for _, w := range strings.FieldsFunc(strings.ToLower(line), func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'а' <= r && r <= 'я' || r == 'ё')
		}) {
			counts[w]++
		}
	}
	for _, w := range keyWords {
		if counts[w] < 5 {
			t.Errorf("%q occurs %d times, want at least 5", w, counts[w])
		}
	}
}

// The stop words are written as the tokenizer writes words, once each,
// and none of them is a word the lessons teach.
func TestStopWords(t *testing.T) {
	stop := lessons.StopWords()
	if len(stop) < 50 {
		t.Errorf("%d stop words", len(stop))
	}
	seen := map[string]bool{}
	for _, w := range stop {
		if w != strings.ToLower(w) || strings.ContainsRune(w, 'ё') || strings.ContainsFunc(w, func(r rune) bool { return !('а' <= r && r <= 'я') }) {
			t.Errorf("%q is not a lower-case Russian word without ё", w)
		}
		if seen[w] {
			t.Errorf("%q twice", w)
		}
		seen[w] = true
	}
	for _, w := range keyWords {
		if seen[w] {
			t.Errorf("key word %q is a stop word", w)
		}
	}
	for _, w := range []string{"и", "в", "на", "как", "про", "это"} {
		if !seen[w] {
			t.Errorf("%q is not a stop word", w)
		}
	}
	stop[0] = "changed"
	if lessons.StopWords()[0] == "changed" {
		t.Error("StopWords returned shared data")
	}
}
