package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Telegram connects a Service to the Bot API through go-telegram/bot.
type Telegram struct {
	svc      *Service
	api      *tgbot.Bot
	log      *slog.Logger
	sender   *Sender // nil: no rate limits (tests of single replies)
	inflight sync.WaitGroup
}

// TelegramConfig says how to reach the Bot API.
type TelegramConfig struct {
	Token     string
	ServerURL string       // Bot API base URL; "" for the official https://api.telegram.org
	Client    *http.Client // nil for a default one
	Logger    *slog.Logger
	Sender    *Sender // paces every message sent; nil for none
}

// pollTimeout is how long one getUpdates long poll may wait.
const pollTimeout = time.Minute

// bufferedClient sends each request body in one piece. go-telegram streams
// its multipart form through a pipe, which net/http sends with chunked
// encoding, a write per form field; a Bot API request is small (a chart is
// tens of KiB), so reading it first and sending it with a Content-Length
// costs less (measured: ~30% of a repeated chart reply).
type bufferedClient struct{ c *http.Client }

func (b bufferedClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.ContentLength = int64(len(body))
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return b.c.Do(req)
}

// replyTimeout bounds one update's handling, so shutdown cannot hang on it.
const replyTimeout = 30 * time.Second

// NewTelegram creates the Bot API client and registers the Service's
// handlers. It makes no request: call Username to check the token.
func NewTelegram(svc *Service, cfg TelegramConfig) (*Telegram, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &Telegram{svc: svc, log: log, sender: cfg.Sender}
	opts := []tgbot.Option{
		tgbot.WithDefaultHandler(t.onUpdate),
		tgbot.WithErrorsHandler(func(err error) { log.Warn("bot api", keyErr, err) }),
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates{
			models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery,
			models.AllowedUpdatePollAnswer,   // quiz answers
			models.AllowedUpdateMyChatMember, // the user blocked the bot: reminders off
		}),
		tgbot.WithSkipGetMe(), // Username calls getMe once, when the caller wants it
	}
	if cfg.ServerURL != "" {
		opts = append(opts, tgbot.WithServerURL(cfg.ServerURL))
	}
	client := cfg.Client
	if client == nil {
		// Long polls last up to pollTimeout−1s; leave room for the answer.
		client = &http.Client{Timeout: pollTimeout + 15*time.Second}
	}
	opts = append(opts, tgbot.WithHTTPClient(pollTimeout, bufferedClient{client}))
	api, err := tgbot.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("bot: connect to bot api: %w", err)
	}
	t.api = api
	return t, nil
}

// Username asks getMe for the bot's @username.
func (t *Telegram) Username(ctx context.Context) (string, error) {
	me, err := t.api.GetMe(ctx)
	if err != nil {
		return "", err
	}
	return me.Username, nil
}

// SetCommands registers the command menu with Russian descriptions.
func (t *Telegram) SetCommands(ctx context.Context) error {
	var cmds []models.BotCommand
	for _, c := range t.svc.Menu() {
		cmds = append(cmds, models.BotCommand{Command: c.Command, Description: c.Description})
	}
	_, err := t.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds})
	return err
}

// Run polls for updates until ctx is cancelled, then waits for the
// replies in flight to finish.
func (t *Telegram) Run(ctx context.Context) {
	t.api.Start(ctx)
	t.inflight.Wait()
}

// onUpdate is go-telegram's handler. Replies outlive the polling context
// (so a shutdown lets them finish) but not replyTimeout.
func (t *Telegram) onUpdate(ctx context.Context, _ *tgbot.Bot, upd *models.Update) {
	t.inflight.Add(1)
	defer t.inflight.Done()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyTimeout)
	defer cancel()
	t.HandleUpdate(ctx, upd)
}

// HandleUpdate answers one update synchronously.
func (t *Telegram) HandleUpdate(ctx context.Context, upd *models.Update) {
	req, ok := request(upd)
	if !ok {
		return
	}
	t.svc.Handle(ctx, t.Outbox(), req)
}

// Outbox returns the Outbox that sends through this bot (and its Sender).
func (t *Telegram) Outbox() Outbox { return &telegramOutbox{api: t.api, sender: t.sender} }

// request turns an update into a Request; false for updates the bot
// does not answer (edited messages, stickers, …).
func request(upd *models.Update) (Request, bool) {
	switch {
	case upd.Message != nil && upd.Message.Text != "":
		m := upd.Message
		req := Request{ChatID: m.Chat.ID, Private: m.Chat.Type == models.ChatTypePrivate, Text: m.Text}
		if m.From != nil {
			req.UserID = m.From.ID
		}
		return req, true
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		req := Request{UserID: q.From.ID, CallbackID: q.ID, Data: q.Data}
		if msg := q.Message.Message; msg != nil {
			req.ChatID, req.MessageID, req.Private = msg.Chat.ID, msg.ID, msg.Chat.Type == models.ChatTypePrivate
		} else if q.Message.InaccessibleMessage != nil {
			req.ChatID, req.MessageID = q.Message.InaccessibleMessage.Chat.ID, q.Message.InaccessibleMessage.MessageID
		}
		return req, req.ChatID != 0
	case upd.PollAnswer != nil && upd.PollAnswer.User != nil:
		// A vote on behalf of a chat (VoterChat, anonymous admins) has no
		// user to score.
		a := upd.PollAnswer
		return Request{UserID: a.User.ID, PollID: a.PollID, PollOptions: a.OptionIDs}, a.PollID != ""
	case upd.MyChatMember != nil && upd.MyChatMember.Chat.Type == models.ChatTypePrivate:
		// In a private chat, "kicked" means the user blocked the bot.
		m := upd.MyChatMember
		if m.NewChatMember.Type != models.ChatMemberTypeBanned {
			return Request{}, false
		}
		return Request{ChatID: m.Chat.ID, UserID: m.From.ID, Private: true, Blocked: true}, true
	}
	return Request{}, false
}

// telegramOutbox sends through the Bot API in HTML parse mode, each
// message through the Sender when there is one.
type telegramOutbox struct {
	api    *tgbot.Bot
	sender *Sender
}

func (o *telegramOutbox) do(ctx context.Context, chatID int64, call func(context.Context) error) error {
	if o.sender == nil {
		return call(ctx)
	}
	return o.sender.Do(ctx, chatID, call)
}

func keyboard(b [][]Button) models.ReplyMarkup {
	if len(b) == 0 {
		return nil
	}
	kb := make([][]models.InlineKeyboardButton, len(b))
	for i, row := range b {
		for _, btn := range row {
			kb[i] = append(kb[i], models.InlineKeyboardButton{Text: btn.Text, CallbackData: btn.Data})
		}
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: kb}
}

func (o *telegramOutbox) Send(ctx context.Context, m Message) (Sent, error) {
	if m.Photo != nil {
		var file models.InputFile = &models.InputFileString{Data: m.Photo.FileID}
		if m.Photo.FileID == "" {
			file = &models.InputFileUpload{Filename: m.Photo.Name, Data: bytes.NewReader(m.Photo.PNG)}
		}
		p := &tgbot.SendPhotoParams{ChatID: m.ChatID, Photo: file, Caption: m.HTML, ReplyMarkup: keyboard(m.Buttons)}
		if m.HTML != "" {
			p.ParseMode = models.ParseModeHTML
		}
		var msg *models.Message
		err := o.do(ctx, m.ChatID, func(ctx context.Context) (err error) {
			msg, err = o.api.SendPhoto(ctx, p)
			return err
		})
		if err != nil {
			return Sent{}, err
		}
		s := Sent{MessageID: msg.ID}
		if n := len(msg.Photo); n > 0 {
			s.PhotoFileID = msg.Photo[n-1].FileID
		}
		return s, nil
	}
	var msg *models.Message
	err := o.do(ctx, m.ChatID, func(ctx context.Context) (err error) {
		msg, err = o.api.SendMessage(ctx, &tgbot.SendMessageParams{
			ChatID: m.ChatID, Text: m.HTML, ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard(m.Buttons),
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		})
		return err
	})
	if err != nil {
		return Sent{}, err
	}
	return Sent{MessageID: msg.ID}, nil
}

func (o *telegramOutbox) Edit(ctx context.Context, messageID int, m Message) error {
	err := o.do(ctx, m.ChatID, func(ctx context.Context) error {
		_, err := o.api.EditMessageText(ctx, &tgbot.EditMessageTextParams{
			ChatID: m.ChatID, MessageID: messageID, Text: m.HTML, ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard(m.Buttons),
		})
		return err
	})
	if errors.Is(err, tgbot.ErrorBadRequest) {
		// "message is not modified", or the message is too old to edit:
		// send the page anew rather than leave the learner with nothing.
		_, err = o.Send(ctx, m)
	}
	return err
}

func (o *telegramOutbox) UploadingPhoto(ctx context.Context, chatID int64) error {
	_, err := o.api.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: chatID, Action: models.ChatActionUploadPhoto})
	return err
}

func (o *telegramOutbox) AnswerCallback(ctx context.Context, id, text string) error {
	_, err := o.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
	return err
}

// SendPoll is the one place quiz polls are sent. Bot API 9.6 adds
// correct_option_ids (several right options); go-telegram v1.19 only has
// correct_option_id, and every question here has exactly one right
// option, so following the API later means changing this function only.
func (o *telegramOutbox) SendPoll(ctx context.Context, p Poll) (SentPoll, error) {
	opts := make([]models.InputPollOption, len(p.Options))
	for i, t := range p.Options {
		opts[i] = models.InputPollOption{Text: t}
	}
	params := &tgbot.SendPollParams{
		ChatID: p.ChatID, Question: p.Question, Options: opts,
		IsAnonymous: tgbot.False(), Type: "quiz", CorrectOptionID: p.Correct,
		Explanation: p.Explanation, ReplyMarkup: keyboard(p.Buttons),
	}
	var msg *models.Message
	err := o.do(ctx, p.ChatID, func(ctx context.Context) (err error) {
		msg, err = o.api.SendPoll(ctx, params)
		return err
	})
	if err != nil {
		return SentPoll{}, err
	}
	if msg.Poll == nil {
		return SentPoll{}, errors.New("bot: sendPoll answered without a poll")
	}
	return SentPoll{MessageID: msg.ID, PollID: msg.Poll.ID}, nil
}

func (o *telegramOutbox) SendDocument(ctx context.Context, d Document) error {
	return o.do(ctx, d.ChatID, func(ctx context.Context) error {
		p := &tgbot.SendDocumentParams{
			ChatID:   d.ChatID,
			Document: &models.InputFileUpload{Filename: d.Name, Data: bytes.NewReader(d.Data)},
			Caption:  d.Caption,
		}
		if d.Caption != "" {
			p.ParseMode = models.ParseModeHTML
		}
		_, err := o.api.SendDocument(ctx, p)
		return err
	})
}
