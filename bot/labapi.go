package bot

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"neurotutor/core"
)

// The labs for the Mini App (the webapp transport): the same argument
// text as the chat commands, the same parsers, bounds and Russian error
// texts, and every number from core. The page only draws.

// curvePoints is how many points of the activation curves LabNeuron
// returns: plenty for a 360-pixel-wide canvas.
const curvePoints = 181

// NeuronLab is /neuron's computation with the curves the chart draws.
type NeuronLab struct {
	W        []float64 `json:"w"`
	X        []float64 `json:"x"`
	Products []float64 `json:"products"`
	Sum      float64   `json:"sum"` // Σ(w_i·x_i)
	B        float64   `json:"b"`
	Z        float64   `json:"z"` // Σ + b
	F        string    `json:"f"`
	Y        float64   `json:"y"`        // f(Σ + b)
	YNoBias  float64   `json:"y_nobias"` // f(Σ)
	// The curves over Σ: f(Σ + b) and f(Σ), at curvePoints values of Σ
	// spanning the chart's range, for drawing.
	Curve struct {
		Sum     PlotValues `json:"sum"`
		Y       PlotValues `json:"y"`
		YNoBias PlotValues `json:"y_nobias"`
	} `json:"curve"`
}

// PlotValues are numbers only drawn, never shown: their JSON has 6
// significant digits (an error below 10⁻⁵ of the value, far under a
// pixel), which halves the neuron lab's answer, sent on every move of a
// slider. Numbers a learner reads keep all 17.
type PlotValues []float64

// MarshalJSON writes the values with 6 significant digits.
func (p PlotValues) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(p)*10)
	b = append(b, '[')
	for i, v := range p {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("bot: plot value %v is not a JSON number", v)
		}
		b = strconv.AppendFloat(b, v, 'g', 6, 64)
	}
	return append(b, ']'), nil
}

// LabNeuron computes the neuron lab for args ("w=0.5,1 x=2,3 b=-1 f=relu").
func (s *Service) LabNeuron(args string) (NeuronLab, error) {
	in, err := parseNeuron(args)
	if err != nil {
		return NeuronLab{}, err
	}
	res, err := core.Neuron(in.w, in.x, in.b, in.f)
	if err := neuronError(in, err); err != nil {
		return NeuronLab{}, err
	}
	l := NeuronLab{W: res.W, X: res.X, Products: res.Products, Sum: res.Sum, B: res.B, Z: res.Z, F: string(res.F), Y: res.Y, YNoBias: res.YNoBias}
	lo, hi := res.Span()
	l.Curve.Sum, l.Curve.Y, l.Curve.YNoBias = res.Curves(lo, hi, curvePoints)
	return l, nil
}

// neuronError turns core's errors into the chat's messages.
func neuronError(in neuronInput, err error) error {
	switch {
	case errors.Is(err, core.ErrLengthMismatch):
		return mismatch(in)
	case errors.Is(err, core.ErrTooLarge):
		return userErrorf(msgNeuronTooLarge, num(core.MaxAbs))
	case errors.Is(err, core.ErrTooManyInputs):
		return userErrorf(msgNeuronTooMany, core.MaxInputs, core.MaxInputs)
	case errors.Is(err, core.ErrNoInputs):
		return userErrorf(msgNeuronUsage)
	}
	return err
}

// PosencLab is the positional-encoding matrix: Values[pos][i].
type PosencLab struct {
	N      int         `json:"n"`
	D      int         `json:"d"`
	Values [][]float64 `json:"values"`
}

// LabPosenc computes the positional encodings for args ("10 d=16").
func (s *Service) LabPosenc(args string) (PosencLab, error) {
	n, d, _, err := parsePosenc(args)
	if err != nil {
		return PosencLab{}, err
	}
	pe, err := core.PositionalEncoding(n, d)
	if err != nil {
		return PosencLab{}, err
	}
	return PosencLab{N: n, D: d, Values: pe}, nil
}

// AttentionLab is the toy self-attention of a sentence.
type AttentionLab struct {
	Tokens  []string    `json:"tokens"`
	Cur     int         `json:"cur"` // 1-based
	Dim     int         `json:"dim"`
	Weights [][]float64 `json:"weights"` // Weights[i][j]: token i attends to j; rows sum to 1
}

// LabAttention computes attention for args ("кошка сидит на ковре cur=2").
func (s *Service) LabAttention(args string) (AttentionLab, error) {
	in, err := parseAttention(args)
	if err != nil {
		return AttentionLab{}, err
	}
	res, err := core.Attention(in.tokens, core.DefaultAttentionDim)
	if err := attentionError(in, err); err != nil {
		return AttentionLab{}, err
	}
	return AttentionLab{Tokens: res.Tokens, Cur: in.cur, Dim: res.Dim, Weights: res.Weights}, nil
}

// attentionError turns core's errors into the chat's messages.
func attentionError(in attentionInput, err error) error {
	switch {
	case errors.Is(err, core.ErrTooManyTokens):
		return userErrorf(msgAttentionTooMany, len(in.tokens), core.MaxAttentionTokens)
	case errors.Is(err, core.ErrTokenTooLong):
		return userErrorf(msgAttentionLong, "", core.MaxTokenRunes)
	}
	return err
}

// SeedLab is /seed's runs: CPython's random.random() and numpy's
// np.random.rand() for the seed twice and for Other once; Numpy is nil
// for a seed numpy does not take (above 2³²−1).
type SeedLab struct {
	Seed   uint64        `json:"seed"`
	Other  uint64        `json:"other"`
	N      int           `json:"n"`
	Python [3][]float64  `json:"python"`
	Numpy  *[3][]float64 `json:"numpy"`
}

// LabSeed computes the seed lab for args ("42 n=5").
func (s *Service) LabSeed(args string) (SeedLab, error) {
	in, err := parseSeed(args)
	if err != nil {
		return SeedLab{}, err
	}
	r := runSeeds(in)
	l := SeedLab{Seed: r.seed, Other: r.other, N: r.n, Python: r.py}
	if r.np[0] != nil {
		np := r.np
		l.Numpy = &np
	}
	return l, nil
}

// LabTried records that userID tried lab in the Mini App; it counts in
// /progress like the chat labs.
func (s *Service) LabTried(userID int64, lab string) error {
	return s.store.MarkLabTried(userID, lab)
}

// LabErrorText is the message for people behind a lab's error, as plain
// text (the chat's HTML without its tags), and whether it is one: an
// internal error has none and must be logged instead.
func LabErrorText(err error) (string, bool) {
	var ue *userError
	var ae *argError
	var h string
	switch {
	case errors.As(err, &ue):
		h = ue.html
	case errors.As(err, &ae):
		h = argMessage(ae)
	default:
		return "", false
	}
	return strings.TrimSpace(plain(h)), true
}
