package bot

import (
	"html"
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

// num formats a number for people: up to 6 significant digits and a real
// minus sign, e.g. 0.952574, −1, 1e+06.
func num(v float64) string {
	if v == 0 {
		return "0" // also −0
	}
	s := strconv.FormatFloat(v, 'g', 6, 64)
	return strings.Replace(s, "-", "−", 1)
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
