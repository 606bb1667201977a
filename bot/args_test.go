package bot

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"neurotutor/core"
)

func TestSplitKeepsLimitsAndText(t *testing.T) {
	para := strings.Repeat("Нейрон складывает взвешенные входы. ", 40) // ~1400 characters
	text := strings.Join([]string{para, para, para, para, para}, "\n\n")
	parts := split(text, maxText)
	if len(parts) < 2 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if n := utf16Len(p); n > maxText || n == 0 {
			t.Fatalf("part of %d units", n)
		}
	}
	if squash := strings.NewReplacer(" ", "", "\n", ""); squash.Replace(strings.Join(parts, "")) != squash.Replace(text) {
		t.Fatal("split lost text")
	}
	// One unbroken word longer than the limit is cut anyway.
	long := strings.Repeat("я", 5000)
	parts = split(long, maxText)
	if len(parts) != 2 || utf8.RuneCountInString(parts[0]) != maxText {
		t.Fatalf("unbroken: %d parts", len(parts))
	}
	// Emoji count two UTF-16 units.
	parts = split(strings.Repeat("🧠", 3000), maxText)
	for _, p := range parts {
		if utf16Len(p) > maxText {
			t.Fatalf("emoji part of %d units", utf16Len(p))
		}
	}
}

func TestParseNeuronForms(t *testing.T) {
	for _, c := range []struct {
		text string
		w, x []float64
		b    float64
		f    core.Activation
	}{
		{"w=0.5,1 x=2,3 b=-1", []float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid},
		{"x=2 3   w=0.5 1", []float64{0.5, 1}, []float64{2, 3}, 0, core.Sigmoid},
		{"w=0,5; 1,25 x=1;2 b=−0,5 f=Step", []float64{0.5, 1.25}, []float64{1, 2}, -0.5, core.Step},
		{"w = 1e-3 x = -2 f = tanh", []float64{0.001}, []float64{-2}, 0, core.Tanh},
	} {
		in, err := parseNeuron(c.text)
		if err != nil {
			t.Fatalf("%q: %v", c.text, err)
		}
		if !eq(in.w, c.w) || !eq(in.x, c.x) || in.b != c.b || in.f != c.f {
			t.Errorf("%q: %+v", c.text, in)
		}
	}
}

func eq(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzParseNeuron: any text parses to a bounded, finite input or to an
// error the bot can phrase for people; never a panic.
func FuzzParseNeuron(f *testing.F) {
	for _, s := range []string{"w=0.5,1 x=2,3 b=-1", "w=0,5; 1 x=1;2", "f=relu w=1 x=1", "w= x=", "1 2 3", "w=1e400 x=NaN", "w=1,,2 x=;", "b=−1 w=1 x=1 f=STEP", "=1", "w==1", "w=1 х=2 в=3", "w=1 x=2 ф=сигмоида", "w=1 x=2 f=гиперболический тангенс b=1", "w=0,5,1 x=2,3", "w=1 x=2 b=-1 extra", "в=1 b=2 w=1 x=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := parseNeuron(s)
		if err != nil {
			var ue *userError
			var ae *argError
			if !errors.As(err, &ue) && !errors.As(err, &ae) {
				t.Fatalf("%q: error not for people: %v", s, err)
			}
			if ae != nil && argMessage(ae) == "" {
				t.Fatalf("%q: empty message", s)
			}
			return
		}
		if len(in.w) == 0 || len(in.w) > core.MaxInputs || len(in.x) == 0 || len(in.x) > core.MaxInputs || !in.f.Valid() {
			t.Fatalf("%q: out of bounds: %+v", s, in)
		}
		for _, v := range append(append([]float64{in.b}, in.w...), in.x...) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%q: non-finite %v", s, v)
			}
		}
	})
}

// FuzzParsePosenc: results stay within the documented bounds.
func FuzzParsePosenc(f *testing.F) {
	for _, s := range []string{"10", "64 d=32", "n=5", "0", "513", "10 d=15", "d=4 n=3", "1e3", "десять", "10 16", "н=10 д=32", "10 в=8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, d, _, err := parsePosenc(s)
		if err != nil {
			return
		}
		if n < 1 || n > core.MaxPositions || d < 2 || d > core.MaxPEDim || d%2 != 0 {
			t.Fatalf("%q: n=%d d=%d", s, n, d)
		}
	})
}

// FuzzCommandName: extracting the command never panics and never answers
// a command addressed to another bot.
func FuzzCommandName(f *testing.F) {
	for _, s := range []string{"/neuron w=1", "/neuron@NeuroBot x", "/x@other", "/", "hello", "/\n", "/ A"} {
		f.Add(s)
	}
	s := &Service{username: "NeuroBot"}
	f.Fuzz(func(t *testing.T, text string) {
		name, ok := s.commandName(text)
		if ok && !strings.HasPrefix(text, "/") {
			t.Fatalf("%q answered", text)
		}
		if ok && strings.Contains(name, "@") {
			t.Fatalf("%q: name %q", text, name)
		}
	})
}
