package bot

import (
	"context"
	"strconv"
	"strings"
)

// chartReply is a reply whose photo is a chart. Key names the chart
// canonically (command and normalised parameters) so that the same chart
// asked for twice is the same key; draw renders the PNG.
type chartReply struct {
	Key  string
	Name string // file name, e.g. "neuron.png"
	Text string // HTML; the caption if it fits
	Draw func() ([]byte, error)
}

// sendChart renders the chart and sends it with its text.
func (s *Service) sendChart(ctx context.Context, out Outbox, chatID int64, c chartReply, buttons [][]Button) error {
	png, err := c.Draw()
	if err != nil {
		return err
	}
	_, err = s.reply(ctx, out, chatID, c.Text, &Photo{Name: c.Name, PNG: png}, buttons)
	return err
}

// chartKey joins a command and its normalised parameters:
// chartKey("neuron", "w", floats(w), …).
func chartKey(command string, parts ...string) string {
	return command + "|" + strings.Join(parts, "|")
}

// floats formats numbers canonically (shortest round-trip form), so that
// 0.50 and 0.5 give the same key.
func floats(v ...float64) string {
	b := make([]byte, 0, 8*len(v))
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		if x == 0 {
			x = 0 // −0 and 0 are the same chart
		}
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	return string(b)
}
