package core

import (
	"fmt"
	"math"
)

// Bounds of the positional-encoding lab.
const (
	MaxPositions = 512 // N, the number of positions 0..N−1
	MaxPEDim     = 512 // D, the encoding dimension
)

// Positional-encoding errors.
var (
	ErrPositions = fmt.Errorf("core: positions must be in 1..%d", MaxPositions)
	ErrPEDim     = fmt.Errorf("core: dimension must be even, in 2..%d", MaxPEDim)
)

// PositionalEncoding returns the sinusoidal encodings of positions 0..n−1
// in dimension d (Vaswani et al., 2017):
//
//	PE(pos, 2i)   = sin(pos / 10000^(2i/d))
//	PE(pos, 2i+1) = cos(pos / 10000^(2i/d))
//
// The result has n rows of d values, each in [−1, 1]. n must be in
// 1..MaxPositions and d even in 2..MaxPEDim.
func PositionalEncoding(n, d int) ([][]float64, error) {
	if n < 1 || n > MaxPositions {
		return nil, ErrPositions
	}
	if d < 2 || d > MaxPEDim || d%2 != 0 {
		return nil, ErrPEDim
	}
	flat := make([]float64, n*d)
	rows := make([][]float64, n)
	inv := make([]float64, d/2) // 1 / 10000^(2i/d)
	for i := range inv {
		inv[i] = math.Pow(10000, -float64(2*i)/float64(d))
	}
	for pos := range n {
		row := flat[pos*d : (pos+1)*d : (pos+1)*d]
		for i, f := range inv {
			row[2*i], row[2*i+1] = math.Sincos(float64(pos) * f)
		}
		rows[pos] = row
	}
	return rows, nil
}
