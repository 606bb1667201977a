package core

import (
	"errors"
	"fmt"
	"math"
)

// Activation names an activation function f of the neuron y = f(z).
type Activation string

// The activation functions the neuron lab knows.
const (
	Sigmoid Activation = "sigmoid" // 1 / (1 + e^−z)
	Step    Activation = "step"    // 1 if z ≥ 0, else 0 (the teacher's pass mark)
	Tanh    Activation = "tanh"    // tanh z
	ReLU    Activation = "relu"    // max(0, z)
	Linear  Activation = "linear"  // z
)

// Activations lists every Activation in the order the bot offers them.
var Activations = [...]Activation{Sigmoid, Step, Tanh, ReLU, Linear}

// Bounds of the neuron lab.
const (
	MaxInputs = 64  // at most this many weights and inputs
	MaxAbs    = 1e6 // |w_i|, |x_i| and |b| must not exceed this
)

// Neuron errors; the bot turns them into messages.
var (
	ErrNoInputs       = errors.New("core: no inputs")
	ErrTooManyInputs  = fmt.Errorf("core: more than %d inputs", MaxInputs)
	ErrLengthMismatch = errors.New("core: weights and inputs differ in length")
	ErrNotFinite      = errors.New("core: value is NaN or infinite")
	ErrTooLarge       = fmt.Errorf("core: value exceeds %g in magnitude", MaxAbs)
	ErrUnknownFunc    = errors.New("core: unknown activation function")
)

// Valid reports whether a is one of the known activation functions.
func (a Activation) Valid() bool {
	for _, k := range Activations {
		if a == k {
			return true
		}
	}
	return false
}

// Apply returns f(z). It panics for an unknown activation.
func (a Activation) Apply(z float64) float64 {
	switch a {
	case Sigmoid:
		// Both branches avoid overflow of e^|z| for large |z|.
		if z >= 0 {
			return 1 / (1 + math.Exp(-z))
		}
		e := math.Exp(z)
		return e / (1 + e)
	case Step:
		if z >= 0 {
			return 1
		}
		return 0
	case Tanh:
		return math.Tanh(z)
	case ReLU:
		return math.Max(0, z)
	case Linear:
		return z
	}
	panic(fmt.Sprintf("core: unknown activation %q", string(a)))
}

// NeuronResult holds every step of y = f(Σ(w_i·x_i) + b).
type NeuronResult struct {
	W, X     []float64  // the weights and inputs, as given
	Products []float64  // w_i·x_i
	Sum      float64    // Σ(w_i·x_i)
	B        float64    // the bias b
	Z        float64    // Σ + b, the argument of f
	F        Activation // the activation function
	Y        float64    // f(z), the output
	YNoBias  float64    // f(Σ), what the same neuron outputs without its bias
}

// Span is the range of Σ where r's curves are worth drawing: where
// sigmoid and tanh change (±6 around both 0 and −b) and the learner's
// point Σ, with a 5 % margin on each side. The chat's chart and the Mini
// App draw over it.
func (r NeuronResult) Span() (lo, hi float64) {
	const half = 6.0
	lo = math.Min(math.Min(-half, -half-r.B), r.Sum)
	hi = math.Max(math.Max(half, half-r.B), r.Sum)
	pad := (hi - lo) * 0.05
	return lo - pad, hi + pad
}

// Curves samples both of r's activation curves at n evenly spaced values
// of Σ from lo to hi (n ≥ 2): sum[i], y[i] = f(sum[i] + b) and
// yNoBias[i] = f(sum[i]). The chart and the Mini App draw them.
func (r NeuronResult) Curves(lo, hi float64, n int) (sum, y, yNoBias []float64) {
	n = max(n, 2)
	sum, y, yNoBias = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		s := lo + (hi-lo)*float64(i)/float64(n-1)
		sum[i], y[i], yNoBias[i] = s, r.F.Apply(s+r.B), r.F.Apply(s)
	}
	return sum, y, yNoBias
}

// Neuron computes one artificial neuron y = f(Σ(w_i·x_i) + b) step by step.
// w and x must have the same length, 1..MaxInputs, and all values must be
// finite with magnitude at most MaxAbs.
func Neuron(w, x []float64, b float64, f Activation) (NeuronResult, error) {
	switch {
	case len(w) == 0 || len(x) == 0:
		return NeuronResult{}, ErrNoInputs
	case len(w) > MaxInputs || len(x) > MaxInputs:
		return NeuronResult{}, ErrTooManyInputs
	case len(w) != len(x):
		return NeuronResult{}, ErrLengthMismatch
	case !f.Valid():
		return NeuronResult{}, ErrUnknownFunc
	}
	if err := checkValues(b); err != nil {
		return NeuronResult{}, err
	}
	if err := checkValues(w...); err != nil {
		return NeuronResult{}, err
	}
	if err := checkValues(x...); err != nil {
		return NeuronResult{}, err
	}
	r := NeuronResult{W: w, X: x, B: b, F: f, Products: make([]float64, len(w))}
	for i := range w {
		r.Products[i] = w[i] * x[i]
		r.Sum += r.Products[i]
	}
	r.Z = r.Sum + b
	r.Y = f.Apply(r.Z)
	r.YNoBias = f.Apply(r.Sum)
	return r, nil
}

func checkValues(vs ...float64) error {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ErrNotFinite
		}
		if math.Abs(v) > MaxAbs {
			return ErrTooLarge
		}
	}
	return nil
}
