package core_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"neurotutor/core"
)

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Кошка сидит на ковре.", []string{"кошка", "сидит", "на", "ковре"}},
		{"Ёжик, ёлка и ЁЖ!", []string{"ежик", "елка", "и", "еж"}},
		{"кто-то  сказал: «GPT-4»", []string{"кто", "то", "сказал", "gpt", "4"}},
		{"сло\u0301во 🙂 x²", []string{"слово", "x²"}},
		{"  ,.;  ", nil},
	} {
		if got := core.Tokenize(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCooccurrence(t *testing.T) {
	// Window 2 over "a b c" and "c a": a sees b, c and c; b sees a, c;
	// c sees a, b and a. Frequencies a 2, c 2, b 1: order a, c, b.
	co, err := core.Cooccurrence([][]string{{"a", "b", "c"}, {"c", "", "a"}}, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(co.Words, []string{"a", "c", "b"}) || !slices.Equal(co.Freq, []int{2, 2, 1}) {
		t.Fatalf("vocabulary %q %v", co.Words, co.Freq)
	}
	want := mat.NewDense(3, 3, []float64{
		0, 2, 1, // a
		2, 0, 1, // c
		1, 1, 0, // b
	})
	if !mat.Equal(co.Counts, want) {
		t.Errorf("counts\n%v\nwant\n%v", mat.Formatted(co.Counts), mat.Formatted(want))
	}
	if _, err := core.Cooccurrence(nil, 2, 1); !errors.Is(err, core.ErrNoWords) {
		t.Errorf("empty corpus: %v", err)
	}
	// MinCount drops rare words before counting: with 2, "b" goes and "c a"
	// become neighbours within the window of 1.
	co, err = core.Cooccurrence([][]string{{"a", "b", "c"}, {"c", "a"}}, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(co.Words, []string{"a", "c"}) || !mat.Equal(co.Counts, mat.NewDense(2, 2, []float64{0, 2, 2, 0})) {
		t.Errorf("minCount 2: %q\n%v", co.Words, mat.Formatted(co.Counts))
	}
	if _, err := core.Cooccurrence([][]string{{"a", "b"}}, 1, 2); !errors.Is(err, core.ErrNoWords) {
		t.Errorf("no word frequent enough: %v", err)
	}
	// The vocabulary is capped at MaxEmbedVocab, most frequent first, ties
	// in byte order.
	big := []string{"zz", "zz"}
	for i := range core.MaxEmbedVocab + 50 {
		big = append(big, fmt.Sprintf("w%04d", i))
	}
	co, err = core.Cooccurrence([][]string{big}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(co.Words) != core.MaxEmbedVocab || co.Words[0] != "zz" || co.Words[1] != "w0000" || co.Words[len(co.Words)-1] != fmt.Sprintf("w%04d", core.MaxEmbedVocab-2) {
		t.Errorf("capped vocabulary: %d words, %q … %q", len(co.Words), co.Words[:2], co.Words[len(co.Words)-1])
	}
	for _, w := range []int{0, core.MaxEmbedWindow + 1} {
		if _, err := core.Cooccurrence([][]string{{"a"}}, w, 1); !errors.Is(err, core.ErrEmbedWindow) {
			t.Errorf("window %d: %v", w, err)
		}
	}
}

// TestPPMIHand: one sentence "да да да нет", window 1. The pairs are
// (да,да) ×4 — positions 0↔1 and 1↔2, both ways — and (да,нет), (нет,да).
//
//	counts = [4 1; 1 0], N = 6, n(да) = 5, n(нет) = 1
//	PMI(да,да)  = log(4·6/(5·5)) = log 0.96 < 0 → clipped to 0
//	PMI(да,нет) = log(1·6/(5·1)) = log 1.2 = 0.1823215567939546
//	PMI(нет,нет): count 0 → 0
func TestPPMIHand(t *testing.T) {
	co, err := core.Cooccurrence([][]string{core.Tokenize("да да да нет")}, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(co.Counts, mat.NewDense(2, 2, []float64{4, 1, 1, 0})) {
		t.Fatalf("counts\n%v", mat.Formatted(co.Counts))
	}
	got := core.PPMI(co.Counts)
	want := []float64{0, 0.1823215567939546, 0.1823215567939546, 0}
	for i, w := range want {
		if g := got.RawMatrix().Data[i]; !scalar.EqualWithinAbsOrRel(g, w, 1e-15, 1e-15) {
			t.Errorf("PPMI[%d] = %v, want %v", i, g, w)
		}
	}
	// An asymmetric table [2 1; 0 2]: N = 5, row sums 3, 2, column sums
	// 2, 3. [0][0] = log(2·5/(3·2)) = log(5/3); [0][1] = log(1·5/(3·3)) < 0
	// → 0; [1][0] has count 0 → 0; [1][1] = log(2·5/(2·3)) = log(5/3).
	got = core.PPMI(mat.NewDense(2, 2, []float64{2, 1, 0, 2}))
	want = []float64{math.Log(5.0 / 3), 0, 0, math.Log(5.0 / 3)}
	for i, w := range want {
		if g := got.RawMatrix().Data[i]; !scalar.EqualWithinAbsOrRel(g, w, 1e-15, 1e-15) {
			t.Errorf("rectangular PPMI[%d] = %v, want %v", i, g, w)
		}
	}
	if z := core.PPMI(mat.NewDense(2, 3, nil)); mat.Norm(z, 2) != 0 {
		t.Error("all-zero counts give non-zero PPMI")
	}
}

// corpusSentences is a tiny corpus in which "кошку" and "собаку" share all
// their contexts.
func corpusSentences() [][]string {
	text := []string{
		"я люблю кошку",
		"я люблю собаку",
		"нейрон считает взвешенную сумму входов",
		"нейрон применяет функцию активации к сумме",
		"вес нейрона умножает вход",
		"смещение сдвигает сумму нейрона",
		"модель учится на данных",
		"эмбеддинг слова это вектор",
		"вектор слова зависит от соседних слов",
		"внимание смешивает векторы слов",
	}
	var out [][]string
	for _, s := range text {
		out = append(out, core.Tokenize(s))
	}
	return out
}

func TestEmbeddingSpaceSVD(t *testing.T) {
	sentences := corpusSentences()
	sp, err := core.NewEmbeddingSpace(sentences, core.EmbedConfig{Window: 2, MinCount: 1, MaxDim: core.MaxEmbedDim})
	if err != nil {
		t.Fatal(err)
	}
	v := sp.Len()
	if sp.Dim() != v {
		t.Fatalf("Dim %d, want the vocabulary size %d", sp.Dim(), v)
	}
	co, err := core.Cooccurrence(sentences, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	ppmi := core.PPMI(co.Counts)
	sigma := sp.SingularValues()
	ev := sp.ExplainedVariance()
	if len(sigma) != v || len(ev) != v {
		t.Fatalf("%d singular values, %d shares for %d words", len(sigma), len(ev), v)
	}
	frob2 := math.Pow(mat.Norm(ppmi, 2), 2)
	if !scalar.EqualWithinAbsOrRel(ev[v-1], 1, 1e-12, 1e-12) {
		t.Errorf("explained variance ends at %v", ev[v-1])
	}
	var svd mat.SVD
	if !svd.Factorize(ppmi, mat.SVDThin) {
		t.Fatal("SVD failed")
	}
	var u, vt mat.Dense
	svd.UTo(&u)
	svd.VTo(&vt)
	// Eckart–Young: the best rank-k approximation U_k·Σ_k·V_kᵀ misses
	// exactly the dropped singular values, ‖PPMI − A_k‖_F² = Σ_{i>k} σᵢ², and
	// the full-rank product reconstructs PPMI.
	for _, k := range []int{1, 2, 5, v} {
		var ak, diff mat.Dense
		uk := u.Slice(0, v, 0, k)
		vk := vt.Slice(0, v, 0, k)
		sk := mat.NewDiagDense(k, sigma[:k])
		ak.Product(uk, sk, vk.T())
		diff.Sub(ppmi, &ak)
		var dropped float64
		for _, s := range sigma[k:] {
			dropped += s * s
		}
		got := mat.Norm(&diff, 2)
		if !scalar.EqualWithinAbsOrRel(got, math.Sqrt(dropped), 1e-9, 1e-9) {
			t.Errorf("k=%d: ‖PPMI − A_k‖_F = %v, want √Σσ² = %v", k, got, math.Sqrt(dropped))
		}
		if !scalar.EqualWithinAbsOrRel(got*got, (1-ev[k-1])*frob2, 1e-9, 1e-9) {
			t.Errorf("k=%d: error² %v, (1 − share)·‖PPMI‖² = %v", k, got*got, (1-ev[k-1])*frob2)
		}
		// The embeddings are U_k·√Σ_k: their Gram matrix is U_k·Σ_k·U_kᵀ,
		// which does not depend on the signs of the singular vectors.
		var gram, want mat.Dense
		e := sp.Vectors(k)
		gram.Mul(e, e.T())
		want.Product(uk, sk, uk.T())
		if !mat.EqualApprox(&gram, &want, 1e-9) {
			t.Errorf("k=%d: Vectors(k)·Vectors(k)ᵀ ≠ U_k·Σ_k·U_kᵀ", k)
		}
	}
}

func TestEmbeddingSpaceQueries(t *testing.T) {
	sp, err := core.NewEmbeddingSpace(corpusSentences(), core.EmbedConfig{Window: 2, MinCount: 1, MaxDim: 10})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Dim() != 10 {
		t.Fatalf("Dim %d", sp.Dim())
	}
	// Identical contexts give identical PPMI rows, hence identical
	// embeddings: cosine 1 at every k. At small k other words can be
	// parallel too ("я", "люблю" share the same isolated sentences), so the
	// first place is checked at the full dimension only.
	full, err := core.NewEmbeddingSpace(corpusSentences(), core.EmbedConfig{Window: 2, MinCount: 1, MaxDim: core.MaxEmbedDim})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{2, 5, full.Dim()} {
		nb, err := full.Nearest("Кошку", k, full.Len())
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(nb, func(n core.Neighbor) bool { return n.Word == "собаку" })
		if i < 0 || !scalar.EqualWithinAbsOrRel(nb[i].Cosine, 1, 1e-9, 1e-9) {
			t.Errorf("k=%d: cosine(кошку, собаку) is not 1: %v", k, nb)
		}
		if k == full.Dim() && i != 0 {
			t.Errorf("k=%d: собаку is not the nearest to кошку: %v", k, nb[:3])
		}
		for i := 1; i < len(nb); i++ {
			if nb[i].Cosine > nb[i-1].Cosine || nb[i].Cosine < -1 || nb[i].Cosine > 1 {
				t.Errorf("k=%d: neighbours out of order: %v", k, nb)
			}
		}
	}
	if nb, _ := sp.Nearest("нейрон", 2, 1000); len(nb) != sp.Len()-1 {
		t.Errorf("n is not lowered to V−1: %d", len(nb))
	}
	if _, err := sp.Nearest("нейорн", 2, 3); !errors.Is(err, core.ErrUnknownWord) {
		t.Errorf("unknown word: %v", err)
	}
	for _, k := range []int{0, 11} {
		if _, err := sp.Nearest("нейрон", k, 3); !errors.Is(err, core.ErrEmbedDim) {
			t.Errorf("k=%d: %v", k, err)
		}
	}
	if got := sp.Suggest("нейорн", 2); len(got) == 0 || got[0] != "нейрон" {
		t.Errorf("Suggest(нейорн) = %q, want нейрон first", got)
	}
	if got := sp.Suggest("НЕЙРОНА", 1); !slices.Equal(got, []string{"нейрона"}) {
		t.Errorf("Suggest(НЕЙРОНА) = %q", got)
	}
	if i, ok := sp.Index("Нейрон"); !ok || sp.Words()[i] != "нейрон" {
		t.Errorf("Index(Нейрон) = %d, %v", i, ok)
	}
	// Words are ordered by frequency.
	words := sp.Words()
	for i := 1; i < len(words); i++ {
		if sp.Freq(i) > sp.Freq(i-1) {
			t.Fatalf("%q (%d) after %q (%d)", words[i], sp.Freq(i), words[i-1], sp.Freq(i-1))
		}
	}
	p := sp.Project2D()
	e := sp.Vectors(2)
	for i := range p {
		if p[i][0] != e.At(i, 0) || p[i][1] != e.At(i, 1) {
			t.Fatalf("Project2D row %d = %v, Vectors(2) = %v", i, p[i], e.RawRowView(i))
		}
	}
	if _, err := core.NewEmbeddingSpace(corpusSentences(), core.EmbedConfig{Window: 2, MinCount: 1, MaxDim: 0}); !errors.Is(err, core.ErrEmbedDim) {
		t.Errorf("maxDim 0: %v", err)
	}
}

// TestEmbeddingSpaceConcurrent reads one space from many goroutines (run
// with -race).
func TestEmbeddingSpaceConcurrent(t *testing.T) {
	sp, err := core.NewEmbeddingSpace(corpusSentences(), core.EmbedConfig{Window: 2, MinCount: 1, MaxDim: 5})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := sp.Nearest("вектор", 3, 5)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := sp.Nearest("вектор", 3, 5)
				if err != nil || !slices.Equal(got, want) {
					t.Error("concurrent Nearest differs")
					return
				}
				sp.Suggest("вектр", 3)
				sp.Project2D()
				sp.ExplainedVariance()
			}
		})
	}
	wg.Wait()
}

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "абв", 3},
		{"нейорн", "нейрон", 2},
		{"kitten", "sitting", 3},
		{"кот", "кит", 1},
		{"🙂a", "a", 1},
	} {
		if got := core.Levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// Positive PMI of a tiny co-occurrence table.
func ExamplePPMI() {
	counts := mat.NewDense(2, 2, []float64{
		4, 1,
		1, 0,
	})
	fmt.Printf("%.4f\n", mat.Formatted(core.PPMI(counts)))
	// Output:
	// ⎡0.0000  0.1823⎤
	// ⎣0.1823  0.0000⎦
}

// Unknown words get the closest known spellings.
func ExampleEmbeddingSpace_Suggest() {
	sp, err := core.NewEmbeddingSpace([][]string{core.Tokenize("нейрон считает сумму, нейроны учатся")}, core.EmbedConfig{Window: 2, MaxDim: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sp.Suggest("нейорн", 2))
	// Output:
	// [нейрон нейроны]
}

// synthCorpus makes n sentences of 6..15 words over a Zipf-like vocabulary
// of about 600 words, from a fixed seed.
func synthCorpus(n int) [][]string {
	r := core.NewMT19937(1)
	out := make([][]string, n)
	for i := range out {
		l := 6 + int(r.Uint32()%10)
		s := make([]string, l)
		for j := range s {
			// Zipf-like: rank = floor(600^u) for uniform u.
			rank := int(math.Pow(600, r.Float64()))
			s[j] = fmt.Sprintf("слово%d", rank)
		}
		out[i] = s
	}
	return out
}

func BenchmarkNewEmbeddingSpace(b *testing.B) {
	sentences := synthCorpus(500)
	for b.Loop() {
		if _, err := core.NewEmbeddingSpace(sentences, core.EmbedConfig{Window: 2, MinCount: 2, MaxDim: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNearest(b *testing.B) {
	sp, err := core.NewEmbeddingSpace(synthCorpus(500), core.EmbedConfig{Window: 2, MinCount: 2, MaxDim: 50})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("vocabulary %d words", sp.Len())
	for b.Loop() {
		if _, err := sp.Nearest("слово1", 50, 10); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSuggest(b *testing.B) {
	sp, err := core.NewEmbeddingSpace(synthCorpus(500), core.EmbedConfig{Window: 2, MinCount: 2, MaxDim: 50})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sp.Suggest("слвоо12", 3)
	}
}
