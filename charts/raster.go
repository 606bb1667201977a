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

// imagePool recycles the RGBA canvases charts draw on: a 720×450 canvas is
// 1.3 MB, more than everything else a render allocates.
type imagePool struct{ p sync.Pool }

// get returns a canvas of the given size, filled with white.
func (ip *imagePool) get(w, h int) *image.RGBA {
	img, _ := ip.p.Get().(*image.RGBA)
	if img == nil || img.Rect.Dx() != w || img.Rect.Dy() != h {
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

func (ip *imagePool) put(img *image.RGBA) { ip.p.Put(img) }

// provider makes go-chart draw on canvas instead of allocating its own,
// with the Renderer's pooled faces for text.
func (r *Renderer) provider(canvas *image.RGBA) chart.RendererProvider {
	return func(w, h int) (chart.Renderer, error) {
		if canvas.Rect.Dx() != w || canvas.Rect.Dy() != h {
			canvas = image.NewRGBA(image.Rect(0, 0, w, h))
		}
		gc, err := drawing.NewRasterGraphicContext(canvas)
		if err != nil {
			return nil, err
		}
		return &raster{i: canvas, gc: gc, face: r.face}, nil
	}
}

// rasterPool recycles whole go-chart renderers: the canvas and the graphic
// context with its two rasterizers, whose cell buffers otherwise grow
// afresh on every chart (a third of the neuron chart's allocation).
type rasterPool struct{ p sync.Pool }

// get returns a renderer with a white canvas of the given size and a
// graphic context in its initial state.
func (rp *rasterPool) get(w, h int, face func(px float64) font.Face) (*raster, error) {
	rr, _ := rp.p.Get().(*raster)
	if rr == nil || rr.i.Rect.Dx() != w || rr.i.Rect.Dy() != h {
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
	rr.rotateRadians, rr.s, rr.face = nil, chart.Style{}, face
	return rr, nil
}

func (rp *rasterPool) put(rr *raster) { rp.p.Put(rr) }

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
func (rr *raster) MoveTo(x, y int)                        { rr.gc.MoveTo(float64(x), float64(y)) }
func (rr *raster) LineTo(x, y int)                        { rr.gc.LineTo(float64(x), float64(y)) }
func (rr *raster) Close()                                 { rr.gc.Close() }
func (rr *raster) SetFont(f *truetype.Font)               { rr.s.Font = f }
func (rr *raster) SetFontSize(size float64)               { rr.s.FontSize = size }
func (rr *raster) SetFontColor(c drawing.Color)           { rr.s.FontColor = c }
func (rr *raster) SetTextRotation(radians float64)        { rr.rotateRadians = &radians }
func (rr *raster) QuadCurveTo(cx, cy, x, y int) {
	rr.gc.QuadCurveTo(float64(cx), float64(cy), float64(x), float64(y))
}
func (rr *raster) ArcTo(cx, cy int, rx, ry, startAngle, delta float64) {
	rr.gc.ArcTo(float64(cx), float64(cy), rx, ry, startAngle, delta)
}

func (rr *raster) Stroke() {
	rr.gc.SetStrokeColor(rr.s.StrokeColor)
	rr.gc.SetLineWidth(rr.s.StrokeWidth)
	rr.gc.SetLineDash(rr.s.StrokeDashArray, 0)
	rr.gc.Stroke()
}

// Fill and FillStroke skip invisible paint: charts set the background and
// canvas boxes to transparent white, because the pooled canvas starts out
// white and painting 300 000 pixels over it again costs milliseconds.
func (rr *raster) Fill() {
	if rr.s.FillColor.A == 0 {
		rr.gc.BeginPath()
		return
	}
	rr.gc.SetFillColor(rr.s.FillColor)
	rr.gc.Fill()
}

func (rr *raster) FillStroke() {
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
		return
	}
	xf, yf := rr.getCoords(x, y)
	rr.gc.SetFont(rr.s.Font)
	rr.gc.SetFontSize(rr.s.FontSize)
	rr.gc.SetFillColor(rr.s.FontColor)
	rr.gc.CreateStringPath(body, float64(xf), float64(yf))
	rr.gc.Fill()
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
