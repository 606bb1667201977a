package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"neurotutor/internal/fakeapi"
	"neurotutor/storage"
)

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func httpGet(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Webhook mode end to end: the webhook is set with a secret; Telegram's
// POST on the webhook path is answered; a wrong secret is refused; the
// operator's endpoints answer on the same listener; "neurotutor backup"
// fetches a copy that opens and holds what the bot stored; and no secret
// reaches the log.
func TestWebhookModeAndBackup(t *testing.T) {
	api := fakeapi.New(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	const backupToken = "operator-backup-token-0123456789"
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN":        fakeapi.Token,
		"TELEGRAM_API_URL":          api.URL,
		"NEUROTUTOR_DB":             filepath.Join(dir, "nt.db"),
		"NEUROTUTOR_WEBHOOK_URL":    "https://bot.example.org/telegram/hook",
		"NEUROTUTOR_WEBHOOK_SECRET": "webhook-secret-4242",
		"NEUROTUTOR_LISTEN":         addr,
		"NEUROTUTOR_BACKUP_TOKEN":   backupToken,
	}
	getenv := func(k string) string { return env[k] }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, strings.NewReader(""), &logs, &logs) }()

	api.WaitFor(t, "setWebhook", 1, 10*time.Second)
	url, secret := api.Webhook()
	if url != env["NEUROTUTOR_WEBHOOK_URL"] || secret != env["NEUROTUTOR_WEBHOOK_SECRET"] {
		t.Fatalf("webhook %q, secret %q", url, secret)
	}
	// setWebhook is sent once the server listens, so the POSTs find it.
	hook := "http://" + addr + "/telegram/hook"
	lesson := models.Update{CallbackQuery: &models.CallbackQuery{
		ID: "c1", From: models.User{ID: 42}, Data: "les:3",
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 5, Chat: models.Chat{ID: 42, Type: models.ChatTypePrivate}}},
	}}
	// The fake records setWebhook before the bot has its answer and takes
	// POSTs: until then a POST gets 503, which Telegram retries; so does
	// this test, a bounded number of times.
	status, _, err := api.Deliver(hook, "not-the-secret", lesson)
	for i := 0; err == nil && status == http.StatusServiceUnavailable && i < 1000; i++ {
		runtime.Gosched()
		status, _, err = api.Deliver(hook, "not-the-secret", lesson)
	}
	if err != nil || status != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d %v", status, err)
	}
	if status, _, err := api.Deliver(hook, secret, lesson); err != nil || status != http.StatusOK {
		t.Fatalf("update: %d %v", status, err)
	}
	if edit := api.WaitFor(t, "editMessageText", 1, 10*time.Second)[0]; !strings.Contains(edit.Fields["text"], "Эмбеддинги") {
		t.Fatalf("lesson 3: %q", edit.Fields["text"])
	}
	if n := len(api.Calls("editMessageText")); n != 1 {
		t.Fatalf("%d answers to one update with a good secret and one with a wrong one", n)
	}
	if code, body := httpGet(t, "http://"+addr+"/healthz", ""); code != http.StatusOK {
		t.Fatalf("/healthz: %d %s", code, body)
	}
	if _, body := httpGet(t, "http://"+addr+"/metrics", ""); !strings.Contains(body, `neurotutor_webhook_requests_total{result="unauthorized"} 1`) ||
		!strings.Contains(body, `neurotutor_updates_received_total{kind="callback_query"} 1`) {
		t.Fatalf("/metrics:\n%s", body)
	}
	if code, _ := httpGet(t, "http://"+addr+"/backup", "wrong-token-wrong-token"); code != http.StatusUnauthorized {
		t.Fatalf("/backup with a wrong token: %d", code)
	}

	// The backup command, as an operator runs it beside the bot.
	file := filepath.Join(dir, "backup.db")
	var out strings.Builder
	if err := run(ctx, []string{"backup", file}, getenv, nil, &out, &out); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out.String(), "backup: "+file) {
		t.Fatalf("backup said %q", out.String())
	}
	cancel()
	waitStopped(t, done)
	all := logs.String() + out.String()
	for _, s := range []string{strings.SplitN(fakeapi.Token, ":", 2)[1], secret, backupToken} {
		if strings.Contains(all, s) {
			t.Fatalf("a secret in the output:\n%s", all)
		}
	}
	// Restore is starting the bot on the copy: it holds the lesson opened.
	db, err := storage.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, _ := db.LessonsOpened(42); len(got) != 1 || got[0] != 3 {
		t.Fatalf("lessons in the backup: %v", got)
	}
}

// The backup command refuses what it cannot do with a message that says
// what to set, and never leaves a half-written file behind.
func TestBackupErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "b.db")
	closed := freeAddr(t)
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no file", map[string]string{"NEUROTUTOR_BACKUP_TOKEN": "x"}, []string{"backup"}, "usage: neurotutor backup FILE"},
		{"no token", nil, []string{"backup", file}, "NEUROTUTOR_BACKUP_TOKEN is not set"},
		{"no bot", map[string]string{"NEUROTUTOR_BACKUP_TOKEN": "t0123456789abcdef", "NEUROTUTOR_LISTEN": closed}, []string{"backup", file}, "is the bot running?"},
		{"bad url", map[string]string{"NEUROTUTOR_BACKUP_TOKEN": "t0123456789abcdef", "NEUROTUTOR_BACKUP_URL": "ftp://x"}, []string{"backup", file}, "must be an http(s) URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := run(context.Background(), c.args, func(k string) string { return c.env[k] }, nil, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), "t0123456789abcdef") {
				t.Fatalf("token in %v", err)
			}
		})
	}
	// A server that answers with something that is not a database.
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "not a database") })}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	env := map[string]string{"NEUROTUTOR_BACKUP_TOKEN": "t0123456789abcdef", "NEUROTUTOR_LISTEN": ln.Addr().String()}
	err = run(context.Background(), []string{"backup", file}, func(k string) string { return env[k] }, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "does not check out") {
		t.Fatalf("junk accepted: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

// Webhook settings are checked before anything is served.
func TestWebhookConfigErrors(t *testing.T) {
	for _, c := range []struct{ url, secret, listen, want string }{
		{"http://bot.example.org/hook", "", "", "https://"},
		{"https://bot.example.org/metrics", "", "", "the operator's"},
		{"https://bot.example.org/hook", "bad secret!", "", "webhook secret"},
		{"https://bot.example.org/hook", "", "off", "NEUROTUTOR_LISTEN=off"},
	} {
		env := map[string]string{"TELEGRAM_BOT_TOKEN": fakeapi.Token, "TELEGRAM_API_URL": "http://127.0.0.1:1",
			"NEUROTUTOR_DB": filepath.Join(t.TempDir(), "x.db"), "NEUROTUTOR_WEBHOOK_URL": c.url, "NEUROTUTOR_WEBHOOK_SECRET": c.secret, "NEUROTUTOR_LISTEN": c.listen}
		err := run(context.Background(), nil, func(k string) string { return env[k] }, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v", c, err)
		}
	}
}
