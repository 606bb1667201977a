package charts

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"slices"
	"sync"
	"unsafe"
)

// Charts are a few flat colours plus the anti-aliased blends between them,
// so a 256-colour palette holds them without visible loss, and a paletted
// PNG is a quarter of the data to deflate (and skips the per-row filter
// search that dominates encoding RGB). quantize builds the palette from
// the image itself: colours are binned at 5 bits per channel; each bin's
// colour is the mean of its pixels (exact for flat areas); with more than
// 256 bins, the most frequent 256 stay and the rest map to the nearest.

const bins = 1 << 15 // 5 bits each of R, G, B

// quantTables are the per-render scratch tables, pooled (≈ 450 KiB).
type quantTables struct {
	count   [bins]uint32
	sum     [bins][3]uint32
	index   [bins]uint8
	present []uint16
}

type quantizer struct{ pool sync.Pool }

func binOf(r, g, b uint8) uint16 {
	return uint16(r>>3)<<10 | uint16(g>>3)<<5 | uint16(b>>3)
}

// quantize converts an opaque RGBA image to a paletted one, reusing dst's
// pixels when it has the same size (dst may be nil).
func (q *quantizer) quantize(src *image.RGBA, dst *image.Paletted) *image.Paletted {
	t, _ := q.pool.Get().(*quantTables)
	if t == nil {
		t = &quantTables{}
	}
	defer q.pool.Put(t)
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()

	t.present = t.present[:0]
	var prev []byte
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+4*w]
		if bytes.Equal(row, prev) {
			// A row like the one above (a heatmap cell's height, empty
			// margins) adds nothing new: counts are per distinct row.
			continue
		}
		prev = row
		px32 := pixels(row)
		for x := 0; x < len(px32); {
			// Runs of one colour (most of a chart) are counted at once.
			px := px32[x]
			run := uint32(1)
			for x++; x < len(px32) && px32[x] == px; x++ {
				run++
			}
			r, g, b := rgb(px)
			k := binOf(r, g, b)
			if t.count[k] == 0 {
				t.present = append(t.present, k)
			}
			t.count[k] += run
			s := &t.sum[k]
			s[0] += uint32(r) * run
			s[1] += uint32(g) * run
			s[2] += uint32(b) * run
		}
	}
	// Most frequent first; ties by bin, so the result is deterministic.
	slices.SortFunc(t.present, func(a, b uint16) int {
		if t.count[a] != t.count[b] {
			if t.count[a] > t.count[b] {
				return -1
			}
			return 1
		}
		return int(a) - int(b)
	})
	n := min(len(t.present), 256)
	if dst == nil || dst.Rect.Dx() != w || dst.Rect.Dy() != h {
		dst = image.NewPaletted(image.Rect(0, 0, w, h), make(color.Palette, 0, 256))
	}
	pal := dst.Palette[:n]
	for i, k := range t.present[:n] {
		c, s := t.count[k], t.sum[k]
		pal[i] = color.RGBA{uint8((s[0] + c/2) / c), uint8((s[1] + c/2) / c), uint8((s[2] + c/2) / c), 0xff}
		t.index[k] = uint8(i)
	}
	for _, k := range t.present[n:] {
		c, s := t.count[k], t.sum[k]
		t.index[k] = nearest(pal, int((s[0]+c/2)/c), int((s[1]+c/2)/c), int((s[2]+c/2)/c))
	}

	dst.Palette = pal
	prev = nil
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+4*w]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		if bytes.Equal(row, prev) {
			copy(out, dst.Pix[(y-1)*dst.Stride:(y-1)*dst.Stride+w])
			continue
		}
		prev = row
		var last uint32
		var idx uint8
		px32 := pixels(row)[:len(out)]
		for x, px := range px32 {
			if x == 0 || px != last {
				last, idx = px, t.index[binOf(rgb(px))]
			}
			out[x] = idx
		}
	}
	for _, k := range t.present {
		t.count[k], t.sum[k] = 0, [3]uint32{}
	}
	return dst
}

// pixels views a row of RGBA bytes as one uint32 per pixel, in the
// machine's byte order; quantize compares them and reads them with rgb.
func pixels(row []byte) []uint32 {
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(row))), len(row)/4)
}

// rgb splits a pixel from pixels into its red, green and blue bytes.
func rgb(px uint32) (r, g, b uint8) {
	var p [4]byte
	binary.NativeEndian.PutUint32(p[:], px)
	return p[0], p[1], p[2]
}

// nearest returns the palette index closest to (r, g, b) in RGB distance.
func nearest(pal color.Palette, r, g, b int) uint8 {
	best, bestD := 0, 1<<30
	for i, c := range pal {
		p := c.(color.RGBA)
		dr, dg, db := int(p.R)-r, int(p.G)-g, int(p.B)-b
		if d := dr*dr + dg*dg + db*db; d < bestD {
			best, bestD = i, d
		}
	}
	return uint8(best)
}
