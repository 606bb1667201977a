package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"neurotutor/internal/fakeapi"
	"neurotutor/storage"
)

// The program starts the reminder loop: a reminder that fell due earlier
// today while the bot was down is sent at start, and shutdown is clean.
func TestServeSendsDueReminder(t *testing.T) {
	moscow, _, err := storage.ParseZone("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	local := now.In(moscow)
	if local.Hour() == 0 && local.Minute() < 2 {
		t.Skip("just after local midnight: yesterday's reminder time is not today")
	}
	hhmm := local.Add(-time.Minute).Format("15:04")
	dbPath := filepath.Join(t.TempDir(), "nt.db")
	db, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetReminder(42, 42, hhmm, "Europe/Moscow", now.Add(-2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	api := fakeapi.New(t)
	env := map[string]string{"TELEGRAM_BOT_TOKEN": fakeapi.Token, "TELEGRAM_API_URL": api.URL, "NEUROTUTOR_DB": dbPath, "NEUROTUTOR_LISTEN": "127.0.0.1:0"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, func(k string) string { return env[k] }, strings.NewReader(""), &logs, &logs)
	}()
	poll := api.WaitFor(t, "sendPoll", 1, 10*time.Second)[0]
	if poll.Fields["chat_id"] != "42" || !strings.Contains(poll.Fields["question"], "Вопрос дня") {
		t.Fatalf("reminder: %v", poll.Fields)
	}
	cancel()
	waitStopped(t, done)
	db, err = storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, _ := db.Reminder(42)
	if r.LastSent != local.Format(time.DateOnly) || r.Claimed != "" {
		t.Fatalf("after shutdown: %+v", r)
	}
	if p, err := db.Poll(poll.PollID()); err != nil || p.UserID != 42 {
		t.Fatalf("poll not saved: %+v %v", p, err)
	}
}

// In the console a quiz poll is answered by number, scored through the
// same path as a poll_answer, and counted by /progress.
func TestConsoleQuiz(t *testing.T) {
	dir := t.TempDir()
	in := strings.NewReader("/quiz\n2\n/progress\n/remind 09:30\n/export\nexit\n")
	var out syncBuffer
	if err := run(context.Background(), []string{"-out", dir, "console"}, func(string) string { return "" }, in, &out, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"❓ Что обозначает знак Σ", "[2] Сумму произведений весов на входы", "✅ Верно!", "💡 Σ",
		"квиз: верно 1 из 1 (100\u00a0%)", "Europe/Moscow (по умолчанию)", "[файл: " + filepath.Join(dir, "neurotutor-1.json")} {
		if !strings.Contains(text, want) {
			t.Errorf("console lacks %q:\n%s", want, text)
		}
	}
}
