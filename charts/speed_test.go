package charts

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"neurotutor/core"
)

// The straightforward paths, kept beside the fast ones so every benchmark
// run prints how much faster the fast ones are on the same machine.

func speedNeuron(tb testing.TB) (*Renderer, core.NeuronResult, NeuronLabels) {
	r, err := New()
	if err != nil {
		tb.Fatal(err)
	}
	res, _ := core.Neuron([]float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid)
	return r, res, NeuronLabels{Title: "Нейрон: y = sigmoid(Σ + b), b = −1", XAxis: "взвешенная сумма Σ", YAxis: "выход y",
		WithBias: "со смещением", WithoutBias: "без смещения", Point: "Σ = 4, y = 0.953"}
}

// neuronStraightforward renders the same chart as Neuron the plain way:
// go-chart's own PNG renderer (white background painted) and png.Encode.
func neuronStraightforward(r *Renderer, res core.NeuronResult, l NeuronLabels) ([]byte, error) {
	c, err := r.neuronChart(res, l)
	if err != nil {
		return nil, err
	}
	c.Background.FillColor, c.Background.StrokeColor = drawing.Color{}, drawing.Color{}
	c.Canvas.FillColor, c.Canvas.StrokeColor = drawing.Color{}, drawing.Color{}
	var buf bytes.Buffer
	err = c.Render(chart.PNG, &buf)
	return buf.Bytes(), err
}

// heatmapStraightforward draws every cell as a filled box through
// go-chart's renderer and encodes with png.Encode (no labels: it is
// already the slower of the two).
func heatmapStraightforward(values [][]float64) ([]byte, error) {
	rr, err := chart.PNG(HeatmapWidth, HeatmapHeight)
	if err != nil {
		return nil, err
	}
	lut := Diverging.lut()
	rows, cols := len(values), len(values[0])
	cw, ch := float64(HeatmapWidth-200)/float64(cols), float64(HeatmapHeight-150)/float64(rows)
	for i, row := range values {
		for j, v := range row {
			c := lut[int((v+1)/2*255)]
			x0, y0 := 80+int(float64(j)*cw), 90+int(float64(i)*ch)
			x1, y1 := 80+int(float64(j+1)*cw), 90+int(float64(i+1)*ch)
			rr.SetFillColor(drawing.Color{R: c.R, G: c.G, B: c.B, A: 255})
			rr.MoveTo(x0, y0)
			rr.LineTo(x1, y0)
			rr.LineTo(x1, y1)
			rr.LineTo(x0, y1)
			rr.Close()
			rr.Fill()
		}
	}
	var buf bytes.Buffer
	err = rr.Save(&buf)
	return buf.Bytes(), err
}

func TestStraightforwardPathsDrawTheSameSize(t *testing.T) {
	r, res, l := speedNeuron(t)
	slow, err := neuronStraightforward(r, res, l)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := r.Neuron(res, l)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := png.Decode(bytes.NewReader(slow))
	b, _ := png.Decode(bytes.NewReader(fast))
	if a.Bounds() != b.Bounds() {
		t.Fatalf("sizes %v and %v", a.Bounds(), b.Bounds())
	}
	// Same picture: the curves, grid and boxes match to within the
	// palette's rounding; only text differs, drawn here with hinted cached
	// glyphs instead of outline paths, so a few pixels at glyph edges move.
	far, total := differing(a, b, 48)
	t.Logf("pixels differing by more than 48/255: %d of %d (%.2f%%)", far, total, 100*float64(far)/float64(total))
	if float64(far) > 0.06*float64(total) { // measured: 4.7%, all at glyph edges and dash ends
		t.Fatalf("fast chart differs from the straightforward one in %d of %d pixels", far, total)
	}
}

// differing counts the pixels where some channel differs by more than tol.
func differing(a, b image.Image, tol int) (far, total int) {
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			total++
			if pixelDiff(a.At(x, y), b.At(x, y)) > tol {
				far++
			}
		}
	}
	return far, total
}

func pixelDiff(p, q color.Color) int {
	r1, g1, b1, _ := p.RGBA()
	r2, g2, b2, _ := q.RGBA()
	worst := 0
	for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
		worst = max(worst, d, -d)
	}
	return worst
}

func BenchmarkNeuronStraightforward(b *testing.B) {
	r, res, l := speedNeuron(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := neuronStraightforward(r, res, l); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNeuronFast(b *testing.B) {
	r, res, l := speedNeuron(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Neuron(res, l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpeedup times both paths of each chart in the same run and
// reports the ratios (straightforward ÷ fast) and the fast paths' time.
func BenchmarkSpeedup(b *testing.B) {
	r, res, l := speedNeuron(b)
	pe, _ := core.PositionalEncoding(64, 16)
	const k = 10
	per := func(f func()) float64 {
		f() // warm pools and caches
		start := time.Now()
		for range k {
			f()
		}
		return float64(time.Since(start).Nanoseconds()) / k
	}
	var nSlow, nFast, hSlow, hFast float64
	for b.Loop() {
		nSlow += per(func() { neuronStraightforward(r, res, l) })
		nFast += per(func() { r.Neuron(res, l) })
		hSlow += per(func() { heatmapStraightforward(pe) })
		hFast += per(func() { r.Heatmap(Heatmap{Title: "N = 64, d = 16", Values: pe, Min: -1, Max: 1}) })
	}
	b.ReportMetric(nSlow/nFast, "neuron-x")
	b.ReportMetric(hSlow/hFast, "posenc-x")
	b.ReportMetric(nFast/float64(b.N)/1e6, "neuron-ms")
	b.ReportMetric(hFast/float64(b.N)/1e6, "posenc-ms")
}
