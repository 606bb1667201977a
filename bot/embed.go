package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"neurotutor/charts"
	"neurotutor/core"
	"neurotutor/lessons"
)

// Bounds and settings of /embed. k is the embedding dimension asked for:
// 1..maxEmbedK (and at most the vocabulary size).
const (
	defaultEmbedK  = 20
	maxEmbedK      = 50
	maxEmbedWord   = 32 // characters in the word asked about
	embedNeighbors = 8  // nearest words listed
	embedCompare   = 5  // words listed for k = 2 and k = 50
	embedMapLabels = 40 // frequent words labelled on the map, where there is room
	embedCurveShow = 100
)

// embedConfig builds the space: contexts two words either side, words seen
// at least twice, 50 dimensions kept.
var embedConfig = core.EmbedConfig{Window: 2, MinCount: 2, MaxDim: maxEmbedK}

// embedShowcase are the words shown when the learner names none; those not
// in the vocabulary are skipped.
var embedShowcase = []string{"нейрон", "кошка", "seed"}

// embedLab owns the embedding space of the built-in corpus: built on the
// first /embed (about half a second), then shared by every request of the
// Service that holds it.
type embedLab struct {
	once  sync.Once
	space *core.EmbeddingSpace
	stop  map[string]bool // lessons.StopWords, left out of the corpus
	tag   string          // a hash of the corpus, the stop words, the settings and the chart's design, so that chart keys change with them
	err   error
}

// embedLook names the embedding chart's design in the chart keys:
// uploaded charts are remembered by key across restarts, so a picture
// drawn differently needs a new key.
const embedLook = "look2"

func (l *embedLab) get() (*core.EmbeddingSpace, string, error) {
	l.once.Do(func() {
		l.stop = make(map[string]bool)
		h := fnv.New64a()
		for _, w := range lessons.StopWords() {
			l.stop[w] = true
			fmt.Fprintln(h, w)
		}
		// Formula symbols and stop words are dropped from the sentences
		// as if they were not there: the window reaches past them.
		drop := func(w string) bool { return isSymbol(w) || l.stop[w] }
		sents := embedCorpus()
		tokens := make([][]string, len(sents))
		for i, s := range sents {
			tokens[i] = slices.DeleteFunc(core.Tokenize(s), drop)
			h.Write([]byte(s))
			h.Write([]byte{'\n'})
		}
		fmt.Fprintf(h, "%+v %s", embedConfig, embedLook)
		l.tag = strconv.FormatUint(h.Sum64(), 36)
		l.space, l.err = core.NewEmbeddingSpace(tokens, embedConfig)
	})
	return l.space, l.tag, l.err
}

// stopWord reports whether w (as core.Tokenize writes it) is one of the
// stop words left out of the space; call it after get.
func (l *embedLab) stopWord(w string) bool { return l.stop[w] }

// isSymbol reports whether a token is a formula symbol (x, w_i, σ) rather
// than a word: one letter outside the Cyrillic script. Russian one-letter
// words (в, и, с, к) stay.
func isSymbol(tok string) bool {
	r, n := utf8.DecodeRuneInString(tok)
	return n == len(tok) && !unicode.Is(unicode.Cyrillic, r)
}

// embedCorpus is the built-in corpus plus every line of the lessons.
func embedCorpus() []string {
	out := lessons.Corpus()
	for _, l := range lessons.All() {
		for line := range strings.Lines(l.Text) {
			if line = strings.TrimSpace(line); line != "" {
				out = append(out, line)
			}
		}
	}
	return out
}

// embedInput is a parsed /embed command.
type embedInput struct {
	word string // "" for the showcase words
	k    int
	kSet bool
}

// parseEmbed reads "[WORD] [dim=K]".
func parseEmbed(text string) (embedInput, error) {
	text = strings.ToValidUTF8(text, "\uFFFD") // replies must be valid UTF-8 for Telegram
	a, err := parseArgs(text)
	if err != nil {
		return embedInput{}, labArgError(err, exEmbed)
	}
	if err := a.resolve("dim"); err != nil {
		return embedInput{}, labArgError(err, exEmbed)
	}
	for k := range a.kv {
		if k != "dim" {
			return embedInput{}, userErrorf(msgEmbedUnknownK, esc(clipRunes(k, 20)))
		}
	}
	in := embedInput{k: defaultEmbedK}
	switch len(a.pos) {
	case 0:
	case 1:
		w := a.pos[0]
		if utf8.RuneCountInString(w) > maxEmbedWord {
			return in, userErrorf(msgEmbedLong, maxEmbedWord)
		}
		toks := core.Tokenize(w)
		if len(toks) != 1 {
			return in, userErrorf(msgEmbedOneWord, esc(clipRunes(w, 32)))
		}
		in.word = toks[0]
	case 2:
		if _, ok := a.kv["dim"]; !ok && isInteger(a.pos[1]) {
			// "/embed нейрон 2": the number is dim, written without its name.
			return in, userErrorf(msgEmbedSecond, esc(clipRunes(a.pos[0], 32)), esc(clipRunes(a.pos[1], 20)))
		}
		return in, userErrorf(msgEmbedOneWord, esc(clipRunes(strings.Join(a.pos, " "), 32)))
	default:
		return in, userErrorf(msgEmbedOneWord, esc(clipRunes(strings.Join(a.pos, " "), 32)))
	}
	if ks, ok := a.kv["dim"]; ok {
		in.kSet = true
		in.k, err = integer("dim", ks)
		if err != nil || in.k < 1 || in.k > maxEmbedK {
			return in, userErrorf(msgEmbedDim, maxEmbedK, esc(clipRunes(ks, 20)))
		}
	}
	return in, nil
}

func (s *Service) handleEmbed(ctx context.Context, out Outbox, req Request, args string) error {
	in, err := parseEmbed(args)
	if err != nil {
		return err
	}
	space, tag, err := s.embed.get()
	if err != nil {
		return fmt.Errorf("embed: build space: %w", err)
	}
	in.k = min(in.k, space.Dim())
	words := []string{in.word}
	if in.word == "" {
		words = words[:0]
		for _, w := range embedShowcase {
			if _, ok := space.Index(w); ok {
				words = append(words, w)
			}
		}
		if len(words) == 0 {
			return errNoShowcase
		}
	} else if _, ok := space.Index(in.word); !ok {
		if s.embed.stopWord(in.word) {
			return userErrorf(msgEmbedStopWord, esc(in.word), "<code>/embed нейрон</code>")
		}
		sugg := space.Suggest(in.word, 4)
		for i := range sugg {
			sugg[i] = "<code>/embed " + esc(sugg[i]) + "</code>"
		}
		return userErrorf(msgEmbedUnknown, esc(in.word), strings.Join(sugg, ", "))
	}
	r, err := embedNeighbours(space, words, in.k)
	if err != nil {
		return err
	}
	return s.sendChart(ctx, out, req.ChatID, chartReply{
		Key:  chartKey("embed", tag, in.word, strconv.Itoa(in.k)),
		Name: "embed.png",
		Text: embedText(space, r, in),
		Draw: func() ([]byte, error) { return s.charts.Embedding(embedChart(space, r, in)) },
	}, nil)
}

// embedResult holds the neighbours of each word at k, and at k = 2 and
// k = maxDim for comparison.
type embedResult struct {
	words     []string
	k         int
	near      [][]core.Neighbor
	low, high [][]core.Neighbor
	highK     int
}

func embedNeighbours(space *core.EmbeddingSpace, words []string, k int) (embedResult, error) {
	r := embedResult{words: words, k: k, highK: space.Dim()}
	n := embedNeighbors
	if len(words) > 1 {
		n = 5
	}
	for _, w := range words {
		near, err := space.Nearest(w, k, n)
		if err != nil {
			return r, err
		}
		low, err := space.Nearest(w, min(2, space.Dim()), embedCompare)
		if err != nil {
			return r, err
		}
		high, err := space.Nearest(w, r.highK, embedCompare)
		if err != nil {
			return r, err
		}
		r.near, r.low, r.high = append(r.near, near), append(r.low, low), append(r.high, high)
	}
	return r, nil
}

func embedText(space *core.EmbeddingSpace, r embedResult, in embedInput) string {
	var b strings.Builder
	ev := space.ExplainedVariance()
	fmt.Fprintf(&b, msgEmbedTitle+"\n", r.k)
	fmt.Fprintf(&b, msgEmbedHow+"\n\n", nounWord.count(space.Len()), nounOccurs.form(space.Len()), space.Window())
	if in.word == "" {
		b.WriteString(msgEmbedShowcase + "\n\n")
	}
	for i, w := range r.words {
		if noNeighbours(r.near[i]) {
			fmt.Fprintf(&b, msgEmbedZero+"\n\n", esc(w), r.k)
			continue
		}
		fmt.Fprintf(&b, msgEmbedNear+"\n<pre>", esc(w), r.k)
		for _, nb := range r.near[i] {
			fmt.Fprintf(&b, "%-14s %s\n", esc(nb.Word), cos(nb.Cosine))
		}
		b.WriteString("</pre>\n")
		switch r.k {
		case 2:
			fmt.Fprintf(&b, msgEmbedCompareOne+"\n\n", r.highK, words(r.high[i]))
		case r.highK:
			fmt.Fprintf(&b, msgEmbedCompareOne+"\n\n", 2, words(r.low[i]))
		default:
			fmt.Fprintf(&b, msgEmbedCompare+"\n\n", 2, words(r.low[i]), r.highK, words(r.high[i]))
		}
	}
	// Compare with whichever of dim = 2 and the high dim the learner did not ask for.
	var others []string
	for _, k := range []int{min(2, len(ev)), r.highK} {
		if k != r.k {
			others = append(others, fmt.Sprintf(msgEmbedVarianceAt, k, pct(ev[k-1])))
		}
	}
	fmt.Fprintf(&b, msgEmbedVariance, r.k, pct(ev[r.k-1]))
	if len(others) > 0 {
		b.WriteString(" (" + strings.Join(others, ", ") + ")")
	}
	b.WriteString(".\n")
	b.WriteString(msgEmbedTradeoff)
	if !in.kSet {
		w := in.word
		if w == "" && len(r.words) > 0 {
			w = r.words[0]
		}
		fmt.Fprintf(&b, "\n"+msgEmbedTry, esc(w), esc(w))
	}
	return b.String()
}

// noNeighbours reports whether every cosine is 0: the word's vector is
// zero in these dimensions (its few contexts form a group linked to no
// other word, which the first singular directions leave out), and its
// "neighbours" are merely the first words of the vocabulary.
func noNeighbours(nb []core.Neighbor) bool {
	return !slices.ContainsFunc(nb, func(n core.Neighbor) bool { return n.Cosine != 0 })
}

// words lists neighbours with their cosines, briefly.
func words(nb []core.Neighbor) string {
	parts := make([]string, len(nb))
	for i, n := range nb {
		parts[i] = esc(n.Word) + " " + cos(n.Cosine)
	}
	return strings.Join(parts, ", ")
}

// cos prints a cosine with three decimals and a real minus.
func cos(v float64) string { return fixed(v, 3) }

// pct prints a share as a percentage.
func pct(v float64) string { return percent(v) }

// embedChart labels the asked words, their neighbours and a selection of
// frequent words; the rest are unlabelled dots.
func embedChart(space *core.EmbeddingSpace, r embedResult, in embedInput) charts.EmbeddingChart {
	pts := space.Project2D()
	vocab := space.Words()
	kind := make([]charts.PointKind, len(vocab))
	for i := range min(embedMapLabels, len(vocab)) {
		kind[i] = charts.PointFrequent // Words is most frequent first
	}
	for i, w := range r.words {
		for _, nb := range r.near[i] {
			if j, ok := space.Index(nb.Word); ok && !noNeighbours(r.near[i]) {
				kind[j] = charts.PointNeighbor
			}
		}
		if j, ok := space.Index(w); ok {
			kind[j] = charts.PointAsked
		}
	}
	m := charts.WordMap{Title: fmt.Sprintf(chartEmbedMapTitle, r.k), XAxis: chartEmbedMapX, YAxis: chartEmbedMapY}
	switch r.k {
	case 1:
		m.Note = chartEmbedMapNote1
	case 2:
		m.Note, m.Rays = chartEmbedMapNote2, true
	default:
		m.Note = fmt.Sprintf(chartEmbedMapNote, r.k)
	}
	for i, p := range pts {
		wp := charts.WordPoint{X: p[0], Y: p[1], Kind: kind[i]}
		if kind[i] != charts.PointPlain {
			wp.Label = vocab[i]
		}
		m.Points = append(m.Points, wp)
	}
	ev := space.ExplainedVariance()
	title := fmt.Sprintf(chartEmbedTitle, r.k)
	if len(r.words) > 0 {
		title = fmt.Sprintf(chartEmbedTitleWord, strings.Join(r.words, ", "), r.k)
	}
	return charts.EmbeddingChart{
		Title: title,
		Map:   m,
		Curve: charts.VarianceCurve{
			Title:  fmt.Sprintf(chartEmbedCurveTitle, space.Len(), space.Len()),
			XAxis:  chartEmbedCurveX,
			YAxis:  chartEmbedCurveY,
			Share:  ev,
			K:      r.k,
			KLabel: fmt.Sprintf(chartEmbedK, r.k, pct(ev[r.k-1])),
			Show:   embedCurveShow,
		},
	}
}

// errNoShowcase is returned if none of the showcase words is known; the
// corpus tests make sure it never happens.
var errNoShowcase = errors.New("embed: no showcase word in the vocabulary")
