package core_test

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"

	"neurotutor/core"
)

func TestSoftmax(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	// Reference values: scipy.special.softmax / hand computation with
	// e = 2.718281828459045; 1/(1+e) = 0.2689414213699951.
	for _, tc := range []struct {
		name string
		x    []float64
		want []float64
	}{
		{"empty", []float64{}, []float64{}},
		{"one", []float64{3}, []float64{1}},
		{"equal", []float64{2, 2, 2, 2}, []float64{0.25, 0.25, 0.25, 0.25}},
		{"logistic", []float64{0, 1}, []float64{0.2689414213699951, 0.7310585786300049}},
		{"1 2 3", []float64{1, 2, 3}, []float64{0.09003057317038046, 0.24472847105479764, 0.6652409557748219}},
		{"near -1000", []float64{-1000, -1001, -1002}, []float64{0.6652409557748219, 0.24472847105479764, 0.09003057317038046}},
		{"near +1000", []float64{1000, 1001, 1002}, []float64{0.09003057317038046, 0.24472847105479764, 0.6652409557748219}},
		{"underflow", []float64{0, -1000}, []float64{1, 0}},
		{"+Inf shares", []float64{inf, 1, inf}, []float64{0.5, 0, 0.5}},
		{"-Inf gets 0", []float64{math.Inf(-1), 0, 0}, []float64{0, 0.5, 0.5}},
		{"all -Inf", []float64{math.Inf(-1), math.Inf(-1)}, []float64{0.5, 0.5}},
		{"NaN", []float64{1, nan}, []float64{nan, nan}},
	} {
		got := core.Softmax(nil, tc.x)
		if len(got) != len(tc.want) {
			t.Errorf("%s: len %d, want %d", tc.name, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if math.IsNaN(tc.want[i]) {
				if !math.IsNaN(got[i]) {
					t.Errorf("%s: [%d] = %v, want NaN", tc.name, i, got[i])
				}
				continue
			}
			if !scalar.EqualWithinAbsOrRel(got[i], tc.want[i], 1e-15, 1e-14) {
				t.Errorf("%s: [%d] = %v, want %v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}

func TestSoftmaxInPlace(t *testing.T) {
	x := []float64{1, 2, 3}
	got := core.Softmax(x, x)
	if &got[0] != &x[0] || !scalar.EqualWithinAbsOrRel(x[2], 0.6652409557748219, 1e-15, 1e-14) {
		t.Errorf("in place: %v", x)
	}
}

func TestSoftmaxPanicsOnLength(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for dst of the wrong length")
		}
	}()
	core.Softmax(make([]float64, 2), []float64{1, 2, 3})
}

// TestSoftmaxProperties: for seeded random rows, including rows shifted far
// towards ±1000, outputs lie in [0, 1], sum to 1, keep the order of the
// inputs, and do not change when a constant is added.
func TestSoftmaxProperties(t *testing.T) {
	r := core.NewMT19937(2024)
	for trial := range 2000 {
		n := 1 + int(r.Uint32()%40)
		shift := []float64{0, -1000, 1000, -1e6}[trial%4]
		scale := []float64{1, 10, 100}[trial%3]
		x := make([]float64, n)
		for i := range x {
			x[i] = shift + scale*(2*r.Float64()-1)
		}
		p := core.Softmax(nil, x)
		if s := floats.Sum(p); !scalar.EqualWithinAbsOrRel(s, 1, 1e-12, 1e-12) {
			t.Fatalf("trial %d: sum %v for %v", trial, s, x)
		}
		for i := range p {
			if p[i] < 0 || p[i] > 1 || math.IsNaN(p[i]) {
				t.Fatalf("trial %d: p[%d] = %v", trial, i, p[i])
			}
			for j := range p {
				if x[i] < x[j] && p[i] > p[j] {
					t.Fatalf("trial %d: order broken at %d, %d", trial, i, j)
				}
			}
		}
		shifted := make([]float64, n)
		for i := range x {
			shifted[i] = x[i] + 3
		}
		q := core.Softmax(nil, shifted)
		for i := range p {
			if !scalar.EqualWithinAbsOrRel(p[i], q[i], 1e-12, 1e-9) {
				t.Fatalf("trial %d: shift changed p[%d]: %v vs %v", trial, i, p[i], q[i])
			}
		}
	}
}

// Softmax turns scores into weights that sum to 1.
func ExampleSoftmax() {
	p := core.Softmax(nil, []float64{1, 2, 3})
	fmt.Printf("%.4f sum=%.4f\n", p, p[0]+p[1]+p[2])
	p = core.Softmax(nil, []float64{-1000, -1001, -1002})
	fmt.Printf("%.4f\n", p)
	// Output:
	// [0.0900 0.2447 0.6652] sum=1.0000
	// [0.6652 0.2447 0.0900]
}
