package charts_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"neurotutor/charts"
)

// drawn is a piece of text a chart drew and its ink box.
type drawn struct {
	text string
	box  image.Rectangle
}

// render draws a chart with a fresh Renderer whose text is traced, and
// returns the decoded image and every piece of text drawn.
func render(t *testing.T, draw func(r *charts.Renderer) ([]byte, error)) (image.Image, []drawn) {
	t.Helper()
	r := mustNew(t)
	var texts []drawn
	r.SetTrace(func(s string, b image.Rectangle) { texts = append(texts, drawn{s, b}) })
	data, err := draw(r)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img, texts
}

// checkLayout fails if a piece of text leaves the canvas or comes closer
// than gap pixels to another one: a clipped or overlapping label.
func checkLayout(t *testing.T, name string, img image.Image, texts []drawn, gap int) {
	t.Helper()
	if len(texts) == 0 {
		t.Fatalf("%s: no text traced", name)
	}
	for i, a := range texts {
		if !a.box.In(img.Bounds()) {
			t.Errorf("%s: %q at %v is cut by the canvas %v", name, a.text, a.box, img.Bounds())
		}
		for _, b := range texts[i+1:] {
			if a.box.Inset(-gap).Overlaps(b.box) {
				t.Errorf("%s: %q at %v and %q at %v overlap or touch", name, a.text, a.box, b.text, b.box)
			}
		}
	}
}

// find returns the first traced text equal to s.
func find(texts []drawn, s string) (drawn, bool) {
	for _, d := range texts {
		if d.text == s {
			return d, true
		}
	}
	return drawn{}, false
}

// near reports whether the pixel at (x, y) is c, give or take 6/255 per
// channel (the PNG's palette averages close colours).
func near(img image.Image, x, y int, c color.RGBA) bool {
	p := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
	d := func(a, b uint8) bool { return a-b <= 6 || b-a <= 6 }
	return d(p.R, c.R) && d(p.G, c.G) && d(p.B, c.B)
}

// count counts the pixels of img inside r (all of it if r is empty) that
// are c (see near), outside the boxes of texts (anti-aliased text has
// every shade of grey).
func count(img image.Image, r image.Rectangle, c color.RGBA, texts []drawn) int {
	if r.Empty() {
		r = img.Bounds()
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(img, x, y, c) && !inText(x, y, texts) {
				n++
			}
		}
	}
	return n
}

func inText(x, y int, texts []drawn) bool {
	for _, d := range texts {
		if image.Pt(x, y).In(d.box) {
			return true
		}
	}
	return false
}

var white = color.RGBA{0xff, 0xff, 0xff, 0xff}
