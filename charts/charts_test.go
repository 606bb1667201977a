package charts_test

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"neurotutor/charts"
	"neurotutor/core"
)

func mustNew(tb testing.TB) *charts.Renderer {
	tb.Helper()
	r, err := charts.New()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// checkPNG decodes data, checks its size and, when NEUROTUTOR_CHART_DIR is
// set, writes it there to be looked at.
func checkPNG(t *testing.T, name string, data []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: not a PNG: %v", name, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("%s: size %v, want %dx%d", name, b, w, h)
	}
	if !colourful(img) {
		t.Fatalf("%s: image is blank", name)
	}
	if dir := os.Getenv("NEUROTUTOR_CHART_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// colourful reports whether the image has more than a handful of distinct colours.
func colourful(img image.Image) bool {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r, g, bl}] = true
		}
	}
	return len(seen) > 8
}

func neuronLabels() charts.NeuronLabels {
	return charts.NeuronLabels{
		Title: "Нейрон: y = sigmoid(Σ + b), b = −1", XAxis: "взвешенная сумма Σ", YAxis: "выход y",
		WithBias: "со смещением: f(Σ + b)", WithoutBias: "без смещения: f(Σ)", Point: "Σ = 4, y = 0.953",
	}
}

func TestNeuronChart(t *testing.T) {
	r := mustNew(t)
	cases := map[string]struct {
		w, x []float64
		b    float64
		f    core.Activation
	}{
		"neuron_sigmoid":   {[]float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid},
		"neuron_step":      {[]float64{0.5, 1}, []float64{2, 3}, -5, core.Step},
		"neuron_relu":      {[]float64{1, -2}, []float64{0.5, 0.25}, 2, core.ReLU},
		"neuron_tanh_huge": {[]float64{1e6}, []float64{1e6}, -1e6, core.Tanh},
		"neuron_linear":    {[]float64{0}, []float64{0}, 0, core.Linear},
	}
	for name, c := range cases {
		res, err := core.Neuron(c.w, c.x, c.b, c.f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := r.Neuron(res, neuronLabels())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPNG(t, name, a, charts.NeuronWidth, charts.NeuronHeight)
		b, err := r.Neuron(res, neuronLabels())
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("%s: rendering twice gave different bytes (%v)", name, err)
		}
	}
}

func TestNeuronChartLongLabel(t *testing.T) {
	r := mustNew(t)
	res, _ := core.Neuron([]float64{1}, []float64{1}, 0, core.Sigmoid)
	l := neuronLabels()
	l.Title = strings.Repeat("очень длинный заголовок ", 100)
	data, err := r.Neuron(res, l)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, "neuron_long_title", data, charts.NeuronWidth, charts.NeuronHeight)
	// The title is shortened to fit, not left out: there is ink in its band.
	img, _ := png.Decode(bytes.NewReader(data))
	dark := 0
	for y := 10; y < 40; y++ {
		for x := 0; x < charts.NeuronWidth; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x4000 {
				dark++
			}
		}
	}
	if dark < 200 {
		t.Fatalf("no title drawn: %d dark pixels in its band", dark)
	}
}

func posenc(t testing.TB, n, d int) [][]float64 {
	pe, err := core.PositionalEncoding(n, d)
	if err != nil {
		t.Fatal(err)
	}
	return pe
}

func TestHeatmap(t *testing.T) {
	r := mustNew(t)
	for name, h := range map[string]charts.Heatmap{
		"posenc_10x16":   {Title: "Позиционные кодировки: N = 10, D = 16", Values: posenc(t, 10, 16), RowAxis: "позиция", ColAxis: "измерение", Min: -1, Max: 1},
		"posenc_512x512": {Title: "N = 512, D = 512", Values: posenc(t, 512, 512), RowAxis: "позиция", ColAxis: "измерение", Min: -1, Max: 1},
		"one_cell":       {Title: "1×1", Values: [][]float64{{0.3}}},
		"words": {Title: "Веса внимания", Values: [][]float64{{0.7, 0.3}, {0.2, 0.8}}, Palette: charts.Sequential,
			RowNames: []string{"кошка", "сидит"}, ColNames: []string{"кошка", "сидит"}, Min: 0, Max: 1},
		"nan": {Title: "NaN", Values: [][]float64{{math.NaN(), 1}, {2, math.Inf(1)}}},
	} {
		data, err := r.Heatmap(h)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPNG(t, "heatmap_"+name, data, charts.HeatmapWidth, charts.HeatmapHeight)
		again, _ := r.Heatmap(h)
		if !bytes.Equal(data, again) {
			t.Fatalf("%s: not deterministic", name)
		}
	}
}

func TestHeatmapRejects(t *testing.T) {
	r := mustNew(t)
	for name, h := range map[string]charts.Heatmap{
		"empty":    {},
		"ragged":   {Values: [][]float64{{1, 2}, {3}}},
		"labels":   {Values: [][]float64{{1}}, RowNames: []string{"a", "b"}},
		"too_much": {Values: make([][]float64, 1024), ColNames: nil},
	} {
		if name == "too_much" {
			for i := range h.Values {
				h.Values[i] = make([]float64, 1000)
			}
		}
		if _, err := r.Heatmap(h); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func BenchmarkNeuronChart(b *testing.B) {
	r := mustNew(b)
	res, _ := core.Neuron([]float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Neuron(res, neuronLabels()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPosencHeatmap64(b *testing.B) {
	r := mustNew(b)
	h := charts.Heatmap{Title: "N = 64, D = 16", Values: posenc(b, 64, 16), Min: -1, Max: 1}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Heatmap(h); err != nil {
			b.Fatal(err)
		}
	}
}
