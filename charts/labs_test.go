package charts_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strings"
	"testing"

	"neurotutor/charts"
	"neurotutor/core"
)

// sizeOf decodes data and returns its size, failing on a bad PNG.
func sizeOf(t *testing.T, data []byte) (int, int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func seedChart(n int, seed uint64) charts.SequenceChart {
	seq := func(s uint64) []float64 {
		g := core.NewPythonRandom(s)
		v := make([]float64, n)
		for i := range v {
			v[i] = g.Float64()
		}
		return v
	}
	np := func(s uint32) []float64 {
		g := core.NewNumpyLegacy(s)
		v := make([]float64, n)
		for i := range v {
			v[i] = g.Rand()
		}
		return v
	}
	return charts.SequenceChart{
		Title: fmt.Sprintf("Seed %d: два запуска совпадают, seed %d — другой", seed, seed+1),
		XAxis: "номер вызова", YAxis: "значение", YMin: 0, YMax: 1,
		Legend: [3]string{fmt.Sprintf("запуск A: seed %d", seed), fmt.Sprintf("запуск B: seed %d", seed), fmt.Sprintf("запуск C: seed %d", seed+1)},
		Panels: []charts.SequencePanel{
			{Title: "Python: random.random()", Series: [][]float64{seq(seed), seq(seed), seq(seed + 1)}},
			{Title: "numpy: np.random.rand()", Series: [][]float64{np(uint32(seed)), np(uint32(seed)), np(uint32(seed + 1))}},
		},
	}
}

func TestSequences(t *testing.T) {
	r := mustNew(t)
	long := seedChart(3, 7)
	long.Title = strings.Repeat("очень длинный заголовок ", 50)
	long.Legend[0] = strings.Repeat("длинная легенда ", 30)
	constant := charts.SequenceChart{Title: "const", Panels: []charts.SequencePanel{{Series: [][]float64{{5, 5, 5}}}}}
	big := make([]float64, charts.MaxSequence)
	for i := range big {
		big[i] = math.Sin(float64(i))
	}
	for name, c := range map[string]charts.SequenceChart{
		"seed_42_n5":    seedChart(5, 42),
		"seed_0_n20":    seedChart(20, 0),
		"seed_1_n1":     seedChart(1, 1),
		"long_labels":   long,
		"constant":      constant,
		"one_panel_max": {Title: "500", Panels: []charts.SequencePanel{{Series: [][]float64{big}}}},
	} {
		data, err := r.Sequences(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPNG(t, "sequence_"+name, data, charts.SequenceWidth, charts.SequenceHeight(len(c.Panels)))
		again, _ := r.Sequences(c)
		if !bytes.Equal(data, again) {
			t.Fatalf("%s: not deterministic", name)
		}
	}
}

func TestSequencesRejects(t *testing.T) {
	r := mustNew(t)
	for name, c := range map[string]charts.SequenceChart{
		"no panels":   {},
		"no series":   {Panels: []charts.SequencePanel{{}}},
		"empty":       {Panels: []charts.SequencePanel{{Series: [][]float64{{}}}}},
		"nan":         {Panels: []charts.SequencePanel{{Series: [][]float64{{0.5, math.NaN()}}}}},
		"inf":         {Panels: []charts.SequencePanel{{Series: [][]float64{{math.Inf(1)}}}}},
		"ragged":      {Panels: []charts.SequencePanel{{Series: [][]float64{{1, 2}, {1}}}}},
		"four series": {Panels: []charts.SequencePanel{{Series: [][]float64{{1}, {1}, {1}, {1}}}}},
		"too long":    {Panels: []charts.SequencePanel{{Series: [][]float64{make([]float64, charts.MaxSequence+1)}}}},
		"10000":       {Panels: []charts.SequencePanel{{Series: [][]float64{make([]float64, 10000)}}}},
		"many panels": {Panels: make([]charts.SequencePanel, charts.MaxPanels+1)},
	} {
		if _, err := r.Sequences(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// attentionHeatmap is the heatmap /attention draws for words.
func attentionHeatmap(t testing.TB, words []string, cur int) charts.Heatmap {
	res, err := core.Attention(words, core.DefaultAttentionDim)
	if err != nil {
		t.Fatal(err)
	}
	return charts.Heatmap{
		Title: "Веса внимания; текущий токен — «" + words[cur-1] + "»", Values: res.Weights, RowNames: words, ColNames: words,
		RowAxis: "текущий токен", ColAxis: "на какой токен смотрит", NumberedColAxis: "номер столбца — как у строки",
		NoGlyph: "[эмодзи]", Palette: charts.Sequential, OutlineRow: cur, ShowValues: true,
	}
}

// attentionCases are sentences of every shape /attention takes.
func attentionCases() map[string][]string {
	many := make([]string, core.MaxAttentionTokens)
	for i := range many {
		many[i] = fmt.Sprintf("слово%d", i+1)
	}
	return map[string][]string{
		"1":       {"я"},
		"4":       strings.Fields("кошка сидит на ковре"),
		"emoji":   strings.Fields("Привет мир 😀 как дела"),
		"punct":   strings.Fields("кошка , сидит . на ковре ! 😀 как дела ?"),
		"11":      strings.Fields("раз два три четыре пять шесть семь восемь девять десять одиннадцать"),
		"32":      many,
		"long":    {strings.Repeat("ж", core.MaxTokenRunes), "сверхдлинноеслововнимания", "и", "🐱🐶", "«ковре»"},
		"symbols": strings.Fields("— + = … ❤"),
	}
}

// Column labels are written across, so each is a line of text, not a
// column of letters; every column is labelled by its word or, where the
// words do not fit, by its number, which the row labels then carry as the
// key; nothing overlaps or leaves the canvas.
func TestHeatmapColumnLabels(t *testing.T) {
	for name, words := range attentionCases() {
		img, texts := render(t, func(r *charts.Renderer) ([]byte, error) {
			return r.Heatmap(attentionHeatmap(t, words, len(words)))
		})
		checkLayout(t, name, img, texts, 1)
		for _, d := range texts {
			if d.box.Dy() > 26 {
				t.Errorf("%s: %q is %d pixels tall: turned text", name, d.text, d.box.Dy())
			}
		}
		_, numbered := find(texts, "1 "+words[0])
		for i := range words {
			if numbered {
				if _, ok := find(texts, fmt.Sprintf("%d", i+1)); !ok && (i+1 < 10 || i%2 == 1) {
					t.Errorf("%s: column %d has no number", name, i+1)
				}
				continue
			}
			n, want := 0, labelOf(words[i])
			for _, d := range texts {
				short, cut := strings.CutSuffix(d.text, "…")
				if d.text == want || cut && strings.HasPrefix(want, short) {
					n++
				}
			}
			if n < 2 {
				t.Errorf("%s: %q is not labelled as both a row and a column (%d labels)", name, words[i], n)
			}
		}
	}
}

// labelOf is how the heatmap shows a token (see Heatmap.NoGlyph).
func labelOf(w string) string {
	switch w {
	case "😀", "🐱🐶", "❤":
		return "[эмодзи]"
	}
	if strings.Trim(w, ",.!?—+=…") == "" {
		return "«" + w + "»"
	}
	return w
}

// Emoji, which the font lacks, are drawn as the placeholder, and lone
// punctuation in «» so that a comma is more than a speck.
func TestHeatmapNoGlyphAndPunctuation(t *testing.T) {
	words := strings.Fields("кошка , сидит . на ! 😀")
	img, texts := render(t, func(r *charts.Renderer) ([]byte, error) {
		return r.Heatmap(attentionHeatmap(t, words, 2))
	})
	checkLayout(t, "punct", img, texts, 1)
	r := mustNew(t)
	for _, d := range texts {
		if !r.CanDraw(d.text) {
			t.Errorf("%q is drawn with a character the font lacks", d.text)
		}
	}
	for _, want := range []string{"[эмодзи]", "«,»", "«.»", "«!»"} {
		d, ok := find(texts, want)
		if !ok {
			t.Errorf("no label %q", want)
			continue
		}
		if want != "[эмодзи]" && d.box.Dx() < 14 {
			t.Errorf("%q is %d pixels wide", want, d.box.Dx())
		}
	}
}

// With Min == Max the colours span the data: the darkest and brightest
// colours of the palette are both in the cells, and the colour bar's ends
// are labelled with the smallest and largest value.
func TestHeatmapScaleSpansData(t *testing.T) {
	values := [][]float64{{0.012, 0.05}, {0.1, 0.3}}
	img, texts := render(t, func(r *charts.Renderer) ([]byte, error) {
		return r.Heatmap(charts.Heatmap{Title: "веса", Values: values, Palette: charts.Sequential, RowNames: []string{"а", "б"}, ColNames: []string{"а", "б"}})
	})
	checkLayout(t, "scale", img, texts, 1)
	for _, want := range []string{"0.012", "0.3"} {
		if _, ok := find(texts, want); !ok {
			t.Errorf("the colour bar has no label %q", want)
		}
	}
	cells := image.Rect(0, 0, img.Bounds().Dx()-130, img.Bounds().Dy())
	for _, c := range []color.RGBA{{68, 1, 84, 255}, {253, 231, 37, 255}} {
		if count(img, cells, c, texts) < 100 {
			t.Errorf("no cell has the colour %v", c)
		}
	}
}

// Named rows all get a label: the heatmap grows taller for many tokens.
func TestHeatmapAttention(t *testing.T) {
	r := mustNew(t)
	for name, words := range attentionCases() {
		h := attentionHeatmap(t, words, len(words))
		data, err := r.Heatmap(h)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w, ht := sizeOf(t, data)
		if w < charts.HeatmapWidth || w > 1000 || ht < charts.HeatmapHeight || ht > 1000 {
			t.Fatalf("%s: size %dx%d", name, w, ht)
		}
		checkPNG(t, "attention_"+name, data, w, ht)
		if again, _ := r.Heatmap(h); !bytes.Equal(data, again) {
			t.Fatalf("%s: not deterministic", name)
		}
	}
}

func embeddingChart(n int, k int) charts.EmbeddingChart {
	pts := make([]charts.WordPoint, n)
	for i := range pts {
		a := float64(i)
		pts[i] = charts.WordPoint{X: math.Cos(a) * a, Y: math.Sin(a) * a / 2, Label: fmt.Sprintf("слово%d", i)}
		switch {
		case i == 0:
			pts[i].Kind = charts.PointAsked
		case i < 8:
			pts[i].Kind = charts.PointNeighbor
		case i < 40:
			pts[i].Kind = charts.PointFrequent
		}
	}
	share := make([]float64, 400)
	for i := range share {
		share[i] = 1 - math.Exp(-float64(i+1)/80)
	}
	return charts.EmbeddingChart{
		Title: "Эмбеддинги", Map: charts.WordMap{Title: "карта", XAxis: "ось 1", YAxis: "ось 2", Points: pts},
		Curve: charts.VarianceCurve{Title: "доля", XAxis: "k", YAxis: "%", Share: share, K: k, KLabel: fmt.Sprintf("k = %d", k), Show: 100},
	}
}

func TestEmbeddingChart(t *testing.T) {
	r := mustNew(t)
	one := charts.EmbeddingChart{
		Map:   charts.WordMap{Points: []charts.WordPoint{{X: 1, Y: 1, Label: "одно", Kind: charts.PointAsked}}},
		Curve: charts.VarianceCurve{Share: []float64{1}, K: 1},
	}
	longLabel := embeddingChart(5, 2)
	longLabel.Map.Points[0].Label = strings.Repeat("оченьдлинноеслово", 20)
	longLabel.Title = strings.Repeat("заголовок ", 100)
	same := embeddingChart(50, 50)
	for i := range same.Map.Points {
		same.Map.Points[i].X, same.Map.Points[i].Y = 0, 0 // every word at one place
	}
	for name, c := range map[string]charts.EmbeddingChart{
		"spiral_k20": embeddingChart(400, 20),
		"k1":         embeddingChart(30, 1),
		"one_point":  one,
		"long_label": longLabel,
		"same_place": same,
		"5000":       embeddingChart(charts.MaxWordPoints, 50),
	} {
		data, err := r.Embedding(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPNG(t, "embedding_"+name, data, charts.EmbeddingWidth, charts.EmbeddingHeight)
		if again, _ := r.Embedding(c); !bytes.Equal(data, again) {
			t.Fatalf("%s: not deterministic", name)
		}
	}
}

func TestEmbeddingChartRejects(t *testing.T) {
	r := mustNew(t)
	nan := embeddingChart(3, 2)
	nan.Map.Points[1].X = math.NaN()
	badK := embeddingChart(3, 2)
	badK.Curve.K = 401
	noShare := embeddingChart(3, 2)
	noShare.Curve.Share = nil
	nanShare := embeddingChart(3, 2)
	nanShare.Curve.Share[0] = math.Inf(1)
	for name, c := range map[string]charts.EmbeddingChart{
		"empty": {}, "nan": nan, "k": badK, "no share": noShare, "inf share": nanShare,
		"too many": embeddingChart(charts.MaxWordPoints+1, 2),
	} {
		if _, err := r.Embedding(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func BenchmarkSequences(b *testing.B) {
	r := mustNew(b)
	c := seedChart(5, 42)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Sequences(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmbeddingChart(b *testing.B) {
	r := mustNew(b)
	c := embeddingChart(424, 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Embedding(c); err != nil {
			b.Fatal(err)
		}
	}
}

// A 20-digit seed appears twice in the title and in every legend entry:
// the title is shown whole (smaller), nothing leaves the canvas or
// overlaps, and the legend keeps a margin at the left edge.
func TestSequencesLayout(t *testing.T) {
	huge := seedChart(5, 123456789012345678)
	huge.Title = "Seed 123456789012345678: запуски A и B совпадают, seed 123456789012345679 — другие числа"
	huge.Legend = [3]string{"A: seed 123456789012345678", "B: seed 123456789012345678 ещё раз", "C: seed 123456789012345679"}
	huge.Panels = huge.Panels[:1]
	longer := seedChart(20, 7)
	longer.Title = strings.Repeat("очень длинный заголовок ", 50)
	for i := range longer.Legend {
		longer.Legend[i] = strings.Repeat("длинная легенда ", 10)
	}
	for name, c := range map[string]charts.SequenceChart{"seed 42": seedChart(5, 42), "huge seed": huge, "long": longer} {
		img, texts := render(t, func(r *charts.Renderer) ([]byte, error) { return r.Sequences(c) })
		checkLayout(t, name, img, texts, 2)
		if name == "huge seed" {
			if _, ok := find(texts, huge.Title); !ok {
				t.Errorf("%s: the title is not drawn whole", name)
			}
		}
	edge:
		for y := 40; y < 90; y++ {
			for x := range 12 {
				if !near(img, x, y, white) {
					t.Errorf("%s: the legend reaches the left edge: pixel (%d, %d) is %v", name, x, y, img.At(x, y))
					break edge
				}
			}
		}
	}
}

func BenchmarkAttentionHeatmap32(b *testing.B) {
	r := mustNew(b)
	h := attentionHeatmap(b, attentionCases()["32"], 32)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Heatmap(h); err != nil {
			b.Fatal(err)
		}
	}
}

// edgeChart puts the asked word and its neighbours in the corners and on
// the edges of the map, where a label placed beside its dot would be cut.
func edgeChart() charts.EmbeddingChart {
	c := embeddingChart(60, 20)
	corners := [][2]float64{{-1, -1}, {1, 1}, {-1, 1}, {1, -1}, {0, 1}, {1, 0}, {0, -1}, {-1, 0}}
	for i, p := range corners {
		c.Map.Points[i].X, c.Map.Points[i].Y = p[0], p[1]
		c.Map.Points[i].Label = []string{"нейрон", "пр", "вход", "смещение", "последовательность", "про", "на", "вес"}[i]
	}
	for i := len(corners); i < len(c.Map.Points); i++ {
		p := &c.Map.Points[i]
		p.X, p.Y = math.Mod(p.X, 1), math.Mod(p.Y, 1)
	}
	return c
}

// No text overlaps other text, no word on the map comes closer than 8
// pixels (a wide space) to another,
// none is cut by the plot's or the canvas's edge, and the note is drawn.
func TestEmbeddingLabelsApart(t *testing.T) {
	crowd := embeddingChart(400, 20)
	for i := range crowd.Map.Points { // a tight cluster, as the real map's
		p := &crowd.Map.Points[i]
		p.X, p.Y = p.X/40, p.Y/40
		if i < 30 {
			p.Kind = charts.PointNeighbor
		}
	}
	same := embeddingChart(50, 50)
	for i := range same.Map.Points {
		same.Map.Points[i].X, same.Map.Points[i].Y = 0, 0
	}
	for name, c := range map[string]charts.EmbeddingChart{
		"spiral": embeddingChart(400, 20), "edges": edgeChart(), "crowd": crowd, "same place": same,
		"5000": embeddingChart(charts.MaxWordPoints, 50),
	} {
		c.Map.Note = strings.Repeat("Соседи — ближайшие по косинусу во всех координатах. ", 3)
		img, texts := render(t, func(r *charts.Renderer) ([]byte, error) { return r.Embedding(c) })
		checkLayout(t, name, img, texts, 2)
		words := map[string]bool{}
		for _, p := range c.Map.Points {
			words[p.Label] = p.Label != ""
		}
		var labels []drawn
		for _, d := range texts {
			if words[d.text] {
				labels = append(labels, d)
			}
		}
		checkLayout(t, name+" words", img, labels, 8)
		if _, ok := find(texts, c.Map.Points[0].Label); !ok {
			t.Errorf("%s: the asked word has no label", name)
		}
		if !slices.ContainsFunc(texts, func(d drawn) bool { return strings.HasPrefix(d.text, "Соседи — ближайшие") }) {
			t.Errorf("%s: no note", name)
		}
	}
}

// Labels keep off the dots of the asked word and its neighbours: each
// dot keeps all its pixels whether the words are written or not.
func TestEmbeddingLabelsLeaveDots(t *testing.T) {
	for name, c := range map[string]charts.EmbeddingChart{"spiral": embeddingChart(400, 20), "edges": edgeChart()} {
		bare := c
		bare.Map.Points = slices.Clone(c.Map.Points)
		for i := range bare.Map.Points {
			bare.Map.Points[i].Label = ""
		}
		with, texts := render(t, func(r *charts.Renderer) ([]byte, error) { return r.Embedding(c) })
		without, _ := render(t, func(r *charts.Renderer) ([]byte, error) { return r.Embedding(bare) })
		for _, dot := range []color.RGBA{{0xe0, 0x7b, 0x00, 0xff}, {0xd6, 0x27, 0x28, 0xff}} {
			area := image.Rect(0, 0, charts.EmbeddingWidth, charts.EmbeddingHeight-400) // the map, not the curve
			if a, b := count(with, area, dot, nil), count(without, area, dot, nil); a < b {
				t.Errorf("%s: labels cover %d of %d pixels of the dots coloured %v (texts: %d)", name, b-a, b, dot, len(texts))
			}
		}
	}
}
