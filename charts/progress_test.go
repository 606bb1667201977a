package charts_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"neurotutor/charts"
)

func TestProgressChart(t *testing.T) {
	r := mustNew(t)
	labels := charts.ProgressLabels{Title: "Верные ответы в квизах, по урокам (зелёные — прочитанные)"}
	cases := map[string][]charts.ProgressLesson{
		"typical": {
			{Label: "1: 100\u00a0%", Read: true, Accuracy: 1}, {Label: "2: 50\u00a0%", Read: true, Accuracy: 0.5},
			{Label: "3: —", Accuracy: math.NaN()}, {Label: "4: 0\u00a0%", Accuracy: 0}, {Label: "5: —", Accuracy: math.NaN()},
		},
		"one lesson":   {{Label: "1", Accuracy: 0.3}},
		"all empty":    {{Label: "1", Accuracy: math.NaN()}, {Label: "2", Accuracy: math.NaN()}},
		"out of range": {{Label: "1", Accuracy: 7}, {Label: "2", Accuracy: -1}, {Label: "3", Accuracy: math.Inf(1)}},
		"long label":   {{Label: strings.Repeat("Позиционные кодировки ", 40), Read: true, Accuracy: 0.7}},
		"long labels":  {{Label: "Позиционные", Accuracy: 0.2}, {Label: "Позиционные"}, {Label: "Позиционные"}, {Label: "Позиционные"}, {Label: "Позиционные"}},
	}
	for name, ls := range cases {
		a, err := r.Progress(ls, labels)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPNG(t, name, a, charts.ProgressWidth, charts.ProgressHeight)
		b, _ := r.Progress(ls, labels)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", name)
		}
	}
	if _, err := r.Progress(nil, labels); !errors.Is(err, charts.ErrNoData) {
		t.Errorf("no lessons: %v", err)
	}
	if _, err := r.Progress(make([]charts.ProgressLesson, charts.MaxProgressBar+1), labels); err == nil {
		t.Error("too many lessons accepted")
	}
}

func BenchmarkProgressChart(b *testing.B) {
	r := mustNew(b)
	ls := []charts.ProgressLesson{{Label: "1: 80%", Read: true, Accuracy: 0.8}, {Label: "2: —", Accuracy: math.NaN()},
		{Label: "3: 40%", Read: true, Accuracy: 0.4}, {Label: "4: —", Accuracy: math.NaN()}, {Label: "5: 100%", Accuracy: 1}}
	for b.Loop() {
		if _, err := r.Progress(ls, charts.ProgressLabels{Title: "Прогресс"}); err != nil {
			b.Fatal(err)
		}
	}
}

var (
	progressRead   = color.RGBA{0x2c, 0xa0, 0x2c, 0xff}
	progressUnread = color.RGBA{0x9e, 0x9e, 0x9e, 0xff}
)

// A lesson at 0 % or without answers draws no bar, in either colour: a
// stub of a few pixels read as "a little" on a phone.
func TestProgressEmptyHasNoBar(t *testing.T) {
	for name, ls := range map[string]charts.ProgressLesson{
		"read 0%":        {Label: "1: 0%", Read: true, Accuracy: 0},
		"unread 0%":      {Label: "1: 0%", Accuracy: 0},
		"read, no quiz":  {Label: "1: —", Read: true, Accuracy: math.NaN()},
		"out of range":   {Label: "1", Read: true, Accuracy: -0.5},
		"unread no quiz": {Label: "1: —", Accuracy: math.NaN()},
	} {
		img, texts := render(t, func(r *charts.Renderer) ([]byte, error) {
			return r.Progress([]charts.ProgressLesson{ls}, charts.ProgressLabels{Title: "Прогресс"})
		})
		checkLayout(t, name, img, texts, 2)
		if n := count(img, image.Rectangle{}, progressRead, texts) + count(img, image.Rectangle{}, progressUnread, texts); n > 0 {
			t.Errorf("%s: %d pixels of bar colour", name, n)
		}
	}
}

// Gridlines run behind the bars: down the middle of a full bar its colour
// is unbroken from top to bottom.
func TestProgressGridBehindBars(t *testing.T) {
	for _, read := range []bool{true, false} {
		img, texts := render(t, func(r *charts.Renderer) ([]byte, error) {
			return r.Progress([]charts.ProgressLesson{{Label: "1: 100%", Read: read, Accuracy: 1}, {Label: "2: 60%", Read: read, Accuracy: 0.6}},
				charts.ProgressLabels{Title: "Прогресс"})
		})
		checkLayout(t, "grid", img, texts, 2)
		fill := progressUnread
		if read {
			fill = progressRead
		}
		b := img.Bounds()
		// The full bar's middle column: the one with the most fill pixels.
		bestX, best := 0, 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if n := count(img, image.Rect(x, b.Min.Y, x+1, b.Max.Y), fill, texts); n > best {
				bestX, best = x, n
			}
		}
		top, bottom := -1, -1
		for y := b.Min.Y; y < b.Max.Y; y++ {
			if near(img, bestX, y, fill) && !inText(bestX, y, texts) {
				if top < 0 {
					top = y
				}
				bottom = y
			}
		}
		if best < 200 || best != bottom-top+1 {
			t.Errorf("read=%t: the full bar's column %d has %d fill pixels between rows %d and %d: something is drawn over it", read, bestX, best, top, bottom)
		}
	}
}

func TestProgressLayout(t *testing.T) {
	img, texts := render(t, func(r *charts.Renderer) ([]byte, error) {
		return r.Progress([]charts.ProgressLesson{
			{Label: "1: 100%", Read: true, Accuracy: 1}, {Label: "2: 50%", Read: true, Accuracy: 0.5}, {Label: "3: 0%", Accuracy: 0},
			{Label: "4: —", Accuracy: math.NaN()}, {Label: "5: 100%", Accuracy: 1}, {Label: "6: 100%", Accuracy: 1},
			{Label: "7: 100%", Accuracy: 1}, {Label: "8: 100%", Accuracy: 1},
		}, charts.ProgressLabels{Title: strings.Repeat("Верные ответы в квизах ", 10)})
	})
	checkLayout(t, "8 lessons, long title", img, texts, 2)
}
