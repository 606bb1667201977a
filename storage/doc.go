// Package storage keeps everything neurotutor must remember in one bbolt
// file: the schema version and, per Telegram user, lessons opened and
// finished, labs tried, the quiz answer log, spaced-repetition state per
// question, the activity streak, daily reminder settings, and the quiz
// polls sent (so an answer that arrives after a restart is still scored).
//
// It knows nothing of Telegram, lessons' texts or charts. It uses core only
// for pure computations (SM-2 and the next reminder time). Every value
// carries a schema version; Open migrates older files. No method reads the
// clock: callers pass now.
//
// Buckets (keys are big-endian; uid is the 8-byte user id):
//
//	meta           schema_version → "2"
//	users          uid → User (JSON)
//	answers        uid|seq → Answer (JSON), seq from NextSequence: log order
//	answered       uid|poll id → answers key (idempotency per poll and user)
//	cards          uid|question id → Card (JSON)
//	polls          poll id → PollRecord (JSON)
//	user_polls     uid|poll id → "" (polls sent to a user, for Forget)
//	reminders_due  unix seconds (8)|uid → chat id (8): next fire time index
//	chart_files    chart key → Telegram file_id of the photo already uploaded
package storage
