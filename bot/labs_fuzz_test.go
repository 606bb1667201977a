package bot

import (
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"neurotutor/core"
	"neurotutor/lessons"
	"neurotutor/storage"
)

// isForPeople reports whether err is one the bot phrases for learners.
func isForPeople(t *testing.T, s string, err error) {
	t.Helper()
	var ue *userError
	var ae *argError
	if !errors.As(err, &ue) && !errors.As(err, &ae) {
		t.Fatalf("%q: error not for people: %v", s, err)
	}
	if ue != nil && (ue.html == "" || !utf8.ValidString(ue.html)) {
		t.Fatalf("%q: bad message %q", s, ue.html)
	}
}

// FuzzParseSeed: a seed in 0..2⁶⁴−1 and n in 1..20, or a message.
func FuzzParseSeed(f *testing.F) {
	for _, s := range []string{"", "42", "42 n=5", "seed=7 n=20", "-1", "18446744073709551616", "4.2", "1e3", "n=0", "сорок два", "+5", "0x10", "42 n=", "1 2", "сид=7 н=3", "1е3", "-1e3", "1e30", "42 т=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := parseSeed(s)
		if err != nil {
			isForPeople(t, s, err)
			return
		}
		if in.n < 1 || in.n > maxSeedN {
			t.Fatalf("%q: n = %d", s, in.n)
		}
		r := runSeeds(in)
		if (r.np[0] != nil) != (in.seed <= maxNumpySeed) || r.other == r.seed {
			t.Fatalf("%q: runs %+v", s, r)
		}
		if r.np[0] != nil && r.other > maxNumpySeed {
			t.Fatalf("%q: numpy run C with seed %d", s, r.other)
		}
	})
}

// FuzzParseAttention: 1..32 non-empty tokens of at most 32 characters and
// a current token among them, or a message; core accepts what passes.
func FuzzParseAttention(f *testing.F) {
	for _, s := range []string{"кошка сидит на ковре", "кошка сидит cur=2", "cur=1", "«Кошка», сидит!", "🐱 🐶", "a=b c", "cur = 3 x y z", "— , .", "cur=", "x cur=1 cur=2", "\u00a0кошка\tсидит\n", "кошка сидит сur=1", "кошка кур=2 сгк=1", "а=б в"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := parseAttention(s)
		if err != nil {
			isForPeople(t, s, err)
			return
		}
		if len(in.tokens) < 1 || len(in.tokens) > core.MaxAttentionTokens || in.cur < 1 || in.cur > len(in.tokens) {
			t.Fatalf("%q: %d tokens, cur %d", s, len(in.tokens), in.cur)
		}
		for _, tok := range in.tokens {
			if tok == "" || utf8.RuneCountInString(tok) > core.MaxTokenRunes {
				t.Fatalf("%q: token %q", s, tok)
			}
		}
		if _, err := core.Attention(in.tokens, core.DefaultAttentionDim); err != nil {
			t.Fatalf("%q: core refused %q: %v", s, in.tokens, err)
		}
	})
}

// FuzzParseEmbed: at most one normalised word and dim in 1..50, or a
// message.
func FuzzParseEmbed(f *testing.F) {
	for _, s := range []string{"", "нейрон", "нейрон dim=2", "dim=50", "Ёжик dim=1", "кто-то", "a b", "dim=0", "dim=", "нейрон dim=2 dim=3", "...", "нейрон дим=2", "нейрон 2", "вшь=3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := parseEmbed(s)
		if err != nil {
			isForPeople(t, s, err)
			return
		}
		if in.k < 1 || in.k > maxEmbedK {
			t.Fatalf("%q: k = %d", s, in.k)
		}
		if in.word != "" {
			if toks := core.Tokenize(in.word); len(toks) != 1 || toks[0] != in.word {
				t.Fatalf("%q: word %q not normalised", s, in.word)
			}
		}
	})
}

// FuzzActivation: a name is read as one of core's activations or not at
// all; what is understood never changes with surrounding filler words.
func FuzzActivation(f *testing.F) {
	for _, s := range []string{"sigmoid", "Сигмоиду", "ступенька", "гиперболический тангенс", "релу", "rеlu", "линейная", "функция Хевисайда", "relu extra", "гиперболический", "", "σ", "tanh tanh", "ё"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fn, stray := activation(s)
		if fn == "" {
			if stray != "" {
				t.Fatalf("%q: stray %q without a name", s, stray)
			}
			return
		}
		if !fn.Valid() {
			t.Fatalf("%q: %q", s, fn)
		}
		if again, _ := activation("функция " + s); again != fn {
			t.Fatalf("%q: %q, with filler %q", s, fn, again)
		}
	})
}

// FuzzCommandGuess: a guess is always a command the bot has, and a name
// the bot has is never guessed as another.
func FuzzCommandGuess(f *testing.F) {
	for _, s := range []string{"нейрон", "ембед", "тугкщт", "nueron", "нейорн", "квиз", "", "ё", "lesson", "абырвалг", "posneс"} {
		f.Add(s)
	}
	s, err := NewService(Options{Store: nopStore{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c, _ := s.commandGuess(name)
		if c != "" && !s.hasCommand(c) {
			t.Fatalf("%q: guessed %q", name, c)
		}
		if s.hasCommand(name) {
			if c, sure := s.commandGuess(name); sure && c != name {
				t.Fatalf("%q: read as %q", name, c)
			}
		}
	})
}

// nopStore satisfies Store for tests that never reach storage.
type nopStore struct{ Store }

// FuzzParseRoundArgs: "/quiz [lesson [questions]]" in a group gives a
// lesson in 0..lessons.Count and 1..MaxRoundQuestions questions, or a
// message with an example.
func FuzzParseRoundArgs(f *testing.F) {
	for _, s := range []string{"", "3", "3 10", "0 20", "9", "1 21", "1 0", "-1", "3 10 2", "три", "３", "1,5", " 2  7 ", "1e1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lesson, total, err := parseRoundArgs(s)
		if err != nil {
			isForPeople(t, s, err)
			return
		}
		if lesson < 0 || lesson > lessons.Count || total < 1 || total > storage.MaxRoundQuestions {
			t.Fatalf("%q: lesson %d, %d questions", s, lesson, total)
		}
	})
}

// FuzzParseTimerArgs: "/timer 45" gives 10..120 whole seconds, or a
// message with an example.
func FuzzParseTimerArgs(f *testing.F) {
	for _, s := range []string{"45", "10", "120", "9", "121", "45с", "45s", "45 с", "-30", "1e2", "сорок", "４５", "0x20"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseTimerArgs(s)
		if err != nil {
			isForPeople(t, s, err)
			return
		}
		if d < storage.MinOpenPeriod || d > storage.MaxOpenPeriod || d%time.Second != 0 {
			t.Fatalf("%q: %v", s, d)
		}
	})
}
