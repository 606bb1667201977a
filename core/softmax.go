package core

import "math"

// Softmax writes softmax(x)ᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x) into dst
// and returns it. Subtracting the maximum keeps every exponent ≤ 0, so
// inputs near −1000 or +1000 neither underflow to 0/0 nor overflow; the
// largest entry contributes exp(0) = 1, so the sum is at least 1.
//
// If dst is nil a new slice is allocated; otherwise len(dst) must equal
// len(x) or Softmax panics. dst may be x itself. An empty x gives an empty
// result.
//
// Non-finite inputs, taking the limit where one exists:
//   - any NaN: every output is NaN;
//   - +Inf entries share the whole mass equally, every other entry gets 0;
//   - −Inf entries get 0 (exp(−Inf) = 0) while some entry is finite;
//   - all entries −Inf: the entries are all equal, so each gets 1/len(x),
//     as for any constant input.
//
// The outputs are in [0, 1] and, barring NaN, sum to 1 up to rounding.
func Softmax(dst, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(x))
	}
	if len(dst) != len(x) {
		panic("core: Softmax: dst and x differ in length")
	}
	if len(x) == 0 {
		return dst
	}
	maxv := math.Inf(-1)
	for _, v := range x {
		if math.IsNaN(v) {
			for i := range dst {
				dst[i] = math.NaN()
			}
			return dst
		}
		maxv = math.Max(maxv, v)
	}
	switch {
	case math.IsInf(maxv, 1):
		n := 0
		for _, v := range x {
			if math.IsInf(v, 1) {
				n++
			}
		}
		share := 1 / float64(n)
		for i, v := range x {
			if math.IsInf(v, 1) {
				dst[i] = share
			} else {
				dst[i] = 0
			}
		}
		return dst
	case math.IsInf(maxv, -1):
		share := 1 / float64(len(x))
		for i := range dst {
			dst[i] = share
		}
		return dst
	}
	var sum float64
	for i, v := range x {
		e := math.Exp(v - maxv)
		dst[i] = e
		sum += e
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst
}
