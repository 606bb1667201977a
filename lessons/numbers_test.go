package lessons_test

// The worked examples of the lessons quote numbers; these tests recompute
// each with core, the code the labs run, so that a lesson and its lab can
// never disagree.

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"neurotutor/core"
	"neurotutor/lessons"
)

// teaching returns lesson n's teacher's sections as one text.
func teaching(t *testing.T, n int) string {
	t.Helper()
	l, ok := lessons.Get(n)
	if !ok {
		t.Fatalf("no lesson %d", n)
	}
	var b strings.Builder
	for _, s := range l.Sections {
		b.WriteString(s.Text + "\n")
	}
	return b.String()
}

func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
}

// fixed rounds v to d decimals, as the lessons print it.
func fixed(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }

// The lesson 1 example is what the lesson's two lab buttons compute.
func TestLessonOneExample(t *testing.T) {
	text := teaching(t, 1)
	l, _ := lessons.Get(1)
	for _, lab := range l.Labs {
		mustContain(t, text, "/"+lab.Command+" "+lab.Example)
	}
	r, err := core.Neuron([]float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, text,
		fmt.Sprintf("Σ = 0.5·2 + 1·3 = %g, z = 4 + (−1) = %g, y = σ(3) ≈ %s", r.Sum, r.Z, fixed(r.Y, 6)),
		fmt.Sprintf("y = σ(4) ≈ %s", fixed(r.YNoBias, 6)))
	s, err := core.Neuron([]float64{0.5, 1}, []float64{2, 3}, -5, core.Step)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, text, fmt.Sprintf("z = 4 − 5 = −%g < 0, поэтому y = %g", -s.Z, s.Y))
	// The correction: f(0) of sigmoid and step is not 0.
	mustContain(t, text, "σ(0) = "+strconv.FormatFloat(core.Sigmoid.Apply(0), 'g', -1, 64),
		"у ступеньки f(0) = "+strconv.FormatFloat(core.Step.Apply(0), 'g', -1, 64))
	for _, f := range []core.Activation{core.Tanh, core.ReLU, core.Linear} {
		if f.Apply(0) != 0 {
			t.Errorf("%s(0) = %v, the lesson says 0", f, f.Apply(0))
		}
	}
}

// Lesson 2 quotes the first numbers of random.seed(42) and
// np.random.seed(42) exactly as Python prints them: they are core's
// MT19937 outputs (which core's own tests check against CPython and numpy).
func TestLessonTwoSeedNumbers(t *testing.T) {
	text := teaching(t, 2)
	py, np := core.NewPythonRandom(42), core.NewNumpyLegacy(42)
	var want []string
	for range 3 {
		want = append(want, strconv.FormatFloat(py.Float64(), 'g', -1, 64))
	}
	for range 3 {
		want = append(want, strconv.FormatFloat(np.Rand(), 'g', -1, 64))
	}
	mustContain(t, text, want...)
	// Every long decimal in the text is one of these.
	for _, m := range regexp.MustCompile(`0\.\d{8,}`).FindAllString(text, -1) {
		if !slices.Contains(want, m) {
			t.Errorf("lesson 2 quotes %s, which neither generator gives first", m)
		}
	}
	// The "second number" of the global-seed warning is the second one.
	mustContain(t, text, "уже второе число, "+want[1])

	// The toy generator x → (5·x + 3) mod 16 from seed 7, and its period.
	x, seq := 7, []string{}
	for range 6 {
		x = (5*x + 3) % 16
		seq = append(seq, strconv.Itoa(x))
	}
	mustContain(t, text, "5·7 + 3 = 38", "равен "+seq[0]+".", strings.Join(seq[1:], ", ")+"…", strings.Join(seq, ", ")+".")
	x, period := 7, 0
	for {
		x, period = (5*x+3)%16, period+1
		if x == 7 {
			break
		}
	}
	mustContain(t, text, fmt.Sprintf("Через %d шагов", period))
}

// Lesson 3's toy PMI is what core.PPMI, the /embed lab's own function,
// gives for the same counts.
func TestLessonThreePMI(t *testing.T) {
	text := teaching(t, 3)
	// Rows: «кошка», other words; columns: «мяукает», other contexts.
	counts := mat.NewDense(2, 2, []float64{4, 6, 1, 89})
	pmi := core.PPMI(counts).At(0, 0)
	mustContain(t, text,
		"100 пар", "в 10 парах", "— в 5,", "— в 4.",
		"P(мяукает) = 5/100 = 0.05", "P(мяукает | кошка) = 4/10 = 0.4 — в 8 раз больше",
		"ln 8 ≈ "+fixed(pmi, 3))
	if math.Abs(pmi-math.Log(8)) > 1e-12 {
		t.Errorf("PPMI = %v, want ln 8", pmi)
	}
	mustContain(t, text, "10\u00a0000 слов при dim = 300 — это 3\u00a0000\u00a0000 чисел")
}

// Lesson 4's worked value is the /posenc lab's PE(3, 2) at d = 16.
func TestLessonFourPE(t *testing.T) {
	text := teaching(t, 4)
	pe, err := core.PositionalEncoding(10, 16)
	if err != nil {
		t.Fatal(err)
	}
	div := math.Pow(10000, 2.0/16)
	mustContain(t, text,
		"10000^(2/16) ≈ "+fixed(div, 4),
		"угол 3 / "+fixed(div, 4)+" ≈ "+fixed(3/div, 4),
		"PE(3, 2) = sin("+fixed(3/div, 4)+") ≈ "+fixed(pe[3][2], 4),
		"cos("+fixed(3/div, 4)+") ≈ "+fixed(pe[3][3], 4),
		"те же "+fixed(pe[3][2], 4)+" и "+fixed(pe[3][3], 4),
		"2π ≈ "+fixed(2*math.Pi, 2),
	)
	last := 2 * math.Pi * math.Pow(10000, 14.0/16)
	p := strconv.Itoa(int(math.Round(last)))
	mustContain(t, text, "около "+p[:len(p)-3]+"\u00a0"+p[len(p)-3:]+" позиций")
	l, _ := lessons.Get(4)
	mustContain(t, text, "/posenc "+l.Labs[0].Example)
}

// Lesson 4's first claim: without positions, attention is blind to order
// — permuting the tokens permutes the outputs and nothing else.
func TestLessonFourAttentionIgnoresOrder(t *testing.T) {
	const d = 8
	words := []string{"кошка", "ест", "рыбу"}
	perm := []int{2, 1, 0} // «рыбу ест кошка»
	x := mat.NewDense(3, d, nil)
	xp := mat.NewDense(3, d, nil)
	for i, w := range words {
		x.SetRow(i, core.TokenEmbedding(w, d))
		xp.SetRow(i, core.TokenEmbedding(words[perm[i]], d))
	}
	wq, wk, wv := core.AttentionProjections(d)
	_, _, out := core.SelfAttention(x, wq, wk, wv)
	_, _, outp := core.SelfAttention(xp, wq, wk, wv)
	for i := range 3 {
		for j := range d {
			if a, b := outp.At(i, j), out.At(perm[i], j); math.Abs(a-b) > 1e-12 {
				t.Fatalf("without positions the output of %q moved: %v vs %v", words[perm[i]], a, b)
			}
		}
	}
	// With positions (what /attention does) the same word gets another output.
	a, err := core.Attention(words, d)
	if err != nil {
		t.Fatal(err)
	}
	b, err := core.Attention([]string{"рыбу", "ест", "кошка"}, d)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Output[1], b.Output[1]) {
		t.Error("with positions «ест» still has the same output in both orders")
	}
}
