package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"neurotutor/charts"
	"neurotutor/core"
)

// neuronInput is a parsed /neuron command.
type neuronInput struct {
	w, x      []float64
	b         float64
	f         core.Activation
	fExplicit bool
}

// parseNeuron reads "w=0.5,1 x=2,3 b=-1 f=sigmoid" in any order.
func parseNeuron(text string) (neuronInput, error) {
	a, err := parseArgs(text)
	if err != nil {
		return neuronInput{}, err
	}
	if len(a.pos) > 0 {
		return neuronInput{}, userErrorf(msgNeuronPositions, esc(clipRunes(a.pos[0], 40)))
	}
	for k := range a.kv {
		if k != "w" && k != "x" && k != "b" && k != "f" {
			return neuronInput{}, userErrorf(msgNeuronUnknownK, esc(clipRunes(k, 20)))
		}
	}
	if a.kv["w"] == "" || a.kv["x"] == "" {
		return neuronInput{}, userErrorf(msgNeuronUsage)
	}
	in := neuronInput{f: core.Sigmoid}
	if in.w, err = numbers("w", a.kv["w"], core.MaxInputs); err != nil {
		return in, tooMany(err)
	}
	if in.x, err = numbers("x", a.kv["x"], core.MaxInputs); err != nil {
		return in, tooMany(err)
	}
	if bs, ok := a.kv["b"]; ok {
		// b is one number, so a single comma in it is a decimal comma.
		if strings.Count(bs, ",") == 1 && !strings.ContainsAny(bs, "; ") {
			bs = strings.Replace(bs, ",", ".", 1)
		}
		bv, err := numbers("b", bs, 1)
		if err != nil {
			var ae *argError
			if errors.As(err, &ae) && ae.kind == errTooLong {
				return in, userErrorf(msgNeuronOneB)
			}
			return in, err
		}
		in.b = bv[0]
	}
	if fs, ok := a.kv["f"]; ok {
		in.f, in.fExplicit = core.Activation(strings.ToLower(fs)), true
		if !in.f.Valid() {
			return in, userErrorf(msgNeuronUnknownF, esc(clipRunes(fs, 20)))
		}
	}
	return in, nil
}

func tooMany(err error) error {
	var ae *argError
	if errors.As(err, &ae) && ae.kind == errTooLong {
		return userErrorf(msgNeuronTooMany, core.MaxInputs, core.MaxInputs)
	}
	return err
}

func (s *Service) handleNeuron(ctx context.Context, out Outbox, req Request, args string) error {
	in, err := parseNeuron(args)
	if err != nil {
		return err
	}
	res, err := core.Neuron(in.w, in.x, in.b, in.f)
	switch {
	case errors.Is(err, core.ErrLengthMismatch):
		return userErrorf(msgNeuronMismatch, len(in.w), len(in.x))
	case errors.Is(err, core.ErrTooLarge):
		return userErrorf(msgNeuronTooLarge, num(core.MaxAbs))
	case errors.Is(err, core.ErrTooManyInputs):
		return userErrorf(msgNeuronTooMany, core.MaxInputs, core.MaxInputs)
	case errors.Is(err, core.ErrNoInputs):
		return userErrorf(msgNeuronUsage)
	case err != nil:
		return err
	}
	return s.sendChart(ctx, out, req.ChatID, chartReply{
		Key:  chartKey("neuron", floats(res.W...), floats(res.X...), floats(res.B), string(res.F)),
		Name: "neuron.png",
		Text: neuronSteps(res, in.fExplicit),
		Draw: func() ([]byte, error) {
			return s.charts.Neuron(res, charts.NeuronLabels{
				Title:       fmt.Sprintf(chartNeuronTitle, res.F, num(res.B)),
				XAxis:       chartNeuronX,
				YAxis:       chartNeuronY,
				WithBias:    chartNeuronBias,
				WithoutBias: chartNeuronNoBias,
				Point:       fmt.Sprintf(chartNeuronPoint, num(res.Sum), num(res.Y)),
			})
		},
	}, nil)
}

// neuronSteps explains the computation line by line.
func neuronSteps(r core.NeuronResult, fExplicit bool) string {
	var b strings.Builder
	b.WriteString(msgNeuronTitle + "\n")
	if fExplicit {
		fmt.Fprintf(&b, msgNeuronChosenF+"\n\n", r.F)
	} else {
		b.WriteString(msgNeuronDefaultF + "\n\n")
	}
	b.WriteString(msgNeuronProducts + "\n")
	const shown = 8
	for i, p := range r.Products {
		if i == shown && len(r.Products) > shown+1 {
			fmt.Fprintf(&b, msgNeuronMore, nounProduct.count(len(r.Products)-shown))
			break
		}
		fmt.Fprintf(&b, "   %s·%s = %s\n", num(r.W[i]), paren(r.X[i]), num(p))
	}
	terms := make([]string, len(r.Products))
	for i, p := range r.Products {
		terms[i] = paren(p)
	}
	var sum string
	switch {
	case len(terms) == 1:
		sum = num(r.Sum)
	case len(terms) > shown:
		sum = fmt.Sprintf(msgNeuronManyTerm, terms[0], terms[len(terms)-1], nounTerm.count(len(terms)), num(r.Sum))
	default:
		sum = strings.Join(terms, " + ") + " = " + num(r.Sum)
	}
	fmt.Fprintf(&b, msgNeuronSum+"\n", sum)
	sign, babs := "+", r.B
	if r.B < 0 {
		sign, babs = "−", -r.B
	}
	fmt.Fprintf(&b, msgNeuronZ+"\n", num(r.Sum), sign, num(babs), num(r.Z))
	fmt.Fprintf(&b, msgNeuronY+"\n", r.F, num(r.Z), num(r.Y))
	if r.F == core.Step {
		b.WriteString(msgNeuronStep + "\n")
	}
	b.WriteString("\n")
	switch {
	case r.B > 0:
		fmt.Fprintf(&b, msgNeuronBiasPos, r.F, num(r.Sum), num(r.YNoBias), num(r.B))
	case r.B < 0:
		fmt.Fprintf(&b, msgNeuronBiasNeg, r.F, num(r.Sum), num(r.YNoBias), num(r.B))
	default:
		b.WriteString(msgNeuronBiasZero)
	}
	return b.String()
}

// paren writes a negative number in parentheses, as in 2·(−3).
func paren(v float64) string {
	if v < 0 {
		return "(" + num(v) + ")"
	}
	return num(v)
}
