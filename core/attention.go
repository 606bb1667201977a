package core

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"
)

// Bounds of the attention lab.
const (
	MaxAttentionTokens  = 32 // tokens in one sentence
	MaxTokenRunes       = 32 // characters (runes) in one token
	DefaultAttentionDim = 16 // model dimension d used by the bot
	MaxAttentionDim     = 64 // largest d accepted by Attention
)

// Attention errors; the bot turns them into messages (errors.Is).
var (
	ErrNoTokens      = errors.New("core: no tokens")
	ErrTooManyTokens = fmt.Errorf("core: more than %d tokens", MaxAttentionTokens)
	ErrEmptyToken    = errors.New("core: empty token")
	ErrTokenTooLong  = fmt.Errorf("core: token longer than %d characters", MaxTokenRunes)
	ErrAttentionDim  = fmt.Errorf("core: attention dimension must be even, in 2..%d", MaxAttentionDim)
)

// Seeds of the fixed projection matrices Wq, Wk, Wv (see AttentionProjections).
const (
	seedWq = 1
	seedWk = 2
	seedWv = 3
)

// TokenEmbedding returns the toy embedding of token in dimension dim: dim
// values uniform in [−1, 1), 2·Float64()−1 drawn from NewMT19937(h), where h
// is the 32-bit FNV-1a hash of the token's bytes. The same token always gets
// the same vector; tokens are compared byte for byte (no case folding), and
// any string, including punctuation, emoji or invalid UTF-8, is accepted.
// It panics if dim < 1.
func TokenEmbedding(token string, dim int) []float64 {
	if dim < 1 {
		panic(fmt.Sprintf("core: TokenEmbedding with dim %d", dim))
	}
	h := fnv.New32a()
	h.Write([]byte(token)) // never fails
	r := NewMT19937(h.Sum32())
	v := make([]float64, dim)
	for i := range v {
		v[i] = 2*r.Float64() - 1
	}
	return v
}

// AttentionProjections returns the fixed d×d projection matrices Wq, Wk and
// Wv that Attention uses: entries uniform in [−a, a) with a = √(6/d), so each
// has variance 2/d (He initialisation; the weights come out neither flat
// nor one-hot for typical sentences), drawn row by row as a·(2·Float64()−1)
// from NewMT19937 with seeds 1, 2 and 3. It panics if d is outside 1..MaxAttentionDim.
func AttentionProjections(d int) (wq, wk, wv *mat.Dense) {
	if d < 1 || d > MaxAttentionDim {
		panic(fmt.Sprintf("core: AttentionProjections with d %d", d))
	}
	a := math.Sqrt(6 / float64(d))
	draw := func(seed uint32) *mat.Dense {
		r := NewMT19937(seed)
		m := mat.NewDense(d, d, nil)
		for i := range d {
			for j := range d {
				m.Set(i, j, a*(2*r.Float64()-1))
			}
		}
		return m
	}
	return draw(seedWq), draw(seedWk), draw(seedWv)
}

// SelfAttention computes scaled dot-product self-attention for the rows of
// x (n tokens × d features):
//
//	Q = x·wq, K = x·wk, V = x·wv
//	scores  = Q·Kᵀ / √dk          (n×n)
//	weights = softmax of each row  (n×n, rows sum to 1)
//	out     = weights·V            (n×dv)
//
// Row i of weights is how much token i (the query, the current token)
// attends to each token j (the key). wq and wk are d×dk, wv is d×dv. It
// panics if the shapes do not fit.
func SelfAttention(x, wq, wk, wv mat.Matrix) (scores, weights, out *mat.Dense) {
	n, d := x.Dims()
	rq, dk := wq.Dims()
	rk, ck := wk.Dims()
	rv, _ := wv.Dims()
	if n == 0 || rq != d || rk != d || rv != d || ck != dk {
		panic(fmt.Sprintf("core: SelfAttention shapes x %d×%d, wq %d×%d, wk %d×%d, wv with %d rows", n, d, rq, dk, rk, ck, rv))
	}
	var q, k, v mat.Dense
	q.Mul(x, wq)
	k.Mul(x, wk)
	v.Mul(x, wv)
	scores = &mat.Dense{}
	scores.Mul(&q, k.T())
	scores.Scale(1/math.Sqrt(float64(dk)), scores)
	weights = mat.NewDense(n, n, nil)
	for i := range n {
		Softmax(weights.RawRowView(i), scores.RawRowView(i))
	}
	out = &mat.Dense{}
	out.Mul(weights, &v)
	return scores, weights, out
}

// AttentionResult is self-attention over one sentence. Row i of each n×n
// matrix belongs to token i as the current token (query); column j is the
// token it looks at (key).
type AttentionResult struct {
	Tokens  []string    // the n tokens, in order
	Dim     int         // model dimension d
	Input   [][]float64 // n×d: TokenEmbedding + PositionalEncoding of each token
	Scores  [][]float64 // n×n: Q·Kᵀ/√d
	Weights [][]float64 // n×n: softmax of each Scores row; each row sums to 1
	Output  [][]float64 // n×d: Weights·V, each token's weighted mix of the values
}

// Attention runs SelfAttention on tokens with the toy embeddings of
// TokenEmbedding plus the sinusoidal PositionalEncoding of positions
// 0..n−1, and the fixed AttentionProjections(dim). The result is fully
// determined by the tokens and dim.
//
// Limits: 1..MaxAttentionTokens tokens (ErrNoTokens, ErrTooManyTokens), each
// of 1..MaxTokenRunes runes (ErrEmptyToken, ErrTokenTooLong, wrapped with the
// token's index), and dim even in 2..MaxAttentionDim (ErrAttentionDim).
func Attention(tokens []string, dim int) (AttentionResult, error) {
	if len(tokens) == 0 {
		return AttentionResult{}, ErrNoTokens
	}
	if len(tokens) > MaxAttentionTokens {
		return AttentionResult{}, ErrTooManyTokens
	}
	for i, t := range tokens {
		if t == "" {
			return AttentionResult{}, fmt.Errorf("%w (token %d)", ErrEmptyToken, i)
		}
		if utf8.RuneCountInString(t) > MaxTokenRunes {
			return AttentionResult{}, fmt.Errorf("%w (token %d)", ErrTokenTooLong, i)
		}
	}
	if dim < 2 || dim > MaxAttentionDim || dim%2 != 0 {
		return AttentionResult{}, ErrAttentionDim
	}
	n := len(tokens)
	pe, err := PositionalEncoding(n, dim)
	if err != nil {
		panic("core: Attention: " + err.Error()) // bounds checked above
	}
	x := mat.NewDense(n, dim, nil)
	for i, t := range tokens {
		row := x.RawRowView(i)
		for j, e := range TokenEmbedding(t, dim) {
			row[j] = e + pe[i][j]
		}
	}
	wq, wk, wv := AttentionProjections(dim)
	scores, weights, out := SelfAttention(x, wq, wk, wv)
	return AttentionResult{
		Tokens:  append([]string(nil), tokens...),
		Dim:     dim,
		Input:   rows(x),
		Scores:  rows(scores),
		Weights: rows(weights),
		Output:  rows(out),
	}, nil
}

// rows copies m into a fresh slice of rows.
func rows(m *mat.Dense) [][]float64 {
	r, c := m.Dims()
	flat := make([]float64, r*c)
	out := make([][]float64, r)
	for i := range r {
		out[i] = flat[i*c : (i+1)*c : (i+1)*c]
		copy(out[i], m.RawRowView(i))
	}
	return out
}
