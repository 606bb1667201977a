package charts

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
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

// WordMap is a scatter plot of words. Labels never overlap each other,
// the dots of labelled words or the plot's edge: they are placed in order
// of importance (asked word, neighbours, then the other labelled points
// in the order given) and a label with no free place near its dot is left
// out, except the asked word's and the neighbours', which move further
// out with a thin leader line.
type WordMap struct {
	Title string
	Note  string // a line or two under the title, e.g. what the map can and cannot show
	// Rays draws a faint line from (0, 0) through each asked word: when
	// the map is the whole space (k = 2), its neighbours by cosine are the
	// words nearest that direction.
	Rays   bool
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
	embedMap        = 660
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
	colorCurveK   = drawing.Color{R: 0xd6, G: 0x27, B: 0x28, A: 0xff} // the chosen k on the curve, red as the asked word
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
	title, s := r.fitText(clip(c.Title), EmbeddingWidth-32, 22, 20, 18)
	r.text(img, title, s, 16, 32, ink)
	title.Close()
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

// drawWordMap draws the scatter into area: the title, the note under it,
// the y axis's name above the plot (written across), the plot, and the x
// axis's name under it.
func (r *Renderer) drawWordMap(img *image.RGBA, area image.Rectangle, m WordMap) {
	tick, label, bold, note := r.face(14), r.face(15), r.face(18), r.face(15)
	defer tick.Close()
	defer label.Close()
	defer bold.Close()
	defer note.Close()

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
	room := area.Dx() - 32
	head, title := r.fitText(clip(m.Title), room, 17, 16, 15)
	r.text(img, head, title, area.Min.X+16, area.Min.Y+24, ink)
	head.Close()
	y := area.Min.Y + 24
	for _, l := range wrap(note, clip(m.Note), room, 2) {
		y += 20
		r.text(img, note, l, area.Min.X+16, y, faint)
	}
	plot := image.Rect(area.Min.X+24+maxWidth(tick, yLabels), y+32, area.Max.X-24, area.Max.Y-54)
	r.text(img, label, shorten(label, clip(m.YAxis), room), plot.Min.X, plot.Min.Y-9, faint)

	// Values map into the plot less a margin, so that a dot at the end of
	// the range is not cut by the frame.
	data := plot.Inset(8)
	pxf := func(x float64) float64 { return float64(data.Min.X) + (x-xlo)/(xhi-xlo)*float64(data.Dx()-1) }
	pyf := func(y float64) float64 { return float64(data.Max.Y-1) - (y-ylo)/(yhi-ylo)*float64(data.Dy()-1) }
	px := func(x float64) int { return int(math.Round(pxf(x))) }
	py := func(y float64) int { return int(math.Round(pyf(y))) }

	// Grid, frame and ticks; a tick label that would crowd the one before
	// is left out.
	grid := color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
	lastX := math.MinInt
	for _, t := range xt {
		x := px(t.Value)
		fillRect(img, image.Rect(x, plot.Min.Y, x+1, plot.Max.Y), grid)
		w := textWidth(tick, t.Label)
		if x0 := min(max(x-w/2, area.Min.X+2), area.Max.X-2-w); x0 > lastX+8 {
			r.text(img, tick, t.Label, x0, plot.Max.Y+22, ink)
			lastX = x0 + w
		}
	}
	for _, t := range yt {
		y := py(t.Value)
		fillRect(img, image.Rect(plot.Min.X, y, plot.Max.X, y+1), grid)
		r.text(img, tick, t.Label, plot.Min.X-8-textWidth(tick, t.Label), y+5, ink)
	}
	frameRect(img, plot, faint)
	r.text(img, label, shorten(label, clip(m.XAxis), room), plot.Min.X, area.Max.Y-12, faint)

	if m.Rays {
		ray := color.RGBA{0xf0, 0xb0, 0xb0, 0xff}
		for _, p := range m.Points {
			if h := math.Hypot(p.X, p.Y); p.Kind == PointAsked && h > 0 {
				// From the origin, far enough along the direction to leave the plot.
				l := 4 * ((xhi - xlo) + (yhi - ylo) + math.Abs(xlo) + math.Abs(ylo)) / h
				segment(img, pxf(0), pyf(0), pxf(p.X*l), pyf(p.Y*l), ray, plot)
			}
		}
	}

	// Labels keep off the dots that matter, not only off each other.
	radius := map[PointKind]float64{PointPlain: 2.5, PointFrequent: 3.5, PointNeighbor: 5, PointAsked: 7}
	colour := map[PointKind]color.RGBA{PointPlain: colorPlain, PointFrequent: colorFrequent, PointNeighbor: colorNeighbor, PointAsked: colorAsked}
	taken := newBoxIndex(area)
	for _, p := range m.Points {
		if p.Kind != PointPlain {
			d := int(math.Ceil(radius[p.Kind]))
			x, y := px(p.X), py(p.Y)
			taken.add(image.Rect(x-d, y-d, x+d+1, y+d+1))
		}
	}

	// Labels, most important first; each takes the first free place.
	type placed struct {
		s        string
		box      image.Rectangle
		x, y     int
		far      bool
		kind     PointKind
		baseline int
	}
	var labels []placed
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
			box, far, ok := placeLabel(f, s, x, y, radius[kind], plot.Inset(2), taken, kind >= PointNeighbor)
			if !ok {
				continue
			}
			taken.add(box.Inset(-labelGap))
			labels = append(labels, placed{s, box, x, y, far, kind, box.Max.Y - f.Metrics().Descent.Ceil() - 1})
		}
	}
	// Leader lines first, then the dots (plain first, the asked word last,
	// on top), then the words: no line crosses a dot or a word.
	for _, l := range labels {
		if l.far {
			line(img, l.x, l.y, l.box.Min.X+l.box.Dx()/2, l.box.Min.Y+l.box.Dy()/2, colorLeader, l.box)
		}
	}
	for kind := PointPlain; kind <= PointAsked; kind++ {
		for _, p := range m.Points {
			if p.Kind == kind {
				disc(img, px(p.X), py(p.Y), radius[kind], colour[kind])
			}
		}
	}
	for _, l := range labels {
		f, c := label, ink
		switch l.kind {
		case PointAsked:
			f, c = bold, colorAsked
		case PointNeighbor:
			c = color.RGBA{0xa8, 0x50, 0x00, 0xff} // darker orange for text
		}
		// A white halo keeps the word readable over grey dots and grid.
		fillRect(img, l.box, color.RGBA{0xff, 0xff, 0xff, 0xff})
		r.text(img, f, l.s, l.box.Min.X+1, l.baseline, c)
	}
}

// labelGap is the least room between two words on the map, in pixels.
const labelGap = 6

// wrap breaks s into at most lines lines of at most maxWidth pixels in f,
// at spaces; the last line ends in "…" if the text goes on.
func wrap(f font.Face, s string, maxWidth, lines int) []string {
	var out []string
	words := strings.Fields(s)
	widths := make([]int, len(words)) // each word measured once
	for i, w := range words {
		widths[i] = textWidth(f, w)
	}
	space := textWidth(f, " ")
	for len(words) > 0 && len(out) < lines {
		n, w := 1, widths[0]
		for n < len(words) && w+space+widths[n] <= maxWidth {
			w += space + widths[n]
			n++
		}
		widths = widths[n:]
		l := strings.Join(words[:n], " ")
		words = words[n:]
		if len(out) == lines-1 && len(words) > 0 {
			l = shorten(f, l+" "+strings.Join(words, " "), maxWidth)
		}
		out = append(out, shorten(f, l, maxWidth))
	}
	return out
}

// placeLabel finds a box for s near the dot at (x, y) that stays inside
// plot and overlaps nothing taken: right, left, above, below, then the
// diagonals; with far set, also rings further out (reported as far).
func placeLabel(f font.Face, s string, x, y int, rad float64, plot image.Rectangle, taken *boxIndex, far bool) (image.Rectangle, bool, bool) {
	w := textWidth(f, s) + 2
	m := f.Metrics()
	h := (m.Ascent + m.Descent).Ceil() + 2
	gap := int(rad) + 3
	try := func(cx, cy int) (image.Rectangle, bool) { // (cx, cy): box centre
		b := image.Rect(cx-w/2, cy-h/2, cx-w/2+w, cy-h/2+h)
		return b, b.In(plot) && !taken.overlaps(b)
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

// boxIndex holds rectangles taken on a canvas and finds whether a new
// one overlaps any of them, looking only at those in the same cells of a
// grid: a map places hundreds of labels, each tried in up to 136 places.
type boxIndex struct {
	origin image.Point
	cols   int
	cells  [][]image.Rectangle // row-major, boxCell pixels square
}

const boxCell = 32

// newBoxIndex returns an empty index for rectangles inside area (others
// are kept in its border cells).
func newBoxIndex(area image.Rectangle) *boxIndex {
	cols, rows := area.Dx()/boxCell+1, area.Dy()/boxCell+1
	return &boxIndex{origin: area.Min, cols: cols, cells: make([][]image.Rectangle, cols*rows)}
}

// span returns the cells r touches, clamped to the grid.
func (ix *boxIndex) span(r image.Rectangle) (x0, y0, x1, y1 int) {
	rows := len(ix.cells) / ix.cols
	c := func(v, n int) int { return max(0, min(n-1, v/boxCell)) }
	r = r.Sub(ix.origin)
	return c(r.Min.X, ix.cols), c(r.Min.Y, rows), c(r.Max.X-1, ix.cols), c(r.Max.Y-1, rows)
}

func (ix *boxIndex) add(r image.Rectangle) {
	x0, y0, x1, y1 := ix.span(r)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			ix.cells[y*ix.cols+x] = append(ix.cells[y*ix.cols+x], r)
		}
	}
}

func (ix *boxIndex) overlaps(r image.Rectangle) bool {
	x0, y0, x1, y1 := ix.span(r)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			for _, t := range ix.cells[y*ix.cols+x] {
				if r.Overlaps(t) {
					return true
				}
			}
		}
	}
	return false
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
	// A little room after the last tick keeps its label clear of the y
	// axis's lowest one, at the same corner (go-chart takes the range from
	// the ticks, so an unlabelled one marks the end).
	last := xTicks[len(xTicks)-1].Value
	xEnd := last + (last-1)*0.04
	xTicks = append(xTicks, chart.Tick{Value: xEnd})
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
			Range: &chart.ContinuousRange{Min: 1, Max: xEnd},
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
				Style: chart.Style{StrokeColor: colorCurveK, StrokeWidth: 2, StrokeDashArray: []float64{6, 4}}},
			chart.ContinuousSeries{XValues: []float64{k}, YValues: []float64{sk},
				Style: chart.Style{StrokeWidth: chart.Disabled, DotWidth: 6, DotColor: colorCurveK}},
		},
	}
	if strings.TrimSpace(v.KLabel) != "" { // go-chart hangs on an empty annotation
		c.Series = append(c.Series, chart.AnnotationSeries{
			Annotations: []chart.Value2{{XValue: k, YValue: sk, Label: clip(v.KLabel)}},
			Style:       chart.Style{FontSize: 15, FontColor: colorText, StrokeColor: colorCurveK, FillColor: chart.ColorWhite},
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

// segment draws the part inside clip of the one-pixel line from (x0, y0)
// to (x1, y1), cut to clip first (Liang and Barsky), so that far-away
// ends cost nothing.
func segment(img *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA, clip image.Rectangle) {
	dx, dy := x1-x0, y1-y0
	t0, t1 := 0.0, 1.0
	for _, e := range [4][2]float64{
		{-dx, x0 - float64(clip.Min.X)}, {dx, float64(clip.Max.X-1) - x0},
		{-dy, y0 - float64(clip.Min.Y)}, {dy, float64(clip.Max.Y-1) - y0},
	} {
		p, q := e[0], e[1]
		switch {
		case p == 0:
			if q < 0 {
				return
			}
		case p < 0:
			t0 = math.Max(t0, q/p)
		default:
			t1 = math.Min(t1, q/p)
		}
	}
	if !(t0 <= t1) {
		return
	}
	ax, ay, bx, by := x0+t0*dx, y0+t0*dy, x0+t1*dx, y0+t1*dy
	n := int(math.Ceil(math.Max(math.Abs(bx-ax), math.Abs(by-ay)))) + 1
	for i := 0; i <= n; i++ {
		p := image.Pt(int(math.Round(ax+(bx-ax)*float64(i)/float64(n))), int(math.Round(ay+(by-ay)*float64(i)/float64(n))))
		if p.In(clip) {
			img.SetRGBA(p.X, p.Y, c)
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
