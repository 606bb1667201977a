package telegram

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"neurotutor/bot"
	"neurotutor/storage"
)

// Inbox keeps accepted updates until they are handled (storage.DB
// implements it): a batch and the next getUpdates offset are stored in one
// transaction before Telegram is told, by the next getUpdates, that the
// batch arrived.
type Inbox interface {
	InboxPut(batch []storage.InboxUpdate, nextOffset int64) ([]storage.InboxUpdate, error)
	InboxPending() ([]storage.InboxUpdate, error)
	InboxOffset() (int64, error)
	InboxDone(id int64) error
}

var _ Inbox = (*storage.DB)(nil)

// Config says how to reach the Bot API.
type Config struct {
	Token     string       // "digits:text", see CheckToken
	ServerURL string       // Bot API base URL; "" for the official https://api.telegram.org
	Client    *http.Client // nil for a default one
	Logger    *slog.Logger
	Sender    *Sender   // paces every message sent; nil for none
	Inbox     Inbox     // nil: updates are handled from memory only (a crash loses those in flight)
	Clock     bot.Clock // for back-offs; nil: the system clock
	Metrics   *Metrics  // nil: none
	// PollTimeout is how long one getUpdates long poll may wait (default
	// 50 s; Telegram allows up to 50).
	PollTimeout time.Duration
	// MaxPending bounds the updates held in memory, fetched and not yet
	// handled (default DefaultMaxPending). Beyond it the poller waits;
	// the rest stay with Telegram, which keeps them for 24 hours.
	MaxPending int
	// MaxActive is how many updates are handled at once (default
	// DefaultMaxActive); the others wait their turn as stored JSON, not
	// as rendered charts. It only needs to keep the Sender busy.
	MaxActive int
	// DrainTimeout bounds how long Run waits at shutdown for the updates
	// in flight (default 20 s). Those not done by then stay in the inbox
	// and are handled after the next start.
	DrainTimeout time.Duration
}

// Defaults of Config.
const (
	DefaultPollTimeout  = 50 * time.Second
	DefaultMaxPending   = 2048
	DefaultMaxActive    = 64
	DefaultDrainTimeout = 20 * time.Second
)

// Bot connects a Service to the Bot API: it owns the getUpdates loop (with
// the durable inbox) and sends through go-telegram/bot's typed methods.
type Bot struct {
	svc     *bot.Service
	api     *tgbot.Bot
	log     *slog.Logger
	sender  *Sender
	inbox   Inbox
	clock   bot.Clock
	poll    *poller
	cfg     Config
	scrub   func(error) error
	metrics *Metrics
	// lastPoll is when getUpdates last succeeded, or the webhook last
	// took an update (UnixNano; 0: never).
	lastPoll atomic.Int64
	// webhookSet: RunWebhook set the webhook and is serving it.
	webhookSet atomic.Bool

	mu      sync.Mutex
	chats   map[int64]*chatQueue // per-chat FIFO of updates not yet handled
	ready   []int64              // chats with updates and no worker, longest waiting first
	cond    *sync.Cond           // on mu: ready grew, or closing
	closing bool                 // Run is draining: workers stop when ready is empty
	hook    *hookState           // while RunWebhook serves; nil otherwise
	// hookReady is closed when RunWebhook has set the webhook.
	hookReady chan struct{}
	pending   int           // updates dispatched and not yet done
	room      chan struct{} // cap 1: pending went down
	idle      chan struct{} // closed and replaced whenever pending reaches 0
	wg        sync.WaitGroup
}

type chatQueue struct {
	items  []item
	ready  bool // in Bot.ready
	active bool // a worker handles one of its updates
}

// item is one update to handle.
type item struct {
	id   int64
	upd  *models.Update
	kind string // for metrics
}

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

// allowedUpdates are the update kinds the bot asks for.
var allowedUpdates = []string{
	models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery,
	models.AllowedUpdatePollAnswer,   // quiz answers
	models.AllowedUpdateMyChatMember, // the user blocked the bot: reminders off
}

// New checks the configuration and creates the Bot API client. It makes
// no request: call Username to check the token with Telegram. Its errors
// never contain the token.
func New(svc *bot.Service, cfg Config) (*Bot, error) {
	token, base, err := CheckConfig(cfg.Token, cfg.ServerURL)
	if err != nil {
		return nil, err
	}
	cfg.Token, cfg.ServerURL = token, base
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = DefaultPollTimeout
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if cfg.MaxActive <= 0 {
		cfg.MaxActive = DefaultMaxActive
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = DefaultDrainTimeout
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clock := cfg.Clock
	if clock == nil {
		clock = bot.SystemClock{}
	}
	scrub := Scrubber(token)
	t := &Bot{
		svc: svc, log: log, sender: cfg.Sender, inbox: cfg.Inbox, clock: clock, cfg: cfg, scrub: scrub,
		chats: map[int64]*chatQueue{}, room: make(chan struct{}, 1), idle: make(chan struct{}), hookReady: make(chan struct{}),
	}
	t.cond = sync.NewCond(&t.mu)
	cfg.Metrics.WatchBot(t)
	cfg.Metrics.WatchSender(cfg.Sender)
	cfg.Metrics.WatchService(svc.Stats())
	client := cfg.Client
	if client == nil {
		// Long polls last up to PollTimeout; leave room for the answer.
		client = &http.Client{Timeout: cfg.PollTimeout + 15*time.Second}
	}
	api, err := tgbot.New(token,
		tgbot.WithServerURL(base),
		tgbot.WithSkipGetMe(), // Username calls getMe once, when the caller wants it
		tgbot.WithHTTPClient(cfg.PollTimeout, bufferedClient{client}),
		tgbot.WithErrorsHandler(func(err error) { log.Warn("bot api", keyErr, scrub(err)) }),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: connect to bot api: %w", scrub(err))
	}
	t.api = api
	t.poll = &poller{client: client, url: base + "/bot" + token + "/getUpdates", timeout: cfg.PollTimeout, scrub: scrub}
	if cfg.Sender != nil {
		cfg.Sender.SetHint(func(ctx context.Context, chatID int64) error {
			_, err := api.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: chatID, Action: models.ChatActionTyping})
			return err
		})
	}
	return t, nil
}

// Username asks getMe for the bot's @username.
func (t *Bot) Username(ctx context.Context) (string, error) {
	me, err := t.api.GetMe(ctx)
	if err != nil {
		return "", t.scrub(err)
	}
	return me.Username, nil
}

// SetCommands registers the command menu with Russian descriptions.
func (t *Bot) SetCommands(ctx context.Context) error {
	var cmds []models.BotCommand
	for _, c := range t.svc.Menu() {
		cmds = append(cmds, models.BotCommand{Command: c.Command, Description: c.Description})
	}
	_, err := t.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds})
	return t.scrub(err)
}

// HandleUpdate answers one update synchronously, outside the inbox.
func (t *Bot) HandleUpdate(ctx context.Context, upd *models.Update) {
	req, ok := request(upd)
	if !ok {
		return
	}
	t.svc.Handle(ctx, t.Outbox(), req)
}

// Outbox returns the Outbox that sends through this bot (and its Sender).
func (t *Bot) Outbox() bot.Outbox {
	return &outbox{api: t.api, sender: t.sender, scrub: t.scrub, metrics: t.metrics}
}
