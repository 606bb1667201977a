package bot

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"neurotutor/charts"
	"neurotutor/core"
)

// attentionInput is a parsed /attention command.
type attentionInput struct {
	tokens []string
	cur    int // the current token, 1-based
}

// keyValRe finds "name=K" anywhere among the words (also "name = K");
// parseAttention takes those whose name reads as cur (also "сur" with a
// Cyrillic с, "кур", "сгк" typed on the Russian layout).
var keyValRe = regexp.MustCompile(`(?:^|\s)(\pL{1,8})\s*=\s*(\S*)`)

// curMatches returns the submatch indexes of keyValRe that set cur.
func curMatches(text string) [][]int {
	var out [][]int
	for _, l := range keyValRe.FindAllStringSubmatchIndex(text, -1) {
		k := strings.ToLower(text[l[2]:l[3]])
		if k == "cur" || latinKey(k, []string{"cur"}) == "cur" {
			out = append(out, []int{l[0], l[1], l[4], l[5]})
		}
	}
	return out
}

// parseAttention reads "WORD WORD … [cur=K]". Tokens are split on
// whitespace; punctuation at the edges of a word is dropped ("ковре." →
// "ковре", "«кошка»" → "кошка"), a token made only of punctuation or
// symbols (",", "—", "🐱") is kept as it is. Bounds: 1..32 tokens, each at
// most 32 characters; cur in 1..n, the last token by default.
func parseAttention(text string) (attentionInput, error) {
	text = strings.ToValidUTF8(text, "\uFFFD") // replies must be valid UTF-8 for Telegram
	if utf8.RuneCountInString(text) > maxArgs {
		return attentionInput{}, userErrorf(msgArgTooLong)
	}
	curs := curMatches(text)
	if len(curs) > 1 {
		return attentionInput{}, userErrorf(msgArgDup, "cur")
	}
	curText := ""
	if len(curs) == 1 {
		l := curs[0]
		curText = normalize.Replace(text[l[2]:l[3]])
		if curText == "" {
			return attentionInput{}, userErrorf(msgLabArgEmpty, "cur", exAttention)
		}
		text = text[:l[0]] + " " + text[l[1]:]
	}
	var in attentionInput
	for _, f := range strings.Fields(text) {
		if t := trimPunct(f); t != "" {
			in.tokens = append(in.tokens, t)
		} else {
			in.tokens = append(in.tokens, f)
		}
	}
	switch {
	case len(in.tokens) == 0:
		return in, userErrorf(msgAttentionUsage)
	case len(in.tokens) > core.MaxAttentionTokens:
		return in, userErrorf(msgAttentionTooMany, len(in.tokens), core.MaxAttentionTokens)
	}
	for _, t := range in.tokens {
		if utf8.RuneCountInString(t) > core.MaxTokenRunes {
			return in, userErrorf(msgAttentionLong, esc(clipRunes(t, 20)), core.MaxTokenRunes)
		}
	}
	in.cur = len(in.tokens)
	if curText != "" {
		n, err := integer("cur", curText)
		if err != nil || n < 1 || n > len(in.tokens) {
			return in, userErrorf(msgAttentionCur, len(in.tokens), esc(clipRunes(curText, 20)))
		}
		in.cur = n
	}
	return in, nil
}

// trimPunct drops punctuation from both ends of a word.
func trimPunct(s string) string { return strings.TrimFunc(s, unicode.IsPunct) }

func (s *Service) handleAttention(ctx context.Context, out Outbox, req Request, args string) error {
	in, err := parseAttention(args)
	if err != nil {
		return err
	}
	res, err := core.Attention(in.tokens, core.DefaultAttentionDim)
	if err := attentionError(in, err); err != nil {
		return err
	}
	quoted := make([]string, len(in.tokens))
	for i, t := range in.tokens {
		quoted[i] = strconv.Quote(t)
	}
	noGlyph := slices.ContainsFunc(in.tokens, func(t string) bool { return !s.charts.CanDraw(t) })
	return s.sendChart(ctx, out, req.ChatID, chartReply{
		Key:  chartKey("attention", attentionLook, strings.Join(quoted, " "), strconv.Itoa(in.cur), strconv.Itoa(res.Dim)),
		Name: "attention.png",
		Text: attentionText(res, in.cur, noGlyph),
		Draw: func() ([]byte, error) {
			return s.charts.Heatmap(charts.Heatmap{
				Title:           fmt.Sprintf(chartAttentionTitle, in.cur, clipRunes(in.tokens[in.cur-1], 20)),
				Values:          res.Weights,
				RowAxis:         chartAttentionRows,
				ColAxis:         chartAttentionCols,
				NumberedColAxis: chartAttentionColsNum,
				NoGlyph:         chartNoGlyph,
				RowNames:        res.Tokens,
				ColNames:        res.Tokens,
				// Min == Max: the colours span the weights shown, from
				// the smallest to the largest (the caption says so). A
				// fixed 0..1 left 32 tokens' weights, all below about
				// 0.3, in the darkest third of the palette.
				Palette:    charts.Sequential,
				OutlineRow: in.cur,
				ShowValues: true,
			})
		},
	}, s.labButtons(req, "attention", args))
}

// attentionLook names the attention chart's design in its chart key:
// uploaded charts are remembered by key across restarts, so a picture
// drawn differently needs a new key.
const attentionLook = "look2"

// weightRange returns the smallest and largest of the weights.
func weightRange(w [][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range w {
		for _, v := range row {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi
}

// attentionText lists the current token's weights and how they mix the
// values.
func attentionText(r core.AttentionResult, cur int, noGlyph bool) string {
	var b strings.Builder
	n := len(r.Tokens)
	w := r.Weights[cur-1]
	name := func(i int) string { return esc(clipRunes(r.Tokens[i], 20)) }
	fmt.Fprintf(&b, msgAttentionTitle+"\n", n, r.Dim)
	b.WriteString(msgAttentionHow + "\n\n")
	last := ""
	if cur == n {
		last = msgAttentionLast
	}
	fmt.Fprintf(&b, msgAttentionCurrent+"\n<pre>", name(cur-1), cur, last)
	width := 0
	for i := range n {
		width = max(width, utf8.RuneCountInString(clipRunes(r.Tokens[i], 20)))
	}
	sum, top := 0.0, 0
	for j, v := range w {
		sum += v
		if v > w[top] {
			top = j
		}
		label := clipRunes(r.Tokens[j], 20)
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(label))
		fmt.Fprintf(&b, "%2d %s%s %s %s\n", j+1, esc(label), pad, fixed(v, 3), bar(v))
	}
	fmt.Fprintf(&b, "   %s %s</pre>\n", strings.Repeat(" ", width), fmt.Sprintf(msgAttentionSum, num(sum)))
	terms := make([]string, 0, 4)
	for j := 0; j < n && j < 4; j++ {
		terms = append(terms, fixed(w[j], 2)+"·v("+name(j)+")")
	}
	mix := strings.Join(terms, " + ")
	if n > 4 {
		mix += " + …"
	}
	fmt.Fprintf(&b, msgAttentionMix+"\n\n", name(cur-1), mix, name(top), num(round3(w[top])))
	lo, hi := weightRange(r.Weights)
	fmt.Fprintf(&b, msgAttentionScale+"\n", fixed(lo, 3), fixed(hi, 3))
	if noGlyph {
		b.WriteString(msgAttentionNoGlyph + "\n")
	}
	b.WriteString("\n")
	if n > 1 {
		other := 1
		if cur == 1 {
			other = n
		}
		fmt.Fprintf(&b, msgAttentionTry, esc(strings.Join(r.Tokens, " ")), other)
	}
	return b.String()
}

// bar draws a weight in 0..1 as up to ten blocks.
func bar(v float64) string {
	k := int(v*10 + 0.5)
	return strings.Repeat("█", max(0, min(10, k)))
}

func round3(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 3, 64), 64)
	return f
}
