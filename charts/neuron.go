package charts

import (
	"fmt"
	"image"
	"io"
	"math"

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
// the curve by −b), and marks the learner's point (Σ, y) on both. The
// curve without bias is dashed and drawn over the other, so that both show
// where they coincide (everywhere when b = 0). The legend sits between the
// title and the plot, the y axis on the left, and the point's label inside
// the plot where it covers the least of the curves.
func (r *Renderer) Neuron(res core.NeuronResult, l NeuronLabels) ([]byte, error) {
	c, err := r.neuronChart(res, l)
	if err != nil {
		return nil, err
	}
	rr, err := r.render(c, NeuronWidth, NeuronHeight)
	if err != nil {
		return nil, fmt.Errorf("charts: neuron: %w", err)
	}
	defer r.rasters.put(rr)
	return r.encode(rr.i)
}

// neuronLegendTop is the plot's top edge: below the title and the legend.
const neuronLegendTop = 84

// neuronChart lays out the neuron chart for go-chart.
func (r *Renderer) neuronChart(res core.NeuronResult, l NeuronLabels) (*chart.Chart, error) {
	if !res.F.Valid() {
		return nil, fmt.Errorf("charts: neuron: %w", core.ErrUnknownFunc)
	}
	xTicks := niceTicks(neuronRange(res))
	lo, hi := xTicks[0].Value, xTicks[len(xTicks)-1].Value
	xs, withB, noB := res.Curves(lo, hi, neuronCurve)
	ylo, yhi := minMax(withB, noB)
	if pad := (yhi - ylo) * 0.08; pad > 0 {
		ylo, yhi = ylo-pad, yhi+pad
	} else {
		ylo, yhi = ylo-1, yhi+1
	}
	yTicks := niceTicks(ylo, yhi, 7)

	textStyle := chart.Style{FontSize: 17, FontColor: colorText}
	xRange := &chart.ContinuousRange{Min: xTicks[0].Value, Max: xTicks[len(xTicks)-1].Value}
	yRange := &chart.ContinuousRange{Min: yTicks[0].Value, Max: yTicks[len(yTicks)-1].Value}
	left := chart.YAxisSecondary // go-chart draws its secondary y axis on the left
	c := chart.Chart{
		Title:      r.fit(clip(l.Title), neuronTitleSize, NeuronWidth-40),
		TitleStyle: chart.Style{FontSize: neuronTitleSize, FontColor: colorText},
		Width:      NeuronWidth,
		Height:     NeuronHeight,
		DPI:        72,
		Font:       r.font,
		Background: chart.Style{Padding: chart.Box{Top: neuronLegendTop, Left: 40, Right: 24, Bottom: 12}, FillColor: invisible, StrokeColor: invisible},
		Canvas:     chart.Style{FillColor: invisible, StrokeColor: invisible},
		XAxis: chart.XAxis{
			Name:           clip(l.XAxis),
			NameStyle:      textStyle,
			Style:          textStyle,
			Range:          xRange,
			Ticks:          xTicks,
			GridMajorStyle: chart.Style{StrokeColor: colorGrid, StrokeWidth: 1},
		},
		// The primary axis is hidden, but go-chart takes the secondary
		// axis's range from the primary's ticks.
		YAxis: chart.YAxis{Style: chart.Hidden(), Range: &chart.ContinuousRange{Min: yRange.Min, Max: yRange.Max}, Ticks: yTicks},
		YAxisSecondary: chart.YAxis{
			// The name is drawn by yAxisName: go-chart turns a left
			// axis's name to read downwards.
			Style:          textStyle,
			Range:          yRange,
			Ticks:          yTicks,
			GridMajorStyle: chart.Style{StrokeColor: colorGrid, StrokeWidth: 1},
		},
		Series: []chart.Series{
			chart.ContinuousSeries{
				Name: clip(l.WithBias), YAxis: left,
				XValues: xs, YValues: withB,
				Style: chart.Style{StrokeColor: colorBias, StrokeWidth: 4},
			},
			chart.ContinuousSeries{
				Name: clip(l.WithoutBias), YAxis: left,
				XValues: xs, YValues: noB,
				Style: chart.Style{StrokeColor: colorNoBias, StrokeWidth: 3, StrokeDashArray: neuronDash},
			},
			chart.ContinuousSeries{
				YAxis:   left,
				XValues: []float64{res.Sum}, YValues: []float64{res.Y},
				Style: chart.Style{StrokeWidth: chart.Disabled, DotWidth: 8, DotColor: colorBias},
			},
			chart.ContinuousSeries{
				YAxis:   left,
				XValues: []float64{res.Sum}, YValues: []float64{res.YNoBias},
				Style: chart.Style{StrokeWidth: chart.Disabled, DotWidth: 5, DotColor: colorNoBias},
			},
		},
	}
	c.Elements = []chart.Renderable{
		r.yAxisName(clip(l.YAxis), 17, 30),
		r.neuronLegend(clip(l.WithBias), clip(l.WithoutBias)),
		r.pointLabel(clip(l.Point), res.Sum, res.Y, xRange, yRange),
	}
	return &c, nil
}

// yAxisName draws name turned to read upwards, centred on the plot's
// height, its baseline at x.
func (r *Renderer) yAxisName(name string, size float64, x int) chart.Renderable {
	return func(cr chart.Renderer, box chart.Box, _ chart.Style) {
		if name == "" {
			return
		}
		cr.SetFont(r.font)
		cr.SetFontSize(size)
		cr.SetFontColor(colorText)
		f := r.face(size * 72 / 64)
		name = shorten(f, name, box.Height())
		w := textWidth(f, name)
		f.Close()
		cr.SetTextRotation(-math.Pi / 2)
		cr.Text(name, x, box.Top+(box.Height()+w)/2)
		cr.ClearTextRotation()
	}
}

// neuronDash is the pattern of the curve without bias: dashes and gaps
// long enough to tell apart on a phone.
var neuronDash = []float64{10, 7}

// neuronLegend draws the two curves' samples and names in one row between
// the title and the plot, centred, where they cover nothing.
func (r *Renderer) neuronLegend(withBias, withoutBias string) chart.Renderable {
	return func(cr chart.Renderer, box chart.Box, _ chart.Style) {
		const size, sample, gap, space = 16, 44, 8, 32 // sample: dash, gap, dash, gap, dash
		cr.SetFont(r.font)
		cr.SetFontSize(size)
		cr.SetFontColor(colorText)
		names := []string{withBias, withoutBias}
		room := (NeuronWidth - 24 - 2*(sample+gap) - space) / 2
		f := r.face(size * 72 / 64)
		width := 0
		for i, n := range names {
			names[i] = shorten(f, n, room)
			width += sample + gap + textWidth(f, names[i])
		}
		f.Close()
		width += space
		x := (NeuronWidth - width) / 2
		y := box.Top - 22 // the samples' centre line
		for i, n := range names {
			if n == "" {
				continue
			}
			cr.SetStrokeColor(colorBias)
			cr.SetStrokeWidth(4)
			cr.SetStrokeDashArray(nil)
			if i == 1 {
				cr.SetStrokeColor(colorNoBias)
				cr.SetStrokeWidth(3)
				cr.SetStrokeDashArray(neuronDash)
			}
			cr.MoveTo(x, y)
			cr.LineTo(x+sample, y)
			cr.Stroke()
			cr.SetStrokeDashArray(nil)
			tb := cr.MeasureText(n)
			cr.Text(n, x+sample+gap, y+tb.Height()/2-1)
			x += sample + gap + tb.Width() + space
		}
	}
}

// pointLabel draws label in a framed box beside the point (x, y): of the
// places right or left of it, above or below, the one inside the plot that
// covers the fewest pixels of the curves, with a short line to the point.
func (r *Renderer) pointLabel(label string, x, y float64, xr, yr *chart.ContinuousRange) chart.Renderable {
	return func(cr chart.Renderer, box chart.Box, _ chart.Style) {
		rr, ok := cr.(*raster)
		if !ok || label == "" {
			return
		}
		const size, pad, off = 16, 5, 12
		cr.SetFont(r.font)
		cr.SetFontSize(size)
		cr.SetFontColor(colorText)
		f := r.face(size * 72 / 64)
		label = shorten(f, label, box.Width()-2*pad-4)
		m := f.Metrics()
		f.Close()
		tb := cr.MeasureText(label)
		w, h := tb.Width()+2*pad, (m.Ascent+m.Descent).Ceil()+2*pad
		px, py := box.Left+xr.Translate(x), box.Bottom-yr.Translate(y)
		plot := image.Rect(box.Left+2, box.Top+2, box.Right-2, box.Bottom-2)
		var best image.Rectangle
		bestInk := -1
		for _, d := range [][2]int{{1, -1}, {-1, -1}, {1, 1}, {-1, 1}, {0, -1}, {0, 1}} {
			x0 := px + off
			switch d[0] {
			case -1:
				x0 = px - off - w
			case 0:
				x0 = px - w/2
			}
			y0 := py - off - h
			if d[1] > 0 {
				y0 = py + off
			}
			b := image.Rect(x0, y0, x0+w, y0+h)
			if !b.In(plot) {
				// Slide it inside the plot, keeping it off the point.
				b = b.Add(image.Pt(max(0, plot.Min.X-b.Min.X)+min(0, plot.Max.X-b.Max.X), max(0, plot.Min.Y-b.Min.Y)+min(0, plot.Max.Y-b.Max.Y)))
				if b.Inset(-4).Overlaps(image.Rect(px, py, px+1, py+1)) || !b.In(plot) {
					continue
				}
			}
			if ink := inkIn(rr.i, b); bestInk < 0 || ink < bestInk {
				best, bestInk = b, ink
			}
		}
		if bestInk < 0 {
			return
		}
		// A line from the point to the box's nearest corner, then the box.
		cx, cy := best.Min.X, best.Min.Y
		if px > best.Max.X {
			cx = best.Max.X - 1
		} else if px >= best.Min.X {
			cx = px
		}
		if py > best.Max.Y {
			cy = best.Max.Y - 1
		} else if py >= best.Min.Y {
			cy = py
		}
		cr.SetStrokeColor(colorBias)
		cr.SetStrokeWidth(1.5)
		cr.MoveTo(px, py)
		cr.LineTo(cx, cy)
		cr.Stroke()
		chart.Draw.Box(cr, chart.Box{Top: best.Min.Y, Left: best.Min.X, Right: best.Max.X - 1, Bottom: best.Max.Y - 1},
			chart.Style{FillColor: chart.ColorWhite, StrokeColor: colorBias, StrokeWidth: 1.5})
		cr.SetFont(r.font)
		cr.SetFontSize(size)
		cr.SetFontColor(colorText)
		cr.Text(label, best.Min.X+pad, best.Min.Y+pad+m.Ascent.Ceil())
	}
}

// inkIn counts the pixels of b that are neither white nor grid grey: the
// curves, dots and text a label placed there would hide.
func inkIn(img *image.RGBA, b image.Rectangle) int {
	n := 0
	b = b.Intersect(img.Rect)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			o := img.PixOffset(x, y)
			if p := img.Pix[o : o+3]; p[0] < 0xd0 || p[1] < 0xd0 || p[2] < 0xd0 {
				n++
			}
		}
	}
	return n
}

// neuronRange is the Σ range (core.NeuronResult.Span) with 7 ticks.
func neuronRange(res core.NeuronResult) (lo, hi float64, ticks int) {
	lo, hi = res.Span()
	return lo, hi, 7
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
// power of ten) covering [lo, hi], labelled for people by formatNumber:
// 0.5, −2, 200 000, 2·10¹¹.
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
		ticks = append(ticks, chart.Tick{Value: v, Label: formatNumber(v, step)})
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
