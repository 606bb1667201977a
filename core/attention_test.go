package core_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"neurotutor/core"
)

// TestSelfAttentionHand checks a 2-token case computed by hand:
//
//	x = [1 0; 0 2], wq = wk = I, wv = [1 2; 3 4]
//	Q = K = x, Q·Kᵀ = [1 0; 0 4], scores = Q·Kᵀ/√2 = [1/√2 0; 0 2√2]
//	row 0: softmax(1/√2, 0) = (σ(1/√2), 1−σ(1/√2)) = (0.66976…, 0.33023…)
//	row 1: softmax(0, 2√2)  = (1/(1+e^(2√2)), …)  = (0.05580…, 0.94419…)
//	V = x·wv = [1 2; 6 8]
//	out row 0 = 0.66976·(1, 2) + 0.33023·(6, 8) = (1 + 5·0.33023, 2 + 6·0.33023)
//
// The digits below are from numpy 1.24 (float64) evaluating the same formulas.
func TestSelfAttentionHand(t *testing.T) {
	x := mat.NewDense(2, 2, []float64{1, 0, 0, 2})
	id := mat.NewDense(2, 2, []float64{1, 0, 0, 1})
	wv := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	scores, weights, out := core.SelfAttention(x, id, id, wv)
	check := func(name string, m *mat.Dense, want []float64) {
		t.Helper()
		got := m.RawMatrix().Data
		for i := range want {
			if !scalar.EqualWithinAbsOrRel(got[i], want[i], 1e-14, 1e-14) {
				t.Errorf("%s[%d] = %v, want %v", name, i, got[i], want[i])
			}
		}
	}
	check("scores", scores, []float64{1 / math.Sqrt2, 0, 0, 2 * math.Sqrt2})
	check("weights", weights, []float64{0.6697615493266569, 0.3302384506733431, 0.055807219207169745, 0.9441927807928303})
	check("out", out, []float64{2.6511922533667156, 3.9814307040400587, 5.720963903964151, 7.665156684756982})
}

// TestSelfAttentionPermutation: without positional encoding, attention is
// permutation-equivariant. Permuting the rows of x by p gives
// weights'[i][j] = weights[p[i]][p[j]] and out'[i] = out[p[i]].
func TestSelfAttentionPermutation(t *testing.T) {
	r := core.NewMT19937(7)
	randDense := func(rows, cols int) *mat.Dense {
		m := mat.NewDense(rows, cols, nil)
		for i := range rows {
			for j := range cols {
				m.Set(i, j, 2*r.Float64()-1)
			}
		}
		return m
	}
	for trial := range 20 {
		n, d := 2+trial%7, 2+2*(trial%4)
		x := randDense(n, d)
		wq, wk, wv := randDense(d, d), randDense(d, d), randDense(d, 3)
		_, w, out := core.SelfAttention(x, wq, wk, wv)
		// A permutation from the seeded generator (Fisher–Yates).
		p := make([]int, n)
		for i := range p {
			p[i] = i
		}
		for i := n - 1; i > 0; i-- {
			j := int(r.Uint32() % uint32(i+1))
			p[i], p[j] = p[j], p[i]
		}
		px := mat.NewDense(n, d, nil)
		for i := range n {
			px.SetRow(i, x.RawRowView(p[i]))
		}
		_, pw, pout := core.SelfAttention(px, wq, wk, wv)
		for i := range n {
			for j := range n {
				if !scalar.EqualWithinAbsOrRel(pw.At(i, j), w.At(p[i], p[j]), 1e-13, 1e-12) {
					t.Fatalf("trial %d: weights'[%d][%d] = %v, want weights[%d][%d] = %v", trial, i, j, pw.At(i, j), p[i], p[j], w.At(p[i], p[j]))
				}
			}
			for j := range 3 {
				if !scalar.EqualWithinAbsOrRel(pout.At(i, j), out.At(p[i], j), 1e-13, 1e-12) {
					t.Fatalf("trial %d: out'[%d][%d] = %v, want %v", trial, i, j, pout.At(i, j), out.At(p[i], j))
				}
			}
		}
	}
}

func TestSelfAttentionPanicsOnShape(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for mismatched shapes")
		}
	}()
	core.SelfAttention(mat.NewDense(2, 3, nil), mat.NewDense(2, 2, nil), mat.NewDense(2, 2, nil), mat.NewDense(2, 2, nil))
}

func checkAttention(t testing.TB, r core.AttentionResult) {
	t.Helper()
	n := len(r.Tokens)
	if len(r.Weights) != n || len(r.Scores) != n || len(r.Output) != n || len(r.Input) != n {
		t.Fatalf("%d tokens but %d weight rows", n, len(r.Weights))
	}
	for i, row := range r.Weights {
		if len(row) != n || len(r.Output[i]) != r.Dim || len(r.Input[i]) != r.Dim {
			t.Fatalf("row %d has the wrong length", i)
		}
		for j, w := range row {
			if !(w >= 0 && w <= 1) {
				t.Fatalf("weight [%d][%d] = %v", i, j, w)
			}
		}
		if s := floats.Sum(row); !scalar.EqualWithinAbsOrRel(s, 1, 1e-12, 1e-12) {
			t.Fatalf("row %d sums to %v", i, s)
		}
		for _, v := range r.Output[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("output row %d not finite: %v", i, r.Output[i])
			}
		}
	}
}

func TestAttention(t *testing.T) {
	tokens := strings.Fields("кошка сидит на ковре , 🙂 кошка !")
	a, err := core.Attention(tokens, core.DefaultAttentionDim)
	if err != nil {
		t.Fatal(err)
	}
	checkAttention(t, a)
	// Deterministic: the same sentence gives identical numbers.
	b, err := core.Attention(tokens, core.DefaultAttentionDim)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Weights {
		for j := range a.Weights[i] {
			if a.Weights[i][j] != b.Weights[i][j] {
				t.Fatalf("weights differ at [%d][%d]", i, j)
			}
		}
	}
	// Input = embedding + positional encoding; the repeated "кошка" differs
	// only by position.
	pe, err := core.PositionalEncoding(len(tokens), core.DefaultAttentionDim)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 6} {
		e := core.TokenEmbedding("кошка", core.DefaultAttentionDim)
		for j := range e {
			if !scalar.EqualWithinAbsOrRel(a.Input[i][j], e[j]+pe[i][j], 1e-15, 1e-15) {
				t.Fatalf("input[%d][%d] = %v, want %v", i, j, a.Input[i][j], e[j]+pe[i][j])
			}
		}
	}
	// The result matches SelfAttention on the same input and projections.
	x := mat.NewDense(len(tokens), core.DefaultAttentionDim, nil)
	for i := range a.Input {
		x.SetRow(i, a.Input[i])
	}
	wq, wk, wv := core.AttentionProjections(core.DefaultAttentionDim)
	_, w, _ := core.SelfAttention(x, wq, wk, wv)
	for i := range a.Weights {
		if !floats.EqualApprox(a.Weights[i], w.RawRowView(i), 1e-15) {
			t.Fatalf("row %d differs from SelfAttention", i)
		}
	}
	// The result does not alias the caller's slice.
	tokens[0] = "пёс"
	if a.Tokens[0] != "кошка" {
		t.Error("AttentionResult.Tokens aliases the input")
	}
}

func TestAttentionErrors(t *testing.T) {
	many := strings.Fields(strings.Repeat("а ", core.MaxAttentionTokens+1))
	for _, tc := range []struct {
		name   string
		tokens []string
		dim    int
		want   error
	}{
		{"none", nil, 16, core.ErrNoTokens},
		{"too many", many, 16, core.ErrTooManyTokens},
		{"empty token", []string{"а", ""}, 16, core.ErrEmptyToken},
		{"long token", []string{strings.Repeat("ж", core.MaxTokenRunes+1)}, 16, core.ErrTokenTooLong},
		{"odd dim", []string{"а"}, 15, core.ErrAttentionDim},
		{"dim 0", []string{"а"}, 0, core.ErrAttentionDim},
		{"dim too big", []string{"а"}, core.MaxAttentionDim + 2, core.ErrAttentionDim},
	} {
		if _, err := core.Attention(tc.tokens, tc.dim); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
	// The limits themselves are accepted: 32 tokens of 32 runes (emoji included).
	long := strings.Repeat("🙂", core.MaxTokenRunes)
	full := strings.Fields(strings.Repeat(long+" ", core.MaxAttentionTokens))
	r, err := core.Attention(full, core.MaxAttentionDim)
	if err != nil {
		t.Fatal(err)
	}
	checkAttention(t, r)
}

func TestTokenEmbedding(t *testing.T) {
	a := core.TokenEmbedding("кошка", 8)
	b := core.TokenEmbedding("кошка", 8)
	c := core.TokenEmbedding("Кошка", 8)
	if !floats.Equal(a, b) {
		t.Error("same token, different vectors")
	}
	if floats.Equal(a, c) {
		t.Error("different tokens, same vector")
	}
	for _, v := range a {
		if v < -1 || v >= 1 {
			t.Errorf("value %v outside [-1, 1)", v)
		}
	}
	// A longer vector starts with the shorter one: one stream per token.
	if !floats.Equal(core.TokenEmbedding("кошка", 16)[:8], a) {
		t.Error("dim 16 does not extend dim 8")
	}
}

func FuzzAttention(f *testing.F) {
	for _, s := range []string{"кошка сидит на ковре", "", " ", "a  b", "🙂 , !", "\xff\xfe", strings.Repeat("x ", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tokens := strings.Split(s, " ")
		r, err := core.Attention(tokens, core.DefaultAttentionDim)
		if err != nil {
			for _, e := range []error{core.ErrNoTokens, core.ErrTooManyTokens, core.ErrEmptyToken, core.ErrTokenTooLong} {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("unexpected error %v", err)
		}
		checkAttention(t, r)
	})
}

// How much the last token of a sentence attends to each token.
func ExampleAttention() {
	r, err := core.Attention([]string{"кошка", "сидит", "на", "ковре"}, core.DefaultAttentionDim)
	if err != nil {
		fmt.Println(err)
		return
	}
	last := len(r.Tokens) - 1
	sum := 0.0
	for j, w := range r.Weights[last] {
		fmt.Printf("%s→%s %.2f\n", r.Tokens[last], r.Tokens[j], w)
		sum += w
	}
	fmt.Printf("sum %.2f\n", sum)
	// Output:
	// ковре→кошка 0.03
	// ковре→сидит 0.92
	// ковре→на 0.00
	// ковре→ковре 0.05
	// sum 1.00
}

func BenchmarkAttention32(b *testing.B) {
	tokens := strings.Fields(strings.Repeat("кошка сидит на ковре и смотрит в окно ", 4))
	for b.Loop() {
		if _, err := core.Attention(tokens, core.DefaultAttentionDim); err != nil {
			b.Fatal(err)
		}
	}
}
