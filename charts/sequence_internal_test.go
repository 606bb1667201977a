package charts

import (
	"math"
	"testing"

	"github.com/wcharczuk/go-chart/v2/drawing"
)

// The three series of a sequence chart (/seed's runs A, B, C) must look
// different to everyone: their colours are compared as they are and as
// readers with protanopia and deuteranopia see them (the sRGB
// approximations of Viénot, Brettel and Mollon 1999, as used by colour
// blindness simulators), by Euclidean distance in 0..255 RGB (white to
// black is 441).
func TestSequenceColoursDistinct(t *testing.T) {
	mark := func(i int) drawing.Color { // what a reader sees of series i
		s := seqStyle(i)
		if s.StrokeWidth > 0 {
			return s.StrokeColor
		}
		return s.DotColor
	}
	sims := map[string][3][3]float64{
		"normal":       {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
		"protanopia":   {{0.567, 0.433, 0}, {0.558, 0.442, 0}, {0, 0.242, 0.758}},
		"deuteranopia": {{0.625, 0.375, 0}, {0.7, 0.3, 0}, {0, 0.3, 0.7}},
	}
	const minDist = 100
	for name, m := range sims {
		see := func(c drawing.Color) [3]float64 {
			in := [3]float64{float64(c.R), float64(c.G), float64(c.B)}
			var out [3]float64
			for i := range out {
				for j := range in {
					out[i] += m[i][j] * in[j]
				}
			}
			return out
		}
		for a := range 3 {
			for b := a + 1; b < 3; b++ {
				p, q := see(mark(a)), see(mark(b))
				if d := math.Sqrt((p[0]-q[0])*(p[0]-q[0]) + (p[1]-q[1])*(p[1]-q[1]) + (p[2]-q[2])*(p[2]-q[2])); d < minDist {
					t.Errorf("%s: series %d and %d are %.0f apart, want at least %d", name, a, b, d, minDist)
				}
			}
		}
	}
}
