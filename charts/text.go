package charts

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/font"
)

// text draws s with its baseline at y, starting at x, and reports its box
// to the Renderer's trace.
func (r *Renderer) text(img *image.RGBA, f font.Face, s string, x, y int, c color.Color) {
	drawText(img, f, s, x, y, c)
	if r.trace != nil && s != "" {
		b, _ := font.BoundString(f, s)
		r.trace(s, image.Rect(x+b.Min.X.Floor(), y+b.Min.Y.Floor(), x+b.Max.X.Ceil(), y+b.Max.Y.Ceil()))
	}
}

// fitText returns the largest of the face sizes (pixels, largest first)
// at which s is at most maxWidth pixels wide, or, when none is, the
// smallest with s shortened with "…" to fit. The face is the caller's to
// Close.
func (r *Renderer) fitText(s string, maxWidth int, sizes ...float64) (font.Face, string) {
	for i, px := range sizes {
		f := r.face(px)
		if textWidth(f, s) <= maxWidth || i == len(sizes)-1 {
			return f, shorten(f, s, maxWidth)
		}
		f.Close()
	}
	panic("charts: fitText without sizes")
}

// shorten cuts s with "…" until it is at most maxWidth pixels wide in f.
func shorten(f font.Face, s string, maxWidth int) string {
	if textWidth(f, s) <= maxWidth {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes) // the longest prefix that fits, by bisection
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if textWidth(f, string(runes[:mid])+"…") <= maxWidth {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return strings.TrimRight(string(runes[:lo]), " ") + "…"
}

// drawable replaces each run of characters the font has no glyph for
// (emoji, mostly) with placeholder, so that no box is drawn.
func (r *Renderer) drawable(s, placeholder string) string {
	var b strings.Builder
	missing := false
	for _, c := range s {
		if r.font.Index(c) == 0 && c != ' ' {
			if !missing {
				b.WriteString(placeholder)
			}
			missing = true
			continue
		}
		missing = false
		b.WriteRune(c)
	}
	return b.String()
}

// formatNumber writes a tick value for people: a decimal point (as the
// bot's commands take and its replies print), a real minus sign, no more
// decimals than the ticks' step needs, thousands grouped with a narrow
// space from 10 000, and a power of ten (2·10¹¹, 5·10⁻⁶) instead of
// e-notation beyond a million or below 0.001.
func formatNumber(v, step float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		if v == 0 {
			return "0"
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	step = math.Abs(step)
	if !(step > 0) {
		step = math.Abs(v)
	}
	a := math.Abs(v)
	if a < 1e6 && step >= 1e-3 {
		dec := max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
		s := strconv.FormatFloat(a, 'f', dec, 64)
		if dec > 0 {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		if a >= 1e4 {
			s = group(s)
		}
		return sign(v) + s
	}
	e := int(math.Floor(math.Log10(a)))
	m := v / math.Pow(10, float64(e))
	if math.Abs(m) >= 9.9995 { // rounding may carry into the next power
		m, e = m/10, e+1
	}
	dec := min(3, max(0, e-int(math.Floor(math.Log10(step)+1e-9))))
	ms := strings.TrimRight(strings.TrimRight(strconv.FormatFloat(math.Abs(m), 'f', dec, 64), "0"), ".")
	return sign(v) + ms + "·10" + superscript(e)
}

func sign(v float64) string {
	if v < 0 {
		return "−"
	}
	return ""
}

// group puts a narrow no-break space between thousands of the integer part.
func group(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

func superscript(n int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	sup := []rune(digits)
	var b strings.Builder
	if n < 0 {
		b.WriteRune('⁻')
		n = -n
	}
	for _, c := range strconv.Itoa(n) {
		b.WriteRune(sup[c-'0'])
	}
	return b.String()
}
