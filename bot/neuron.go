package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	// zeroComma names a list written like "0,5": with commas as
	// separators that is the two numbers 0 and 5, not 0.5.
	zeroComma  string
	rawW, rawX string // the lists as typed
}

// decimalCommaRe finds a number written with a decimal comma, "0,5".
var (
	decimalCommaRe = regexp.MustCompile(`\d+,\d+`)
	zeroCommaRe    = regexp.MustCompile(`(?:^|[\s,])0,\d`)
)

// parseNeuron reads "w=0.5,1 x=2,3 b=-1 f=sigmoid" in any order.
func parseNeuron(text string) (neuronInput, error) {
	a, err := parseArgs(text)
	if err != nil {
		return neuronInput{}, err
	}
	if len(a.pos) > 0 {
		return neuronInput{}, userErrorf(msgNeuronPositions, esc(clipRunes(a.pos[0], 40)))
	}
	if err := a.resolve("w", "x", "b", "f"); err != nil {
		return neuronInput{}, err
	}
	for k := range a.kv {
		if k != "w" && k != "x" && k != "b" && k != "f" {
			return neuronInput{}, userErrorf(msgNeuronUnknownK, esc(clipRunes(k, 20)))
		}
	}
	for _, k := range []string{"w", "x", "b"} {
		if head, tail, ok := strayTail(a.kv[k]); ok {
			return neuronInput{}, userErrorf(msgStrayWord, esc(clipRunes(tail, 30)), esc(k), esc(clipRunes(head, 30)), exNeuron)
		}
	}
	if a.kv["w"] == "" || a.kv["x"] == "" {
		return neuronInput{}, userErrorf(msgNeuronUsage)
	}
	in := neuronInput{f: core.Sigmoid, rawW: a.kv["w"], rawX: a.kv["x"]}
	if in.w, err = numbers("w", a.kv["w"], core.MaxInputs); err != nil {
		return in, tooMany(err)
	}
	if in.x, err = numbers("x", a.kv["x"], core.MaxInputs); err != nil {
		return in, tooMany(err)
	}
	for _, k := range []string{"w", "x"} {
		if v := a.kv[k]; in.zeroComma == "" && !strings.Contains(v, ";") && zeroCommaRe.MatchString(v) {
			in.zeroComma = k
		}
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
		f, stray := activation(fs)
		switch {
		case f == "":
			return in, userErrorf(msgNeuronUnknownF, esc(clipRunes(fs, 30)))
		case stray != "":
			return in, userErrorf(msgStrayWord, esc(clipRunes(stray, 30)), "f", esc(string(f)), exNeuron)
		}
		in.f, in.fExplicit = f, true
	}
	return in, nil
}

// mismatch explains unequal w and x; when a list has a number written
// with a decimal comma ("0,5"), it says how commas are read.
func mismatch(in neuronInput) error {
	msg := fmt.Sprintf(msgNeuronMismatch, len(in.w), len(in.x))
	for _, raw := range []string{in.rawW, in.rawX} {
		if m := decimalCommaRe.FindString(raw); m != "" && !strings.Contains(raw, ";") {
			i, f, _ := strings.Cut(m, ",")
			msg += "\n\n" + fmt.Sprintf(msgNeuronDecimalComma, m, i, f, i, f)
			break
		}
	}
	return &userError{html: msg}
}

// Activation names learners type: English synonyms, Russian names in the
// forms a sentence puts them in ("сигмоиду", "ступенька", "гиперболический
// тангенс", "релу"), and Cyrillic look-alikes inside English names ("rеlu").
var (
	activationNames = map[string]core.Activation{
		"logistic": core.Sigmoid, "sigma": core.Sigmoid, "sigm": core.Sigmoid, "σ": core.Sigmoid, "sigmoida": core.Sigmoid,
		"heaviside": core.Step, "threshold": core.Step, "hardlim": core.Step, "binary": core.Step,
		"th": core.Tanh, "tangent": core.Tanh, "hyperbolictangent": core.Tanh,
		"rectifier": core.ReLU, "rectified": core.ReLU, "rectifiedlinear": core.ReLU, "rectifiedlinearunit": core.ReLU,
		"identity": core.Linear, "id": core.Linear, "lin": core.Linear, "none": core.Linear,
		"шаг": core.Step, "порог": core.Step, "танх": core.Tanh, "тангенс": core.Tanh,
		"релу": core.ReLU, "релю": core.ReLU, "рэлу": core.ReLU, "рилу": core.ReLU,
		"гипертангенс": core.Tanh,
	}
	// activationStems take any of activationEndings: "сигмоид" +
	// "а", "у", "ой", "альную", …
	activationStems = map[string]core.Activation{
		"сигмоид": core.Sigmoid, "логистическ": core.Sigmoid,
		"ступен": core.Step, "ступенчат": core.Step, "порогов": core.Step, "хевисайд": core.Step,
		"тангенс":    core.Tanh,
		"выпрямител": core.ReLU, "выпрямленн": core.ReLU,
		"линейн": core.Linear, "тождественн": core.Linear,
	}
	activationEndings = []string{"", "а", "у", "ы", "е", "и", "ь", "ой", "ая", "ую", "ый", "ое", "ого", "ому", "ом", "ем",
		"ная", "ную", "ной", "ный", "альная", "альную", "альной", "альный", "ька", "ьку", "ьки", "ей"}
	// activationFiller are words around a name: "функция Хевисайда",
	// "гиперболический тангенс".
	activationFiller = []string{"функция", "функцию", "функции", "активации", "активация", "активацию",
		"гиперболический", "гиперболического", "гиперболическая", "гиперболическую", "hyperbolic", "function", "unit"}
)

// activation reads an activation function's name. stray is what follows a
// name that is understood ("relu extra"); f is "" when no name is.
func activation(s string) (f core.Activation, stray string) {
	var words []string
	for _, w := range strings.Fields(strings.ToLower(strings.ReplaceAll(s, "ё", "е"))) {
		if !slices.Contains(activationFiller, w) {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		if strings.Contains(strings.ToLower(s), "гиперболическ") {
			return core.Tanh, "" // "гиперболический" alone can only mean tanh
		}
		return "", ""
	}
	if f := activationWord(strings.Join(words, "")); f != "" {
		return f, ""
	}
	if f := activationWord(words[0]); f != "" {
		return f, strings.Join(words[1:], " ")
	}
	return "", ""
}

func activationWord(w string) core.Activation {
	w = strings.Trim(w, "-_.,;:!«»\"'()")
	w = strings.NewReplacer("-", "", "_", "").Replace(w)
	for _, c := range []string{w, mapRunes(w, lookAlike)} {
		if f := core.Activation(c); f.Valid() {
			return f
		}
		if f, ok := activationNames[c]; ok {
			return f
		}
	}
	for stem, f := range activationStems {
		if rest, ok := strings.CutPrefix(w, stem); ok && slices.Contains(activationEndings, rest) {
			return f
		}
	}
	return ""
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
	if err := neuronError(in, err); err != nil {
		return err
	}
	return s.sendChart(ctx, out, req.ChatID, chartReply{
		Key:  chartKey("neuron", floats(res.W...), floats(res.X...), floats(res.B), string(res.F)),
		Name: "neuron.png",
		Text: neuronSteps(res, in.fExplicit) + zeroCommaNote(in),
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
	}, s.labButtons(req, "neuron", args))
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

// zeroCommaNote warns that "w=0,5" was read as the numbers 0 and 5.
func zeroCommaNote(in neuronInput) string {
	if in.zeroComma == "" {
		return ""
	}
	return "\n\n" + fmt.Sprintf(msgNeuronZeroComma, in.zeroComma)
}
