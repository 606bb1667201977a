package charts

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"sync"

	"github.com/golang/freetype/truetype"
	"github.com/wcharczuk/go-chart/v2/roboto"
	"golang.org/x/image/font"
)

// Bounds on what a chart accepts.
const (
	MaxPoints = 512 * 512 // values in one heatmap (the largest /posenc)
	MaxTitle  = 200       // characters in a title or label; longer ones are cut with "…"
)

// ErrNoData is returned for an empty series or heatmap; ErrTooMuchData
// when it exceeds MaxPoints.
var (
	ErrNoData      = errors.New("charts: no data")
	ErrTooMuchData = fmt.Errorf("charts: more than %d values", MaxPoints)
)

// Renderer draws charts. It is safe for concurrent use.
type Renderer struct {
	font     *truetype.Font
	enc      png.Encoder
	quant    quantizer
	canvases imagePool
	rasters  rasterPool
	paletted sync.Pool // *image.Paletted, quantize's output
	pngBufs  sync.Pool // *bytes.Buffer, the encoder's output before the exact-size copy
	faces    sync.Map  // font size → *sync.Pool of *pooledFace
	// trace, when set (by tests), is told the text and box of every piece
	// of text drawn.
	trace func(text string, box image.Rectangle)
}

// New parses the built-in Roboto font (it covers Cyrillic and Σ).
func New() (*Renderer, error) {
	f, err := truetype.Parse(roboto.Roboto)
	if err != nil {
		return nil, fmt.Errorf("charts: parse font: %w", err)
	}
	return &Renderer{
		font: f,
		enc:  png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &bufferPool{}},
	}, nil
}

// face returns a font face of size px pixels for one render; Close gives
// it back. Faces cache glyphs (2 MiB of masks each, costly to make) and
// are not safe for concurrent use, so they are pooled per size.
func (r *Renderer) face(px float64) font.Face {
	v, _ := r.faces.LoadOrStore(px, &sync.Pool{})
	pool := v.(*sync.Pool)
	if f, ok := pool.Get().(*pooledFace); ok {
		return f
	}
	return &pooledFace{Face: truetype.NewFace(r.font, &truetype.Options{Size: px, DPI: 72, Hinting: font.HintingFull}), pool: pool}
}

type pooledFace struct {
	font.Face
	pool *sync.Pool
}

func (f *pooledFace) Close() error {
	f.pool.Put(f)
	return nil
}

// encode writes img as a paletted PNG at BestSpeed, reusing the
// encoder's buffers and its output buffer.
func (r *Renderer) encode(img *image.RGBA) ([]byte, error) {
	dst, _ := r.paletted.Get().(*image.Paletted)
	dst = r.quant.quantize(img, dst)
	defer r.paletted.Put(dst)
	buf, _ := r.pngBufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = bytes.NewBuffer(make([]byte, 0, 64<<10))
	}
	defer r.pngBufs.Put(buf)
	buf.Reset()
	if err := r.enc.Encode(buf, dst); err != nil {
		return nil, fmt.Errorf("charts: encode png: %w", err)
	}
	// An exact-size copy: the PNG outlives the render in caches and send
	// queues, where a grown buffer's spare capacity would be dead weight.
	return bytes.Clone(buf.Bytes()), nil
}

// bufferPool lets the PNG encoder reuse its deflate and row buffers.
type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() *png.EncoderBuffer {
	v, _ := b.p.Get().(*png.EncoderBuffer)
	return v
}

func (b *bufferPool) Put(e *png.EncoderBuffer) { b.p.Put(e) }

// clip shortens s to at most MaxTitle characters.
func clip(s string) string {
	r := []rune(s)
	if len(r) <= MaxTitle {
		return s
	}
	return string(r[:MaxTitle-1]) + "…"
}

// fit shortens s with "…" until it is at most maxWidth pixels wide in a
// go-chart font of the given size (go-chart leaves out a title wider than
// the chart rather than clip it).
func (r *Renderer) fit(s string, size float64, maxWidth int) string {
	f := r.face(size * 72 / 64)
	defer f.Close()
	runes := []rune(s)
	for n := len(runes); n > 0; n-- {
		t := string(runes[:n])
		if n < len(runes) {
			t += "…"
		}
		if font.MeasureString(f, t).Ceil() <= maxWidth {
			return t
		}
	}
	return ""
}
