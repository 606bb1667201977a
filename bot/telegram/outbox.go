package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"neurotutor/bot"
)

// request turns an update into a Request; false for updates the bot
// does not answer (edited messages, stickers, …).
func request(upd *models.Update) (bot.Request, bool) {
	switch {
	case upd.Message != nil && upd.Message.MigrateToChatID != 0:
		// The group became a supergroup (the service message in the old
		// group; its twin in the new one, migrate_from_chat_id, is not
		// needed).
		m := upd.Message
		return bot.Request{ChatID: m.Chat.ID, MigrateTo: m.MigrateToChatID}, true
	case upd.Message != nil && upd.Message.Text != "":
		m := upd.Message
		req := bot.Request{ChatID: m.Chat.ID, Private: m.Chat.Type == models.ChatTypePrivate, Text: m.Text}
		if m.From != nil {
			req.UserID, req.Name = m.From.ID, name(m.From)
		}
		if m.SenderChat != nil {
			req.SenderChat = m.SenderChat.ID
		}
		return req, true
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		req := bot.Request{UserID: q.From.ID, Name: name(&q.From), CallbackID: q.ID, Data: q.Data}
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
		return bot.Request{UserID: a.User.ID, Name: name(a.User), PollID: a.PollID, PollOptions: a.OptionIDs}, a.PollID != ""
	case upd.MyChatMember != nil && upd.MyChatMember.Chat.Type == models.ChatTypePrivate:
		// In a private chat, "kicked" means the user blocked the bot.
		m := upd.MyChatMember
		if m.NewChatMember.Type != models.ChatMemberTypeBanned {
			return bot.Request{}, false
		}
		return bot.Request{ChatID: m.Chat.ID, UserID: m.From.ID, Private: true, Blocked: true}, true
	case upd.MyChatMember != nil && (upd.MyChatMember.Chat.Type == models.ChatTypeGroup || upd.MyChatMember.Chat.Type == models.ChatTypeSupergroup):
		m := upd.MyChatMember
		in := func(t models.ChatMemberType) bool {
			switch t {
			case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
				return true
			case models.ChatMemberTypeRestricted:
				return true // still in the chat
			}
			return false
		}
		was, is := in(m.OldChatMember.Type), in(m.NewChatMember.Type)
		if was == is {
			return bot.Request{}, false // promoted, demoted, restricted: still there
		}
		return bot.Request{ChatID: m.Chat.ID, UserID: m.From.ID, Name: name(&m.From), Joined: is, Left: !is}, true
	}
	return bot.Request{}, false
}

// name is how a user is shown in a group's boards: first and last name,
// never the @username (a mention would ping).
func name(u *models.User) string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// outbox sends through the Bot API in HTML parse mode, each message
// through the Sender when there is one. Its errors wrap bot.ErrBlocked and
// bot.ErrRejected where they apply, so the conversation can tell them
// apart without knowing Telegram, and never carry the token.
type outbox struct {
	api     *tgbot.Bot
	sender  *Sender
	scrub   func(error) error
	metrics *Metrics
}

func (o *outbox) do(ctx context.Context, method string, chatID int64, call func(context.Context) error) error {
	call = o.counted(method, call)
	var err error
	if o.sender == nil {
		err = call(ctx)
	} else {
		err = o.sender.Do(ctx, chatID, call)
	}
	return o.classify(err)
}

// counted counts every try of call by its result.
func (o *outbox) counted(method string, call func(context.Context) error) func(context.Context) error {
	if o.metrics == nil {
		return call
	}
	return func(ctx context.Context) error {
		err := call(ctx)
		o.metrics.request(method, err)
		return err
	}
}

// classify maps go-telegram's errors onto the conversation's.
func (o *outbox) classify(err error) error {
	if err == nil {
		return nil
	}
	err = o.scrub(err)
	switch {
	case errors.Is(err, tgbot.ErrorForbidden):
		return fmt.Errorf("%w: %w", bot.ErrBlocked, err)
	case permanent(err) && !errors.Is(err, errSenderStopped):
		return fmt.Errorf("%w: %w", bot.ErrRejected, err)
	}
	return err
}

func keyboard(b [][]bot.Button) models.ReplyMarkup {
	if len(b) == 0 {
		return nil
	}
	kb := make([][]models.InlineKeyboardButton, len(b))
	for i, row := range b {
		for _, btn := range row {
			b := models.InlineKeyboardButton{Text: btn.Text, CallbackData: btn.Data, URL: btn.URL}
			if btn.WebApp != "" {
				b.WebApp = &models.WebAppInfo{URL: btn.WebApp}
			}
			kb[i] = append(kb[i], b)
		}
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: kb}
}

func (o *outbox) Send(ctx context.Context, m bot.Message) (bot.Sent, error) {
	if m.Photo != nil {
		var msg *models.Message
		err := o.do(ctx, "sendPhoto", m.ChatID, func(ctx context.Context) (err error) {
			msg, err = o.sendPhoto(ctx, m)
			return err
		})
		if err != nil {
			return bot.Sent{}, err
		}
		return bot.Sent{MessageID: msg.ID, PhotoFileID: photoFileID(msg)}, nil
	}
	var msg *models.Message
	err := o.do(ctx, "sendMessage", m.ChatID, func(ctx context.Context) (err error) {
		msg, err = o.api.SendMessage(ctx, &tgbot.SendMessageParams{
			ChatID: m.ChatID, Text: m.HTML, ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard(m.Buttons),
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		})
		return err
	})
	if err != nil {
		return bot.Sent{}, err
	}
	return bot.Sent{MessageID: msg.ID}, nil
}

// sendPhoto is one try of a photo, at the send's turn: a chart's file_id
// is resolved now (see bot.ChartFile), so a chart uploaded by a send
// queued ahead is not uploaded again.
func (o *outbox) sendPhoto(ctx context.Context, m bot.Message) (*models.Message, error) {
	chart := m.Photo.Chart
	if chart == nil || m.Photo.FileID != "" {
		return o.trySendPhoto(ctx, m, m.Photo.FileID)
	}
	for {
		id, err := chart.Begin(ctx)
		if err != nil {
			return nil, err
		}
		if id == "" {
			msg, err := o.trySendPhoto(ctx, m, "")
			chart.End(photoFileID(msg))
			return msg, err
		}
		msg, err := o.trySendPhoto(ctx, m, id)
		if !errors.Is(err, tgbot.ErrorBadRequest) {
			return msg, err
		}
		// Telegram no longer knows the file: forget it; the next Begin
		// has this send (or one that got there first) upload the PNG.
		chart.Stale(id)
	}
}

// trySendPhoto sends the photo by fileID, or uploads its PNG when fileID
// is "". The upload's reader is made anew for every try: a retried
// upload sends the whole file again.
func (o *outbox) trySendPhoto(ctx context.Context, m bot.Message, fileID string) (*models.Message, error) {
	var file models.InputFile = &models.InputFileString{Data: fileID}
	if fileID == "" {
		file = &models.InputFileUpload{Filename: m.Photo.Name, Data: bytes.NewReader(m.Photo.PNG)}
	}
	p := &tgbot.SendPhotoParams{ChatID: m.ChatID, Photo: file, Caption: m.HTML, ReplyMarkup: keyboard(m.Buttons)}
	if m.HTML != "" {
		p.ParseMode = models.ParseModeHTML
	}
	return o.api.SendPhoto(ctx, p)
}

// photoFileID is the largest size's file_id of a sent photo ("" if none).
func photoFileID(msg *models.Message) string {
	if msg == nil || len(msg.Photo) == 0 {
		return ""
	}
	return msg.Photo[len(msg.Photo)-1].FileID
}

func (o *outbox) Edit(ctx context.Context, messageID int, m bot.Message) error {
	err := o.do(ctx, "editMessageText", m.ChatID, func(ctx context.Context) error {
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

// UploadingPhoto is a hint: it goes out only when the Sender can send it
// at once without passing a limit, and is dropped otherwise.
func (o *outbox) UploadingPhoto(ctx context.Context, chatID int64) error {
	call := o.counted("sendChatAction", func(ctx context.Context) error {
		_, err := o.api.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: chatID, Action: models.ChatActionUploadPhoto})
		return err
	})
	if o.sender == nil {
		return o.classify(call(ctx))
	}
	err := o.sender.TryDo(ctx, chatID, call)
	if errors.Is(err, errDropped) {
		o.metrics.request("sendChatAction", err)
	}
	return o.classify(err)
}

func (o *outbox) AnswerCallback(ctx context.Context, id, text string) error {
	// Not a message: Telegram does not count callback answers against the
	// chat's limits, and the learner's button spins until it arrives.
	_, err := o.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
	o.metrics.request("answerCallbackQuery", err)
	return o.classify(err)
}

// SendPoll is the one place quiz polls are sent. Bot API 9.6 adds
// correct_option_ids (several right options); go-telegram v1.19 only has
// correct_option_id, and every question here has exactly one right
// option, so following the API later means changing this function only.
func (o *outbox) SendPoll(ctx context.Context, p bot.Poll) (bot.SentPoll, error) {
	opts := make([]models.InputPollOption, len(p.Options))
	for i, t := range p.Options {
		opts[i] = models.InputPollOption{Text: t}
	}
	params := &tgbot.SendPollParams{
		ChatID: p.ChatID, Question: p.Question, Options: opts,
		IsAnonymous: tgbot.False(), Type: "quiz", CorrectOptionID: p.Correct,
		Explanation: p.Explanation, ReplyMarkup: keyboard(p.Buttons),
		OpenPeriod: int(p.OpenPeriod / time.Second),
	}
	var msg *models.Message
	err := o.do(ctx, "sendPoll", p.ChatID, func(ctx context.Context) (err error) {
		msg, err = o.api.SendPoll(ctx, params)
		return err
	})
	if err != nil {
		return bot.SentPoll{}, err
	}
	if msg.Poll == nil {
		return bot.SentPoll{}, errors.New("telegram: sendPoll answered without a poll")
	}
	return bot.SentPoll{MessageID: msg.ID, PollID: msg.Poll.ID}, nil
}

// StopPoll closes a poll. It takes a turn in the Sender like a message:
// Telegram counts it against the chat.
func (o *outbox) StopPoll(ctx context.Context, chatID int64, messageID int) error {
	return o.do(ctx, "stopPoll", chatID, func(ctx context.Context) error {
		_, err := o.api.StopPoll(ctx, &tgbot.StopPollParams{ChatID: chatID, MessageID: messageID})
		return err
	})
}

// ChatMember asks Telegram for userID's status in chatID. It is a query,
// not a message: it does not take a turn in the Sender.
func (o *outbox) ChatMember(ctx context.Context, chatID, userID int64) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	m, err := o.api.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: chatID, UserID: userID})
	o.metrics.request("getChatMember", err)
	if err != nil {
		return "", o.classify(err)
	}
	return string(m.Type), nil
}

func (o *outbox) SendDocument(ctx context.Context, d bot.Document) error {
	return o.do(ctx, "sendDocument", d.ChatID, func(ctx context.Context) error {
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
