package bot

import "sync/atomic"

// Stats are the Service's counters for operators (exported as metrics by
// the transport's operator server). They hold no user or chat ids.
type Stats struct {
	ChartRenders    atomic.Int64 // charts drawn
	ChartFileIDHits atomic.Int64 // charts sent by a stored file_id, without upload
	ChartPNGHits    atomic.Int64 // charts uploaded from the in-memory PNG cache, without drawing
	ChartUploads    atomic.Int64 // charts uploaded as files (each chart once while its file_id holds)
	RemindersDue    atomic.Int64 // reminders claimed to be sent
	RemindersSent   atomic.Int64
	RemindersFailed atomic.Int64 // failed for good today (blocked, rejected) or put off for a retry
}

// Stats returns the Service's live counters.
func (s *Service) Stats() *Stats { return &s.stats }
