package charts

import (
	"fmt"
	"math"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
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
	MaxProgressLabel = 8 // characters of a bar label, longer ones end in "…"; go-chart drops a word wider than its bar
	progressStub     = 1.5
)

var (
	colorRead    = drawing.Color{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff} // green: a lesson read
	colorUnread  = drawing.Color{R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff} // grey: not opened yet
	progressText = drawing.Color{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	progressGrid = drawing.Color{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
)

// Progress draws one bar per lesson: its height is the learner's quiz
// accuracy (0–100 %; a thin stub at 0 % or without answers), its colour
// says whether the lesson was read.
// It accepts 1..MaxProgressBar lessons; a NaN or out-of-range accuracy
// draws no bar.
func (r *Renderer) Progress(lessons []ProgressLesson, l ProgressLabels) ([]byte, error) {
	if len(lessons) == 0 {
		return nil, fmt.Errorf("charts: progress: %w", ErrNoData)
	}
	if len(lessons) > MaxProgressBar {
		return nil, fmt.Errorf("charts: progress: %d lessons, at most %d", len(lessons), MaxProgressBar)
	}
	textStyle := chart.Style{FontSize: 15, FontColor: progressText}
	var ticks []chart.Tick
	for v := 0; v <= 100; v += 20 {
		ticks = append(ticks, chart.Tick{Value: float64(v), Label: fmt.Sprintf("%d%%", v)})
	}
	bars := make([]chart.Value, len(lessons))
	for i, ls := range lessons {
		v := ls.Accuracy * 100
		if math.IsNaN(v) || v < 0 || v > 100 {
			v = 0
		}
		// A low stub keeps the colour (read or not) visible at 0 %.
		v = max(v, progressStub)
		fill := colorUnread
		if ls.Read {
			fill = colorRead
		}
		bars[i] = chart.Value{Value: v, Label: clipTo(ls.Label, MaxProgressLabel), Style: chart.Style{FillColor: fill, StrokeColor: fill, StrokeWidth: 1}}
	}
	c := chart.BarChart{
		Title:      clip(l.Title),
		TitleStyle: chart.Style{FontSize: 19, FontColor: progressText},
		Width:      ProgressWidth,
		Height:     ProgressHeight,
		DPI:        72,
		Font:       r.font,
		BarWidth:   (ProgressWidth - 140) / len(lessons) * 4 / 5,
		Background: chart.Style{Padding: chart.Box{Top: 56, Left: 24, Right: 24, Bottom: 36}, FillColor: invisible, StrokeColor: invisible},
		Canvas:     chart.Style{FillColor: invisible, StrokeColor: invisible},
		XAxis:      textStyle,
		YAxis: chart.YAxis{
			Style:          textStyle,
			Range:          &chart.ContinuousRange{Min: 0, Max: 100},
			Ticks:          ticks,
			GridMajorStyle: chart.Style{StrokeColor: progressGrid, StrokeWidth: 1},
		},
		Bars: bars,
	}
	rr, err := r.render(c, c.Width, c.Height)
	if err != nil {
		return nil, fmt.Errorf("charts: progress: %w", err)
	}
	defer r.rasters.put(rr)
	return r.encode(rr.i)
}

// clipTo shortens s to at most n characters.
func clipTo(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
