package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// ChartStore persists the Telegram file_id of every chart uploaded once,
// so a repeated request is answered without rendering or uploading, even
// after a restart.
type ChartStore interface {
	ChartFileID(key string) (string, error)
	SaveChartFileID(key, fileID string) error
	ForgetChartFileID(key string) error
}

// pngCacheBytes bounds the in-memory cache of rendered PNGs (a chart is
// 15–60 KiB, so this holds about a hundred). It only bridges the
// moment between a render and its upload's file_id, which then answers
// repeats; more would only hold memory under a burst of distinct charts.
const pngCacheBytes = 4 << 20

// chartReply is a reply whose photo is a chart. Key names the chart
// canonically (command and normalised parameters) so that the same chart
// asked for twice is the same key; draw renders the PNG.
type chartReply struct {
	Key  string
	Name string // file name, e.g. "neuron.png"
	Text string // HTML; the caption if it fits
	Draw func() ([]byte, error)
}

// sendChart sends the chart with its text, as cheaply as it can: by the
// file_id Telegram gave it before; else from the PNG cache; else rendered
// (at most NumCPU renders at once, one per chat) and uploaded, and the
// new file_id remembered (by the ChartFile the transport resolves at the
// send's turn).
func (s *Service) sendChart(ctx context.Context, out Outbox, chatID int64, c chartReply, buttons [][]Button) error {
	if s.chartStore != nil {
		if id, err := s.chartStore.ChartFileID(c.Key); err == nil {
			_, err := s.reply(ctx, out, chatID, c.Text, &Photo{Name: c.Name, FileID: id}, buttons)
			if !errors.Is(err, ErrRejected) {
				s.stats.ChartFileIDHits.Add(1)
				return err
			}
			// Telegram no longer knows the file: forget it and upload anew.
			s.log.Warn("stale chart file id", keyErr, err)
			_ = s.chartStore.ForgetChartFileID(c.Key)
		}
	}
	drawn := false
	png, err := s.pngs.get(ctx, c.Key, func() ([]byte, error) {
		drawn = true
		release, err := s.gate.acquire(ctx, chatID, func() {
			// Only a render that has to queue is slow enough to be seen.
			_ = out.UploadingPhoto(ctx, chatID)
		})
		if err != nil {
			return nil, err
		}
		defer release()
		s.stats.ChartRenders.Add(1)
		return c.Draw()
	})
	if err != nil {
		return err
	}
	if !drawn {
		s.stats.ChartPNGHits.Add(1)
	}
	// The file_id is looked up again when the send's turn comes: an
	// identical chart queued ahead may have been uploaded by then.
	_, err = s.reply(ctx, out, chatID, c.Text, &Photo{Name: c.Name, PNG: png, Chart: s.files.file(c.Key)}, buttons)
	return err
}

// chartsLook is the charts' design version, the first part of every
// chart key. Bump it when the pictures change (the neuron chart's axes
// and legend, the heatmaps' colour bar), so that file_ids of the old
// pictures kept in bbolt are not sent again; each chart is uploaded anew
// once.
const chartsLook = "look2"

// chartKey joins the design version, a command and its normalised
// parameters: chartKey("neuron", floats(w...), …).
func chartKey(command string, parts ...string) string {
	return chartsLook + "|" + command + "|" + strings.Join(parts, "|")
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
