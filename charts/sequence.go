package charts

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"strconv"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/font"
)

// SequenceChart shows sequences of numbers against their index 1..n: one
// or more panels stacked top to bottom (e.g. one per random generator),
// each with up to three series, and one legend under the title.
type SequenceChart struct {
	Title  string
	XAxis  string // name of the index axis, e.g. "номер вызова"
	YAxis  string // name of the value axis
	Legend [3]string
	// YMin, YMax fix the value axis; YMin == YMax takes the data's range.
	YMin, YMax float64
	Panels     []SequencePanel
}

// SequencePanel is one panel: up to three series drawn in order with
// fixed styles, so that a series equal to the one before stays visible
// and the first and third differ in colour (blue and orange, which
// colour-blind readers tell apart too), line and marker shape:
//   - 0: a solid blue line with large light-blue dots;
//   - 1: small black dots only, which land inside the large dots when
//     the values are the same;
//   - 2: a dashed orange line with orange squares.
type SequencePanel struct {
	Title  string
	Series [][]float64 // each series' values at index 1, 2, …; equal lengths
}

// Bounds and size of sequence charts, in pixels.
const (
	MaxSequence    = 500 // values in one series; drawing costs O(n²) in freetype's rasteriser
	MaxPanels      = 4
	SequenceWidth  = 960
	sequenceHeader = 92  // title and legend
	sequencePanel  = 400 // height of each panel
	maxDots        = 200 // longer series are drawn without dots
)

// SequenceHeight is the height of a sequence chart with panels panels.
func SequenceHeight(panels int) int { return sequenceHeader + panels*sequencePanel }

// The series' colours: Okabe and Ito's blue and a dark orange (their
// orange is too light for a thin line on white), told apart by every
// kind of colour vision, and black for the repeat run.
var (
	colorSeqA    = drawing.Color{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}
	colorSeqADot = drawing.Color{R: 0x9e, G: 0xc9, B: 0xe9, A: 0xff}
	colorSeqB    = drawing.Color{R: 0x11, G: 0x11, B: 0x11, A: 0xff}
	colorSeqC    = drawing.Color{R: 0xe6, G: 0x61, B: 0x00, A: 0xff}
)

// seqSquare is the half-width of series 2's square markers, in pixels.
const seqSquare = 5

// seqStyle is the go-chart style of series i (see SequencePanel); series
// 2's squares are drawn by squareSeries.
func seqStyle(i int) chart.Style {
	switch i {
	case 0:
		return chart.Style{StrokeColor: colorSeqA, StrokeWidth: 2, DotWidth: 8, DotColor: colorSeqADot}
	case 1:
		return chart.Style{StrokeWidth: chart.Disabled, DotWidth: 3.5, DotColor: colorSeqB}
	default:
		return chart.Style{StrokeColor: colorSeqC, StrokeWidth: 2, StrokeDashArray: []float64{7, 5}, DotWidth: chart.Disabled}
	}
}

// squareSeries draws a filled square of half-width seqSquare at each
// value: series 2's markers, a shape of their own.
type squareSeries struct {
	chart.ContinuousSeries
}

func (s squareSeries) Render(r chart.Renderer, box chart.Box, xr, yr chart.Range, _ chart.Style) {
	r.SetFillColor(s.Style.DotColor)
	r.SetStrokeColor(chart.ColorWhite)
	r.SetStrokeWidth(1)
	for i, v := range s.YValues {
		x, y := box.Left+xr.Translate(s.XValues[i]), box.Bottom-yr.Translate(v)
		r.MoveTo(x-seqSquare, y-seqSquare)
		r.LineTo(x+seqSquare, y-seqSquare)
		r.LineTo(x+seqSquare, y+seqSquare)
		r.LineTo(x-seqSquare, y+seqSquare)
		r.Close()
		r.FillStroke()
	}
}

// Sequences draws c. It returns ErrNoData for no panels or an empty series,
// an error for more than MaxPanels panels, three series, MaxSequence
// values, series of different lengths or non-finite values.
func (r *Renderer) Sequences(c SequenceChart) ([]byte, error) {
	img, err := r.sequencesImage(c)
	if err != nil {
		return nil, err
	}
	defer r.canvases.put(img)
	return r.encode(img)
}

func (r *Renderer) sequencesImage(c SequenceChart) (*image.RGBA, error) {
	if len(c.Panels) == 0 {
		return nil, ErrNoData
	}
	if len(c.Panels) > MaxPanels {
		return nil, fmt.Errorf("charts: more than %d panels", MaxPanels)
	}
	n := -1
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range c.Panels {
		if len(p.Series) == 0 {
			return nil, ErrNoData
		}
		if len(p.Series) > 3 {
			return nil, fmt.Errorf("charts: %d series in a panel, at most 3", len(p.Series))
		}
		for _, s := range p.Series {
			switch {
			case len(s) == 0:
				return nil, ErrNoData
			case len(s) > MaxSequence:
				return nil, fmt.Errorf("charts: more than %d values in a series", MaxSequence)
			case n >= 0 && len(s) != n:
				return nil, fmt.Errorf("charts: series of %d and %d values", n, len(s))
			}
			n = len(s)
			for _, v := range s {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("charts: non-finite value %v in a sequence", v)
				}
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if c.YMin != c.YMax {
		lo, hi = c.YMin, c.YMax
	}
	yTicks := niceTicks(lo, hi, 6)
	xTicks := indexTicks(n)

	img := r.canvases.get(SequenceWidth, SequenceHeight(len(c.Panels)))
	// The title shrinks, then is shortened, to fit: a seed of 20 digits
	// appears in it twice.
	title, s := r.fitText(clip(c.Title), SequenceWidth-32, 22, 20, 18)
	r.text(img, title, s, 16, 34, ink)
	title.Close()
	r.sequenceLegend(img, c.Legend)

	text := chart.Style{FontSize: 15, FontColor: colorText}
	for pi, p := range c.Panels {
		// An invisible frame series: go-chart needs two distinct x values
		// to lay out the axes, even when the range is given.
		series := []chart.Series{chart.ContinuousSeries{
			XValues: []float64{0.5, float64(n) + 0.5}, YValues: []float64{yTicks[0].Value, yTicks[0].Value},
			Style: chart.Style{StrokeWidth: chart.Disabled, DotWidth: chart.Disabled},
		}}
		for i, s := range p.Series {
			xs := make([]float64, len(s))
			for j := range xs {
				xs[j] = float64(j + 1)
			}
			st := seqStyle(i)
			if n > maxDots { // go-chart's dots cost O(n²); long series are lines
				st.DotWidth = chart.Disabled
				if st.StrokeWidth == chart.Disabled {
					st.StrokeWidth, st.StrokeColor = 1, st.DotColor
				}
			}
			series = append(series, chart.ContinuousSeries{XValues: xs, YValues: s, Style: st})
			if i == 2 && n <= maxDots {
				series = append(series, squareSeries{chart.ContinuousSeries{XValues: xs, YValues: s, Style: chart.Style{DotColor: colorSeqC}}})
			}
		}
		ch := chart.Chart{
			Title:      clip(p.Title),
			TitleStyle: chart.Style{FontSize: 17, FontColor: colorText},
			Width:      SequenceWidth,
			Height:     sequencePanel,
			DPI:        72,
			Font:       r.font,
			Background: chart.Style{Padding: chart.Box{Top: 40, Left: 20, Right: 30, Bottom: 10}, FillColor: invisible, StrokeColor: invisible},
			Canvas:     chart.Style{FillColor: invisible, StrokeColor: invisible},
			XAxis: chart.XAxis{
				Name: clip(c.XAxis), NameStyle: text, Style: text,
				Range: &chart.ContinuousRange{Min: 0.5, Max: float64(n) + 0.5},
				Ticks: xTicks,
			},
			YAxis: chart.YAxis{
				Name: clip(c.YAxis), NameStyle: text, Style: text,
				Range:          &chart.ContinuousRange{Min: yTicks[0].Value, Max: yTicks[len(yTicks)-1].Value},
				Ticks:          yTicks,
				GridMajorStyle: chart.Style{StrokeColor: colorGrid, StrokeWidth: 1},
			},
			Series: series,
		}
		top := sequenceHeader + pi*sequencePanel
		rr, err := r.renderAt(ch, SequenceWidth, sequencePanel, image.Pt(0, top))
		if err != nil {
			r.canvases.put(img)
			return nil, fmt.Errorf("charts: sequences: %w", err)
		}
		draw.Draw(img, image.Rect(0, top, SequenceWidth, top+sequencePanel), rr.i, image.Point{}, draw.Src)
		r.rasters.put(rr)
	}
	return img, nil
}

// indexTicks labels indices 1..n at a round step, at most about 20 ticks.
func indexTicks(n int) []chart.Tick {
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000} {
		step = s
		if n/s <= 20 {
			break
		}
	}
	// go-chart takes the axis range from the ticks: unlabelled ticks at
	// 0.5 and n+0.5 keep a margin around the first and last dots.
	ticks := []chart.Tick{{Value: 0.5}, {Value: 1, Label: "1"}}
	for i := step; i <= n; i += step {
		if i > 1 {
			ticks = append(ticks, chart.Tick{Value: float64(i), Label: strconv.Itoa(i)})
		}
	}
	return append(ticks, chart.Tick{Value: float64(n) + 0.5})
}

// Legend layout, in pixels: each entry is a sample (a line legendSample
// wide with the series' marker in its middle), a gap, the name, then
// legendSpace before the next entry; the row starts at the title's left
// edge.
const (
	legendLeft   = 16
	legendSample = 28
	legendGap    = 8
	legendSpace  = 28
	legendY      = 66 // the samples' centre line
)

// sequenceLegend draws the named series' samples and names in one row,
// at a smaller size or with shortened names when the row is too long.
func (r *Renderer) sequenceLegend(img *image.RGBA, names [3]string) {
	var shown []int
	for i, name := range names {
		if name != "" {
			shown = append(shown, i)
		}
	}
	if len(shown) == 0 {
		return
	}
	room := SequenceWidth - 2*legendLeft - len(shown)*(legendSample+legendGap) - (len(shown)-1)*legendSpace
	var f font.Face
	for _, px := range []float64{16, 15, 14} {
		f = r.face(px)
		w := 0
		for _, i := range shown {
			w += textWidth(f, clip(names[i]))
		}
		if w <= room || px == 14 {
			break
		}
		f.Close()
	}
	defer f.Close()
	widths := make([]int, len(shown))
	for k, i := range shown {
		widths[k] = textWidth(f, clip(names[i]))
	}
	limit := fairCap(widths, room)
	x := legendLeft
	for _, i := range shown {
		name := shorten(f, clip(names[i]), limit)
		drawMarker(img, i, x+legendSample/2, legendY)
		r.text(img, f, name, x+legendSample+legendGap, legendY+6, ink)
		x += legendSample + legendGap + textWidth(f, name) + legendSpace
	}
}

// fairCap returns the largest width limit such that the widths, each cut
// to it, add up to at most room: short names keep their length and the
// long ones share what is left equally.
func fairCap(widths []int, room int) int {
	sorted := slices.Clone(widths)
	slices.Sort(sorted)
	for k, w := range sorted {
		left := len(sorted) - k // names at least w wide
		if w*left > room {
			return max(0, room/left)
		}
		room -= w
	}
	return math.MaxInt
}

// drawMarker draws the legend sample of series i centred at (x, y).
func drawMarker(img *image.RGBA, i, x, y int) {
	s := seqStyle(i)
	if s.StrokeWidth > 0 {
		c := toRGBA(s.StrokeColor)
		for dx := -legendSample / 2; dx <= legendSample/2; dx++ {
			if len(s.StrokeDashArray) > 0 && (dx+legendSample/2)%10 >= 6 {
				continue
			}
			img.SetRGBA(x+dx, y, c)
			img.SetRGBA(x+dx, y+1, c)
		}
	}
	if i == 2 {
		fillRect(img, image.Rect(x-seqSquare, y-seqSquare+1, x+seqSquare+1, y+seqSquare+2), toRGBA(colorSeqC))
		return
	}
	disc(img, x, y, s.DotWidth, toRGBA(s.DotColor))
}

func toRGBA(c drawing.Color) color.RGBA { return color.RGBA{c.R, c.G, c.B, c.A} }

// disc fills a circle of radius rad centred at (cx, cy).
func disc(img *image.RGBA, cx, cy int, rad float64, c color.RGBA) {
	ri := int(math.Ceil(rad))
	for dy := -ri; dy <= ri; dy++ {
		for dx := -ri; dx <= ri; dx++ {
			if float64(dx*dx+dy*dy) <= rad*rad && (image.Point{cx + dx, cy + dy}).In(img.Rect) {
				img.SetRGBA(cx+dx, cy+dy, c)
			}
		}
	}
}
