package charts

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// ProgressLesson is one bar of the progress chart.
type ProgressLesson struct {
	Label    string  // under the bar, e.g. "1: 75%"; cut to MaxProgressLabel characters
	Read     bool    // the learner opened the lesson: the bar is green, else grey
	Accuracy float64 // share of right quiz answers, 0..1; NaN when there are none (no bar)
}

// ProgressLabels are the visible words of the progress chart; the bot
// passes them in (charts holds no Russian text).
type ProgressLabels struct {
	Title string // e.g. "Квизы: доля верных ответов по урокам"
}

// Size of the progress chart in pixels, and its bounds.
const (
	ProgressWidth    = 720
	ProgressHeight   = 420
	MaxProgressBar   = 8 // lessons on one chart (labels need room)
	MaxProgressLabel = 8 // characters of a bar label, longer ones end in "…"
)

var (
	colorRead        = color.RGBA{0x2c, 0xa0, 0x2c, 0xff} // green: a lesson read
	colorUnread      = color.RGBA{0x9e, 0x9e, 0x9e, 0xff} // grey: not opened yet
	colorReadEdge    = color.RGBA{0x86, 0xc9, 0x86, 0xff} // the empty part of a read lesson's bar
	colorUnreadEdge  = color.RGBA{0xc6, 0xc6, 0xc6, 0xff} // the empty part of an unread lesson's bar
	colorProgressGrd = color.RGBA{0xe6, 0xe6, 0xe6, 0xff}
)

// Progress draws one bar per lesson: each bar is an outline of the whole
// 0–100 % range, filled up to the learner's quiz accuracy; its colour says
// whether the lesson was read. A lesson at 0 %, without answers, or with
// a NaN or out-of-range accuracy is the empty outline alone. Gridlines
// are drawn first, so that they run behind the bars.
// It accepts 1..MaxProgressBar lessons.
func (r *Renderer) Progress(lessons []ProgressLesson, l ProgressLabels) ([]byte, error) {
	if len(lessons) == 0 {
		return nil, fmt.Errorf("charts: progress: %w", ErrNoData)
	}
	if len(lessons) > MaxProgressBar {
		return nil, fmt.Errorf("charts: progress: %d lessons, at most %d", len(lessons), MaxProgressBar)
	}
	img := r.canvases.get(ProgressWidth, ProgressHeight) // white
	defer r.canvases.put(img)
	r.drawProgress(img, lessons, l)
	return r.encode(img)
}

func (r *Renderer) drawProgress(img *image.RGBA, lessons []ProgressLesson, l ProgressLabels) {
	tick := r.face(17)
	defer tick.Close()
	title, s := r.fitText(clip(l.Title), ProgressWidth-32, 21, 19, 17)
	r.text(img, title, s, 16, 34, ink)
	title.Close()

	var ticks []string
	for v := 0; v <= 100; v += 20 {
		ticks = append(ticks, fmt.Sprintf("%d\u00a0%%", v))
	}
	plot := image.Rect(16+maxWidth(tick, ticks)+10, 72, ProgressWidth-24, ProgressHeight-44)
	yAt := func(share float64) int { return plot.Max.Y - int(math.Round(share*float64(plot.Dy()))) }

	// Gridlines and their labels first: the bars cover them.
	for i, s := range ticks {
		y := yAt(float64(i) / 5)
		fillRect(img, image.Rect(plot.Min.X, y, plot.Max.X, y+1), colorProgressGrd)
		r.text(img, tick, s, plot.Min.X-10-textWidth(tick, s), y+6, ink)
	}

	n := len(lessons)
	slot := plot.Dx() / n
	barW := min(slot*7/10, 120)
	for i, ls := range lessons {
		x0 := plot.Min.X + i*slot + (slot-barW)/2
		bar := image.Rect(x0, yAt(1), x0+barW, plot.Max.Y)
		fill, edge := colorUnread, colorUnreadEdge
		if ls.Read {
			fill, edge = colorRead, colorReadEdge
		}
		// The outline of the whole range: an empty bar reads as empty.
		for k := range 2 {
			frameRect(img, bar.Inset(k), edge)
		}
		if acc := ls.Accuracy; acc > 0 && acc <= 1 { // NaN and out of range fail both
			fillRect(img, image.Rect(bar.Min.X, yAt(acc), bar.Max.X, bar.Max.Y), fill)
		}
		f, s := r.fitText(clipTo(ls.Label, MaxProgressLabel), slot-6, 17, 15, 13)
		r.text(img, f, s, x0+barW/2-textWidth(f, s)/2, plot.Max.Y+26, ink)
		f.Close()
	}
	// The 0 % line on top, so that every bar stands on it.
	fillRect(img, image.Rect(plot.Min.X, plot.Max.Y, plot.Max.X, plot.Max.Y+1), faint)
}

// clipTo shortens s to at most n characters.
func clipTo(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
