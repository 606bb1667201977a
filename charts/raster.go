package charts

import (
	"fmt"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"image"
	"io"
	"math"
	"sync"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

// imagePool recycles the RGBA canvases charts draw on, one pool per size:
// a 720×450 canvas is 1.3 MB, more than everything else a render
// allocates, and a chart made of parts (the sequence chart's panels, the
// embedding chart's curve) needs canvases of several sizes at once.
type imagePool struct{ sizes sync.Map } // image.Point → *sync.Pool of *image.RGBA

func (ip *imagePool) pool(w, h int) *sync.Pool {
	v, _ := ip.sizes.LoadOrStore(image.Pt(w, h), &sync.Pool{})
	return v.(*sync.Pool)
}

// get returns a canvas of the given size, filled with white.
func (ip *imagePool) get(w, h int) *image.RGBA {
	img, _ := ip.pool(w, h).Get().(*image.RGBA)
	if img == nil {
		img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	whiten(img)
	return img
}

// whiten paints img white: one row by hand, then doubling copies
// (memmove speed).
func whiten(img *image.RGBA) {
	row := img.Pix[:4*img.Rect.Dx()]
	for i := range row {
		row[i] = 0xff
	}
	for done := len(row); done < len(img.Pix); done *= 2 {
		copy(img.Pix[done:], img.Pix[:done])
	}
}

func (ip *imagePool) put(img *image.RGBA) { ip.pool(img.Rect.Dx(), img.Rect.Dy()).Put(img) }

// rasterPool recycles whole go-chart renderers, one pool per size: the
// canvas and the graphic context with its two rasterizers, whose cell
// buffers otherwise grow afresh on every chart (a third of the neuron
// chart's allocation).
type rasterPool struct{ sizes sync.Map } // image.Point → *sync.Pool of *raster

func (rp *rasterPool) pool(size image.Point) *sync.Pool {
	v, _ := rp.sizes.LoadOrStore(size, &sync.Pool{})
	return v.(*sync.Pool)
}

// get returns a renderer with a white canvas of the given size and a
// graphic context in its initial state.
func (rp *rasterPool) get(w, h int, face func(px float64) font.Face) (*raster, error) {
	rr, _ := rp.pool(image.Pt(w, h)).Get().(*raster)
	if rr == nil {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		gc, err := drawing.NewRasterGraphicContext(img)
		if err != nil {
			return nil, err
		}
		rr = &raster{i: img, gc: gc}
	}
	whiten(rr.i)
	rr.gc.StackGraphicContext = drawing.NewStackGraphicContext()
	rr.gc.SetDPI(drawing.DefaultDPI)
	rr.rotateRadians, rr.s, rr.face, rr.path, rr.trace = nil, chart.Style{}, face, rr.path[:0], nil
	return rr, nil
}

func (rp *rasterPool) put(rr *raster) { rp.pool(rr.i.Rect.Size()).Put(rr) }

// render draws a go-chart chart (or bar chart) of size w×h on a pooled
// renderer; the caller reads the canvas rr.i and gives rr back with
// r.rasters.put.
func (r *Renderer) render(c interface {
	Render(chart.RendererProvider, io.Writer) error
}, w, h int) (*raster, error) {
	return r.renderAt(c, w, h, image.Point{})
}

// renderAt is render for a part of a larger chart, to be copied to origin:
// the trace is told where its text ends up.
func (r *Renderer) renderAt(c interface {
	Render(chart.RendererProvider, io.Writer) error
}, w, h int, origin image.Point) (*raster, error) {
	rr, err := r.rasters.get(w, h, r.face)
	if err != nil {
		return nil, err
	}
	if trace := r.trace; trace != nil {
		rr.trace = func(s string, b image.Rectangle) { trace(s, b.Add(origin)) }
	}
	var col collector
	if err := c.Render(rr.provider(), &col); err != nil {
		r.rasters.put(rr)
		return nil, err
	}
	return rr, nil
}

// provider hands go-chart the pooled renderer rr.
func (rr *raster) provider() chart.RendererProvider {
	return func(w, h int) (chart.Renderer, error) {
		if rr.i.Rect.Dx() != w || rr.i.Rect.Dy() != h {
			return nil, fmt.Errorf("charts: renderer is %v, chart wants %dx%d", rr.i.Rect.Size(), w, h)
		}
		return rr, nil
	}
}

// raster is go-chart's PNG renderer (raster_renderer.go, MIT licence,
// © 2016 William Charczuk) drawing on a canvas it is given, and handing
// the canvas back through chart.RGBACollector instead of encoding it.
type raster struct {
	i             *image.RGBA
	gc            *drawing.RasterGraphicContext
	rotateRadians *float64
	s             chart.Style
	face          func(px float64) font.Face // pooled, glyph-caching faces; nil: draw text as paths
	path          []pathPoint                // a dashed path being built (see MoveTo)
	trace         func(text string, box image.Rectangle)
}

// pathPoint is a vertex of a dashed path; move starts a new subpath.
type pathPoint struct {
	x, y float64
	move bool
}

var _ chart.Renderer = (*raster)(nil)

func (rr *raster) ResetStyle() {
	rr.s = chart.Style{Font: rr.s.Font}
	rr.ClearTextRotation()
}
func (rr *raster) GetDPI() float64                        { return rr.gc.GetDPI() }
func (rr *raster) SetDPI(dpi float64)                     { rr.gc.SetDPI(dpi) }
func (rr *raster) SetClassName(string)                    {}
func (rr *raster) SetStrokeColor(c drawing.Color)         { rr.s.StrokeColor = c }
func (rr *raster) SetStrokeWidth(width float64)           { rr.s.StrokeWidth = width }
func (rr *raster) SetStrokeDashArray(dashArray []float64) { rr.s.StrokeDashArray = dashArray }
func (rr *raster) SetFillColor(c drawing.Color)           { rr.s.FillColor = c }
func (rr *raster) SetFont(f *truetype.Font)               { rr.s.Font = f }
func (rr *raster) SetFontSize(size float64)               { rr.s.FontSize = size }
func (rr *raster) SetFontColor(c drawing.Color)           { rr.s.FontColor = c }
func (rr *raster) SetTextRotation(radians float64)        { rr.rotateRadians = &radians }

// A dashed stroke's lines are collected and dashed here (see dashPath):
// go-chart's dasher restarts its pattern at every segment shorter than a
// dash, so a curve sampled every few pixels came out solid.

func (rr *raster) MoveTo(x, y int) {
	if len(rr.s.StrokeDashArray) > 0 {
		rr.path = append(rr.path, pathPoint{float64(x), float64(y), true})
		return
	}
	rr.gc.MoveTo(float64(x), float64(y))
}

func (rr *raster) LineTo(x, y int) {
	if len(rr.path) > 0 {
		rr.path = append(rr.path, pathPoint{float64(x), float64(y), false})
		return
	}
	rr.gc.LineTo(float64(x), float64(y))
}

func (rr *raster) Close() {
	for i := len(rr.path) - 1; i >= 0; i-- {
		if rr.path[i].move {
			rr.path = append(rr.path, pathPoint{rr.path[i].x, rr.path[i].y, false})
			return
		}
	}
	rr.gc.Close()
}

// plainPath hands a collected path to the graphic context undashed, before
// anything but a dashed stroke uses it.
func (rr *raster) plainPath() {
	for _, p := range rr.path {
		if p.move {
			rr.gc.MoveTo(p.x, p.y)
		} else {
			rr.gc.LineTo(p.x, p.y)
		}
	}
	rr.path = rr.path[:0]
}

func (rr *raster) QuadCurveTo(cx, cy, x, y int) {
	rr.plainPath()
	rr.gc.QuadCurveTo(float64(cx), float64(cy), float64(x), float64(y))
}
func (rr *raster) ArcTo(cx, cy int, rx, ry, startAngle, delta float64) {
	rr.plainPath()
	rr.gc.ArcTo(float64(cx), float64(cy), rx, ry, startAngle, delta)
}

func (rr *raster) Stroke() {
	rr.gc.SetStrokeColor(rr.s.StrokeColor)
	rr.gc.SetLineWidth(rr.s.StrokeWidth)
	rr.gc.SetLineDash(nil, 0)
	if len(rr.path) > 0 {
		rr.dashPath(rr.s.StrokeDashArray)
	}
	rr.gc.Stroke()
}

// dashPath adds the "on" pieces of the collected path to the graphic
// context: the pattern runs on along a whole subpath, whatever the length
// of its segments, and starts afresh at each subpath.
func (rr *raster) dashPath(dash []float64) {
	total := 0.0
	for _, d := range dash {
		if !(d >= 0) {
			total = 0
			break
		}
		total += d
	}
	if !(total > 0) || len(dash)%2 != 0 {
		rr.plainPath()
		return
	}
	var k int        // index into dash: even ones draw, odd ones skip
	var left float64 // what is left of dash[k]
	var px, py float64
	for _, p := range rr.path {
		if p.move {
			k, left, px, py = 0, dash[0], p.x, p.y
			rr.gc.MoveTo(px, py)
			continue
		}
		dx, dy := p.x-px, p.y-py
		seg := math.Hypot(dx, dy)
		done := 0.0
		for seg-done > left {
			done += left
			x, y := px+dx*done/seg, py+dy*done/seg
			if k%2 == 0 {
				rr.gc.LineTo(x, y) // a dash ends
			} else {
				rr.gc.MoveTo(x, y) // a gap ends
			}
			k = (k + 1) % len(dash)
			left = dash[k]
		}
		left -= seg - done
		if k%2 == 0 {
			rr.gc.LineTo(p.x, p.y)
		}
		px, py = p.x, p.y
	}
	rr.path = rr.path[:0]
}

// Fill and FillStroke skip invisible paint: charts set the background and
// canvas boxes to transparent white, because the pooled canvas starts out
// white and painting 300 000 pixels over it again costs milliseconds.
func (rr *raster) Fill() {
	rr.plainPath()
	if rr.s.FillColor.A == 0 {
		rr.gc.BeginPath()
		return
	}
	rr.gc.SetFillColor(rr.s.FillColor)
	rr.gc.Fill()
}

func (rr *raster) FillStroke() {
	rr.plainPath()
	fill := rr.s.FillColor.A != 0
	stroke := rr.s.StrokeColor.A != 0 && rr.s.StrokeWidth > 0
	switch {
	case !fill && !stroke:
		rr.gc.BeginPath()
		return
	case !fill:
		rr.Stroke()
		return
	case !stroke:
		rr.Fill()
		return
	}
	rr.gc.SetFillColor(rr.s.FillColor)
	rr.gc.SetStrokeColor(rr.s.StrokeColor)
	rr.gc.SetLineWidth(rr.s.StrokeWidth)
	rr.gc.SetLineDash(rr.s.StrokeDashArray, 0)
	rr.gc.FillStroke()
}

func (rr *raster) Circle(radius float64, x, y int) {
	xf, yf := float64(x), float64(y)
	rr.gc.MoveTo(xf-radius, yf)
	rr.gc.QuadCurveTo(xf-radius, yf-radius, xf, yf-radius)
	rr.gc.QuadCurveTo(xf+radius, yf-radius, xf+radius, yf)
	rr.gc.QuadCurveTo(xf+radius, yf+radius, xf, yf+radius)
	rr.gc.QuadCurveTo(xf-radius, yf+radius, xf-radius, yf)
}

// Text draws upright text with a glyph-caching face (go-chart fills every
// glyph's outline through the rasterizer each time, a third of a chart's
// cost); rotated text keeps go-chart's path drawing. go-chart sizes text
// at FontSize·DPI/64 pixels per em.
func (rr *raster) Text(body string, x, y int) {
	if !image.Pt(x, y).In(rr.i.Rect.Inset(-256)) {
		// go-chart places the ticks of an unused secondary axis at an
		// overflowed coordinate; the path renderer drew them off the
		// canvas, fixed-point glyph positions would wrap onto it.
		return
	}
	if rr.rotateRadians == nil && rr.face != nil && rr.s.Font != nil {
		f := rr.face(rr.s.FontSize * rr.gc.GetDPI() / 64)
		defer f.Close()
		d := font.Drawer{Dst: rr.i, Src: image.NewUniform(rr.s.FontColor), Face: f, Dot: fixed.P(x, y)}
		d.DrawString(body)
		if rr.trace != nil && body != "" {
			b, _ := font.BoundString(f, body)
			rr.trace(body, image.Rect(x+b.Min.X.Floor(), y+b.Min.Y.Floor(), x+b.Max.X.Ceil(), y+b.Max.Y.Ceil()))
		}
		return
	}
	if rr.trace != nil && body != "" {
		rr.traceRotated(body, x, y)
	}
	xf, yf := rr.getCoords(x, y)
	rr.gc.SetFont(rr.s.Font)
	rr.gc.SetFontSize(rr.s.FontSize)
	rr.gc.SetFillColor(rr.s.FontColor)
	rr.gc.CreateStringPath(body, float64(xf), float64(yf))
	rr.gc.Fill()
}

// traceRotated reports the box of text drawn at (x, y) turned by the
// current rotation, as the graphic context turns it.
func (rr *raster) traceRotated(body string, x, y int) {
	rr.gc.SetFont(rr.s.Font)
	rr.gc.SetFontSize(rr.s.FontSize)
	l, t, r, b, err := rr.gc.GetStringBounds(body)
	if err != nil {
		return
	}
	a := 0.0
	if rr.rotateRadians != nil {
		a = *rr.rotateRadians
	}
	sin, cos := math.Sincos(a)
	box := image.Rectangle{Min: image.Pt(math.MaxInt32, math.MaxInt32), Max: image.Pt(math.MinInt32, math.MinInt32)}
	for _, p := range [][2]float64{{l, t}, {r, t}, {l, b}, {r, b}} {
		px := float64(x) + p[0]*cos - p[1]*sin
		py := float64(y) + p[0]*sin + p[1]*cos
		box.Min.X, box.Min.Y = min(box.Min.X, int(math.Floor(px))), min(box.Min.Y, int(math.Floor(py)))
		box.Max.X, box.Max.Y = max(box.Max.X, int(math.Ceil(px))), max(box.Max.Y, int(math.Ceil(py)))
	}
	rr.trace(body, box)
}

func (rr *raster) MeasureText(body string) chart.Box {
	var l, t, r, b float64
	if rr.face != nil && rr.s.Font != nil {
		f := rr.face(rr.s.FontSize * rr.gc.GetDPI() / 64)
		bounds, _ := font.BoundString(f, body)
		f.Close()
		l, t = float64(bounds.Min.X)/64, float64(bounds.Min.Y)/64
		r, b = float64(bounds.Max.X)/64, float64(bounds.Max.Y)/64
	} else {
		rr.gc.SetFont(rr.s.Font)
		rr.gc.SetFontSize(rr.s.FontSize)
		rr.gc.SetFillColor(rr.s.FontColor)
		var err error
		if l, t, r, b, err = rr.gc.GetStringBounds(body); err != nil {
			return chart.Box{}
		}
	}
	if l < 0 {
		r, l = r-l, 0
	}
	if t < 0 {
		b, t = b-t, 0
	}
	if l > 0 {
		r, l = r+l, 0
	}
	if t > 0 {
		b, t = b+t, 0
	}
	box := chart.Box{Top: int(math.Ceil(t)), Left: int(math.Ceil(l)), Right: int(math.Ceil(r)), Bottom: int(math.Ceil(b))}
	if rr.rotateRadians == nil {
		return box
	}
	return box.Corners().Rotate(chart.RadiansToDegrees(*rr.rotateRadians)).Box()
}

func (rr *raster) getCoords(x, y int) (int, int) {
	if rr.rotateRadians != nil {
		rr.gc.Translate(float64(x), float64(y))
		rr.gc.Rotate(*rr.rotateRadians)
		return 0, 0
	}
	return x, y
}

func (rr *raster) ClearTextRotation() {
	rr.gc.SetMatrixTransform(drawing.NewIdentityMatrix())
	rr.rotateRadians = nil
}

// Save hands the canvas to a chart.RGBACollector; it never encodes.
func (rr *raster) Save(w io.Writer) error {
	if c, ok := w.(chart.RGBACollector); ok {
		c.SetRGBA(rr.i)
	}
	return nil
}
