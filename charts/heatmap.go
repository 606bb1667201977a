package charts

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Palette is a colour scale for a heatmap.
type Palette int

const (
	// Diverging runs blue → white → red, for values around zero (−1..1).
	Diverging Palette = iota
	// Sequential is viridis, dark to bright, for weights in 0..1.
	Sequential
)

// Heatmap describes a matrix drawn as coloured cells, row 0 at the top.
type Heatmap struct {
	Title    string
	Values   [][]float64 // rows × columns; every row the same length
	RowAxis  string      // name of the vertical axis, shown above the row labels
	ColAxis  string      // name of the horizontal axis, shown below the plot
	RowNames []string    // a label per row; nil for numeric ticks 0..rows−1
	// ColNames are a label per column (nil for numeric ticks), written
	// across, never turned: whole when every one fits its column, else
	// shortened when that keeps different names apart, else the columns
	// are numbered 1..n and, when RowNames are the same names, the row
	// labels get the numbers as the key ("3 на").
	ColNames []string
	// NumberedColAxis replaces ColAxis when the columns are numbered
	// (e.g. to say that a column's number is its row's); "" keeps ColAxis.
	NumberedColAxis string
	// NoGlyph is drawn, in titles and labels, for each run of characters
	// the font has no glyph for (emoji, mostly), e.g. "[эмодзи]"; "" draws
	// "?". Labels made only of punctuation or symbols ("," "!" "—") are
	// drawn in «» so that they can be seen.
	NoGlyph  string
	Min, Max float64 // colour scale; Min == Max takes the data's range
	Palette  Palette
	// OutlineRow frames one row (counted from 1) in red, e.g. the current
	// token; 0 frames none.
	OutlineRow int
	// ShowValues writes each value (two decimals) in its cell when the
	// cells are large enough to hold it.
	ShowValues bool
}

// Size of heatmaps in pixels: 720×480 reads well on a phone and is what
// Telegram shows anyway. With RowNames (ColNames), the height (width)
// grows when needed so that every row (column) gets minNamedRow pixels and
// every name is shown (32 named rows give about 880 pixels).
const (
	HeatmapWidth  = 720
	HeatmapHeight = 480
	minNamedRow   = 20
)

var (
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink   = color.RGBA{0x22, 0x22, 0x22, 0xff}
	faint = color.RGBA{0x88, 0x88, 0x88, 0xff}
)

// Heatmap draws h straight into an RGBA image (no vector renderer: each
// pixel looks up its cell) with tick labels and a colour scale.
func (r *Renderer) Heatmap(h Heatmap) ([]byte, error) {
	img, err := r.heatmapImage(h)
	if err != nil {
		return nil, err
	}
	defer r.canvases.put(img)
	return r.encode(img)
}

func (r *Renderer) heatmapImage(h Heatmap) (*image.RGBA, error) {
	rows := len(h.Values)
	if rows == 0 || len(h.Values[0]) == 0 {
		return nil, ErrNoData
	}
	cols := len(h.Values[0])
	if rows*cols > MaxPoints {
		return nil, ErrTooMuchData
	}
	lo, hi := h.Min, h.Max
	if lo == hi {
		lo, hi = math.Inf(1), math.Inf(-1)
	}
	for _, row := range h.Values {
		if len(row) != cols {
			return nil, fmt.Errorf("charts: heatmap rows differ in length: %d and %d", cols, len(row))
		}
		if h.Min == h.Max {
			for _, v := range row {
				if !math.IsNaN(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if math.IsInf(lo, 1) { // all NaN
		lo, hi = 0, 1
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	if h.RowNames != nil && len(h.RowNames) != rows || h.ColNames != nil && len(h.ColNames) != cols {
		return nil, fmt.Errorf("charts: heatmap labels do not match a %d×%d matrix", rows, cols)
	}

	tick, name := r.face(15), r.face(16)
	defer tick.Close()
	defer name.Close()
	noGlyph := h.NoGlyph
	if noGlyph == "" {
		noGlyph = "?"
	}
	show := func(s string) string { return r.label(s, noGlyph) }

	// Layout: title, row axis name, plot, column labels, column axis name;
	// the colour bar on the right. Column labels are written across; they
	// decide whether the row labels carry numbers, which sets the left
	// margin, which sets the columns' width: the widths are worked out for
	// words first, then for numbers if words do not fit.
	rowLabels, rowAt := axisLabels(h.RowNames, rows, show)
	colLabels, colAt := axisLabels(h.ColNames, cols, show)
	top := 92
	bottom := 56 // column axis name
	colLabelSpace := 30
	right := 120
	height := HeatmapHeight
	if h.RowNames != nil {
		height = max(height, top+rows*minNamedRow+colLabelSpace+bottom)
	}
	layout := func(rowLabels []string) (left, width int, cellW float64) {
		left = 16 + maxWidth(tick, rowLabels) + 8
		width = HeatmapWidth
		if h.ColNames != nil {
			width = max(width, left+cols*minNamedRow+right)
		}
		return left, width, float64(width-right-left) / float64(cols)
	}
	left, width, cellW := layout(rowLabels)
	colAxis := h.ColAxis
	if h.ColNames != nil {
		var ok bool
		if colLabels, ok = fitColumns(tick, colLabels, int(cellW)-6, noGlyph); !ok {
			colLabels = make([]string, cols)
			for i := range colLabels {
				colLabels[i] = strconv.Itoa(i + 1)
			}
			if slices.Equal(h.RowNames, h.ColNames) {
				for i := range rowLabels {
					rowLabels[i] = strconv.Itoa(i+1) + " " + rowLabels[i]
				}
				left, width, cellW = layout(rowLabels)
			}
			if h.NumberedColAxis != "" {
				colAxis = h.NumberedColAxis
			}
		}
	}
	plot := image.Rect(left, top, width-right, height-bottom-colLabelSpace)
	img := r.canvases.get(width, height) // white

	title, t := r.fitText(show(clip(h.Title)), width-32, 22, 20, 18)
	r.text(img, title, t, 16, 34, ink)
	title.Close()
	r.text(img, name, shorten(name, show(clip(h.RowAxis)), width-32), 16, top-14, faint)
	lut := h.Palette.lut()
	fillCells(img, plot, h.Values, lo, hi, lut)
	if h.ShowValues {
		r.cellValues(img, plot, h.Values, lo, hi, lut)
	}
	outline := color.RGBA{0xd6, 0x27, 0x28, 0xff}
	if h.OutlineRow >= 1 && h.OutlineRow <= rows {
		y0 := plot.Min.Y + (h.OutlineRow-1)*plot.Dy()/rows
		y1 := plot.Min.Y + h.OutlineRow*plot.Dy()/rows
		for k := range 3 {
			frameRect(img, image.Rect(plot.Min.X-k, y0-k, plot.Max.X+k, y1+k), outline)
		}
	}

	// Row labels, right-aligned beside their cell; skip ones that would overlap.
	cellH := float64(plot.Dy()) / float64(rows)
	lastY := -100
	for i, s := range rowLabels {
		y := plot.Min.Y + int((float64(rowAt[i])+0.5)*cellH) + 5
		if y-lastY < 17 {
			continue
		}
		lastY = y
		c := ink
		if rowAt[i] == h.OutlineRow-1 {
			c = outline
		}
		r.text(img, tick, s, left-8-textWidth(tick, s), y, c)
	}
	// Column labels centred below their column; numeric ticks are skipped
	// where they would crowd.
	lastX := -100
	for i, s := range colLabels {
		x := plot.Min.X + int((float64(colAt[i])+0.5)*cellW)
		w := textWidth(tick, s)
		if x-w/2-lastX < 6 {
			continue
		}
		lastX = x + w - w/2
		r.text(img, tick, s, x-w/2, plot.Max.Y+20, ink)
	}
	// The column axis name starts under the plot, or further left when
	// that is what it takes to show it whole.
	colAxis = shorten(name, show(clip(colAxis)), width-32)
	r.text(img, name, colAxis, max(16, min(plot.Min.X, width-16-textWidth(name, colAxis))), height-18, faint)
	r.colourBar(img, image.Rect(plot.Max.X+24, plot.Min.Y, plot.Max.X+44, plot.Max.Y), lo, hi, lut, tick)
	return img, nil
}

// label is s as a chart can show it: runs of characters without a glyph
// as noGlyph, and a label made only of punctuation or symbols in «», so
// that a lone "," or "." is more than a speck.
func (r *Renderer) label(s, noGlyph string) string {
	s = r.drawable(s, noGlyph)
	if s == "" || s == noGlyph {
		return s
	}
	for _, c := range s {
		if !unicode.IsPunct(c) && !unicode.IsSymbol(c) {
			return s
		}
	}
	return "«" + s + "»"
}

// CanDraw reports whether the charts' font has a glyph for every
// character of s; the others (emoji, mostly) are drawn as a placeholder
// (see Heatmap.NoGlyph).
func (r *Renderer) CanDraw(s string) bool {
	for _, c := range s {
		if r.font.Index(c) == 0 && c != ' ' {
			return false
		}
	}
	return true
}

// fitColumns returns the column labels written across columns room
// pixels wide: whole if they all fit, else each shortened with "…" when
// that keeps at least three characters of each, different labels
// different and keep (a placeholder) whole; ok is false if neither works.
func fitColumns(f font.Face, labels []string, room int, keep string) ([]string, bool) {
	if maxWidth(f, labels) <= room {
		return labels, true
	}
	out := make([]string, len(labels))
	from := make(map[string]string, len(labels)) // shortened → whole
	for i, s := range labels {
		t := shorten(f, s, room)
		if t != s && (utf8.RuneCountInString(strings.TrimSuffix(t, "…")) < 3 || strings.Contains(s, keep)) {
			return nil, false
		}
		if whole, ok := from[t]; ok && whole != s {
			return nil, false
		}
		from[t], out[i] = s, t
	}
	return out, true
}

// colourBar draws the colour scale in bar from lo (bottom) to hi (top) in
// 64 steps (a step is several pixels tall, so its rows repeat, which the
// quantizer and deflate both profit from), labelled with the values at
// its ends and round values between them.
func (r *Renderer) colourBar(img *image.RGBA, bar image.Rectangle, lo, hi float64, lut *[256]color.RGBA, f font.Face) {
	const steps = 64
	for y := bar.Min.Y; y < bar.Max.Y; y++ {
		step := (bar.Max.Y - 1 - y) * steps / bar.Dy() // 0 at the bottom
		draw.Draw(img, image.Rect(bar.Min.X, y, bar.Max.X, y+1), image.NewUniform(lut[step*255/(steps-1)]), image.Point{}, draw.Src)
	}
	yAt := func(v float64) int { return bar.Max.Y - 1 - int(math.Round((v-lo)/(hi-lo)*float64(bar.Dy()-1))) }
	mark := func(v float64, s string) {
		y := yAt(v)
		draw.Draw(img, image.Rect(bar.Max.X, y, bar.Max.X+5, y+1), image.NewUniform(ink), image.Point{}, draw.Src)
		r.text(img, f, s, bar.Max.X+8, y+5, ink)
	}
	// The ends say what the darkest and brightest colours mean (3
	// decimals at most); round values between them where there is room.
	mark(lo, formatNumber(lo, 0.001))
	mark(hi, formatNumber(hi, 0.001))
	ticks := niceTicks(lo, hi, 6)
	step := 0.0
	if len(ticks) > 1 {
		step = ticks[1].Value - ticks[0].Value
	}
	for _, t := range ticks {
		if y := yAt(t.Value); y > yAt(hi)+20 && y < yAt(lo)-20 {
			mark(t.Value, formatNumber(t.Value, step))
		}
	}
}

// fillCells colours every pixel of plot by the cell under it.
func fillCells(img *image.RGBA, plot image.Rectangle, values [][]float64, lo, hi float64, lut *[256]color.RGBA) {
	rows, cols := len(values), len(values[0])
	colOf := make([]int, plot.Dx())
	for x := range colOf {
		colOf[x] = x * cols / plot.Dx()
	}
	scale := 255 / (hi - lo)
	colour := make([]color.RGBA, cols)
	prevRow := -1
	var prev []byte
	for y := plot.Min.Y; y < plot.Max.Y; y++ {
		off := img.PixOffset(plot.Min.X, y)
		pix := img.Pix[off : off+4*plot.Dx()]
		r := (y - plot.Min.Y) * rows / plot.Dy()
		if r == prevRow {
			copy(pix, prev) // the same cells as the pixel row above
			continue
		}
		for c, v := range values[r] {
			k := 0
			switch {
			case math.IsNaN(v):
				k = -1
			case v >= hi:
				k = 255
			case v > lo:
				k = int((v-lo)*scale + 0.5)
			}
			colour[c] = faint
			if k >= 0 {
				colour[c] = lut[k]
			}
		}
		for x, c := range colOf {
			col := colour[c]
			pix[4*x], pix[4*x+1], pix[4*x+2], pix[4*x+3] = col.R, col.G, col.B, 0xff
		}
		prevRow, prev = r, pix
	}
}

// cellValues writes each value in its cell, white on dark colours and
// dark on light ones, if the cells are at least 40×20 pixels.
func (r *Renderer) cellValues(img *image.RGBA, plot image.Rectangle, values [][]float64, lo, hi float64, lut *[256]color.RGBA) {
	rows, cols := len(values), len(values[0])
	if plot.Dx()/cols < 40 || plot.Dy()/rows < 20 {
		return
	}
	f := r.face(14)
	defer f.Close()
	for i, row := range values {
		y := plot.Min.Y + (2*i+1)*plot.Dy()/(2*rows) + 5
		for j, v := range row {
			if math.IsNaN(v) {
				continue
			}
			s := strings.Replace(fmt.Sprintf("%.2f", v), "-", "−", 1)
			k := int(math.Max(0, math.Min(255, (v-lo)/(hi-lo)*255+0.5)))
			c := lut[k]
			txt := ink
			if 299*int(c.R)+587*int(c.G)+114*int(c.B) < 140000 {
				txt = white
			}
			x := plot.Min.X + (2*j+1)*plot.Dx()/(2*cols) - textWidth(f, s)/2
			r.text(img, f, s, x, y, txt)
		}
	}
}

// frameRect draws the one-pixel border of r.
func frameRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for _, e := range []image.Rectangle{
		image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1), image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y),
		image.Rect(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y), image.Rect(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y),
	} {
		draw.Draw(img, e.Intersect(img.Rect), image.NewUniform(c), image.Point{}, draw.Src)
	}
}

// axisLabels returns the labels to show and the index each stands at:
// the names as show makes them, when given, otherwise numbers at a round
// step.
func axisLabels(names []string, n int, show func(string) string) ([]string, []int) {
	if names != nil {
		at := make([]int, n)
		for i := range at {
			at[i] = i
		}
		out := make([]string, n)
		for i, s := range names {
			out[i] = clipRunes(show(s), 16)
		}
		return out, at
	}
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100} {
		step = s
		if n/s <= 12 {
			break
		}
	}
	var labels []string
	var at []int
	for i := 0; i < n; i += step {
		labels = append(labels, fmt.Sprint(i))
		at = append(at, i)
	}
	return labels, at
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func textWidth(f font.Face, s string) int { return font.MeasureString(f, s).Ceil() }

func maxWidth(f font.Face, ss []string) int {
	w := 0
	for _, s := range ss {
		w = max(w, textWidth(f, s))
	}
	return w
}

// drawText draws s with its baseline at y, starting at x.
func drawText(img draw.Image, f font.Face, s string, x, y int, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// lut returns the 256-step colour table of the palette.
func (p Palette) lut() *[256]color.RGBA {
	stops := [][3]float64{{33, 102, 172}, {146, 197, 222}, {247, 247, 247}, {244, 165, 130}, {178, 24, 43}} // RdBu, reversed
	if p == Sequential {
		stops = [][3]float64{{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}} // viridis
	}
	var t [256]color.RGBA
	for i := range t {
		f := float64(i) / 255 * float64(len(stops)-1)
		k := min(int(f), len(stops)-2)
		u := f - float64(k)
		a, b := stops[k], stops[k+1]
		t[i] = color.RGBA{
			uint8(a[0] + (b[0]-a[0])*u + 0.5),
			uint8(a[1] + (b[1]-a[1])*u + 0.5),
			uint8(a[2] + (b[2]-a[2])*u + 0.5),
			0xff,
		}
	}
	return &t
}
