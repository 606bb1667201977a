package core

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// MT19937 parameters from Matsumoto & Nishimura (1998), "Mersenne Twister:
// a 623-dimensionally equidistributed uniform pseudo-random number
// generator", ACM TOMACS 8(1), and their reference mt19937ar.c.
const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// ErrEmptyRange is returned when a random integer is asked for from a range
// that holds no integers (high <= low, or b < a).
var ErrEmptyRange = errors.New("core: empty range")

// MT19937 is the 32-bit Mersenne Twister of Matsumoto & Nishimura (1998),
// the generator behind CPython's random module and numpy's legacy
// np.random.* functions. The same seed replays the same sequence on every
// platform, bit for bit.
//
// The zero value is not usable; create one with NewMT19937, NewMT19937Array
// or NewPythonRandom. An MT19937 is not safe for concurrent use.
type MT19937 struct {
	state [mtN]uint32
	pos   int // next word of state to temper; mtN means "regenerate first"
}

// NewMT19937 returns a generator seeded with init_genrand(seed) of the
// reference code. This is numpy's legacy np.random.seed(seed) (numpy allows
// seeds 0..2³²−1). It is not CPython's random.seed(seed); see NewPythonRandom.
func NewMT19937(seed uint32) *MT19937 {
	m := &MT19937{}
	m.initGenrand(seed)
	return m
}

// NewMT19937Array returns a generator seeded with init_by_array(key) of the
// reference code (1 ≤ len(key); any length is allowed). It panics if key is
// empty.
func NewMT19937Array(key []uint32) *MT19937 {
	if len(key) == 0 {
		panic("core: NewMT19937Array with an empty key")
	}
	m := &MT19937{}
	m.initByArray(key)
	return m
}

// NewPythonRandom returns a generator in the state CPython's
// random.seed(seed) leaves for a non-negative int seed: init_by_array over the
// seed's 32-bit words, least significant word first, with key [0] for seed 0.
// CPython seeds with the absolute value of a negative int, so callers map
// random.seed(-s) to NewPythonRandom(s).
//
// random.random() is then Float64, random.getrandbits(k) is Getrandbits and
// random.randint(a, b) is PythonRandint.
func NewPythonRandom(seed uint64) *MT19937 {
	lo, hi := uint32(seed), uint32(seed>>32)
	if hi == 0 {
		return NewMT19937Array([]uint32{lo})
	}
	return NewMT19937Array([]uint32{lo, hi})
}

func (m *MT19937) initGenrand(s uint32) {
	m.state[0] = s
	for i := 1; i < mtN; i++ {
		prev := m.state[i-1]
		m.state[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	m.pos = mtN
}

func (m *MT19937) initByArray(key []uint32) {
	m.initGenrand(19650218)
	i, j := 1, 0
	for k := max(mtN, len(key)); k > 0; k-- {
		prev := m.state[i-1]
		m.state[i] = (m.state[i] ^ ((prev ^ (prev >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= mtN {
			m.state[0] = m.state[mtN-1]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k := mtN - 1; k > 0; k-- {
		prev := m.state[i-1]
		m.state[i] = (m.state[i] ^ ((prev ^ (prev >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= mtN {
			m.state[0] = m.state[mtN-1]
			i = 1
		}
	}
	m.state[0] = 0x80000000 // MSB is 1, assuring a non-zero initial array
	m.pos = mtN
}

// generate refills the whole state (the "twist").
func (m *MT19937) generate() {
	mag := func(y uint32) uint32 { return (y & 1) * mtMatrixA }
	var k int
	for ; k < mtN-mtM; k++ {
		y := m.state[k]&mtUpperMask | m.state[k+1]&mtLowerMask
		m.state[k] = m.state[k+mtM] ^ (y >> 1) ^ mag(y)
	}
	for ; k < mtN-1; k++ {
		y := m.state[k]&mtUpperMask | m.state[k+1]&mtLowerMask
		m.state[k] = m.state[k+(mtM-mtN)] ^ (y >> 1) ^ mag(y)
	}
	y := m.state[mtN-1]&mtUpperMask | m.state[0]&mtLowerMask
	m.state[mtN-1] = m.state[mtM-1] ^ (y >> 1) ^ mag(y)
	m.pos = 0
}

// Uint32 returns the next 32-bit output (genrand_int32 of the reference code).
func (m *MT19937) Uint32() uint32 {
	if m.pos >= mtN {
		m.generate()
	}
	y := m.state[m.pos]
	m.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Float64 returns a float64 in [0, 1) with 53 random bits, built from two
// outputs as genrand_res53 does: a = Uint32()>>5, b = Uint32()>>6,
// (a·2²⁶ + b)/2⁵³. This is CPython's random.random() and numpy's legacy
// np.random.rand() / random_sample().
func (m *MT19937) Float64() float64 {
	a := m.Uint32() >> 5
	b := m.Uint32() >> 6
	return (float64(a)*67108864 + float64(b)) / 9007199254740992
}

// Getrandbits returns CPython's random.getrandbits(k) for 0 ≤ k ≤ 64: one
// output shifted right by 32−k when k ≤ 32, otherwise 32-bit outputs filled
// from the least significant word up, the last one shifted to keep only the
// remaining bits. It panics if k is outside 0..64.
func (m *MT19937) Getrandbits(k int) uint64 {
	if k < 0 || k > 64 {
		panic(fmt.Sprintf("core: Getrandbits(%d) outside 0..64", k))
	}
	lo, _ := m.getrandbits(k)
	return lo
}

// getrandbits is random.getrandbits(k) for 0 ≤ k ≤ 96, returned as the low
// 64 bits and the bits above them.
func (m *MT19937) getrandbits(k int) (lo, hi uint64) {
	if k == 0 {
		return 0, 0
	}
	if k <= 32 {
		return uint64(m.Uint32() >> (32 - k)), 0
	}
	var words [3]uint32
	n := (k-1)/32 + 1
	for i, left := 0, k; i < n; i, left = i+1, left-32 {
		r := m.Uint32()
		if left < 32 {
			r >>= 32 - left
		}
		words[i] = r
	}
	return uint64(words[0]) | uint64(words[1])<<32, uint64(words[2])
}

// PythonRandint returns CPython's random.randint(a, b): an integer in
// [a, b], both ends included, drawn exactly as random.randrange(a, b+1) does
// (_randbelow: getrandbits(k) with k the bit length of the width, rejected
// until below the width). Like CPython, it draws even when a == b. It returns
// ErrEmptyRange if b < a.
func (m *MT19937) PythonRandint(a, b int64) (int64, error) {
	if b < a {
		return 0, fmt.Errorf("%w: randint(%d, %d)", ErrEmptyRange, a, b)
	}
	width := uint64(b) - uint64(a) + 1 // 0 means 2⁶⁴, the whole int64 range
	if width == 0 {
		for {
			lo, hi := m.getrandbits(65)
			if hi == 0 {
				return a + int64(lo), nil
			}
		}
	}
	k := bits.Len64(width)
	for {
		if r := m.Getrandbits(k); r < width {
			return a + int64(r), nil
		}
	}
}

// NumpyLegacy reproduces numpy's legacy global generator (np.random.seed,
// np.random.rand, np.random.randn, np.random.randint; also
// np.random.RandomState): MT19937 plus the cached second normal deviate of
// the polar Box–Muller method. It is not safe for concurrent use.
type NumpyLegacy struct {
	mt       *MT19937
	hasGauss bool
	gauss    float64
}

// NewNumpyLegacy returns the state np.random.seed(seed) leaves: init_genrand
// seeding and an empty normal cache. numpy accepts seeds 0..2³²−1.
func NewNumpyLegacy(seed uint32) *NumpyLegacy {
	return &NumpyLegacy{mt: NewMT19937(seed)}
}

// Rand returns np.random.rand(): a float64 in [0, 1) with 53 random bits
// (see MT19937.Float64).
func (r *NumpyLegacy) Rand() float64 {
	return r.mt.Float64()
}

// Randn returns np.random.randn(), a standard normal deviate, as numpy's
// legacy_gauss computes it: when nothing is cached, draw x1, x2 = 2·Rand()−1
// until 0 < r² = x1²+x2² < 1, let f = sqrt(−2·ln r²/r²), return f·x2 and
// cache f·x1 for the next call. Rand and Randint calls in between leave the
// cache alone, as in numpy.
//
// Limit: the logarithm here is correctly rounded, glibc's is not always, so
// about one deviate in 3000 (measured over 6·10⁶ from numpy 1.24 on x86-64
// glibc 2.36) differs from numpy's in the last one or two bits; numpy itself
// varies with the platform's libm in the same way. A mismatch touches one
// pair of deviates only: which draws are consumed never depends on the
// logarithm.
func (r *NumpyLegacy) Randn() float64 {
	if r.hasGauss {
		r.hasGauss = false
		g := r.gauss
		r.gauss = 0
		return g
	}
	var x1, x2, r2 float64
	for {
		x1 = 2*r.mt.Float64() - 1
		x2 = 2*r.mt.Float64() - 1
		// Explicit conversions forbid fusing into an FMA, which numpy's
		// x86-64 build does not do either.
		r2 = float64(x1*x1) + float64(x2*x2)
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(-2 * logRN(r2) / r2)
	r.gauss = f * x1
	r.hasGauss = true
	return f * x2
}

// Randint returns np.random.randint(low, high) with numpy's default int64
// dtype: an integer in [low, high), high excluded. As numpy's legacy
// generator does, with rng = high−1−low: rng = 0 draws nothing; rng < 2³²−1
// draws 32-bit outputs masked to the bit length of rng and rejects values
// above rng; rng = 2³²−1 uses one 32-bit output; larger ranges do the same
// masked rejection on 64-bit values made of two outputs, the first one high.
// It returns ErrEmptyRange if high <= low.
func (r *NumpyLegacy) Randint(low, high int64) (int64, error) {
	if high <= low {
		return 0, fmt.Errorf("%w: randint(%d, %d)", ErrEmptyRange, low, high)
	}
	rng := uint64(high) - uint64(low) - 1
	switch {
	case rng == 0:
		return low, nil
	case rng == math.MaxUint32:
		return low + int64(r.mt.Uint32()), nil
	case rng < math.MaxUint32:
		mask := uint32(1)<<bits.Len64(rng) - 1 // shifting by 32 gives 0, so all ones
		for {
			if v := r.mt.Uint32() & mask; uint64(v) <= rng {
				return low + int64(v), nil
			}
		}
	default:
		mask := uint64(1)<<bits.Len64(rng) - 1 // shifting by 64 gives 0, so all ones
		for {
			hi := uint64(r.mt.Uint32())
			v := (hi<<32 | uint64(r.mt.Uint32())) & mask
			if v <= rng {
				return low + int64(v), nil
			}
		}
	}
}

// logRN returns ln x rounded to the nearest float64 for finite x > 0.
//
// numpy's randn takes the logarithm from the C library. Go's math.Log is
// within 1 ulp and differs from glibc's in the last bit for about one
// deviate in twenty; glibc's log is within 0.52 ulp and rounds to nearest
// for all but about 0.06% of inputs. So the logarithm is evaluated in
// double-double arithmetic (about 100 bits) and rounded once:
// ln x = e·ln 2 + 2·atanh((m−1)/(m+1)) with x = m·2^e, √½ ≤ m < √2.
// Checked against 300 000 correctly rounded values from Python's decimal.
func logRN(x float64) float64 {
	m, e := math.Frexp(x) // m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	num := dd{m - 1, 0} // exact (Sterbenz)
	den := ddFromSum(m, 1)
	s := ddDiv(num, den)
	s2 := ddMul(s, s)
	sum, pow := s, s
	for k := 1; k < 60; k++ {
		pow = ddMul(pow, s2)
		term := ddDivFloat(pow, float64(2*k+1))
		sum = ddAdd(sum, term)
		if math.Abs(term.hi) < 0x1p-110*math.Abs(sum.hi) || term.hi == 0 {
			break
		}
	}
	lnm := dd{2 * sum.hi, 2 * sum.lo}
	// ln 2 to 107 bits: 0x1.62e42fefa39efp-1 + 0x1.abc9e3b39803fp-56.
	ln2 := dd{0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56}
	fe := float64(e)
	p, perr := twoProd(fe, ln2.hi)
	eln2 := ddAdd(dd{p, perr}, dd{float64(fe * ln2.lo), 0})
	r := ddAdd(eln2, lnm)
	return r.hi + r.lo
}

// dd is an unevaluated sum hi+lo with |lo| ≤ ulp(hi)/2 (double-double).
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

func fastTwoSum(a, b float64) dd { // requires |a| ≥ |b| or a == 0
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) (p, e float64) {
	p = a * b
	return p, math.FMA(a, b, -p)
}

func ddFromSum(a, b float64) dd {
	s, e := twoSum(a, b)
	return dd{s, e}
}

func ddAdd(a, b dd) dd {
	s, e := twoSum(a.hi, b.hi)
	t, f := twoSum(a.lo, b.lo)
	e += t
	r := fastTwoSum(s, e)
	return fastTwoSum(r.hi, r.lo+f)
}

func ddMul(a, b dd) dd {
	p, e := twoProd(a.hi, b.hi)
	e += float64(a.hi*b.lo) + float64(a.lo*b.hi)
	return fastTwoSum(p, e)
}

func ddMulFloat(a dd, b float64) dd {
	p, e := twoProd(a.hi, b)
	e += float64(a.lo * b)
	return fastTwoSum(p, e)
}

func ddSub(a, b dd) dd { return ddAdd(a, dd{-b.hi, -b.lo}) }

func ddDiv(a, b dd) dd {
	q1 := a.hi / b.hi
	r := ddSub(a, ddMulFloat(b, q1))
	q2 := r.hi / b.hi
	r = ddSub(r, ddMulFloat(b, q2))
	q3 := r.hi / b.hi
	q := fastTwoSum(q1, q2)
	return ddAdd(q, dd{q3, 0})
}

func ddDivFloat(a dd, b float64) dd { return ddDiv(a, dd{b, 0}) }
