package charts_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"neurotutor/charts"
)

var (
	boardBar  = color.RGBA{0x1f, 0x77, 0xb4, 0xff}
	boardMark = color.RGBA{0xd6, 0x27, 0x28, 0xff}
)

// boardCases are the leaderboards every test draws; set
// NEUROTUTOR_CHART_DIR to look at them.
func boardCases() map[string][]charts.BoardBar {
	eleven := make([]charts.BoardBar, 0, 11)
	for i := range 10 {
		eleven = append(eleven, charts.BoardBar{Name: fmt.Sprintf("Участник %d", i+1), Points: 1200 - 100*i})
	}
	eleven = append(eleven, charts.BoardBar{Name: "Это я", Points: 15, Mark: true, Place: 37})
	return map[string][]charts.BoardBar{
		"board typical": {
			{Name: "Аня", Points: 42}, {Name: "Борис Петров", Points: 35, Mark: true}, {Name: "Ольга", Points: 35, Place: 2},
			{Name: "Дмитрий", Points: 12, Place: 4}, {Name: "Ян", Points: 0, Place: 5},
		},
		"board single":    {{Name: "Единственный", Points: 7, Mark: true}},
		"board all equal": {{Name: "А", Points: 5}, {Name: "Б", Points: 5, Place: 1}, {Name: "В", Points: 5, Place: 1, Mark: true}},
		"board all zero":  {{Name: "Никто", Points: 0}, {Name: "Ничего", Points: 0, Place: 1, Mark: true}},
		"board eleven":    eleven,
		"board names": {
			{Name: "Я", Points: 900},
			{Name: strings.Repeat("Очень длинное имя участника ", 3)[:80], Points: 800},
			{Name: strings.Repeat("W", 80), Points: 700},
			{Name: "Маша 🌸", Points: 600, Mark: true},
			{Name: "🔥🔥🔥", Points: 500},
			{Name: "👨\u200d👩\u200d👧 семья", Points: 400},
			{Name: "", Points: 300},
			{Name: "<b>Иван</b> & Co", Points: 200},
			{Name: ".", Points: 100},
			{Name: "王小明 Wang", Points: 50},
			{Name: "  Анна\u200f\n Ли  ", Points: 1},
		},
		"board millions": {
			{Name: "Рекордсмен", Points: 10_000_000}, {Name: "Догоняющий", Points: 9_999_999},
			{Name: "Средний", Points: 12_345, Mark: true}, {Name: "Новичок", Points: 1000}, {Name: "Один", Points: 1},
		},
		"board huge": {{Name: "Предел", Points: 1<<63 - 1}, {Name: "Второй", Points: 1 << 40, Mark: true}},
		"board far place": {
			{Name: strings.Repeat("Ш", 80), Points: 1<<63 - 1}, {Name: strings.Repeat("Щ", 80), Points: 2, Mark: true, Place: charts.MaxBoardPlace},
		},
		"board max": append(eleven, charts.BoardBar{Name: "Ещё один", Points: 3, Place: 38}),
	}
}

const boardTitle = "Очки за неделю"

func TestBoard(t *testing.T) {
	r := mustNew(t)
	for name, bars := range boardCases() {
		a, err := r.Board(bars, boardTitle)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPNG(t, name, a, charts.BoardWidth, charts.BoardHeight(len(bars)))
		b, _ := r.Board(bars, boardTitle)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", name)
		}
	}
	long := strings.Repeat("Очки за всё время в этой группе ", 12)
	a, err := r.Board([]charts.BoardBar{{Name: "А", Points: 1}}, long)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, "board long title", a, charts.BoardWidth, charts.BoardHeight(1))
}

func TestBoardErrors(t *testing.T) {
	r := mustNew(t)
	if _, err := r.Board(nil, boardTitle); !errors.Is(err, charts.ErrNoData) {
		t.Errorf("no bars: %v", err)
	}
	if _, err := r.Board(make([]charts.BoardBar, charts.MaxBoardBar+1), boardTitle); err == nil {
		t.Error("too many bars accepted")
	}
	if _, err := r.Board([]charts.BoardBar{{Name: "А", Points: 3}, {Name: "Б", Points: -1}}, boardTitle); err == nil {
		t.Error("negative points accepted")
	}
	for _, p := range []int{-2, charts.MaxBoardPlace + 1} {
		if _, err := r.Board([]charts.BoardBar{{Name: "А", Points: 3, Place: p}}, boardTitle); err == nil {
			t.Errorf("place %d accepted", p)
		}
	}
}

// No piece of text leaves the canvas or touches another, names cut with
// "…" stop before the bars, and no character the font lacks is drawn.
func TestBoardLayout(t *testing.T) {
	cases := boardCases()
	cases["board long title"] = []charts.BoardBar{{Name: "А", Points: 1}}
	for name, bars := range cases {
		title := boardTitle
		if name == "board long title" {
			title = strings.Repeat("Очки за всё время в этой группе ", 12)
		}
		img, texts := render(t, func(r *charts.Renderer) ([]byte, error) { return r.Board(bars, title) })
		checkLayout(t, name, img, texts, 2)
		r := mustNew(t)
		barLeft := img.Bounds().Max.X
		for _, c := range []color.RGBA{boardBar, boardMark} {
			if x, ok := leftmost(img, c, texts); ok {
				barLeft = min(barLeft, x)
			}
		}
		for _, b := range bars {
			d, ok := nameOf(texts, b)
			if !ok {
				t.Errorf("%s: no name drawn for %q", name, b.Name)
				continue
			}
			if !r.CanDraw(d.text) {
				t.Errorf("%s: %q is drawn with a character the font lacks", name, d.text)
			}
			if d.box.Max.X >= barLeft-4 {
				t.Errorf("%s: name %q ends at %d, the bars start at %d", name, d.text, d.box.Max.X, barLeft)
			}
		}
	}
}

// nameOf finds the traced text of b's name: the whole name, or a
// shortened or cleaned-up one, on b's row.
func nameOf(texts []drawn, b charts.BoardBar) (drawn, bool) {
	for _, d := range texts {
		if d.text == b.Name || strings.HasSuffix(d.text, "…") && strings.HasPrefix(b.Name, strings.TrimSuffix(d.text, "…")) {
			return d, true
		}
	}
	want := map[string]string{ // how the odd names of boardCases are shown
		"Маша 🌸": "Маша \ufffd", "🔥🔥🔥": "\ufffd", "👨\u200d👩\u200d👧 семья": "\ufffd семья", "": "—", ".": "«.»",
		"王小明 Wang": "\ufffd Wang", "  Анна\u200f\n Ли  ": "Анна Ли",
	}[b.Name]
	return find(texts, want)
}

// leftmost returns the smallest x of a pixel of colour c outside text.
func leftmost(img image.Image, c color.RGBA, texts []drawn) (int, bool) {
	b := img.Bounds()
	for x := b.Min.X; x < b.Max.X; x++ {
		if count(img, image.Rect(x, b.Min.Y, x+1, b.Max.Y), c, texts) > 0 {
			return x, true
		}
	}
	return 0, false
}

// barLength measures the bar on the row of the traced text d (a name):
// the pixels of bar colour along the line through its middle.
func barLength(img image.Image, d drawn, texts []drawn) int {
	y := (d.box.Min.Y + d.box.Max.Y) / 2
	row := image.Rect(img.Bounds().Min.X, y, img.Bounds().Max.X, y+1)
	return count(img, row, boardBar, texts) + count(img, row, boardMark, texts)
}

// The asker's bar, and only it, is in the accent colour; the others are
// all in the bars' colour.
func TestBoardMark(t *testing.T) {
	bars := boardCases()["board eleven"]
	for mark := range bars {
		bars := append([]charts.BoardBar(nil), bars...)
		for i := range bars {
			bars[i].Mark = i == mark
		}
		img, texts := render(t, func(r *charts.Renderer) ([]byte, error) { return r.Board(bars, boardTitle) })
		for i, b := range bars {
			d, _ := nameOf(texts, b)
			y := (d.box.Min.Y + d.box.Max.Y) / 2
			band := image.Rect(0, y-10, charts.BoardWidth, y+10)
			accent, plain := count(img, band, boardMark, texts), count(img, band, boardBar, texts)
			if i == mark && (accent == 0 || plain > 0) {
				t.Errorf("mark %d: the asker's bar has %d accent and %d plain pixels", mark, accent, plain)
			}
			if i != mark && (accent > 0 || plain == 0) {
				t.Errorf("mark %d: bar %d has %d accent and %d plain pixels", mark, i, accent, plain)
			}
		}
		if n := count(img, image.Rectangle{}, boardMark, texts); n != boardBarArea(img, texts, bars[mark]) {
			t.Errorf("mark %d: %d accent pixels outside the asker's bar", mark, n-boardBarArea(img, texts, bars[mark]))
		}
	}
	img, texts := render(t, func(r *charts.Renderer) ([]byte, error) {
		return r.Board([]charts.BoardBar{{Name: "А", Points: 9}, {Name: "Б", Points: 4}}, boardTitle)
	})
	if n := count(img, image.Rectangle{}, boardMark, texts); n > 0 {
		t.Errorf("no asker: %d pixels of accent colour", n)
	}
}

// boardBarArea counts the accent pixels on b's row.
func boardBarArea(img image.Image, texts []drawn, b charts.BoardBar) int {
	d, _ := nameOf(texts, b)
	y := (d.box.Min.Y + d.box.Max.Y) / 2
	return count(img, image.Rect(0, y-20, charts.BoardWidth, y+20), boardMark, texts)
}

// Bars grow with the points, equal points draw equal bars, the best
// reaches across most of the chart, and 0 points draw no bar at all.
func TestBoardBarLengths(t *testing.T) {
	for name, bars := range boardCases() {
		img, texts := render(t, func(r *charts.Renderer) ([]byte, error) { return r.Board(bars, boardTitle) })
		prev, prevPoints := -1, 0
		for i, b := range bars {
			d, ok := nameOf(texts, b)
			if !ok {
				t.Fatalf("%s: no name for bar %d", name, i)
			}
			n := barLength(img, d, texts)
			switch {
			case b.Points == 0:
				band := image.Rect(0, d.box.Min.Y-8, charts.BoardWidth, d.box.Max.Y+8)
				if k := count(img, band, boardBar, texts) + count(img, band, boardMark, texts); k > 0 {
					t.Errorf("%s: bar %d has 0 points and %d bar pixels", name, i, k)
				}
			case n == 0:
				t.Errorf("%s: bar %d has %d points and no bar", name, i, b.Points)
			}
			if i > 0 && (b.Points == prevPoints && n != prev || b.Points < prevPoints && n > prev) {
				t.Errorf("%s: bar %d: %d points, %d pixels after %d points, %d pixels", name, i, b.Points, n, prevPoints, prev)
			}
			if i == 0 && b.Points > 0 && n < charts.BoardWidth/5 {
				t.Errorf("%s: the best bar is %d pixels", name, n)
			}
			prev, prevPoints = n, b.Points
		}
	}
}

// Points are written as the bot writes numbers, at the end of each bar.
func TestBoardValues(t *testing.T) {
	bars := boardCases()["board millions"]
	img, texts := render(t, func(r *charts.Renderer) ([]byte, error) { return r.Board(bars, boardTitle) })
	for i, want := range []string{"10\u202f000\u202f000", "9\u202f999\u202f999", "12\u202f345", "1000", "1"} {
		d, _ := nameOf(texts, bars[i])
		var v drawn
		for _, e := range texts { // not the place: the text right of the name
			if e.text == want && e.box.Min.X > d.box.Max.X {
				v = e
			}
		}
		if v.text == "" {
			t.Errorf("no value %q", want)
			continue
		}
		end := d.box.Min.X
		for x := d.box.Max.X; x < v.box.Min.X; x++ {
			if count(img, image.Rect(x, (d.box.Min.Y+d.box.Max.Y)/2, x+1, (d.box.Min.Y+d.box.Max.Y)/2+1), boardBar, texts)+
				count(img, image.Rect(x, (d.box.Min.Y+d.box.Max.Y)/2, x+1, (d.box.Min.Y+d.box.Max.Y)/2+1), boardMark, texts) > 0 {
				end = x
			}
		}
		if gap := v.box.Min.X - end; gap < 2 || gap > 14 {
			t.Errorf("value %q starts %d pixels after its bar", want, gap)
		}
	}
}

func BenchmarkBoard11(b *testing.B) {
	r := mustNew(b)
	bars := boardCases()["board eleven"]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Board(bars, boardTitle); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/op")
}
