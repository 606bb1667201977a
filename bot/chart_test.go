package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"neurotutor/internal/fakeapi"
	"neurotutor/storage"
)

// uploaded reports whether a sendPhoto call carried the PNG itself rather
// than a file_id.
func uploaded(c fakeapi.Call) bool { _, ok := c.Files["photo"]; return ok }

func TestRepeatedChartIsSentByFileID(t *testing.T) {
	e := newEnv(t)
	e.command(userID, "/neuron w=0.5,1 x=2,3 b=-1")
	first := only(t, e.api.Calls("sendPhoto"), "first")
	if !uploaded(first) {
		t.Fatal("first chart not uploaded")
	}
	// Different spelling, same chart: the same canonical key.
	for _, text := range []string{"/neuron w=0.50, 1 x=2;3 b=−1", "/neuron x=2 3 b=-1.0 w=0.5 1 f=sigmoid"} {
		e.api.Reset()
		e.command(userID, text)
		c := only(t, e.api.Calls("sendPhoto"), text)
		if uploaded(c) || !strings.HasPrefix(c.Fields["photo"], "photo-") {
			t.Fatalf("%s: uploaded again (photo field %q)", text, c.Fields["photo"])
		}
		if c.Fields["caption"] != first.Fields["caption"] && !strings.Contains(c.Fields["caption"], "0.952574") {
			t.Fatalf("%s: caption %q", text, c.Fields["caption"])
		}
	}
	// A different chart is rendered and uploaded.
	e.api.Reset()
	e.command(userID, "/neuron w=0.5,1 x=2,3 b=-2")
	if !uploaded(only(t, e.api.Calls("sendPhoto"), "other")) {
		t.Fatal("a different chart was not uploaded")
	}
}

func TestChartFileIDSurvivesRestart(t *testing.T) {
	api := fakeapi.New(t)
	path := filepath.Join(t.TempDir(), "r.db")
	send := func() fakeapi.Call {
		db, err := storage.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		tg := telegramOn(t, api, db, db)
		api.Reset()
		tg.HandleUpdate(context.Background(), commandUpdate("/posenc 12 d=8"))
		return only(t, api.Calls("sendPhoto"), "posenc")
	}
	if !uploaded(send()) {
		t.Fatal("first not uploaded")
	}
	if c := send(); uploaded(c) {
		t.Fatal("uploaded again after restart")
	}
}

func TestStaleFileIDIsReplaced(t *testing.T) {
	e := newEnv(t)
	e.command(userID, "/posenc 5")
	e.api.Reset()
	e.api.Fail("sendPhoto", fakeapi.Failure{Code: 400, Desc: "Bad Request: wrong file identifier/HTTP URL specified"})
	e.command(userID, "/posenc 5")
	calls := e.api.Calls("sendPhoto")
	if len(calls) != 2 || uploaded(calls[0]) || !uploaded(calls[1]) {
		t.Fatalf("want a file_id try then an upload, got %d calls", len(calls))
	}
	if msgs := e.api.Calls("sendMessage"); len(msgs) != 0 {
		t.Fatalf("learner saw an error: %q", msgs[0].Fields["text"])
	}
}

func commandUpdate(text string) *models.Update {
	n := strings.IndexByte(text, ' ')
	if n < 0 {
		n = len(text)
	}
	return &models.Update{ID: 1, Message: &models.Message{ID: 1, Chat: models.Chat{ID: userID, Type: models.ChatTypePrivate},
		From: &models.User{ID: userID}, Text: text,
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: n}}}}
}

// BenchmarkRepeatedChartReply: the same /neuron again and again, answered
// by file_id through the handler and the fake Bot API (HTTP on loopback).
func BenchmarkRepeatedChartReply(b *testing.B) {
	e := newEnv(b)
	upd := commandUpdate("/neuron w=0.5,1 x=2,3 b=-1")
	e.tg.HandleUpdate(context.Background(), upd)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		e.tg.HandleUpdate(context.Background(), upd)
	}
	b.StopTimer()
	reportCPU(b, start)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replies/s")
	if n := len(e.api.Calls("sendPhoto")); n < 2 {
		b.Fatal("no photos")
	}
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds cpu-ms/op: CPU time of the whole process (bot, fake Bot
// API server and bbolt together) per reply. Wall time per op also counts
// bbolt's batch wait, which costs no CPU.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkFreshNeuronReply: a new chart every time (parse, compute, draw,
// encode, upload to the fake Bot API).
func BenchmarkFreshNeuronReply(b *testing.B) {
	e := newEnv(b)
	b.ReportAllocs()
	i := 0
	start := cpuTime()
	for b.Loop() {
		i++
		e.tg.HandleUpdate(context.Background(), commandUpdate(fmt.Sprintf("/neuron w=0.5,1 x=2,3 b=%d", i)))
	}
	reportCPU(b, start)
}

// BenchmarkFreshPosencReply: a new heatmap every time, of typical size:
// N around 64 and d from 8 to 32, so that nothing is cached.
func BenchmarkFreshPosencReply(b *testing.B) {
	e := newEnv(b)
	b.ReportAllocs()
	i := 0
	start := cpuTime()
	for b.Loop() {
		i++
		e.tg.HandleUpdate(context.Background(), commandUpdate(fmt.Sprintf("/posenc %d d=%d", 32+i%65, 8+2*(i/65%13))))
	}
	reportCPU(b, start)
}

// file_ids belong to one bot: the same database behind another bot (a new
// token, another Bot API server) finds its stored ids refused, and the
// charts are uploaded anew, without an error reaching the learner.
func TestFileIDsOfAnotherBotAreReplaced(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "two.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ask := func(api *fakeapi.Server) []fakeapi.Call {
		tg := telegramOn(t, api, db, db)
		tg.HandleUpdate(context.Background(), commandUpdate("/posenc 7"))
		return api.Calls()
	}
	first := ask(fakeapi.New(t))
	if len(first) != 1 || !uploaded(first[0]) {
		t.Fatalf("first bot: %+v", first)
	}
	second := ask(fakeapi.New(t))
	if len(second) != 2 || uploaded(second[0]) || !uploaded(second[1]) {
		t.Fatalf("second bot: want a refused file_id then an upload, got %d calls", len(second))
	}
}
