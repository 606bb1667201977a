package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"neurotutor/charts"
	"neurotutor/core"
)

// Bounds of /seed. CPython's random.seed takes any int; we take what fits
// in 64 bits. numpy's legacy np.random.seed takes 0..2³²−1 only, so larger
// seeds get the CPython column alone.
const (
	defaultSeed  = 42
	defaultSeedN = 5
	maxSeedN     = 20
	maxNumpySeed = math.MaxUint32
	maxSeedRunes = 100 // longer seed text is refused before parsing
)

// seedInput is a parsed /seed command.
type seedInput struct {
	seed     uint64
	n        int
	explicit bool // the learner gave a seed
}

// parseSeed reads "[SEED] [n=N]" (also "seed=SEED").
func parseSeed(text string) (seedInput, error) {
	text = strings.ToValidUTF8(text, "\uFFFD") // replies must be valid UTF-8 for Telegram
	a, err := parseArgs(text)
	if err != nil {
		return seedInput{}, labArgError(err, exSeed)
	}
	if err := a.resolve("n", "seed"); err != nil {
		return seedInput{}, labArgError(err, exSeed)
	}
	for k := range a.kv {
		if k != "n" && k != "seed" {
			return seedInput{}, userErrorf(msgSeedUnknownK, esc(clipRunes(k, 20)))
		}
	}
	in := seedInput{seed: defaultSeed, n: defaultSeedN}
	ss, hasSeed := a.kv["seed"]
	switch {
	case len(a.pos) == 2 && !hasSeed && a.kv["n"] == "" && isInteger(a.pos[1]):
		// "/seed 42 10": the second number is n, written without its name.
		return seedInput{}, userErrorf(msgSeedSecond, esc(clipRunes(a.pos[0], 30)), esc(clipRunes(a.pos[1], 20)))
	case len(a.pos) > 1 || len(a.pos) == 1 && hasSeed:
		return seedInput{}, userErrorf(msgSeedUsage)
	case len(a.pos) == 1:
		ss, hasSeed = a.pos[0], true
	}
	if hasSeed {
		in.explicit = true
		if in.seed, err = seedValue(ss); err != nil {
			return seedInput{}, err
		}
	}
	if ns, ok := a.kv["n"]; ok {
		in.n, err = integer("n", ns)
		if err != nil || in.n < 1 || in.n > maxSeedN {
			return seedInput{}, userErrorf(msgSeedN, maxSeedN, esc(clipRunes(ns, 20)))
		}
	}
	return in, nil
}

// seedValue parses a seed in 0..2⁶⁴−1 and explains anything else.
func seedValue(s string) (uint64, error) {
	shown := esc(clipRunes(s, 30))
	if len([]rune(s)) > maxSeedRunes {
		return 0, userErrorf(msgSeedHuge, uint64(math.MaxUint64), uint64(maxNumpySeed))
	}
	var b big.Int
	if _, ok := b.SetString(strings.TrimPrefix(s, "+"), 10); !ok {
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && strings.ContainsAny(s, "eE") && v == math.Trunc(v) {
			// "1e3" is a whole number in e-notation, not a fraction.
			if v < 0 || v >= 1<<64 {
				return seedValue(new(big.Float).SetFloat64(v).Text('f', 0))
			}
			digits := strconv.FormatUint(uint64(v), 10)
			return 0, userErrorf(msgSeedExponent, shown, digits, digits)
		}
		if err == nil || errors.Is(err, strconv.ErrRange) {
			return 0, userErrorf(msgSeedNotInt, shown)
		}
		return 0, userErrorf(msgSeedNotNumber, shown)
	}
	switch {
	case b.Sign() < 0:
		abs := new(big.Int).Abs(&b)
		return 0, userErrorf(msgSeedNegative, esc(clipRunes(abs.String(), 30)))
	case !b.IsUint64():
		return 0, userErrorf(msgSeedHuge, uint64(math.MaxUint64), uint64(maxNumpySeed))
	}
	return b.Uint64(), nil
}

// otherSeed is the seed run C uses: seed+1, or seed−1 at the top of a
// range (2³²−1 for numpy, 2⁶⁴−1 for CPython), so that both generators can
// replay it.
func otherSeed(seed uint64) uint64 {
	if seed == maxNumpySeed || seed == math.MaxUint64 {
		return seed - 1
	}
	return seed + 1
}

// seedRuns holds the sequences /seed shows.
type seedRuns struct {
	seed, other uint64
	n           int
	py          [3][]float64 // CPython random.random(): A, B (same seed), C (other)
	np          [3][]float64 // numpy np.random.rand(); nil when seed > 2³²−1
}

func runSeeds(in seedInput) seedRuns {
	r := seedRuns{seed: in.seed, other: otherSeed(in.seed), n: in.n}
	for i, s := range []uint64{r.seed, r.seed, r.other} {
		g := core.NewPythonRandom(s)
		r.py[i] = make([]float64, in.n)
		for j := range r.py[i] {
			r.py[i][j] = g.Float64()
		}
	}
	if r.seed <= maxNumpySeed {
		for i, s := range []uint64{r.seed, r.seed, r.other} {
			g := core.NewNumpyLegacy(uint32(s))
			r.np[i] = make([]float64, in.n)
			for j := range r.np[i] {
				r.np[i][j] = g.Rand()
			}
		}
	}
	return r
}

func (s *Service) handleSeed(ctx context.Context, out Outbox, req Request, args string) error {
	in, err := parseSeed(args)
	if err != nil {
		return err
	}
	r := runSeeds(in)
	return s.sendChart(ctx, out, req.ChatID, chartReply{
		Key:  chartKey("seed", seedLook, strconv.FormatUint(r.seed, 10), strconv.Itoa(r.n)),
		Name: "seed.png",
		Text: seedText(r, in.explicit),
		Draw: func() ([]byte, error) {
			c := charts.SequenceChart{
				Title: fmt.Sprintf(chartSeedTitle, r.seed, r.other),
				XAxis: chartSeedX, YAxis: chartSeedY, YMin: 0, YMax: 1,
				Legend: [3]string{fmt.Sprintf(chartSeedA, r.seed), fmt.Sprintf(chartSeedB, r.seed), fmt.Sprintf(chartSeedC, r.other)},
				Panels: []charts.SequencePanel{{Title: chartSeedPy, Series: r.py[:]}},
			}
			if r.np[0] != nil {
				c.Panels = append(c.Panels, charts.SequencePanel{Title: chartSeedNp, Series: r.np[:]})
			}
			return s.charts.Sequences(c)
		},
	}, s.labButtons(req, "seed", args))
}

// seedLook names the seed chart's design in its chart key: uploaded
// charts are remembered by key across restarts, so a picture drawn
// differently (here: run C orange with squares, run B black) needs a new
// key.
const seedLook = "look2"

// seedText shows the runs side by side and the Python that prints them.
func seedText(r seedRuns, explicit bool) string {
	var b strings.Builder
	if !explicit {
		b.WriteString(msgSeedIntro + "\n\n")
	}
	fmt.Fprintf(&b, msgSeedTitle+"\n", r.seed)
	fmt.Fprintf(&b, msgSeedLegend+"\n\n", r.seed, r.other)
	seedTable(&b, chartSeedPy, r.py, r.other)
	if r.np[0] != nil {
		seedTable(&b, chartSeedNp, r.np, r.other)
	} else {
		fmt.Fprintf(&b, msgSeedNoNumpy+"\n\n", uint64(maxNumpySeed))
	}
	b.WriteString(msgSeedPython + "\n")
	fmt.Fprintf(&b, "<pre>import random\nrandom.seed(%d)\nprint([random.random() for _ in range(%d)])\n# %s</pre>\n", r.seed, r.n, pyList(r.py[0]))
	if r.np[0] != nil {
		fmt.Fprintf(&b, "<pre>import numpy as np\nnp.random.seed(%d)\nprint(np.random.rand(%d).tolist())\n# %s</pre>\n", r.seed, r.n, pyList(r.np[0]))
	}
	b.WriteString("\n" + msgSeedExplain)
	if r.np[0] != nil {
		b.WriteString(" " + msgSeedTwoLibs)
	}
	return b.String()
}

// seedTable writes runs A, B, C of one generator as a monospace table.
func seedTable(b *strings.Builder, title string, runs [3][]float64, other uint64) {
	same, diff := 0, 0
	for i := range runs[0] {
		if runs[0][i] == runs[1][i] {
			same++
		}
		if runs[0][i] != runs[2][i] {
			diff++
		}
	}
	fmt.Fprintf(b, "<b>%s</b>\n<pre>  #        A        B  C (%s)\n", esc(title), seedShort(other))
	for i := range runs[0] {
		fmt.Fprintf(b, "%3d %8.6f %8.6f %8.6f\n", i+1, runs[0][i], runs[1][i], runs[2][i])
	}
	b.WriteString("</pre>\n")
	fmt.Fprintf(b, msgSeedSame+"\n\n", same, len(runs[0]), diff, len(runs[0]))
}

// seedShort prints a seed for a table header, shortening long ones.
func seedShort(v uint64) string {
	s := strconv.FormatUint(v, 10)
	if len(s) > 8 {
		s = "…" + s[len(s)-5:]
	}
	return s
}

// pyList prints values as Python's print(list) does: repr of each float,
// the shortest text that reads back to the same float64.
func pyList(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(parts[i], ".e") {
			parts[i] += ".0"
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
