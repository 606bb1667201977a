package bot

import (
	"context"
	"errors"
	"time"
)

// Errors an Outbox wraps, so the conversation can react without knowing
// the transport. Check them with errors.Is.
var (
	// ErrBlocked: the user blocked the bot or left the chat (Telegram's
	// 403); retrying will not help, and reminders to the chat stop.
	ErrBlocked = errors.New("bot: blocked by the user")
	// ErrRejected: the request itself was refused (a bad request, an
	// unknown file_id, a missing or migrated chat); retrying it unchanged
	// will not help.
	ErrRejected = errors.New("bot: request rejected")
)

// Message is one reply: text (HTML parse mode), optionally a photo whose
// caption the text becomes, and inline buttons.
type Message struct {
	ChatID  int64
	HTML    string // text, or the photo's caption; HTML parse mode
	Photo   *Photo
	Buttons [][]Button
}

// Photo is a PNG to send, or a file Telegram already has.
type Photo struct {
	Name   string // file name, e.g. "neuron.png"
	PNG    []byte // the image; empty when FileID is set
	FileID string // a file_id from an earlier upload, sent instead of PNG
	// Chart, if not nil, is asked for a file_id at the send's turn (see
	// ChartFile); PNG is uploaded only when it has none.
	Chart *ChartFile
}

// Button is an inline keyboard button: exactly one of Data, URL and
// WebApp is set.
type Button struct {
	Text   string
	Data   string // callback data, at most 64 bytes
	URL    string // a link to open
	WebApp string // an https URL opened as a Mini App; private chats only
}

// Sent describes a delivered message.
type Sent struct {
	MessageID   int
	PhotoFileID string // the largest size's file_id, for photos
}

// Outbox delivers replies: Telegram in production, the terminal in the
// console, the fake Bot API server in tests (through Telegram).
type Outbox interface {
	Send(ctx context.Context, m Message) (Sent, error)
	Edit(ctx context.Context, messageID int, m Message) error
	AnswerCallback(ctx context.Context, callbackID, text string) error
	// UploadingPhoto shows "sending photo…" in the chat while a slow
	// chart is on its way.
	UploadingPhoto(ctx context.Context, chatID int64) error
	// SendPoll sends a quiz poll (type quiz, not anonymous, so that
	// poll_answer updates arrive).
	SendPoll(ctx context.Context, p Poll) (SentPoll, error)
	// StopPoll closes a poll the bot sent, so that it takes no more
	// votes. A poll already closed or deleted is ErrRejected.
	StopPoll(ctx context.Context, chatID int64, messageID int) error
	// SendDocument sends a file.
	SendDocument(ctx context.Context, d Document) error
	// ChatMember returns userID's status in chatID: "creator",
	// "administrator", "member", "restricted", "left" or "kicked".
	ChatMember(ctx context.Context, chatID, userID int64) (string, error)
}

// Poll is a native Telegram quiz poll. Its texts are plain text, not
// HTML: Telegram does not parse entities in polls, so they are not
// escaped either.
type Poll struct {
	ChatID      int64
	Question    string   // 1..300 characters
	Options     []string // 2..10 options, each 1..100 characters
	Correct     int      // 0-based index of the right option
	Explanation string   // 0..200 characters, at most 2 line feeds
	Buttons     [][]Button
	// OpenPeriod closes the poll this long after it is sent (Telegram
	// takes 5..600 s); 0 leaves it open.
	OpenPeriod time.Duration
}

// SentPoll describes a delivered poll.
type SentPoll struct {
	MessageID int
	PollID    string // the id poll_answer updates will carry
}

// Document is a file to send, such as the /export JSON.
type Document struct {
	ChatID  int64
	Name    string // file name, e.g. "neurotutor-42.json"
	Data    []byte
	Caption string // HTML, ≤ 1024 characters
}
