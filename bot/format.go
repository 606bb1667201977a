package bot

import (
	"html"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Telegram's limits, in UTF-16 code units after entity parsing; we count
// the HTML source, which is never shorter.
const (
	maxText    = 4096
	maxCaption = 1024
	maxData    = 64 // callback data, in bytes
)

// esc escapes a dynamic string for HTML parse mode.
func esc(s string) string { return html.EscapeString(s) }

// Numbers for people. One convention throughout the bot's replies (and
// the lessons): a decimal point, never a comma, because the learner types
// numbers into commands with a point (a comma separates list items:
// w=0.5,1) and Python prints them so; a real minus sign "−"; thousands
// grouped by a no-break space from five digits on ("10 000", but "1000");
// and no e-notation: very large or small values are written as
// 2.31952·10⁻¹⁶.

// num formats v with up to 6 significant digits: 0.952574, −1, 1 000 000,
// 2.31952·10⁻¹⁶. Positional notation is used for 10⁻⁴ ≤ |v| < 10⁹.
func num(v float64) string {
	switch {
	case v == 0:
		return "0" // also −0
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	e := strconv.FormatFloat(v, 'e', 5, 64) // −d.ddddde±XX
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	if exp < -4 || exp > 8 {
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		return minus(mant) + "·10" + superscript(exp)
	}
	r, _ := strconv.ParseFloat(e, 64) // v rounded to 6 significant digits
	return minus(group(strconv.FormatFloat(r, 'f', -1, 64)))
}

// fixed formats v with exactly d decimals (for tables whose columns must
// line up), with a real minus and no "−0.000".
func fixed(v float64, d int) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return minus(group(s))
}

// percent formats a fraction in [0, 1] as whole percents: "75 %".
func percent(frac float64) string {
	return strconv.Itoa(int(math.Round(frac*100))) + "\u00a0%"
}

// whole formats n with grouped thousands: 521, 1000, 10 000.
func whole(n int) string { return minus(group(strconv.Itoa(n))) }

// minus replaces a leading hyphen with the minus sign.
func minus(s string) string {
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return "−" + rest
	}
	return s
}

// group puts a no-break space between thousands of the integer part of
// a plain decimal ("-12345.5" → "-12 345.5") when it has five digits or
// more.
func group(s string) string {
	sign, rest := "", s
	if strings.HasPrefix(rest, "-") {
		sign, rest = "-", rest[1:]
	}
	intPart, frac, hasFrac := strings.Cut(rest, ".")
	if len(intPart) < 5 {
		return s
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// superscript writes an exponent with superscript digits: −16 → ⁻¹⁶.
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

// utf16Len is the length Telegram counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// split cuts HTML text into parts of at most limit UTF-16 units, at
// paragraph breaks, then line breaks, then spaces. Every line of our HTML
// closes its own tags, so cutting between lines keeps tags balanced. A
// single line longer than limit is cut at spaces (or anywhere, as a last
// resort); such lines are plain text.
func split(text string, limit int) []string {
	var parts []string
	for utf16Len(text) > limit {
		cut := cutPoint(text, limit)
		parts = append(parts, strings.TrimRight(text[:cut], " \n"))
		text = strings.TrimLeft(text[cut:], " \n")
	}
	if text != "" || len(parts) == 0 {
		parts = append(parts, text)
	}
	return parts
}

// cutPoint returns a byte index ≤ the prefix of text that fits limit,
// preferring "\n\n", then "\n", then " ".
func cutPoint(text string, limit int) int {
	fit, n := 0, 0
	for i, r := range text {
		n += utf16.RuneLen(r)
		if n > limit {
			break
		}
		fit = i + len(string(r))
	}
	head := text[:fit]
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(head, sep); i > fit/2 {
			return i + len(sep)
		}
	}
	return fit
}
