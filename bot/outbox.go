package bot

import "context"

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
}

// Button is an inline keyboard button.
type Button struct {
	Text string
	Data string // callback data, at most 64 bytes
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
}
