package charts

import (
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"
	"unicode"
)

// BoardBar is one player on a leaderboard chart.
type BoardBar struct {
	Name   string // as Telegram shows it: any Unicode, may be long, may contain emoji or be empty
	Points int    // ≥ 0
	Mark   bool   // the asker: drawn in the accent colour
	// Place is the 1-based standing written before the name, as the
	// caller counts it (ties share a place, and the asker below the top
	// has their own); 0 numbers the bars 1, 2, 3… by their position.
	// At most MaxBoardPlace.
	Place int
}

// Size and bounds of the leaderboard chart. It is BoardWidth pixels wide
// and BoardHeight(len(bars)) tall.
const (
	BoardWidth = 720
	// MaxBoardBar is the most players one chart takes: the top
	// BoardTop, the asker below them and one spare.
	MaxBoardBar = 12
	// BoardTop is how many bars stand together; any after them (the
	// asker, when outside the top) are set apart by a gap.
	BoardTop = 10
	// MaxBoardPlace is the largest place a bar may give (six digits:
	// more than a group has members).
	MaxBoardPlace = 999_999
)

// Geometry of the leaderboard, in pixels.
const (
	boardMargin  = 16
	boardRowsTop = 58 // the first row's top, under the title
	boardRow     = 42 // one row: a bar and the space around it
	boardBarH    = 28
	boardGap     = 18  // the extra space before the bars after BoardTop
	boardNameW   = 220 // the name column; longer names end in "…"
	boardBottom  = 12
)

// boardNoGlyph stands for each run of characters the font has no glyph
// for (emoji, mostly) in a name: a sign, not a word, because charts holds
// no Russian text and the names come straight from Telegram.
const boardNoGlyph = "\ufffd"

var (
	colorBoardBar   = color.RGBA{0x1f, 0x77, 0xb4, 0xff} // blue: the others, as the neuron chart's second curve
	colorBoardMark  = color.RGBA{0xd6, 0x27, 0x28, 0xff} // red: the asker, as the learner everywhere else
	colorBoardAxis  = color.RGBA{0xcc, 0xcc, 0xcc, 0xff}
	colorBoardPlace = color.RGBA{0x66, 0x66, 0x66, 0xff}
)

// BoardHeight is the height in pixels of a leaderboard chart of n bars.
func BoardHeight(n int) int {
	h := boardRowsTop + n*boardRow + boardBottom
	if n > BoardTop {
		h += boardGap
	}
	return h
}

// Board draws a leaderboard: one horizontal bar per player, in the order
// given (best first), each row the place, the name (cut with "…" to a
// fixed column; characters the font lacks shown as U+FFFD "�") and a bar
// proportional to the points with their number at its end (thousands
// grouped from five digits, as the bot writes them). A player with 0
// points has no bar, only the number. The asker's bar (Mark) is red, the
// others blue; bars after the first BoardTop stand below a gap. The
// title is shrunk, then cut, to fit. It accepts 1..MaxBoardBar bars with
// Points ≥ 0 and 0 ≤ Place ≤ MaxBoardPlace.
func (r *Renderer) Board(bars []BoardBar, title string) ([]byte, error) {
	if len(bars) == 0 {
		return nil, fmt.Errorf("charts: board: %w", ErrNoData)
	}
	if len(bars) > MaxBoardBar {
		return nil, fmt.Errorf("charts: board: %d bars, at most %d", len(bars), MaxBoardBar)
	}
	for i, b := range bars {
		if b.Points < 0 {
			return nil, fmt.Errorf("charts: board: bar %d has %d points", i+1, b.Points)
		}
		if b.Place < 0 || b.Place > MaxBoardPlace {
			return nil, fmt.Errorf("charts: board: bar %d has place %d", i+1, b.Place)
		}
	}
	img := r.canvases.get(BoardWidth, BoardHeight(len(bars))) // white
	defer r.canvases.put(img)
	r.drawBoard(img, bars, title)
	return r.encode(img)
}

func (r *Renderer) drawBoard(img *image.RGBA, bars []BoardBar, title string) {
	if title != "" {
		f, s := r.fitText(r.drawable(clip(title), boardNoGlyph), BoardWidth-2*boardMargin, 22, 20, 18)
		r.text(img, f, s, boardMargin, 34, ink)
		f.Close()
	}
	nameF, valueF := r.face(20), r.face(18)
	defer nameF.Close()
	defer valueF.Close()

	places := make([]string, len(bars))
	values := make([]string, len(bars))
	most := 0
	for i, b := range bars {
		p := b.Place
		if p == 0 {
			p = i + 1
		}
		places[i] = strconv.Itoa(p)
		values[i] = boardPoints(b.Points)
		most = max(most, b.Points)
	}
	placeRight := boardMargin + maxWidth(nameF, places)
	nameX := placeRight + 10
	barX := nameX + boardNameW + 14
	// The longest bar leaves room for the widest number after it.
	barMax := BoardWidth - boardMargin - maxWidth(valueF, values) - 8 - barX

	rowTop := func(i int) int {
		y := boardRowsTop + i*boardRow
		if i >= BoardTop {
			y += boardGap
		}
		return y
	}
	fillRect(img, image.Rect(barX-1, rowTop(0)+2, barX, rowTop(len(bars)-1)+boardRow-2), colorBoardAxis)
	if len(bars) > BoardTop {
		// Three dots in the place column set the bars after the top apart.
		x, y := (boardMargin+placeRight)/2-1, rowTop(BoardTop)-16
		for k := range 3 {
			fillRect(img, image.Rect(x, y+k*7, x+3, y+k*7+3), colorBoardPlace)
		}
	}
	for i, b := range bars {
		top := rowTop(i)
		base := top + boardRow/2 + 7 // the text's baseline, its capitals centred on the bar
		fill, text, placeC := colorBoardBar, ink, colorBoardPlace
		if b.Mark {
			fill, text, placeC = colorBoardMark, colorBoardMark, colorBoardMark
		}
		r.text(img, nameF, places[i], placeRight-textWidth(nameF, places[i]), base, placeC)
		r.text(img, nameF, shorten(nameF, r.boardName(b.Name), boardNameW), nameX, base, text)

		n := 0
		if b.Points > 0 {
			// Scaled in floating point: points near MaxInt would overflow
			// a product; a non-zero score gets at least a sliver.
			n = max(3, int(float64(b.Points)/float64(most)*float64(barMax)+0.5))
		}
		y0 := top + (boardRow-boardBarH)/2
		fillRect(img, image.Rect(barX, y0, barX+n, y0+boardBarH), fill)
		r.text(img, valueF, values[i], barX+n+8, base-1, text)
	}
}

// boardName is a Telegram name as the chart shows it: on one line,
// without invisible characters, runs of characters the font lacks as
// boardNoGlyph, punctuation alone in «», and "—" for no name at all.
func (r *Renderer) boardName(s string) string {
	var b strings.Builder
	space := false
	for _, c := range clip(s) {
		switch {
		case unicode.IsSpace(c):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cc, c), unicode.Is(unicode.Cf, c), // controls, joiners, direction marks
			unicode.Is(unicode.Variation_Selector, c),
			unicode.Is(unicode.Mn, c) && r.font.Index(c) == 0: // an accent the font lacks: the letter stays
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(c)
	}
	if name := r.label(b.String(), boardNoGlyph); name != "" {
		return name
	}
	return "—"
}

// boardPoints writes a score as the bot does: thousands grouped by a narrow
// no-break space from five digits on ("1000", "12 345").
func boardPoints(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 5 {
		return s
	}
	return group(s)
}
