package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"neurotutor/charts"
	"neurotutor/core"
)

// defaultPEDim is d when the learner gives none.
const defaultPEDim = 16

// parsePosenc reads "N [d=D]" (also "n=N").
func parsePosenc(text string) (n, d int, dSet bool, err error) {
	a, err := parseArgs(text)
	if err != nil {
		return 0, 0, false, err
	}
	if err := a.resolve("n", "d"); err != nil {
		return 0, 0, false, err
	}
	for k := range a.kv {
		if k != "n" && k != "d" {
			return 0, 0, false, userErrorf(msgPosencUnknownK, esc(clipRunes(k, 20)))
		}
	}
	ns, hasN := a.kv["n"]
	switch {
	case len(a.pos) == 2 && !hasN && a.kv["d"] == "" && isInteger(a.pos[1]):
		// "/posenc 10 16": the second number is d, written without its name.
		return 0, 0, false, userErrorf(msgPosencSecond, esc(clipRunes(a.pos[0], 20)), esc(clipRunes(a.pos[1], 20)))
	case len(a.pos) > 1 || len(a.pos) == 1 && hasN:
		return 0, 0, false, userErrorf(msgPosencUsage, core.MaxPositions)
	case len(a.pos) == 1:
		ns = a.pos[0]
	case !hasN:
		return 0, 0, false, userErrorf(msgPosencUsage, core.MaxPositions)
	}
	n, err = integer("N", ns)
	if err != nil || n < 1 || n > core.MaxPositions {
		return 0, 0, false, userErrorf(msgPosencN, core.MaxPositions, esc(clipRunes(ns, 20)))
	}
	d = defaultPEDim
	if ds, ok := a.kv["d"]; ok {
		dSet = true
		d, err = integer("d", ds)
		if err != nil || d < 2 || d > core.MaxPEDim || d%2 != 0 {
			return 0, 0, false, userErrorf(msgPosencD, core.MaxPEDim, esc(clipRunes(ds, 20)))
		}
	}
	return n, d, dSet, nil
}

func (s *Service) handlePosenc(ctx context.Context, out Outbox, req Request, args string) error {
	n, d, dSet, err := parsePosenc(args)
	if err != nil {
		return err
	}
	pe, err := core.PositionalEncoding(n, d)
	if err != nil {
		return err
	}
	return s.sendChart(ctx, out, req.ChatID, chartReply{
		Key:  chartKey("posenc", strconv.Itoa(n), strconv.Itoa(d)),
		Name: "posenc.png",
		Text: posencText(pe, n, d, !dSet),
		Draw: func() ([]byte, error) {
			return s.charts.Heatmap(charts.Heatmap{
				Title:   fmt.Sprintf(chartPosencTitle, n, d),
				Values:  pe,
				RowAxis: chartPosencRows,
				ColAxis: chartPosencCols,
				Min:     -1, Max: 1,
				Palette: charts.Diverging,
			})
		},
	}, s.labButtons(req, "posenc", args))
}

// posencText shows the formula and a small table of the first values.
func posencText(pe [][]float64, n, d int, defaultD bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, msgPosencTitle+"\n<code>%s</code>\n\n%s\n<pre>", n, d, msgPosencFormula, msgPosencFirst)
	rows, cols := min(n, 4), min(d, 4)
	b.WriteString("pos ")
	for j := range cols {
		fmt.Fprintf(&b, "%9s", fmt.Sprintf("[%d]", j))
	}
	b.WriteString("\n")
	for pos := range rows {
		fmt.Fprintf(&b, "%3d ", pos)
		for j := range cols {
			fmt.Fprintf(&b, "%9s", num4(pe[pos][j]))
		}
		b.WriteString("\n")
	}
	b.WriteString("</pre>\n" + msgPosencExplain)
	if defaultD {
		b.WriteString("\n" + fmt.Sprintf(msgPosencDefault, n))
	}
	return b.String()
}

// num4 prints a value in [−1, 1] with four decimals and a real minus.
func num4(v float64) string {
	return fixed(v, 4)
}
