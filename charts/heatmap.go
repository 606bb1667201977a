package charts

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

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
	ColNames []string    // a label per column, drawn upright; nil for numeric ticks
	Min, Max float64     // colour scale; Min == Max takes the data's range
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

	title, tick, name := r.face(22), r.face(15), r.face(16)
	defer title.Close()
	defer tick.Close()
	defer name.Close()

	// Layout: title, row axis name, plot, column labels, column axis name;
	// the colour bar on the right.
	rowLabels, rowAt := axisLabels(h.RowNames, rows)
	colLabels, colAt := axisLabels(h.ColNames, cols)
	left := 16 + maxWidth(tick, rowLabels) + 8
	top := 92
	bottom := 56 // column axis name
	colLabelSpace := 24
	if h.ColNames != nil {
		colLabelSpace = maxWidth(tick, colLabels) + 10
	}
	right := 120
	height := HeatmapHeight
	if h.RowNames != nil {
		height = max(height, top+rows*minNamedRow+colLabelSpace+bottom)
	}
	width := HeatmapWidth
	if h.ColNames != nil {
		width = max(width, left+cols*minNamedRow+right)
	}
	plot := image.Rect(left, top, width-right, height-bottom-colLabelSpace)
	img := r.canvases.get(width, height) // white

	drawText(img, title, clip(h.Title), 16, 34, ink)
	drawText(img, name, clip(h.RowAxis), 16, top-14, faint)
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
		drawText(img, tick, s, left-8-textWidth(tick, s), y, c)
	}
	// Column labels: numbers centred below, names upright.
	cellW := float64(plot.Dx()) / float64(cols)
	lastX := -100
	for i, s := range colLabels {
		x := plot.Min.X + int((float64(colAt[i])+0.5)*cellW)
		if h.ColNames != nil {
			if x-lastX < 17 {
				continue
			}
			lastX = x
			drawUpright(img, tick, s, x+5, plot.Max.Y+6, ink)
			continue
		}
		w := textWidth(tick, s)
		if x-w/2-lastX < 10 {
			continue
		}
		lastX = x + w/2
		drawText(img, tick, s, x-w/2, plot.Max.Y+20, ink)
	}
	drawText(img, name, clip(h.ColAxis), plot.Min.X, height-18, faint)

	// Colour bar in 64 steps (a step is several pixels tall, so its rows
	// repeat, which the quantizer and deflate both profit from), with five
	// ticks.
	bar := image.Rect(plot.Max.X+24, plot.Min.Y, plot.Max.X+44, plot.Max.Y)
	const steps = 64
	for y := bar.Min.Y; y < bar.Max.Y; y++ {
		step := (bar.Max.Y - 1 - y) * steps / bar.Dy() // 0 at the bottom
		draw.Draw(img, image.Rect(bar.Min.X, y, bar.Max.X, y+1), image.NewUniform(lut[step*255/(steps-1)]), image.Point{}, draw.Src)
	}
	for k := range 5 {
		t := float64(k) / 4
		y := bar.Max.Y - 1 - int(t*float64(bar.Dy()-1))
		draw.Draw(img, image.Rect(bar.Max.X, y, bar.Max.X+5, y+1), image.NewUniform(ink), image.Point{}, draw.Src)
		drawText(img, tick, fmt.Sprintf("%.2f", lo+t*(hi-lo)), bar.Max.X+8, y+5, ink)
	}
	return img, nil
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
			drawText(img, f, s, x, y, txt)
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
// the names when given, otherwise numbers at a round step.
func axisLabels(names []string, n int) ([]string, []int) {
	if names != nil {
		at := make([]int, n)
		for i := range at {
			at[i] = i
		}
		out := make([]string, n)
		for i, s := range names {
			out[i] = clipRunes(s, 16)
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

// drawUpright draws s turned 90° counter-clockwise, reading bottom-up,
// with its top-left corner (before turning) at the plot's lower edge: the
// text runs downward from y, its baseline at x.
func drawUpright(img *image.RGBA, f font.Face, s string, x, y int, c color.Color) {
	w := textWidth(f, s)
	m := f.Metrics()
	h := (m.Ascent + m.Descent).Ceil()
	tmp := image.NewRGBA(image.Rect(0, 0, w, h))
	drawText(tmp, f, s, 0, m.Ascent.Ceil(), c)
	// Rotate clockwise so the word reads top to bottom: (tx, ty) → (x−ty, y+tx).
	for ty := range h {
		for tx := range w {
			p := tmp.RGBAAt(tx, ty)
			if p.A == 0 {
				continue
			}
			dx, dy := x-ty, y+tx
			if !(image.Point{dx, dy}.In(img.Rect)) {
				continue
			}
			blend(img, dx, dy, p)
		}
	}
}

// blend draws premultiplied p over the pixel at (x, y).
func blend(img *image.RGBA, x, y int, p color.RGBA) {
	o := img.PixOffset(x, y)
	a := 255 - uint32(p.A)
	img.Pix[o] = uint8(uint32(p.R) + uint32(img.Pix[o])*a/255)
	img.Pix[o+1] = uint8(uint32(p.G) + uint32(img.Pix[o+1])*a/255)
	img.Pix[o+2] = uint8(uint32(p.B) + uint32(img.Pix[o+2])*a/255)
	img.Pix[o+3] = 0xff
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
