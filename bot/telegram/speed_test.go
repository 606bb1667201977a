package telegram_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeapi"
	"neurotutor/storage"
)

// benchUncached answers the very same command again and again with every
// chart cache off (no file_id store, a PNG cache that keeps nothing), so
// each reply renders, encodes and uploads: the "fresh /posenc 64"
// and "fresh /neuron", exactly. It reports the process's CPU per reply.
func benchUncached(b *testing.B, text string) {
	api := fakeapi.New(b)
	db, err := storage.Open(filepath.Join(b.TempDir(), "speed.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc, err := bot.NewService(bot.Options{Store: db, PNGCacheBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	tg, err := telegram.New(svc, telegram.Config{Token: fakeapi.Token, ServerURL: api.URL})
	if err != nil {
		b.Fatal(err)
	}
	n := len(text)
	for i, r := range text {
		if r == ' ' {
			n = i
			break
		}
	}
	upd := &models.Update{ID: 1, Message: &models.Message{ID: 1, Chat: models.Chat{ID: 7, Type: models.ChatTypePrivate},
		From: &models.User{ID: 7}, Text: text, Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: n}}}}
	tg.HandleUpdate(context.Background(), upd)
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		tg.HandleUpdate(context.Background(), upd)
	}
	b.ReportMetric(float64(processCPU()-start)/float64(b.N)/1e6, "cpu-ms/op")
	if got := len(api.Calls("sendPhoto")); got < b.N || !uploadedPhoto(api.Calls("sendPhoto")[got-1]) {
		b.Fatalf("%d photos for %d replies, or the last was not uploaded", got, b.N)
	}
}

func uploadedPhoto(c fakeapi.Call) bool { _, ok := c.Files["photo"]; return ok }

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkUncachedPosenc64Reply(b *testing.B) { benchUncached(b, "/posenc 64") }

func BenchmarkUncachedNeuronReply(b *testing.B) { benchUncached(b, "/neuron w=0.5,1 x=2,3 b=-1") }

// benchPolled runs b.N chart replies through the whole polling path —
// getUpdates from the fake Bot API, the inbox (or none), a worker, the
// Service rendering an uncached /neuron, sendPhoto — and reports CPU and
// wall time per update. Comparing inbox=on with inbox=off is what the
// durable inbox costs a chart reply.
func benchPolled(b *testing.B, withInbox bool) {
	api := fakeapi.New(b)
	db, err := storage.Open(filepath.Join(b.TempDir(), "speed.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc, err := bot.NewService(bot.Options{Store: db, PNGCacheBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	cfg := telegram.Config{Token: fakeapi.Token, ServerURL: api.URL, PollTimeout: time.Second}
	if withInbox {
		cfg.Inbox = db
	}
	tg, err := telegram.New(svc, cfg)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		u := int64(i%200 + 1)
		api.PushUpdate(&models.Update{Message: &models.Message{ID: i + 1, Chat: models.Chat{ID: u, Type: models.ChatTypePrivate},
			From: &models.User{ID: u}, Text: fmt.Sprintf("/neuron w=0.5,1 x=2,3 b=%d", i),
			Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: 7}}}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	b.ResetTimer()
	start := processCPU()
	go func() { done <- tg.Run(ctx) }()
	api.WaitFor(b, "sendPhoto", b.N, 10*time.Minute)
	<-tg.Idle()
	b.ReportMetric(float64(processCPU()-start)/float64(b.N)/1e6, "cpu-ms/op")
	b.StopTimer()
	cancel()
	<-done
}

func BenchmarkPolledChartReply(b *testing.B) {
	b.Run("inbox=on", func(b *testing.B) { benchPolled(b, true) })
	b.Run("inbox=off", func(b *testing.B) { benchPolled(b, false) })
}
