package charts

import (
	"fmt"
	"image"
	"io"
	"math"
	"strconv"
	"strings"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"neurotutor/core"
)

// NeuronLabels are the visible words of the neuron chart.
type NeuronLabels struct {
	Title       string // e.g. "y = sigmoid(Σ + b), b = −1"
	XAxis       string // the weighted sum Σ
	YAxis       string // the output y
	WithBias    string // legend of f(Σ + b)
	WithoutBias string // legend of f(Σ)
	Point       string // annotation of the learner's point; "%s" gets nothing, it is shown as is
}

// Size of the neuron chart in pixels: wide enough for a phone screen held
// upright, with text large enough to read after Telegram scales it down.
const (
	NeuronWidth  = 720
	NeuronHeight = 450
	neuronCurve  = 241 // samples per curve

	neuronTitleSize = 21 // go-chart points (at 72 DPI: 21·72/64 pixels per em)
)

var (
	colorBias   = drawing.Color{R: 0xd6, G: 0x27, B: 0x28, A: 0xff} // red: the learner's neuron
	colorNoBias = drawing.Color{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff} // blue: the same neuron without b
	colorGrid   = drawing.Color{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	colorText   = drawing.Color{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	invisible   = drawing.Color{R: 0xff, G: 0xff, B: 0xff, A: 0} // not "zero", so go-chart keeps it
)

// Neuron draws the activation curve y = f(Σ + b) against the weighted sum
// Σ, the same neuron without its bias, y = f(Σ), beside it (the bias shifts
// the curve by −b), and marks the learner's point (Σ, y) on both.
func (r *Renderer) Neuron(res core.NeuronResult, l NeuronLabels) ([]byte, error) {
	c, err := r.neuronChart(res, l)
	if err != nil {
		return nil, err
	}
	rr, err := r.rasters.get(NeuronWidth, NeuronHeight, r.face)
	if err != nil {
		return nil, err
	}
	defer r.rasters.put(rr)
	var col collector
	if err := c.Render(rr.provider(), &col); err != nil {
		return nil, fmt.Errorf("charts: neuron: %w", err)
	}
	return r.encode(col.img)
}

// neuronChart lays out the neuron chart for go-chart.
func (r *Renderer) neuronChart(res core.NeuronResult, l NeuronLabels) (*chart.Chart, error) {
	if !res.F.Valid() {
		return nil, fmt.Errorf("charts: neuron: %w", core.ErrUnknownFunc)
	}
	xTicks := niceTicks(neuronRange(res))
	lo, hi := xTicks[0].Value, xTicks[len(xTicks)-1].Value
	xs := make([]float64, neuronCurve)
	withB := make([]float64, neuronCurve)
	noB := make([]float64, neuronCurve)
	for i := range xs {
		s := lo + (hi-lo)*float64(i)/float64(neuronCurve-1)
		xs[i] = s
		withB[i] = res.F.Apply(s + res.B)
		noB[i] = res.F.Apply(s)
	}
	ylo, yhi := minMax(withB, noB)
	if pad := (yhi - ylo) * 0.08; pad > 0 {
		ylo, yhi = ylo-pad, yhi+pad
	} else {
		ylo, yhi = ylo-1, yhi+1
	}
	yTicks := niceTicks(ylo, yhi, 7)

	textStyle := chart.Style{FontSize: 17, FontColor: colorText}
	c := chart.Chart{
		Title:      r.fit(clip(l.Title), neuronTitleSize, NeuronWidth-40),
		TitleStyle: chart.Style{FontSize: neuronTitleSize, FontColor: colorText},
		Width:      NeuronWidth,
		Height:     NeuronHeight,
		DPI:        72,
		Font:       r.font,
		Background: chart.Style{Padding: chart.Box{Top: 50, Left: 12, Right: 16, Bottom: 12}, FillColor: invisible, StrokeColor: invisible},
		Canvas:     chart.Style{FillColor: invisible, StrokeColor: invisible},
		XAxis: chart.XAxis{
			Name:           clip(l.XAxis),
			NameStyle:      textStyle,
			Style:          textStyle,
			Range:          &chart.ContinuousRange{Min: xTicks[0].Value, Max: xTicks[len(xTicks)-1].Value},
			Ticks:          xTicks,
			GridMajorStyle: chart.Style{StrokeColor: colorGrid, StrokeWidth: 1},
		},
		YAxis: chart.YAxis{
			Name:           clip(l.YAxis),
			NameStyle:      textStyle,
			Style:          textStyle,
			Range:          &chart.ContinuousRange{Min: yTicks[0].Value, Max: yTicks[len(yTicks)-1].Value},
			Ticks:          yTicks,
			GridMajorStyle: chart.Style{StrokeColor: colorGrid, StrokeWidth: 1},
		},
		Series: []chart.Series{
			chart.ContinuousSeries{
				Name:    clip(l.WithoutBias),
				XValues: xs, YValues: noB,
				Style: chart.Style{StrokeColor: colorNoBias, StrokeWidth: 3, StrokeDashArray: []float64{8, 6}},
			},
			chart.ContinuousSeries{
				Name:    clip(l.WithBias),
				XValues: xs, YValues: withB,
				Style: chart.Style{StrokeColor: colorBias, StrokeWidth: 4},
			},
			chart.ContinuousSeries{
				XValues: []float64{res.Sum}, YValues: []float64{res.YNoBias},
				Style: chart.Style{StrokeWidth: chart.Disabled, DotWidth: 6, DotColor: colorNoBias},
			},
			chart.ContinuousSeries{
				XValues: []float64{res.Sum}, YValues: []float64{res.Y},
				Style: chart.Style{StrokeWidth: chart.Disabled, DotWidth: 8, DotColor: colorBias},
			},
			chart.AnnotationSeries{
				Annotations: []chart.Value2{{XValue: res.Sum, YValue: res.Y, Label: clip(l.Point)}},
				Style:       chart.Style{FontSize: 16, FontColor: colorText, StrokeColor: colorBias, FillColor: chart.ColorWhite},
			},
		},
	}
	c.Elements = []chart.Renderable{chart.Legend(&c, chart.Style{FontSize: 16})}
	return &c, nil
}

// neuronRange picks the Σ range: the interesting part of both curves and
// the learner's point, with a margin.
func neuronRange(res core.NeuronResult) (lo, hi float64, ticks int) {
	half := 6.0 // sigmoid and tanh change within ±6
	lo = math.Min(-half, -half-res.B)
	hi = math.Max(half, half-res.B)
	lo = math.Min(lo, res.Sum)
	hi = math.Max(hi, res.Sum)
	pad := (hi - lo) * 0.05
	return lo - pad, hi + pad, 7
}

func minMax(series ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi
}

// niceTicks returns about n ticks at a round step (1, 2 or 5 times a
// power of ten) covering [lo, hi], labelled briefly: 0.5, −2, 1e+06.
func niceTicks(lo, hi float64, n int) []chart.Tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		lo, hi, span = lo-1, lo+1, 2
	}
	raw := span / float64(n-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	first := math.Floor(lo/step) * step
	var ticks []chart.Tick
	for k := 0; ; k++ {
		v := first + float64(k)*step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, chart.Tick{Value: v, Label: strings.Replace(strconv.FormatFloat(v, 'g', 4, 64), "-", "−", 1)})
		if v >= hi || k > 2*n {
			break
		}
	}
	return ticks
}

// collector receives go-chart's image instead of its default PNG encoding,
// so that Renderer.encode can use a faster encoder.
type collector struct{ img *image.RGBA }

func (c *collector) SetRGBA(i *image.RGBA)     { c.img = i }
func (c *collector) Write([]byte) (int, error) { return 0, io.ErrShortWrite }
