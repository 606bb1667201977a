package core

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"gonum.org/v1/gonum/mat"
)

// Bounds of the embedding lab.
const (
	MaxEmbedWindow = 10  // largest context half-width, in tokens
	MaxEmbedVocab  = 800 // most frequent words kept; the SVD costs O(V³)
	MaxEmbedDim    = 300 // largest number of SVD dimensions kept
)

// Embedding errors; the bot turns them into messages (errors.Is).
var (
	ErrNoWords     = errors.New("core: corpus has no words")
	ErrEmbedWindow = fmt.Errorf("core: context window must be in 1..%d", MaxEmbedWindow)
	ErrEmbedDim    = errors.New("core: embedding dimension out of range")
	ErrUnknownWord = errors.New("core: unknown word")
	ErrSVD         = errors.New("core: SVD did not converge")
)

// Tokenize splits text into lower-case words for the embedding lab: a word
// is a maximal run of letters, digits and combining marks (Unicode classes
// L, N, M); everything else separates words, so "кто-то" gives "кто", "то".
// Letters are lower-cased, ё is written as е (Russian texts use both), and
// the combining acute accent U+0301 that marks stress is dropped.
func Tokenize(text string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case r == '\u0301':
			// stress mark: not part of the spelling
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			b.WriteRune(foldRune(r))
		default:
			flush()
		}
	}
	flush()
	return words
}

func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r == 'ё' {
		return 'е'
	}
	return r
}

// normalizeWord applies Tokenize's letter rules to a single query word.
func normalizeWord(w string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(w) {
		if r != '\u0301' {
			b.WriteRune(foldRune(r))
		}
	}
	return b.String()
}

// Cooc is a word–context co-occurrence table. Words and contexts share one
// vocabulary, so Counts is square and symmetric.
type Cooc struct {
	Words  []string   // vocabulary: most frequent first, ties in byte order
	Freq   []int      // Freq[i]: occurrences of Words[i] in the corpus
	Counts *mat.Dense // V×V: Counts[w][c] = times c occurs within the window of w
}

// Cooccurrence counts, for each token, the tokens at most window positions
// before or after it in the same sentence (a symmetric window; a token is not
// its own context, but a repeated word is). Sentences are usually made by
// Tokenize; empty strings are skipped.
//
// The vocabulary is the words occurring at least minCount times (values
// below 1 mean 1), at most the MaxEmbedVocab most frequent of them (ties in
// byte order). Other words are removed from the sentences before counting,
// as if they were not there. Rare words have unreliable PMI, and the SVD
// cost grows as V³, so a minCount of 2 or 3 suits a corpus of a few hundred
// sentences.
//
// It returns ErrEmbedWindow if window is outside 1..MaxEmbedWindow and
// ErrNoWords if no word is frequent enough.
func Cooccurrence(sentences [][]string, window, minCount int) (*Cooc, error) {
	if window < 1 || window > MaxEmbedWindow {
		return nil, ErrEmbedWindow
	}
	freq := map[string]int{}
	for _, s := range sentences {
		for _, w := range s {
			if w != "" {
				freq[w]++
			}
		}
	}
	if len(freq) == 0 {
		return nil, ErrNoWords
	}
	words := make([]string, 0, len(freq))
	for w, n := range freq {
		if n >= minCount {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return nil, ErrNoWords
	}
	slices.SortFunc(words, func(a, b string) int {
		return cmp.Or(cmp.Compare(freq[b], freq[a]), strings.Compare(a, b))
	})
	if len(words) > MaxEmbedVocab {
		words = words[:MaxEmbedVocab]
	}
	index := make(map[string]int, len(words))
	counts := make([]int, len(words))
	for i, w := range words {
		index[w] = i
		counts[i] = freq[w]
	}
	v := len(words)
	m := mat.NewDense(v, v, nil)
	raw := m.RawMatrix()
	ids := make([]int, 0, 64)
	for _, s := range sentences {
		ids = ids[:0]
		for _, w := range s {
			if i, ok := index[w]; ok {
				ids = append(ids, i)
			}
		}
		for p, w := range ids {
			for q := max(0, p-window); q <= min(len(ids)-1, p+window); q++ {
				if q != p {
					raw.Data[w*raw.Stride+ids[q]]++
				}
			}
		}
	}
	return &Cooc{Words: words, Freq: counts, Counts: m}, nil
}

// PPMI returns the positive pointwise mutual information of a count matrix
// (rows words w, columns contexts c):
//
//	PPMI(w, c) = max(0, log(P(w,c) / (P(w)·P(c)))) = max(0, log(n(w,c)·N / (n(w)·n(c))))
//
// with n(w) the row sum, n(c) the column sum, N the total and natural logs.
// Cells with a zero count are 0 (not −Inf), as is everything if N = 0. It
// panics if a count is negative, NaN or infinite.
func PPMI(counts *mat.Dense) *mat.Dense {
	r, c := counts.Dims()
	rowSum := make([]float64, r)
	colSum := make([]float64, c)
	var total float64
	for i := range r {
		for j, n := range counts.RawRowView(i) {
			if n < 0 || math.IsNaN(n) || math.IsInf(n, 0) {
				panic(fmt.Sprintf("core: PPMI count [%d][%d] = %v", i, j, n))
			}
			rowSum[i] += n
			colSum[j] += n
			total += n
		}
	}
	out := mat.NewDense(r, c, nil)
	if total == 0 {
		return out
	}
	for i := range r {
		dst := out.RawRowView(i)
		for j, n := range counts.RawRowView(i) {
			if n == 0 {
				continue
			}
			if pmi := math.Log(n * total / (rowSum[i] * colSum[j])); pmi > 0 {
				dst[j] = pmi
			}
		}
	}
	return out
}

// EmbeddingSpace holds word embeddings made by factorising the PPMI matrix
// of a corpus with the SVD, PPMI = U·Σ·Vᵀ. A word's k-dimensional embedding
// is its row of U_k·√Σ_k (the first k singular directions): with context
// vectors V_k·√Σ_k, the dot product of a word vector and a context vector is
// the rank-k approximation of their PPMI, a log ratio of probabilities.
//
// It is immutable after construction and safe for concurrent use.
type EmbeddingSpace struct {
	words  []string
	freq   []int
	index  map[string]int
	sigma  []float64  // all V singular values, descending
	vecs   *mat.Dense // V×dim, U_dim·√Σ_dim
	dim    int
	window int
}

// Neighbor is a word and its cosine similarity to the word asked about.
type Neighbor struct {
	Word   string
	Cosine float64 // in [−1, 1]
}

// EmbedConfig sets how an EmbeddingSpace is built.
type EmbedConfig struct {
	Window   int // context half-width in tokens, 1..MaxEmbedWindow
	MinCount int // words seen fewer times are dropped (see Cooccurrence)
	MaxDim   int // singular directions kept, 1..MaxEmbedDim; lowered to V
}

// NewEmbeddingSpace counts co-occurrences with Cooccurrence(sentences,
// cfg.Window, cfg.MinCount), takes the PPMI and factorises it with the SVD,
// keeping the first cfg.MaxDim singular directions. Building costs O(V³)
// for a vocabulary of V words: about 0.5 s for V = 400 and 3 s for V = 800
// on one 2020s server core; build it once and share it.
//
// It returns the errors of Cooccurrence, ErrEmbedDim for MaxDim outside
// 1..MaxEmbedDim, and ErrSVD if the factorisation fails.
func NewEmbeddingSpace(sentences [][]string, cfg EmbedConfig) (*EmbeddingSpace, error) {
	if cfg.MaxDim < 1 || cfg.MaxDim > MaxEmbedDim {
		return nil, fmt.Errorf("%w: %d not in 1..%d", ErrEmbedDim, cfg.MaxDim, MaxEmbedDim)
	}
	co, err := Cooccurrence(sentences, cfg.Window, cfg.MinCount)
	if err != nil {
		return nil, err
	}
	v := len(co.Words)
	dim := min(cfg.MaxDim, v)
	var svd mat.SVD
	if !svd.Factorize(PPMI(co.Counts), mat.SVDThinU) {
		return nil, ErrSVD
	}
	sigma := svd.Values(nil)
	var u mat.Dense
	svd.UTo(&u)
	vecs := mat.NewDense(v, dim, nil)
	for j := range dim {
		s := math.Sqrt(sigma[j])
		for i := range v {
			vecs.Set(i, j, u.At(i, j)*s)
		}
	}
	index := make(map[string]int, v)
	for i, w := range co.Words {
		index[w] = i
	}
	return &EmbeddingSpace{
		words:  co.Words,
		freq:   co.Freq,
		index:  index,
		sigma:  sigma,
		vecs:   vecs,
		dim:    dim,
		window: cfg.Window,
	}, nil
}

// Len returns the vocabulary size V.
func (s *EmbeddingSpace) Len() int { return len(s.words) }

// Dim returns the largest embedding dimension available (maxDim, or V if
// the vocabulary is smaller).
func (s *EmbeddingSpace) Dim() int { return s.dim }

// Window returns the context half-width the space was built with.
func (s *EmbeddingSpace) Window() int { return s.window }

// Words returns a copy of the vocabulary, most frequent first.
func (s *EmbeddingSpace) Words() []string { return slices.Clone(s.words) }

// Freq returns how often Words()[i] occurs in the corpus; it panics if i is
// out of range.
func (s *EmbeddingSpace) Freq(i int) int { return s.freq[i] }

// Index returns the position of word in Words(), after normalising it as
// Tokenize does (lower case, ё→е).
func (s *EmbeddingSpace) Index(word string) (int, bool) {
	i, ok := s.index[normalizeWord(word)]
	return i, ok
}

// SingularValues returns a copy of all V singular values of the PPMI
// matrix, in descending order.
func (s *EmbeddingSpace) SingularValues() []float64 { return slices.Clone(s.sigma) }

// ExplainedVariance returns, for k = 1..V, the share of the PPMI matrix's
// squared Frobenius norm kept by its rank-k approximation:
// (σ₁² + … + σ_k²) / (σ₁² + … + σ_V²), element k−1. The values rise to 1;
// by Eckart–Young the rank-k error is ‖PPMI − PPMI_k‖_F² = (1 − share)·‖PPMI‖_F².
// For an all-zero PPMI every share is 1.
func (s *EmbeddingSpace) ExplainedVariance() []float64 {
	out := make([]float64, len(s.sigma))
	var total float64
	for _, v := range s.sigma {
		total += v * v
	}
	var acc float64
	for i, v := range s.sigma {
		acc += v * v
		if total == 0 {
			out[i] = 1
		} else {
			out[i] = min(acc/total, 1)
		}
	}
	return out
}

// Vectors returns a copy of the V×k embedding matrix U_k·√Σ_k; row i is
// the embedding of Words()[i]. It panics if k is outside 1..Dim().
func (s *EmbeddingSpace) Vectors(k int) *mat.Dense {
	if k < 1 || k > s.dim {
		panic(fmt.Sprintf("core: Vectors(%d) outside 1..%d", k, s.dim))
	}
	out := mat.NewDense(len(s.words), k, nil)
	out.Copy(s.vecs.Slice(0, len(s.words), 0, k))
	return out
}

// Project2D returns each word's first two embedding coordinates (row i of
// U_2·√Σ_2, for Words()[i]) for a 2-D map. If only one dimension exists the
// second coordinate is 0.
func (s *EmbeddingSpace) Project2D() [][2]float64 {
	out := make([][2]float64, len(s.words))
	for i := range out {
		out[i][0] = s.vecs.At(i, 0)
		if s.dim > 1 {
			out[i][1] = s.vecs.At(i, 1)
		}
	}
	return out
}

// Nearest returns the n words whose k-dimensional embeddings have the
// largest cosine similarity to word's (normalised as by Index), most similar
// first, ties in vocabulary order; the word itself is left out and n is
// lowered to V−1. A zero vector has cosine 0 with everything. It returns
// ErrUnknownWord (see Suggest) or ErrEmbedDim for k outside 1..Dim(); it
// panics if n < 1.
func (s *EmbeddingSpace) Nearest(word string, k, n int) ([]Neighbor, error) {
	if n < 1 {
		panic(fmt.Sprintf("core: Nearest with n = %d", n))
	}
	if k < 1 || k > s.dim {
		return nil, fmt.Errorf("%w: %d not in 1..%d", ErrEmbedDim, k, s.dim)
	}
	w, ok := s.Index(word)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownWord, word)
	}
	target := s.vecs.RawRowView(w)[:k]
	tn := norm(target)
	type cand struct {
		i   int
		cos float64
	}
	cands := make([]cand, 0, len(s.words)-1)
	for i := range s.words {
		if i == w {
			continue
		}
		row := s.vecs.RawRowView(i)[:k]
		var c float64
		if rn := norm(row); tn > 0 && rn > 0 {
			var dot float64
			for j, x := range row {
				dot += x * target[j]
			}
			c = max(-1, min(1, dot/(tn*rn)))
		}
		cands = append(cands, cand{i, c})
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.cos, a.cos) })
	cands = cands[:min(n, len(cands))]
	out := make([]Neighbor, len(cands))
	for i, c := range cands {
		out[i] = Neighbor{Word: s.words[c.i], Cosine: c.cos}
	}
	return out, nil
}

func norm(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

// Suggest returns up to n vocabulary words closest in spelling to word
// (normalised as by Index), by Levenshtein distance over runes, then by
// frequency. There is no distance cut-off: the caller decides what is too
// far. n < 1 gives nil.
func (s *EmbeddingSpace) Suggest(word string, n int) []string {
	if n < 1 {
		return nil
	}
	q := normalizeWord(word)
	dist := make([]int, len(s.words))
	order := make([]int, len(s.words))
	for i, w := range s.words {
		dist[i] = Levenshtein(q, w)
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dist[a], dist[b]) })
	order = order[:min(n, len(order))]
	out := make([]string, len(order))
	for i, o := range order {
		out[i] = s.words[o]
	}
	return out
}

// Levenshtein returns the edit distance between a and b counted in runes:
// the least number of single-rune insertions, deletions and substitutions
// turning a into b.
func Levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
