package telegram_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"neurotutor/bot/telegram"
	"neurotutor/storage"
)

func get(t *testing.T, h http.Handler, path, auth string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// /healthz is 503 before the first good getUpdates and 200 after; /metrics
// speaks Prometheus' format and names no chat or user.
func TestHealthAndMetrics(t *testing.T) {
	e := newPollEnv(t)
	m := telegram.NewMetrics()
	e.start(t, telegram.Config{Metrics: m})
	ops := &telegram.Ops{Bot: e.tg, Store: e.db, Metrics: m}
	h := ops.Handler()
	e.api.PushUpdate(commandUpdate(777001, "/posenc 1000"))
	e.api.WaitFor(t, "sendMessage", 1, time.Minute)
	<-e.tg.Idle()
	if rec := get(t, h, "/healthz", ""); rec.Code != 200 {
		t.Fatalf("healthz %d %s", rec.Code, rec.Body)
	}
	body := get(t, h, "/metrics", "").Body.String()
	for _, want := range []string{
		`neurotutor_updates_received_total{kind="message"} 1`,
		`neurotutor_updates_handled_total{kind="message"} 1`,
		`neurotutor_api_requests_total{method="sendMessage",result="ok"} 1`,
		"neurotutor_sender_queue 0", "neurotutor_sender_wait_seconds_count", "neurotutor_handler_seconds_count",
		"neurotutor_chart_renders_total 0", "neurotutor_reminders_sent_total 0", "go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "777001") {
		t.Fatal("a chat id in the metrics")
	}
	e.stop()
	// A stopped bot with a database that answers: healthy until the
	// window passes on the bot's clock.
	e.clk.Advance(3 * time.Minute)
	if rec := get(t, h, "/healthz", ""); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("healthz after polling stopped: %d", rec.Code)
	}
}

// /backup wants its token and streams a copy that opens as a bot
// database, with its length announced. (storage's TestBackupUnderWriteLoad
// shows a copy taken while writers commit holds every acknowledged write.)
func TestBackupEndpoint(t *testing.T) {
	dir := t.TempDir()
	db, err := storage.Open(filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ops := &telegram.Ops{Store: db, BackupToken: "s3cret-backup"}
	h := ops.Handler()
	if rec := get(t, h, "/backup", ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("no token: %d", rec.Code)
	}
	if rec := get(t, h, "/backup", "Bearer wrong"); rec.Code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", rec.Code)
	}
	if rec := get(t, (&telegram.Ops{Store: db}).Handler(), "/backup", "Bearer "); rec.Code != http.StatusNotFound {
		t.Fatalf("backups off: %d", rec.Code)
	}

	const before = 50
	for u := int64(1); u <= before; u++ {
		if err := db.MarkLessonOpened(u, 1); err != nil {
			t.Fatal(err)
		}
	}
	rec := get(t, h, "/backup", "Bearer s3cret-backup")
	if rec.Code != 200 || rec.Header().Get("Content-Length") != fmt.Sprint(rec.Body.Len()) {
		t.Fatalf("backup %d, %s bytes announced, %d sent", rec.Code, rec.Header().Get("Content-Length"), rec.Body.Len())
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(copyPath, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cp, err := storage.Open(copyPath)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer cp.Close()
	for u := int64(1); u <= before; u++ {
		usr, err := cp.User(u)
		if err != nil || len(usr.LessonsOpened) == 0 {
			t.Fatalf("user %d of %d committed before the backup missing: %v", u, before, err)
		}
	}
}
