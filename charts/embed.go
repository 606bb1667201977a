package charts

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	chart "github.com/wcharczuk/go-chart/v2"
	"golang.org/x/image/font"
)

// EmbeddingChart is the picture of the embedding lab: a 2-D map of words
// on top and, below it, the explained-variance curve with the chosen
// dimension k marked.
type EmbeddingChart struct {
	Title string
	Map   WordMap
	Curve VarianceCurve
}

// WordMap is a scatter plot of words. Labels never overlap: they are
// placed in order of importance (asked word, neighbours, then the other
// labelled points in the order given) and a label with no free place
// near its dot is left out, except the asked word's and the neighbours',
// which move further out with a thin leader line.
type WordMap struct {
	Title  string
	XAxis  string
	YAxis  string
	Points []WordPoint // at most MaxWordPoints
}

// WordPoint is one word on the map.
type WordPoint struct {
	X, Y  float64
	Label string // "" draws the dot only
	Kind  PointKind
}

// PointKind is how a word on the map is drawn.
type PointKind int

const (
	PointPlain    PointKind = iota // small grey dot; its label only where there is room
	PointFrequent                  // dark dot; labelled where there is room
	PointNeighbor                  // orange dot, always labelled
	PointAsked                     // large red dot, labelled first
)

// VarianceCurve is the share of the matrix kept by its rank-k
// approximation, for k = 1..len(Share).
type VarianceCurve struct {
	Title  string
	XAxis  string
	YAxis  string
	Share  []float64 // values in [0, 1], rising
	K      int       // the marked k, 1..len(Share)
	KLabel string    // annotation at k, e.g. "k = 20: 25 %"
	Show   int       // the x axis runs over k = 1..Show; 0 or more than len(Share) shows all
}

// Sizes of the embedding chart, in pixels, and its limits.
const (
	EmbeddingWidth  = 960
	EmbeddingHeight = embedHeader + embedMap + embedCurve
	embedHeader     = 44
	embedMap        = 620
	embedCurve      = 380
	MaxWordPoints   = 5000
	maxLabelRunes   = 24
)

var (
	colorPlain    = color.RGBA{0xb8, 0xb8, 0xb8, 0xff}
	colorFrequent = color.RGBA{0x44, 0x44, 0x44, 0xff}
	colorNeighbor = color.RGBA{0xe0, 0x7b, 0x00, 0xff}
	colorAsked    = color.RGBA{0xd6, 0x27, 0x28, 0xff}
	colorLeader   = color.RGBA{0x99, 0x99, 0x99, 0xff}
)

// Embedding draws c. It returns ErrNoData for no points or an empty curve
// and an error for non-finite coordinates, too many points or k outside
// the curve.
func (r *Renderer) Embedding(c EmbeddingChart) ([]byte, error) {
	img, err := r.embeddingImage(c)
	if err != nil {
		return nil, err
	}
	defer r.canvases.put(img)
	return r.encode(img)
}

func (r *Renderer) embeddingImage(c EmbeddingChart) (*image.RGBA, error) {
	m, v := c.Map, c.Curve
	switch {
	case len(m.Points) == 0 || len(v.Share) == 0:
		return nil, ErrNoData
	case len(m.Points) > MaxWordPoints:
		return nil, fmt.Errorf("charts: more than %d words on a map", MaxWordPoints)
	case v.K < 1 || v.K > len(v.Share):
		return nil, fmt.Errorf("charts: k = %d outside 1..%d", v.K, len(v.Share))
	}
	for _, p := range m.Points {
		if math.IsNaN(p.X) || math.IsInf(p.X, 0) || math.IsNaN(p.Y) || math.IsInf(p.Y, 0) {
			return nil, fmt.Errorf("charts: non-finite point (%v, %v)", p.X, p.Y)
		}
	}
	for _, s := range v.Share {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("charts: non-finite share %v", s)
		}
	}
	img := r.canvases.get(EmbeddingWidth, EmbeddingHeight)
	title := r.face(22)
	defer title.Close()
	drawText(img, title, clip(c.Title), 16, 32, ink)
	r.drawWordMap(img, image.Rect(0, embedHeader, EmbeddingWidth, embedHeader+embedMap), m)
	top := embedHeader + embedMap
	curve, err := r.varianceImage(v, image.Pt(0, top))
	if err != nil {
		r.canvases.put(img)
		return nil, err
	}
	draw.Draw(img, image.Rect(0, top, EmbeddingWidth, top+embedCurve), curve.i, image.Point{}, draw.Src)
	r.rasters.put(curve)
	return img, nil
}

// drawWordMap draws the scatter into area.
func (r *Renderer) drawWordMap(img *image.RGBA, area image.Rectangle, m WordMap) {
	head, tick, label, bold := r.face(17), r.face(14), r.face(15), r.face(18)
	defer head.Close()
	defer tick.Close()
	defer label.Close()
	defer bold.Close()

	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range m.Points {
		xlo, xhi = math.Min(xlo, p.X), math.Max(xhi, p.X)
		ylo, yhi = math.Min(ylo, p.Y), math.Max(yhi, p.Y)
	}
	xt, yt := niceTicks(xlo, xhi, 7), niceTicks(ylo, yhi, 6)
	xlo, xhi = xt[0].Value, xt[len(xt)-1].Value
	ylo, yhi = yt[0].Value, yt[len(yt)-1].Value

	yLabels := make([]string, len(yt))
	for i, t := range yt {
		yLabels[i] = t.Label
	}
	plot := image.Rect(area.Min.X+48+maxWidth(tick, yLabels), area.Min.Y+40, area.Max.X-24, area.Max.Y-56)
	drawText(img, head, clip(m.Title), area.Min.X+16, area.Min.Y+24, ink)

	px := func(x float64) int { return plot.Min.X + int(math.Round((x-xlo)/(xhi-xlo)*float64(plot.Dx()-1))) }
	py := func(y float64) int { return plot.Max.Y - 1 - int(math.Round((y-ylo)/(yhi-ylo)*float64(plot.Dy()-1))) }

	// Grid, frame and ticks.
	grid := color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
	for _, t := range xt {
		x := px(t.Value)
		fillRect(img, image.Rect(x, plot.Min.Y, x+1, plot.Max.Y), grid)
		w := textWidth(tick, t.Label)
		drawText(img, tick, t.Label, x-w/2, plot.Max.Y+18, ink)
	}
	for _, t := range yt {
		y := py(t.Value)
		fillRect(img, image.Rect(plot.Min.X, y, plot.Max.X, y+1), grid)
		drawText(img, tick, t.Label, plot.Min.X-8-textWidth(tick, t.Label), y+5, ink)
	}
	frameRect(img, plot, faint)
	drawText(img, label, clip(m.XAxis), plot.Min.X, area.Max.Y-12, faint)
	r.text(img, label, shorten(label, clip(m.YAxis), plot.Dx()/3), plot.Min.X+6, plot.Min.Y+18, faint)

	// Dots: plain first, the asked word last, so that it is on top.
	radius := map[PointKind]float64{PointPlain: 2.5, PointFrequent: 3.5, PointNeighbor: 5, PointAsked: 7}
	colour := map[PointKind]color.RGBA{PointPlain: colorPlain, PointFrequent: colorFrequent, PointNeighbor: colorNeighbor, PointAsked: colorAsked}
	for kind := PointPlain; kind <= PointAsked; kind++ {
		for _, p := range m.Points {
			if p.Kind == kind {
				disc(img, px(p.X), py(p.Y), radius[kind], colour[kind])
			}
		}
	}

	// Labels, most important first; each takes the first free place.
	var taken []image.Rectangle
	for kind := PointAsked; kind >= PointPlain; kind-- {
		f := label
		if kind == PointAsked {
			f = bold
		}
		for _, p := range m.Points {
			if p.Kind != kind || strings.TrimSpace(p.Label) == "" {
				continue
			}
			s := clipRunes(p.Label, maxLabelRunes)
			x, y := px(p.X), py(p.Y)
			box, far, ok := placeLabel(f, s, x, y, radius[kind], plot, taken, kind >= PointNeighbor)
			if !ok {
				continue
			}
			taken = append(taken, box.Inset(-4)) // keep words apart
			if far {
				line(img, x, y, box.Min.X+box.Dx()/2, box.Min.Y+box.Dy()/2, colorLeader, box)
			}
			c := ink
			if kind >= PointNeighbor {
				c = colour[kind]
				if kind == PointNeighbor {
					c = color.RGBA{0xa8, 0x50, 0x00, 0xff} // darker orange for text
				}
			}
			// A white halo keeps the word readable over dots and grid.
			fillRect(img, box, color.RGBA{0xff, 0xff, 0xff, 0xff})
			drawText(img, f, s, box.Min.X+1, box.Max.Y-f.Metrics().Descent.Ceil()-1, c)
		}
	}
}

// placeLabel finds a box for s near the dot at (x, y) that stays inside
// plot and overlaps nothing taken: right, left, above, below, then the
// diagonals; with far set, also rings further out (reported as far).
func placeLabel(f font.Face, s string, x, y int, rad float64, plot image.Rectangle, taken []image.Rectangle, far bool) (image.Rectangle, bool, bool) {
	w := textWidth(f, s) + 2
	m := f.Metrics()
	h := (m.Ascent + m.Descent).Ceil() + 2
	gap := int(rad) + 3
	try := func(cx, cy int) (image.Rectangle, bool) { // (cx, cy): box centre
		b := image.Rect(cx-w/2, cy-h/2, cx-w/2+w, cy-h/2+h)
		if !b.In(plot) {
			return b, false
		}
		for _, t := range taken {
			if b.Overlaps(t) {
				return b, false
			}
		}
		return b, true
	}
	near := [][2]int{
		{x + gap + w/2, y}, {x - gap - w/2, y}, {x, y - gap - h/2}, {x, y + gap + h/2},
		{x + gap + w/2, y - gap}, {x - gap - w/2, y - gap}, {x + gap + w/2, y + gap}, {x - gap - w/2, y + gap},
	}
	for _, c := range near {
		if b, ok := try(c[0], c[1]); ok {
			return b, false, true
		}
	}
	if !far {
		return image.Rectangle{}, false, false
	}
	for ring := 1; ring <= 8; ring++ {
		d := float64(gap + ring*18)
		for a := 0; a < 16; a++ {
			t := float64(a) * math.Pi / 8
			cx := x + int(math.Round(math.Cos(t)*(d+float64(w)/2)))
			cy := y - int(math.Round(math.Sin(t)*d))
			if b, ok := try(cx, cy); ok {
				return b, true, true
			}
		}
	}
	return image.Rectangle{}, false, false
}

// varianceImage draws the explained-variance curve with go-chart, to be
// copied to origin.
func (r *Renderer) varianceImage(v VarianceCurve, origin image.Point) (*raster, error) {
	show := v.Show
	if show <= 0 || show > len(v.Share) {
		show = len(v.Share)
	}
	show = max(show, v.K, 2)
	show = min(show, len(v.Share))
	xs := make([]float64, show)
	ys := make([]float64, show)
	for i := range show {
		xs[i] = float64(i + 1)
		ys[i] = 100 * v.Share[i]
	}
	if show == 1 { // one point: a flat line still shows the value
		xs = append(xs, 2)
		ys = append(ys, ys[0])
	}
	yTicks := niceTicks(0, 100, 6)
	xTicks := niceTicks(1, float64(max(show, 2)), 10)
	if xTicks[0].Value < 1 {
		xTicks[0] = chart.Tick{Value: 1, Label: "1"}
	}
	k := float64(v.K)
	sk := 100 * v.Share[v.K-1]
	text := chart.Style{FontSize: 15, FontColor: colorText}
	c := chart.Chart{
		Title:      clip(v.Title),
		TitleStyle: chart.Style{FontSize: 17, FontColor: colorText},
		Width:      EmbeddingWidth,
		Height:     embedCurve,
		DPI:        72,
		Font:       r.font,
		Background: chart.Style{Padding: chart.Box{Top: 44, Left: 20, Right: 30, Bottom: 10}, FillColor: invisible, StrokeColor: invisible},
		Canvas:     chart.Style{FillColor: invisible, StrokeColor: invisible},
		XAxis: chart.XAxis{
			Name: clip(v.XAxis), NameStyle: text, Style: text,
			Range: &chart.ContinuousRange{Min: 1, Max: xTicks[len(xTicks)-1].Value},
			Ticks: xTicks,
		},
		YAxis: chart.YAxis{
			Name: clip(v.YAxis), NameStyle: text, Style: text,
			Range:          &chart.ContinuousRange{Min: 0, Max: 100},
			Ticks:          yTicks,
			GridMajorStyle: chart.Style{StrokeColor: colorGrid, StrokeWidth: 1},
		},
		Series: []chart.Series{
			chart.ContinuousSeries{XValues: xs, YValues: ys, Style: chart.Style{StrokeColor: colorSeqA, StrokeWidth: 3}},
			chart.ContinuousSeries{XValues: []float64{k, k}, YValues: []float64{0, 100},
				Style: chart.Style{StrokeColor: colorSeqC, StrokeWidth: 2, StrokeDashArray: []float64{6, 4}}},
			chart.ContinuousSeries{XValues: []float64{k}, YValues: []float64{sk},
				Style: chart.Style{StrokeWidth: chart.Disabled, DotWidth: 6, DotColor: colorSeqC}},
		},
	}
	if strings.TrimSpace(v.KLabel) != "" { // go-chart hangs on an empty annotation
		c.Series = append(c.Series, chart.AnnotationSeries{
			Annotations: []chart.Value2{{XValue: k, YValue: sk, Label: clip(v.KLabel)}},
			Style:       chart.Style{FontSize: 15, FontColor: colorText, StrokeColor: colorSeqC, FillColor: chart.ColorWhite},
		})
	}
	rr, err := r.renderAt(c, EmbeddingWidth, embedCurve, origin)
	if err != nil {
		return nil, fmt.Errorf("charts: variance curve: %w", err)
	}
	return rr, nil
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r.Intersect(img.Rect), image.NewUniform(c), image.Point{}, draw.Src)
}

// line draws a one-pixel line from (x0, y0) towards (x1, y1), stopping at
// the edge of box.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA, box image.Rectangle) {
	n := max(abs(x1-x0), abs(y1-y0))
	for i := 0; i <= n; i++ {
		x := x0 + (x1-x0)*i/max(n, 1)
		y := y0 + (y1-y0)*i/max(n, 1)
		p := image.Point{x, y}
		if p.In(box) {
			return
		}
		if p.In(img.Rect) {
			img.SetRGBA(x, y, c)
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
