package core_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"neurotutor/core"
)

func TestPositionalEncodingKnownAnswers(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Posenc {
		pe, err := core.PositionalEncoding(c.N, c.D)
		if err != nil {
			t.Fatal(err)
		}
		if len(pe) != c.N {
			t.Fatalf("rows = %d, want %d", len(pe), c.N)
		}
		for pos := range c.PE {
			for j, want := range c.PE[pos] {
				if got := pe[pos][j]; !scalar.EqualWithinAbsOrRel(got, want, 1e-13, 1e-13) {
					t.Errorf("N=%d D=%d PE(%d,%d) = %.17g, want %.17g", c.N, c.D, pos, j, got, want)
				}
			}
		}
	}
}

// The issue's reference values at D = 16, rounded to 6 places.
func TestPositionalEncodingIssueValues(t *testing.T) {
	pe, err := core.PositionalEncoding(10, 16)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pos, j int
		want   float64
	}{{1, 0, 0.841471}, {1, 2, 0.310984}, {9, 1, -0.911130}, {0, 0, 0}, {0, 1, 1}} {
		if got := pe[c.pos][c.j]; math.Abs(got-c.want) > 5e-7 {
			t.Errorf("PE(%d,%d) = %v, want %v", c.pos, c.j, got, c.want)
		}
	}
}

func TestPositionalEncodingBoundsAndRange(t *testing.T) {
	for _, c := range []struct {
		n, d int
		want error
	}{{0, 16, core.ErrPositions}, {513, 16, core.ErrPositions}, {-1, 16, core.ErrPositions},
		{10, 0, core.ErrPEDim}, {10, 15, core.ErrPEDim}, {10, 514, core.ErrPEDim}} {
		if _, err := core.PositionalEncoding(c.n, c.d); !errors.Is(err, c.want) {
			t.Errorf("PositionalEncoding(%d, %d) error = %v, want %v", c.n, c.d, err, c.want)
		}
	}
	pe, err := core.PositionalEncoding(core.MaxPositions, core.MaxPEDim)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range pe {
		for _, v := range row {
			if v < -1 || v > 1 || math.IsNaN(v) {
				t.Fatalf("value %v out of [-1, 1]", v)
			}
		}
	}
}

func ExamplePositionalEncoding() {
	pe, _ := core.PositionalEncoding(2, 4)
	fmt.Printf("%.4f\n%.4f\n", pe[0], pe[1])
	// Output:
	// [0.0000 1.0000 0.0000 1.0000]
	// [0.8415 0.5403 0.0100 1.0000]
}

func BenchmarkPositionalEncoding64x16(b *testing.B) {
	for b.Loop() {
		if _, err := core.PositionalEncoding(64, 16); err != nil {
			b.Fatal(err)
		}
	}
}
