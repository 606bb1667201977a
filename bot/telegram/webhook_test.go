package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeapi"
	"neurotutor/storage"
)

// hookEnv is a bot in webhook mode: its handler on a loopback HTTP server
// (the fake Bot API delivers to it), on a real bbolt file.
type hookEnv struct {
	*pollEnv
	hook   *httptest.Server
	secret string
}

// startWebhook runs RunWebhook until the test ends (or stop) and waits
// until the webhook is set.
func (e *pollEnv) startWebhook(t *testing.T, cfg telegram.Config, wh telegram.WebhookConfig) *hookEnv {
	t.Helper()
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	svc, err := bot.NewService(bot.Options{Store: e.db, Charts: e.db, Username: fakeapi.BotUsername, Clock: e.clk, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	sender := telegram.NewSender(e.clk, telegram.DefaultInFlight, log)
	cfg.Token, cfg.ServerURL, cfg.Sender, cfg.Logger, cfg.Clock = fakeapi.Token, e.api.URL, sender, log, e.clk
	if cfg.Inbox == nil {
		cfg.Inbox = e.db
	}
	tg, err := telegram.New(svc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.tg = tg
	hook := httptest.NewServer(tg.WebhookHandler())
	t.Cleanup(hook.Close)
	ctx, cancel := context.WithCancel(context.Background())
	sctx, stopSender := context.WithCancel(context.Background())
	senderDone := make(chan struct{})
	go func() { sender.Run(sctx); close(senderDone) }()
	e.done = make(chan error, 1)
	go func() {
		err := tg.RunWebhook(ctx, wh)
		stopSender()
		<-senderDone
		e.done <- err
	}()
	e.cancel = cancel
	select {
	case <-tg.WebhookReady():
	case err := <-e.done:
		e.done <- err // for stop
		t.Fatalf("RunWebhook ended: %v", err)
	}
	_, secret := e.api.Webhook()
	return &hookEnv{pollEnv: e, hook: hook, secret: secret}
}

var testHook = telegram.WebhookConfig{URL: "https://bot.example.org/tg/hook"}

// setWebhook carries the URL, a random secret, the update kinds the bot
// handles and max_connections.
func TestWebhookIsSet(t *testing.T) {
	e := newPollEnv(t).startWebhook(t, telegram.Config{}, telegram.WebhookConfig{URL: testHook.URL, MaxConnections: 10})
	set := e.api.Calls("setWebhook")[0].Fields
	if set["url"] != testHook.URL || set["max_connections"] != "10" {
		t.Fatalf("setWebhook %v", set)
	}
	for _, kind := range []string{"message", "callback_query", "poll_answer", "my_chat_member"} {
		if !strings.Contains(set["allowed_updates"], `"`+kind+`"`) {
			t.Errorf("allowed_updates %s lacks %s", set["allowed_updates"], kind)
		}
	}
	if len(e.secret) < 32 {
		t.Fatalf("secret_token %d characters, want a random one of at least 32", len(e.secret))
	}
	// Another start makes another secret.
	e.stop()
	e2 := e.pollEnv.startWebhook(t, telegram.Config{}, testHook)
	if e2.secret == e.secret {
		t.Fatal("the same random secret twice")
	}
}

// A wrong or missing secret gets 401 and nothing is stored or answered;
// the right one gets 200 and one reply, also when Telegram retries the
// same update.
func TestWebhookSecretAndRetry(t *testing.T) {
	e := newPollEnv(t).startWebhook(t, telegram.Config{}, testHook)
	for _, secret := range []string{"", "wrong", e.secret + "x", e.secret[:len(e.secret)-1]} {
		status, _, err := e.api.Deliver(e.hook.URL, secret, commandUpdate(1, "/posenc 1001"))
		if err != nil || status != http.StatusUnauthorized {
			t.Fatalf("secret %q: %d %v, want 401", secret, status, err)
		}
	}
	if pending, _ := e.db.InboxPending(); len(pending) != 0 {
		t.Fatalf("%d updates stored from impostors", len(pending))
	}
	status, id, err := e.api.Deliver(e.hook.URL, e.secret, commandUpdate(2, "/posenc 1002"))
	if err != nil || status != http.StatusOK {
		t.Fatalf("good update: %d %v", status, err)
	}
	e.api.WaitFor(t, "sendMessage", 1, time.Minute)
	<-e.tg.Idle()
	// Telegram retries (it did not see the 200): answered 200, not again.
	raw := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":1,"date":1,"chat":{"id":2,"type":"private"},"from":{"id":2,"is_bot":false,"first_name":"A"},"text":"/posenc 1002","entities":[{"type":"bot_command","offset":0,"length":7}]}}`, id)
	if status, err := e.api.DeliverRaw(e.hook.URL, e.secret, []byte(raw)); err != nil || status != http.StatusOK {
		t.Fatalf("retry: %d %v", status, err)
	}
	<-e.tg.Idle()
	e.stop()
	if n := perChat(e.api); n["1"] != 0 || n["2"] != 1 {
		t.Fatalf("replies per chat %v, want only one to chat 2", n)
	}
}

// Bodies that are not updates get 400; an update of a kind go-telegram
// cannot decode is acknowledged (so Telegram does not retry it forever)
// and skipped, and the next one is answered.
func TestWebhookBadBodies(t *testing.T) {
	e := newPollEnv(t).startWebhook(t, telegram.Config{}, testHook)
	for name, body := range map[string][]byte{
		"empty":     nil,
		"not json":  []byte("hello"),
		"array":     []byte(`[1,2]`),
		"no id":     []byte(`{"message":{}}`),
		"oversized": append([]byte(`{"update_id":5,"message":{"text":"`), bytes.Repeat([]byte("a"), 2<<20)...),
	} {
		if status, err := e.api.DeliverRaw(e.hook.URL, e.secret, body); err != nil || status != http.StatusBadRequest {
			t.Errorf("%s: %d %v, want 400", name, status, err)
		}
	}
	status, _, err := e.api.Deliver(e.hook.URL, e.secret, map[string]any{"message": map[string]any{
		"message_id": 5, "date": 1, "chat": map[string]any{"id": 3, "type": "private"}, "text": "секретный текст",
		"forward_origin": map[string]any{"type": "future_origin", "date": 1}}})
	if err != nil || status != http.StatusOK {
		t.Fatalf("undecodable update: %d %v, want 200", status, err)
	}
	if status, _, _ := e.api.Deliver(e.hook.URL, e.secret, commandUpdate(4, "/posenc 1004")); status != http.StatusOK {
		t.Fatalf("good update after a bad one: %d", status)
	}
	e.api.WaitFor(t, "sendMessage", 1, time.Minute)
	<-e.tg.Idle()
	e.stop()
	if n := perChat(e.api); n["4"] != 1 || n["3"] != 0 {
		t.Fatalf("replies per chat %v", n)
	}
	if logs := e.logs.String(); strings.Contains(logs, "секретный") || !strings.Contains(logs, "undecodable update skipped") {
		t.Fatalf("log of the skipped update:\n%s", logs)
	}
}

// An update the inbox could not store is refused with a non-200, so
// Telegram keeps it and retries; nothing is answered.
func TestWebhookStoreFailureIsNot200(t *testing.T) {
	broken, err := storage.Open(filepath.Join(t.TempDir(), "broken.db"))
	if err != nil {
		t.Fatal(err)
	}
	e := newPollEnv(t).startWebhook(t, telegram.Config{Inbox: broken}, testHook)
	broken.Close() // every write now fails, as on a full or broken disk
	status, _, err := e.api.Deliver(e.hook.URL, e.secret, commandUpdate(1, "/posenc 1001"))
	if err != nil || status < 500 {
		t.Fatalf("unstored update: %d %v, want a 5xx", status, err)
	}
	e.stop()
	if n := len(e.api.Calls("sendMessage")); n != 0 {
		t.Fatalf("%d replies to an update that was not kept", n)
	}
}

// Before the webhook is set and after the bot stopped, updates get 503
// (Telegram retries them); updates stored but not handled when the bot
// stopped are handled by the next start.
func TestWebhookStartStopAndResume(t *testing.T) {
	e := newPollEnv(t)
	log := slog.New(slog.DiscardHandler)
	svc, err := bot.NewService(bot.Options{Store: e.db, Charts: e.db, Username: fakeapi.BotUsername, Clock: e.clk, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	idle, err := telegram.New(svc, telegram.Config{Token: fakeapi.Token, ServerURL: e.api.URL, Inbox: e.db})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(idle.WebhookHandler())
	defer srv.Close()
	if status, _, _ := e.api.Deliver(srv.URL, "any", commandUpdate(1, "/posenc 1001")); status != http.StatusServiceUnavailable {
		t.Fatalf("before the webhook is set: %d, want 503", status)
	}
	// An update left in the inbox by a crash.
	if _, err := e.db.InboxPut([]storage.InboxUpdate{{ID: 900, Raw: []byte(`{"update_id":900,"message":{"message_id":1,"date":1,"chat":{"id":9,"type":"private"},"text":"/posenc 1009","entities":[{"type":"bot_command","offset":0,"length":7}]}}`)}}, 0); err != nil {
		t.Fatal(err)
	}
	h := e.startWebhook(t, telegram.Config{}, testHook)
	e.api.WaitFor(t, "sendMessage", 1, time.Minute)
	<-h.tg.Idle()
	h.stop()
	if n := perChat(e.api); n["9"] != 1 {
		t.Fatalf("the stored update was not answered after the start: %v", n)
	}
	if status, _, _ := e.api.Deliver(h.hook.URL, h.secret, commandUpdate(2, "/posenc 1002")); status != http.StatusServiceUnavailable {
		t.Fatalf("after the stop: %d, want 503", status)
	}
	if url, _ := e.api.Webhook(); url != testHook.URL {
		t.Fatalf("the webhook was deleted at shutdown (%q): Telegram would drop updates meanwhile", url)
	}
	// Polling again deletes the webhook, so getUpdates works.
	e.start(t, telegram.Config{})
	e.api.WaitForGetUpdates(t, time.Minute)
	if url, _ := e.api.Webhook(); url != "" {
		t.Fatalf("polling left the webhook %q set", url)
	}
}

// The webhook configuration is checked before anything is sent, and its
// errors never echo the secret.
func TestCheckWebhook(t *testing.T) {
	const secret = "s3cret_value-with-no-spaces"
	for _, tc := range []struct {
		cfg  telegram.WebhookConfig
		fail bool
	}{
		{telegram.WebhookConfig{URL: "https://x.org/hook"}, false},
		{telegram.WebhookConfig{URL: " https://x.org/hook\r\n", Secret: secret + "\r"}, false},
		{telegram.WebhookConfig{URL: "http://x.org/hook"}, true},
		{telegram.WebhookConfig{URL: "x.org/hook"}, true},
		{telegram.WebhookConfig{URL: "https://x.org/hook", Secret: secret + " and spaces"}, true},
		{telegram.WebhookConfig{URL: "https://x.org/hook", Secret: strings.Repeat("a", 257)}, true},
		{telegram.WebhookConfig{URL: "https://x.org/hook", MaxConnections: 101}, true},
	} {
		got, err := telegram.CheckWebhook(tc.cfg)
		if (err != nil) != tc.fail {
			t.Errorf("%+v: err %v, want failure %v", tc.cfg, err, tc.fail)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("error echoes the secret: %v", err)
		}
		if err == nil && (got.MaxConnections == 0 || got.Secret == "" || strings.ContainsAny(got.URL+got.Secret, " \r\n")) {
			t.Errorf("%+v: not cleaned: %+v", tc.cfg, got)
		}
	}
}

// Polling after a run in webhook mode deletes the webhook first, so
// getUpdates is not met with 409.
func TestPollingDeletesWebhook(t *testing.T) {
	e := newPollEnv(t).startWebhook(t, telegram.Config{}, testHook)
	e.stop()
	if url, _ := e.api.Webhook(); url != testHook.URL {
		t.Fatalf("webhook %q after a webhook run, want it kept", url)
	}
	e.api.PushUpdate(commandUpdate(5, "/posenc 1005"))
	e.start(t, telegram.Config{})
	e.api.WaitFor(t, "sendMessage", 1, time.Minute)
	e.stop()
	if url, _ := e.api.Webhook(); url != "" {
		t.Fatalf("webhook %q still set while polling", url)
	}
	if n := len(e.api.Calls("deleteWebhook")); n != 1 {
		t.Fatalf("%d deleteWebhook calls", n)
	}
}
