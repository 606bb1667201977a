package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"neurotutor/charts"
	"neurotutor/lessons"
	"neurotutor/storage"
)

// Store is what the bot needs from storage (storage.DB implements it).
type Store interface {
	MarkLessonOpened(userID int64, n int) error
	MarkLabTried(userID int64, lab string) error

	// The learning loop: progress, quizzes, streaks.
	MarkLessonFinished(userID int64, n int) error
	User(userID int64) (storage.User, error)
	Location(userID int64) (*time.Location, error)
	Touch(userID int64, now time.Time, loc *time.Location) (storage.Streak, error)
	SavePoll(pollID string, p storage.PollRecord) error
	RecordAnswer(userID int64, pollID string, option int, at time.Time) (storage.AnswerResult, error)
	DueQuestions(userID int64, now time.Time) (due []string, seen map[string]bool, err error)
	Cards(userID int64) ([]storage.Card, error)
	Poll(pollID string) (storage.PollRecord, error)
	PrunePolls(now time.Time, limit int) (int, []storage.OpenPoll, error)
	Export(userID int64) ([]byte, error)
	Forget(userID int64) error

	// Daily reminders: see storage.DB.ClaimReminder for the protocol.
	SetReminder(userID, chatID int64, hhmm, zone string, now time.Time) (storage.Reminder, error)
	DisableReminder(userID int64) error
	DueReminders(now time.Time, limit int) ([]storage.DueReminder, error)
	ClaimReminder(userID int64, now time.Time) (storage.Claim, bool, error)
	MarkReminderSent(userID int64, localDate string) error
	ReleaseReminderClaim(userID int64, localDate string, retryAt time.Time) error

	// Group study: see storage.Group and storage.Round.
	RecordAnswerAs(userID int64, name, pollID string, option int, at time.Time) (storage.AnswerResult, error)
	Group(chat int64) (storage.Group, error)
	SetGroupActive(chat int64, active bool) (bool, error)
	SetOpenPeriod(chat int64, d time.Duration) error
	MigrateGroup(from, to int64) (bool, error)
	StartRound(chat int64, r storage.Round) (storage.Group, error)
	BeginQuestion(chat, id int64, q storage.RoundQ, now time.Time) (storage.Round, error)
	OpenQuestion(chat, id int64, pollID string, messageID int, sentAt, closesAt time.Time) (storage.Round, error)
	CloseQuestion(chat, id int64, asked int) (storage.Round, error)
	EndRound(chat, id int64) (storage.Round, error)
	Rounds() (map[int64]storage.Round, error)
	Board(chat int64, now time.Time) (storage.Board, error)
}

// Log keys.
const (
	keyChatID  = "chat_id"
	keyUserID  = "user_id"
	keyCommand = "command"
	keyErr     = "err"
	keyPollID  = "poll_id"
)

// Service holds the handlers. It is independent of the transport: the
// Telegram adapter and the console both feed it Requests and give it an
// Outbox for the replies. It is safe for concurrent use.
type Service struct {
	log      *slog.Logger
	store    Store
	charts   *charts.Renderer
	username string // the bot's @username, without "@"; "" accepts any
	commands map[string]command

	clock Clock
	bank  map[string]lessons.Question // the static quiz bank by id

	chartStore ChartStore // nil: charts are not remembered across restarts
	files      *chartFiles
	pngs       *pngCache
	embed      embedLab // the /embed space, built on first use
	gate       *renderGate
	stats      Stats
	appURL     string // the Mini App's address; "" for none

	admins admins                 // getChatMember answers, briefly
	rounds atomic.Pointer[Rounds] // the group rounds' timers, once NewRounds ran
}

// Options configure a Service.
type Options struct {
	Logger   *slog.Logger // nil discards
	Store    Store        // required
	Username string       // the bot's username, to ignore /cmd@OtherBot in groups
	Charts   ChartStore   // where uploaded charts' file_ids are kept; nil for none
	Clock    Clock        // nil: the system clock
	// PNGCacheBytes bounds the rendered PNGs kept in memory: 0 for the
	// default (4 MiB), negative for none (benchmarks of fresh replies).
	PNGCacheBytes int
	// AppURL is the Mini App's public https address (NEUROTUTOR_APP_URL);
	// "" shows no lab buttons.
	AppURL string
}

// NewService builds the handlers.
func NewService(opts Options) (*Service, error) {
	if opts.Store == nil {
		return nil, errors.New("bot: no store")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r, err := charts.New()
	if err != nil {
		return nil, err
	}
	s := &Service{
		log: log, store: opts.Store, charts: r, username: strings.TrimPrefix(opts.Username, "@"),
		chartStore: opts.Charts, pngs: newPNGCache(cacheBytes(opts.PNGCacheBytes)), gate: newRenderGate(runtime.NumCPU()),
		appURL: opts.AppURL,
	}
	s.files = newChartFiles(opts.Charts, log, &s.stats)
	s.clock = opts.Clock
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	s.bank = map[string]lessons.Question{}
	for _, q := range lessons.Quiz() {
		s.bank[q.ID] = q
	}
	s.commands = map[string]command{}
	for _, c := range s.commandList() {
		s.commands[c.name] = c
	}
	return s, nil
}

func cacheBytes(n int) int {
	switch {
	case n == 0:
		return pngCacheBytes
	case n < 0:
		return 0
	}
	return n
}

// SetUsername tells the Service the bot's @username (from getMe), so that
// commands addressed to other bots in a group are ignored. Call it before
// serving.
func (s *Service) SetUsername(name string) { s.username = strings.TrimPrefix(name, "@") }

// Request is one thing a learner did: sent a text or pressed a button.
type Request struct {
	ChatID  int64
	UserID  int64
	Private bool   // a one-to-one chat rather than a group
	Text    string // the message text, for messages
	// For button presses:
	CallbackID string
	Data       string // callback data
	MessageID  int    // the message that carries the button
	// For quiz answers (poll_answer updates; ChatID is 0):
	PollID      string
	PollOptions []int // chosen options, 0-based
	// Blocked is set when the user blocked the bot (my_chat_member in a
	// private chat).
	Blocked bool

	// Name is the sender's name as Telegram shows it (first and last),
	// for group boards; never an @username, which would ping.
	Name string
	// SenderChat is set when the message was sent on behalf of a chat: a
	// channel, or the group itself for an anonymous admin. Such a message
	// has no person behind it, so it never reads or writes a personal
	// record (UserID is Telegram's shared account).
	SenderChat int64
	// Group events (ChatID is the group): the bot was added (Joined) or
	// removed (Left); the group became the supergroup MigrateTo.
	Joined, Left bool
	MigrateTo    int64
}

// personal reports whether the request comes from a person whose own
// record it may read and write.
func (r Request) personal() bool { return r.UserID != 0 && r.SenderChat == 0 }

// group reports whether the request comes from a group chat.
func (r Request) group() bool { return !r.Private && r.ChatID < 0 }

// userError is a problem the learner can fix; its text (HTML) is shown.
type userError struct{ html string }

func (e *userError) Error() string { return "user error: " + e.html }

func userErrorf(format string, a ...any) error { return &userError{html: fmt.Sprintf(format, a...)} }

// Handle answers one request. Errors are turned into replies here, and a
// panic in a handler is recovered and logged: one bad request never stops
// the bot.
func (s *Service) Handle(ctx context.Context, out Outbox, req Request) {
	name := "callback"
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("handler panic", keyCommand, name, keyChatID, req.ChatID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			s.replyError(ctx, out, req, errors.New("panic"))
		}
	}()
	var err error
	switch {
	case req.PollID != "":
		name = "poll_answer"
		s.handlePollAnswer(ctx, out, req)
		return
	case req.Blocked:
		name = "blocked"
		s.handleBlocked(req)
		return
	case req.Joined || req.Left || req.MigrateTo != 0:
		name = "group_event"
		if err := s.handleGroupEvent(ctx, out, req); err != nil {
			s.log.Error("group event", keyChatID, req.ChatID, keyErr, err)
		}
		return
	case strings.HasPrefix(req.Data, dataRound):
		err = s.handleRoundButton(ctx, out, req)
	case strings.HasPrefix(req.Data, dataQuiz):
		s.touch(req.UserID)
		err = s.handleQuizButton(ctx, out, req)
	case strings.HasPrefix(req.Data, dataForget):
		err = s.handleForgetButton(ctx, out, req)
	case req.CallbackID != "":
		s.touch(req.UserID)
		err = s.handleCallback(ctx, out, req)
	default:
		var ok bool
		name, ok = s.commandName(req.Text)
		if !ok {
			if req.Private && !strings.HasPrefix(req.Text, "/") {
				name = "text"
				err = s.guessPlain(ctx, out, req)
				break
			}
			return // addressed to another bot, or group chatter
		}
		// "/нейрон" is /neuron: Telegram marks only Latin commands as
		// bot_command, but a private chat delivers every message.
		aliased := false
		if _, known := s.commands[name]; !known {
			if c, sure := s.commandGuess(name); sure {
				name, aliased = c, true
			}
		}
		// A message on behalf of a chat has no person behind it: it
		// gets no personal command and leaves no trace.
		if req.SenderChat != 0 && personalCommands[name] {
			err = userErrorf(msgNeedPerson)
			break
		}
		// Activity counts before the reply, so that /progress already
		// shows today; /forget must not recreate what it is about to delete.
		if name != "forget" && req.personal() {
			s.touch(req.UserID)
		}
		if aliased {
			if _, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: fmt.Sprintf(msgCommandAlias, name)}); err != nil {
				s.log.Warn("could not send alias note", keyChatID, req.ChatID, keyErr, err)
			}
		}
		err = s.runCommand(ctx, out, req, name)
	}
	if err != nil {
		s.replyError(ctx, out, req, err)
	}
}

// personalCommands read or write the sender's own record.
var personalCommands = map[string]bool{"progress": true, "remind": true, "export": true, "forget": true}

// commandName extracts "neuron" from "/neuron@NeuroTutorBot w=1 x=2". It
// reports false for messages the bot should not answer: commands for
// another bot, and plain text in groups.
func (s *Service) commandName(text string) (string, bool) {
	if !strings.HasPrefix(text, "/") {
		return "", false
	}
	word := text[1:]
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word = word[:i]
	}
	name, at, addressed := strings.Cut(word, "@")
	if addressed && s.username != "" && !strings.EqualFold(at, s.username) {
		return "", false
	}
	return strings.ToLower(name), true
}

func (s *Service) runCommand(ctx context.Context, out Outbox, req Request, name string) error {
	c, ok := s.commands[name]
	rest := ""
	if i := strings.IndexFunc(req.Text, unicode.IsSpace); i >= 0 {
		rest = req.Text[i:]
	}
	if !ok {
		guess, _ := s.commandGuess(name)
		if utf8.RuneCountInString(name) > 32 {
			name = string([]rune(name)[:32]) + "…"
		}
		if guess != "" {
			return userErrorf(msgCommandGuess, esc(name), esc(clipRunes(strings.TrimSpace("/"+guess+" "+strings.TrimSpace(rest)), 200)))
		}
		return userErrorf(msgUnknownCommand, esc(name))
	}
	s.log.Debug("command", keyCommand, name, keyChatID, req.ChatID)
	return c.run(ctx, out, req, strings.TrimSpace(rest))
}

// guessPlain answers text without a slash in a private chat when its
// first word names a command ("нейрон w=1 x=2", "help"): the learner
// forgot the slash. Other text gets no reply, as before.
func (s *Service) guessPlain(ctx context.Context, out Outbox, req Request) error {
	text := strings.TrimSpace(req.Text)
	word, rest, _ := strings.Cut(text, " ")
	word = strings.ToLower(word)
	if _, known := s.commands[word]; !known {
		c, sure := s.commandGuess(word)
		if !sure {
			return nil
		}
		word = c
	}
	cmd := clipRunes(strings.TrimSpace("/"+word+" "+strings.TrimSpace(rest)), 200)
	_, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: fmt.Sprintf(msgPlainGuess, esc(cmd))})
	return err
}

// replyError tells the learner what went wrong: a userError's own text, or
// a short apology for anything internal (which is logged, never shown).
func (s *Service) replyError(ctx context.Context, out Outbox, req Request, err error) {
	var ue *userError
	var ae *argError
	text := msgInternal
	switch {
	case errors.As(err, &ue):
		text = ue.html
	case errors.As(err, &ae):
		text = argMessage(ae)
	default:
		s.log.Error("handler failed", keyChatID, req.ChatID, keyErr, err)
	}
	if req.CallbackID != "" {
		_ = out.AnswerCallback(ctx, req.CallbackID, "")
	}
	if _, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: text}); err != nil {
		s.log.Warn("could not send error reply", keyChatID, req.ChatID, keyErr, err)
	}
}

// reply sends text and an optional photo with buttons, keeping within
// Telegram's limits: a long caption goes as its own message after the
// photo, long text is split and the buttons ride on the last part.
func (s *Service) reply(ctx context.Context, out Outbox, chatID int64, text string, photo *Photo, buttons [][]Button) (Sent, error) {
	if photo != nil {
		caption := text
		if utf16Len(caption) > maxCaption {
			caption = ""
		}
		var kb [][]Button
		if caption != "" {
			kb = buttons
		}
		sent, err := out.Send(ctx, Message{ChatID: chatID, HTML: caption, Photo: photo, Buttons: kb})
		if err != nil || caption != "" || text == "" {
			return sent, err
		}
		_, err = s.reply(ctx, out, chatID, text, nil, buttons)
		return sent, err
	}
	parts := split(text, maxText)
	var sent Sent
	for i, p := range parts {
		m := Message{ChatID: chatID, HTML: p}
		if i == len(parts)-1 {
			m.Buttons = buttons
		}
		var err error
		if sent, err = out.Send(ctx, m); err != nil {
			return sent, err
		}
	}
	return sent, nil
}
