// Package storage keeps everything neurotutor must remember in one bbolt
// file: the schema version and, per Telegram user, lessons opened and
// finished, labs tried, the quiz answer log, spaced-repetition state per
// question, the activity streak, daily reminder settings, and the quiz
// polls sent (so an answer that arrives after a restart is still scored).
//
// It knows nothing of Telegram, lessons' texts or charts. It uses core only
// for pure computations (FSRS-6 scheduling and the next reminder time). Every value
// carries a schema version; Open migrates older files. No method reads the
// clock: callers pass now.
//
// Poll expiry: a quiz poll can be answered for PollMaxAge, 7 days, after
// it was sent. A later answer is not counted (RecordAnswer returns
// ErrExpired; a repeat of an answer already counted is still a harmless
// duplicate). PrunePolls, which the bot calls once an hour, then drops
// the poll's mapping: the owner and send-time entries and, if its asker
// never answered it, the asker's record; after that an answer to it is
// one to an unknown poll (ErrNotFound). Answers, cards and the polls
// their askers answered are kept until Forget. PrunePolls returns the
// dropped polls that may still take votes (their message ids are kept
// with the poll), and the bot closes them with stopPoll.
//
// Buckets (keys are big-endian; uid is the 8-byte user id; poll is a
// poll id's key: 8 bytes for Telegram's decimal ids, see pollKey). The
// quiz records are binary and compact (records.go): a quiz answer takes
// under 300 bytes of bbolt pages, about 190 in use (TestBytesPerAnswer).
//
//	meta           schema_version → "3"
//	users          uid → User (JSON)
//	quiz           uid|poll → the user's answer to the poll and, for the
//	               user who asked for it, the poll (question, right option,
//	               chat, sent at); doubles as the answer idempotency key
//	cards          uid|question id → Card (binary)
//	poll_owners    poll → uid of the asker (uvarint), until the poll is pruned
//	poll_times     sent at (4-byte Unix seconds)|poll → "": PrunePolls drops
//	               polls older than PollMaxAge, oldest first
//	reminders_due  unix seconds (8)|uid → chat id (8): next fire time index
//	chart_files    chart key → Telegram file_id of the photo already uploaded
package storage
