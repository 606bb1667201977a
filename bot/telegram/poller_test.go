package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeapi"
	"neurotutor/internal/fakeclock"
	"neurotutor/storage"
)

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// pollEnv is a polling bot on a real bbolt file against the fake Bot API,
// its Sender on an automatic fake clock (so a burst that would take half
// a minute of Telegram's limits takes none of the test's time).
type pollEnv struct {
	api  *fakeapi.Server
	path string
	db   *storage.DB
	clk  *fakeclock.Clock
	logs *syncBuffer

	cancel func()
	done   chan error
	tg     *telegram.Bot
}

func newPollEnv(t *testing.T) *pollEnv {
	t.Helper()
	e := &pollEnv{api: fakeapi.New(t), path: filepath.Join(t.TempDir(), "bot.db"), clk: fakeclock.NewAuto(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)), logs: &syncBuffer{}}
	e.open(t)
	t.Cleanup(func() {
		e.stop()
		e.db.Close()
	})
	return e
}

func (e *pollEnv) open(t *testing.T) {
	t.Helper()
	db, err := storage.Open(e.path)
	if err != nil {
		t.Fatal(err)
	}
	e.db = db
}

// start runs a new process's worth of bot (Service, Sender, poller) on the
// open database.
func (e *pollEnv) start(t *testing.T, cfg telegram.Config) {
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
	ctx, cancel := context.WithCancel(context.Background())
	sctx, stopSender := context.WithCancel(context.Background())
	senderDone := make(chan struct{})
	go func() { sender.Run(sctx); close(senderDone) }()
	e.done = make(chan error, 1)
	go func() {
		err := tg.Run(ctx)
		stopSender()
		<-senderDone
		e.done <- err
	}()
	e.cancel = cancel
}

func (e *pollEnv) stop() {
	if e.cancel != nil {
		e.cancel()
		<-e.done
		e.cancel = nil
	}
}

func commandUpdate(chat int64, text string) *models.Update {
	n := strings.IndexByte(text, ' ')
	if n < 0 {
		n = len(text)
	}
	return &models.Update{Message: &models.Message{ID: 1, Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate},
		From: &models.User{ID: chat}, Text: text, Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: n}}}}
}

// perChat counts sendMessage calls by chat_id.
func perChat(api *fakeapi.Server) map[string]int {
	n := map[string]int{}
	for _, c := range api.Calls("sendMessage") {
		n[c.Fields["chat_id"]]++
	}
	return n
}

// A burst of 1,000 updates from 200 learners is answered completely, each
// once, in order per chat; the inbox ends empty and the offset confirmed.
func TestBurstAnsweredOnce(t *testing.T) {
	e := newPollEnv(t)
	users, each := 200, 5
	if raceDetector {
		users = 50
	}
	for i := range each {
		for u := 1; u <= users; u++ {
			upd := commandUpdate(int64(u), fmt.Sprintf("/posenc %d", 1000+i)) // out of range: one short error reply each
			e.api.PushUpdate(upd)
		}
	}
	e.start(t, telegram.Config{})
	calls := e.api.WaitFor(t, "sendMessage", users*each, time.Minute)
	select {
	case <-e.tg.Idle():
	case <-time.After(time.Minute):
		t.Fatal("not idle")
	}
	e.stop()
	calls = e.api.Calls("sendMessage")
	if len(calls) != users*each {
		t.Fatalf("%d replies to %d updates", len(calls), users*each)
	}
	for chat, n := range perChat(e.api) {
		if n != each {
			t.Errorf("chat %s got %d replies, want %d", chat, n, each)
		}
	}
	// In order per chat: each reply quotes its N.
	last := map[string]int{}
	for _, c := range calls {
		var n int
		if i := strings.Index(c.Fields["text"], "100"); i >= 0 {
			fmt.Sscanf(c.Fields["text"][i:], "%d", &n)
		}
		if n < last[c.Fields["chat_id"]] {
			t.Fatalf("chat %s: reply for %d after %d", c.Fields["chat_id"], n, last[c.Fields["chat_id"]])
		}
		last[c.Fields["chat_id"]] = n
	}
	pending, err := e.db.InboxPending()
	if err != nil || len(pending) != 0 {
		t.Fatalf("inbox after the burst: %d pending, %v", len(pending), err)
	}
	// The last batch is confirmed by the next start's first getUpdates.
	off, _ := e.db.InboxOffset()
	if off != int64(users*each+1) {
		t.Fatalf("stored offset %d, want %d", off, users*each+1)
	}
}

// A crash in the middle of a burst (the process's state abandoned, its
// handlers cut off, the same bbolt file reopened) loses no update and
// repeats at most the updates that were in flight.
func TestRestartMidBurstLosesNothing(t *testing.T) {
	e := newPollEnv(t)
	const users, each, inFlight = 40, 5, 16
	for i := range each {
		for u := 1; u <= users; u++ {
			e.api.PushUpdate(commandUpdate(int64(u), fmt.Sprintf("/posenc %d", 1000+i)))
		}
	}
	// The first process: few in flight, no time to drain.
	e.start(t, telegram.Config{MaxPending: inFlight, DrainTimeout: time.Nanosecond})
	e.api.WaitFor(t, "sendMessage", 60, time.Minute)
	e.stop() // the drain gives up at once: in-flight handlers are abandoned
	before := len(e.api.Calls("sendMessage"))
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	e.open(t)
	pending, _ := e.db.InboxPending()
	t.Logf("crash after %d replies; %d updates pending in the inbox", before, len(pending))

	e.start(t, telegram.Config{MaxPending: inFlight})
	// Replies are no measure of progress here (some may be repeats): wait
	// until every update was taken, then until all are handled.
	e.api.WaitConfirmed(t, users*each, time.Minute)
	select {
	case <-e.tg.Idle():
	case <-time.After(time.Minute):
		t.Fatal("not idle")
	}
	e.stop()
	total := len(e.api.Calls("sendMessage"))
	repeated := total - users*each
	for chat, n := range perChat(e.api) {
		if n < each {
			t.Errorf("chat %s got %d replies of %d: lost", chat, n, each)
		}
	}
	t.Logf("%d replies to %d updates: %d repeated (bound %d in flight)", total, users*each, repeated, inFlight)
	if repeated < 0 || repeated > inFlight {
		t.Fatalf("%d repeated replies, more than the %d updates in flight", repeated, inFlight)
	}
}

// An update go-telegram cannot decode (a forward_origin type it does not
// know) between two good ones is skipped and logged by id and kind only;
// the good ones are answered and polling goes on past it.
func TestUndecodableUpdateSkipped(t *testing.T) {
	e := newPollEnv(t)
	e.api.PushUpdate(commandUpdate(1, "/posenc 1001"))
	e.api.PushRaw(`{"message":{"message_id":5,"date":1,"chat":{"id":2,"type":"private"},"from":{"id":2,"is_bot":false,"first_name":"A"},` +
		`"text":"секретный текст","forward_origin":{"type":"future_origin","date":1}}}`)
	e.api.PushUpdate(commandUpdate(3, "/posenc 1003"))
	e.start(t, telegram.Config{})
	e.api.WaitFor(t, "sendMessage", 2, time.Minute)
	<-e.tg.Idle()
	e.stop()
	n := perChat(e.api)
	if n["1"] != 1 || n["3"] != 1 || n["2"] != 0 {
		t.Fatalf("replies per chat %v", n)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "undecodable update skipped") || !strings.Contains(logs, "update_id=2") || !strings.Contains(logs, "kind=message") {
		t.Fatalf("no log of the skipped update:\n%s", logs)
	}
	if strings.Contains(logs, "секретный") {
		t.Fatalf("the update's content was logged:\n%s", logs)
	}
	if off, _ := e.db.InboxOffset(); off != 4 {
		t.Fatalf("offset %d, want 4 (past the bad update)", off)
	}
}

// A redelivered update (the same update_id again, as after a webhook retry
// or a crash before the offset was stored) is answered once.
func TestRedeliveryAnsweredOnce(t *testing.T) {
	e := newPollEnv(t)
	raw := []storage.InboxUpdate{{ID: 7, Raw: []byte(`{"update_id":7}`)}}
	fresh, err := e.db.InboxPut(raw, 0)
	if err != nil || len(fresh) != 1 {
		t.Fatalf("first put: %v %v", fresh, err)
	}
	if fresh, _ = e.db.InboxPut(raw, 0); len(fresh) != 0 {
		t.Fatal("a pending update was accepted twice")
	}
	if err := e.db.InboxDone(7); err != nil {
		t.Fatal(err)
	}
	if fresh, _ = e.db.InboxPut(raw, 0); len(fresh) != 0 {
		t.Fatal("a done update was accepted again")
	}
}

// A 409 (another instance polls) is logged clearly, and the bot waits a
// minute of its clock instead of polling again at once.
func TestConflictBacksOff(t *testing.T) {
	e := newPollEnv(t)
	e.clk = fakeclock.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)) // manual: the back-off waits
	e.api.Fail("getUpdates", fakeapi.Failure{Code: 409, Desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})
	e.start(t, telegram.Config{})
	e.clk.BlockUntil(t, 1) // the back-off's wait
	if got := len(getUpdates(e.api)); got != 1 {
		t.Fatalf("%d getUpdates before the back-off ended", got)
	}
	if !strings.Contains(e.logs.String(), "another instance is polling") {
		t.Fatalf("409 not explained in the log:\n%s", e.logs.String())
	}
	e.clk.Advance(time.Minute)
	e.api.WaitForGetUpdatesN(t, 2, time.Minute)
}

func getUpdates(api *fakeapi.Server) []fakeapi.Call { return api.GetUpdates() }

// A burst of identical charts uploads each chart once: the file_id is
// resolved when a send's turn comes, so the sends queued behind the first
// upload of a chart go out by the file_id it got.
func TestIdenticalChartsUploadedOnce(t *testing.T) {
	e := newPollEnv(t)
	users, charts := 100, 3
	if raceDetector {
		users = 30
	}
	for b := range charts {
		for u := 1; u <= users; u++ {
			e.api.PushUpdate(commandUpdate(int64(u), fmt.Sprintf("/neuron w=0.5,1 x=2,3 b=%d", b)))
		}
	}
	e.start(t, telegram.Config{})
	e.api.WaitFor(t, "sendPhoto", users*charts, time.Minute)
	<-e.tg.Idle()
	e.stop()
	uploads, byID := map[string]int{}, 0
	perChat := map[string]int{}
	for _, c := range e.api.Calls("sendPhoto") {
		perChat[c.Fields["chat_id"]]++
		if _, ok := c.Files["photo"]; ok {
			uploads[c.Fields["caption"]]++
		} else {
			byID++
		}
	}
	if len(uploads) != charts || byID != users*charts-charts {
		t.Fatalf("%d photos uploaded (%v), %d sent by file_id; want %d uploads", users*charts-byID, uploads, byID, charts)
	}
	for chat, n := range perChat {
		if n != charts {
			t.Errorf("chat %s got %d charts, want %d", chat, n, charts)
		}
	}
}

// A photo upload retried after a 429 sends the whole file again (a retry
// once sent a 0-byte file, which Telegram rejects).
func TestRetriedUploadIsWhole(t *testing.T) {
	e := newPollEnv(t)
	e.api.Fail("sendPhoto", fakeapi.Failure{Code: 429, Desc: "Too Many Requests: retry after 1", RetryAfter: 1})
	e.api.PushUpdate(commandUpdate(9, "/neuron w=0.5,1 x=2,3 b=-1"))
	e.start(t, telegram.Config{})
	calls := e.api.WaitFor(t, "sendPhoto", 2, time.Minute)
	<-e.tg.Idle()
	e.stop()
	calls = e.api.Calls("sendPhoto")
	if len(calls) != 2 {
		t.Fatalf("%d sendPhoto calls, want the 429 and its retry", len(calls))
	}
	first, retry := calls[0].Files["photo"], calls[1].Files["photo"]
	if len(first) == 0 || !bytes.Equal(first, retry) {
		t.Fatalf("upload of %d bytes retried with %d bytes", len(first), len(retry))
	}
	if n := len(e.api.Calls("sendMessage")); n != 0 {
		t.Fatalf("%d messages (an error reply?) besides the photo", n)
	}
}

// Learners who wait in a burst are told, with one "typing…" hint per
// reply at most, that the answer is coming. (That hints keep the Sender's
// limits is TestSenderHintsKeepLimits: the fake's arrival times cannot
// show it, as requests granted 34 ms apart may arrive together.)
func TestBurstHints(t *testing.T) {
	e := newPollEnv(t)
	users, each := 100, 3
	if raceDetector {
		users = 40
	}
	for i := range each {
		for u := 1; u <= users; u++ {
			e.api.PushUpdate(commandUpdate(int64(u), fmt.Sprintf("/posenc %d", 1000+i)))
		}
	}
	e.start(t, telegram.Config{})
	e.api.WaitFor(t, "sendMessage", users*each, time.Minute)
	<-e.tg.Idle()
	e.stop()
	hints := map[string]int{}
	for _, c := range e.api.Calls("sendChatAction") {
		hints[c.Fields["chat_id"]]++
		if c.Fields["action"] != "typing" {
			t.Fatalf("chat action %q", c.Fields["action"])
		}
	}
	if len(hints) == 0 {
		t.Fatal("no hints in a burst where learners wait far longer than 3 s")
	}
	for chat, n := range hints {
		if n > each {
			t.Errorf("chat %s hinted %d times for %d replies", chat, n, each)
		}
	}
}
