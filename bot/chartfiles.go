package bot

import (
	"context"
	"log/slog"
	"sync"
)

// ChartFile resolves a chart's Telegram file_id when its send's turn
// comes rather than when the reply was made: replies queued in a burst
// behind the first upload of a chart are sent by the file_id that upload
// got, so each chart is uploaded once. Only one send of a chart uploads
// at a time; the others wait for its result.
//
// A transport sending a Photo with a ChartFile calls Begin at the send's
// turn: a file_id to send instead of the PNG, or "" — then this send
// uploads, and must call End with the upload's file_id ("" if it failed).
// A file_id Telegram rejects is reported with Stale.
type ChartFile struct {
	files *chartFiles
	key   string
}

// chartFiles is the Service's table of uploads in flight, by chart key.
type chartFiles struct {
	store ChartStore // nil: nothing remembered, every send uploads
	log   *slog.Logger
	stats *Stats

	mu      sync.Mutex
	flights map[string]chan struct{} // closed when the upload ends
}

func newChartFiles(store ChartStore, log *slog.Logger, stats *Stats) *chartFiles {
	return &chartFiles{store: store, log: log, stats: stats, flights: map[string]chan struct{}{}}
}

// file returns the chart's resolver; nil when file_ids are not kept.
func (f *chartFiles) file(key string) *ChartFile {
	if f.store == nil {
		return nil
	}
	return &ChartFile{files: f, key: key}
}

// Begin returns the file_id to send, waiting while another send of the
// same chart uploads, or "" when this send is to upload.
func (c *ChartFile) Begin(ctx context.Context) (string, error) {
	f := c.files
	for {
		f.mu.Lock()
		wait, busy := f.flights[c.key]
		if !busy {
			// Read under the lock, so no upload can end between the read
			// and becoming the uploader.
			if id, err := f.store.ChartFileID(c.key); err == nil && id != "" {
				f.mu.Unlock()
				f.stats.ChartFileIDHits.Add(1)
				return id, nil
			}
			f.flights[c.key] = make(chan struct{})
			f.mu.Unlock()
			return "", nil
		}
		f.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// End finishes this send's upload: fileID is what Telegram gave the
// photo, saved for every later send, or "" when the upload failed (a
// waiting send then uploads itself).
func (c *ChartFile) End(fileID string) {
	f := c.files
	if fileID != "" {
		f.stats.ChartUploads.Add(1)
		if err := f.store.SaveChartFileID(c.key, fileID); err != nil {
			f.log.Warn("save chart file id", keyErr, err)
		}
	}
	f.mu.Lock()
	done := f.flights[c.key]
	delete(f.flights, c.key)
	f.mu.Unlock()
	if done != nil {
		close(done)
	}
}

// Stale forgets a file_id Telegram no longer accepts; the next Begin
// makes its caller upload.
func (c *ChartFile) Stale(fileID string) {
	f := c.files
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, err := f.store.ChartFileID(c.key); err == nil && id == fileID {
		f.log.Warn("stale chart file id: uploading anew")
		if err := f.store.ForgetChartFileID(c.key); err != nil {
			f.log.Warn("forget chart file id", keyErr, err)
		}
	}
}
