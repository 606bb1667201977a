package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeapi"
	"neurotutor/internal/fakeclock"
	"neurotutor/storage"
)

func TestRemindCommand(t *testing.T) {
	e := newLoopEnv(t)
	cases := []struct {
		cmd  string
		want []string
	}{
		{"/remind", []string{"выключено", "/remind 09:30"}},
		{"/remind 09:30", []string{"09:30", "Europe/Moscow", "по умолчанию", "28.11.2026 09:30"}},
		{"/remind", []string{"09:30", "Europe/Moscow", "Ближайшее"}},
		{"/remind 7:05 UTC+14", []string{"07:05", "UTC+14", "28.11.2026 07:05"}},
		{"/remind 23:59 UTC−12", []string{"23:59", "UTC-12", "26.11.2026 23:59"}},
		{"/remind 9:30 Asia/Novosibirsk", []string{"09:30", "Asia/Novosibirsk"}},
		{"/remind 9:30 по Москве", []string{"09:30", "Europe/Moscow"}},
		{"/remind 9:30 europe/moscow", []string{"09:30", "Europe/Moscow"}},
		{"/remind 9:30 МСК+4", []string{"09:30", "UTC+7"}},
		{"/remind 9:30 Масква", []string{"Вы имели в виду <code>/remind 09:30 Москва</code>?"}},
		{"/remind off", []string{"выключено", "/remind 09:30"}},
		{"/remind 25:00", []string{"«25:00» — не время", "/remind 09:30"}},
		{"/remind 9", []string{"не время"}},
		{"/remind 09:30 UTC+15", []string{"UTC+15", "UTC−12 до UTC+14"}},
		{"/remind 09:30 Mars/Olympus", []string{"Mars/Olympus", "Europe/Moscow"}},
		{"/remind 09:30 <script>", []string{"&lt;script&gt;"}},
		{"/remind " + strings.Repeat("x", 100), []string{"длинно"}},
	}
	for _, c := range cases {
		e.api.Reset()
		e.command(userID, c.cmd)
		got := only(t, e.api.Calls(), c.cmd).Fields["text"]
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.cmd, got, w)
			}
		}
	}
	// In a group a reminder is not set: it is personal, and the group's
	// own daily question is /daily.
	before, _ := e.db.Reminder(userID)
	e.api.Reset()
	e.command(groupID, "/remind 10:00")
	if got := only(t, e.api.Calls(), "group").Fields["text"]; !strings.Contains(got, "личном чате") || !strings.Contains(got, "/daily") {
		t.Errorf("group /remind: %q", got)
	}
	if r, _ := e.db.Reminder(userID); r != before {
		t.Errorf("group /remind changed the reminder: %+v → %+v", before, r)
	}
}

// tick runs one pass of the reminder loop at the clock's time.
func (e *loopEnv) tick(t *testing.T) int {
	t.Helper()
	n, err := e.rem.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// ticks runs the loop every minute from the clock's time until end, as
// Run would, and returns the sendPoll calls made.
func (e *loopEnv) ticks(t *testing.T, end time.Time) []fakeapi.Call {
	t.Helper()
	for now := e.clk.Now().Truncate(time.Minute); now.Before(end); now = now.Add(time.Minute) {
		if now.After(e.clk.Now()) {
			e.clk.Set(now)
		}
		e.tick(t)
	}
	return e.api.Calls("sendPoll")
}

func mustSet(t *testing.T, db *storage.DB, user, chat int64, hhmm, zone string, now time.Time) {
	t.Helper()
	if _, err := db.SetReminder(user, chat, hhmm, zone, now); err != nil {
		t.Fatal(err)
	}
}

func TestReminderSentOnceAtItsTime(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/remind 12:30") // Moscow, 09:30 UTC; it is 09:00 UTC
	e.api.Reset()
	polls := e.ticks(t, t0.Add(50*time.Hour))
	if len(polls) != 3 {
		t.Fatalf("%d reminders in 50 hours, want 3", len(polls))
	}
	for i, p := range polls {
		want := time.Date(2026, 11, 27+i, 9, 30, 0, 0, time.UTC)
		if !p.At.Equal(want) {
			t.Errorf("reminder %d at %v, want %v", i, p.At, want)
		}
		if !strings.HasPrefix(p.Fields["question"], "⏰ Вопрос дня!") || p.Fields["type"] != "quiz" || p.Fields["chat_id"] != strconv.Itoa(userID) {
			t.Errorf("reminder %d: %v", i, p.Fields)
		}
	}
	// The streak is in the nudge: the /remind command was activity today.
	if !strings.Contains(polls[0].Fields["question"], "Серия: 1 день подряд") {
		t.Errorf("no streak in %q", polls[0].Fields["question"])
	}
	// A reminder's poll is scored like any other.
	e.answer(userID, polls[0].PollID(), 0)
	if cards, _ := e.db.Cards(userID); len(cards) != 1 {
		t.Fatalf("reminder answer not scored: %+v", cards)
	}
}

// The bot is down at the reminder's time and restarts later the same
// local day: the reminder is sent once, late; restarting again does not
// repeat it. Down for a whole day: that day is skipped, not sent late.
func TestReminderAcrossRestarts(t *testing.T) {
	e := newLoopEnv(t)
	mustSet(t, e.db, userID, userID, "09:30", "Europe/Moscow", t0.Add(-24*time.Hour)) // 06:30 UTC
	e.clk.Set(time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC))
	e.tick(t)
	// Down from 05:00 to 13:00 UTC (16:00 Moscow); restart.
	e.clk.Set(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))
	e.restart(t)
	if n := e.tick(t); n != 1 {
		t.Fatalf("after restart: %d sent, want 1", n)
	}
	e.restart(t)
	e.clk.Advance(time.Minute)
	if n := e.tick(t); n != 0 {
		t.Fatalf("second restart sent %d again", n)
	}
	// Down from 27 Nov 13:01 to 30 Nov 05:00 UTC (08:00 in Moscow): the
	// 28th and 29th are over and skipped; the 30th's comes at its time.
	e.clk.Set(time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC))
	e.restart(t)
	if n := e.tick(t); n != 0 {
		t.Fatalf("missed 28th/29th sent late: %d", n)
	}
	polls := e.ticks(t, time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	if len(polls) != 2 || !polls[1].At.Equal(time.Date(2026, 11, 30, 6, 30, 0, 0, time.UTC)) {
		t.Fatalf("polls: %d, last at %v", len(polls), polls[len(polls)-1].At)
	}
}

// A crash after the claim and before the send loses that day's reminder
// and never repeats it (at most once).
func TestReminderCrashAfterClaim(t *testing.T) {
	e := newLoopEnv(t)
	mustSet(t, e.db, userID, userID, "09:30", "Europe/Moscow", t0.Add(-24*time.Hour))
	e.clk.Set(time.Date(2026, 11, 28, 6, 30, 0, 0, time.UTC))
	if _, ok, err := e.db.ClaimReminder(userID, e.clk.Now()); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	// ...the process dies here; a new one starts.
	e.restart(t)
	e.clk.Advance(time.Minute)
	if n := e.tick(t); n != 0 {
		t.Fatalf("a claimed reminder was sent again: %d", n)
	}
	if r, _ := e.db.Reminder(userID); r.Claimed != "2026-11-28" || r.NextDate != "2026-11-29" {
		t.Fatalf("reminder %+v", r)
	}
}

// 429 with retry_after is obeyed: the retries come no sooner, and the
// reminder goes out once.
func TestReminder429Burst(t *testing.T) {
	e := newLoopEnv(t)
	mustSet(t, e.db, userID, userID, "09:30", "Europe/Moscow", t0.Add(-24*time.Hour))
	e.clk.Set(time.Date(2026, 11, 28, 6, 30, 0, 0, time.UTC))
	tooMany := fakeapi.Failure{Code: 429, Desc: "Too Many Requests: retry after 3", RetryAfter: 3}
	e.api.Fail("sendPoll", tooMany, tooMany, tooMany, tooMany)
	if n := e.tick(t); n != 1 {
		t.Fatalf("sent %d", n)
	}
	calls := e.api.Calls("sendPoll")
	if len(calls) != 5 {
		t.Fatalf("%d sendPoll attempts, want 5", len(calls))
	}
	for i := 1; i < len(calls); i++ {
		if gap := calls[i].At.Sub(calls[i-1].At); gap < 3*time.Second {
			t.Errorf("attempt %d came %v after a 429 with retry_after 3", i, gap)
		}
	}
	if r, _ := e.db.Reminder(userID); r.LastSent != "2026-11-28" || r.Claimed != "" {
		t.Fatalf("reminder %+v", r)
	}
	// More 429s than the sender retries: released, and sent on a later tick.
	e.api.Reset()
	e.clk.Set(time.Date(2026, 11, 29, 6, 30, 0, 0, time.UTC))
	e.api.Fail("sendPoll", tooMany, tooMany, tooMany, tooMany, tooMany, tooMany)
	if n := e.tick(t); n != 0 {
		t.Fatalf("sent through 6 429s: %d", n)
	}
	polls := e.ticks(t, time.Date(2026, 11, 29, 7, 0, 0, 0, time.UTC))
	ok := 0
	for _, p := range polls {
		if p.At.After(time.Date(2026, 11, 29, 6, 35, 0, 0, time.UTC)) {
			ok++
		}
	}
	if len(polls) != 7 || ok != 1 {
		t.Fatalf("%d attempts, %d after the retry time; want 7 and 1", len(polls), ok)
	}
}

// 5xx: retried with backoff; past the sender's retries the claim is
// released and the reminder retried later the same day, never lost.
func TestReminderTransientErrors(t *testing.T) {
	e := newLoopEnv(t)
	mustSet(t, e.db, userID, userID, "09:30", "Europe/Moscow", t0.Add(-24*time.Hour))
	e.clk.Set(time.Date(2026, 11, 28, 6, 30, 0, 0, time.UTC))
	boom := fakeapi.Failure{Code: 500, Desc: "Internal Server Error"}
	e.api.Fail("sendPoll", boom, boom, boom, boom, boom)
	if n := e.tick(t); n != 0 {
		t.Fatalf("sent %d", n)
	}
	calls := e.api.Calls("sendPoll")
	if len(calls) != 4 {
		t.Fatalf("%d attempts, want 4 (1 + 3 retries)", len(calls))
	}
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		if gap := calls[i+1].At.Sub(calls[i].At); gap < want {
			t.Errorf("retry %d after %v, want ≥ %v", i+1, gap, want)
		}
	}
	if r, _ := e.db.Reminder(userID); r.Claimed != "" || r.NextDate != "2026-11-28" {
		t.Fatalf("not released for a retry today: %+v", r)
	}
	polls := e.ticks(t, time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC))
	if len(polls) != 6 {
		t.Fatalf("%d attempts in all, want 6 (4, then 1 failing, then 1 sent)", len(polls))
	}
	if r, _ := e.db.Reminder(userID); r.LastSent != "2026-11-28" {
		t.Fatalf("not sent: %+v", r)
	}
}

// 403: the user blocked the bot; reminders are turned off.
func TestReminderBlockedUser(t *testing.T) {
	e := newLoopEnv(t)
	mustSet(t, e.db, userID, userID, "09:30", "Europe/Moscow", t0.Add(-24*time.Hour))
	e.clk.Set(time.Date(2026, 11, 28, 6, 30, 0, 0, time.UTC))
	e.api.Fail("sendPoll", fakeapi.Failure{Code: 403, Desc: "Forbidden: bot was blocked by the user"})
	e.tick(t)
	if r, _ := e.db.Reminder(userID); r.Enabled {
		t.Fatalf("still enabled: %+v", r)
	}
	if polls := e.ticks(t, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); len(polls) != 1 {
		t.Fatalf("%d sendPoll calls, want the one refused", len(polls))
	}
}

// Around daylight-saving changes the reminder keeps its local time and
// comes once per local day.
func TestReminderDST(t *testing.T) {
	e := newLoopEnv(t)
	start := time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC)
	e.clk.Set(start)
	mustSet(t, e.db, 1, 1, "09:30", "Europe/Berlin", start)
	mustSet(t, e.db, 2, 2, "02:30", "Europe/Berlin", start) // in the spring gap on the 29th
	polls := e.ticks(t, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
	got := map[string][]time.Time{}
	for _, p := range polls {
		got[p.Fields["chat_id"]] = append(got[p.Fields["chat_id"]], p.At)
	}
	want := map[string][]time.Time{
		"1": {utc(3, 27, 8, 30), utc(3, 28, 8, 30), utc(3, 29, 7, 30), utc(3, 30, 7, 30)},
		// 02:30 does not exist on the 29th: sent at 03:30 CEST (01:30 UTC).
		"2": {utc(3, 27, 1, 30), utc(3, 28, 1, 30), utc(3, 29, 1, 30), utc(3, 30, 0, 30)},
	}
	for chat, w := range want {
		if !slices.EqualFunc(got[chat], w, time.Time.Equal) {
			t.Errorf("chat %s: %v, want %v", chat, got[chat], w)
		}
	}
	// Autumn: 02:30 happens twice on 25 October; one reminder.
	e.api.Reset()
	start = time.Date(2026, 10, 24, 0, 0, 0, 0, time.UTC)
	e.clk.Set(start)
	mustSet(t, e.db, 2, 2, "02:30", "Europe/Berlin", start)
	polls = e.ticks(t, time.Date(2026, 10, 27, 0, 0, 0, 0, time.UTC))
	var at []time.Time
	for _, p := range polls {
		if p.Fields["chat_id"] == "2" {
			at = append(at, p.At)
		}
	}
	if w := []time.Time{utc(10, 24, 0, 30), utc(10, 25, 0, 30), utc(10, 26, 1, 30)}; !slices.EqualFunc(at, w, time.Time.Equal) {
		t.Errorf("autumn: %v, want %v", at, w)
	}
}

func utc(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, time.UTC) }

// The edges of the offsets: UTC+14 and UTC−12 are 26 hours apart.
func TestReminderExtremeZones(t *testing.T) {
	e := newLoopEnv(t)
	start := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	e.clk.Set(start)
	mustSet(t, e.db, 1, 1, "09:00", "UTC+14", start) // 19:00 UTC the day before
	mustSet(t, e.db, 2, 2, "09:00", "UTC−12", start) // 21:00 UTC the same day
	polls := e.ticks(t, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	got := map[string][]time.Time{}
	for _, p := range polls {
		got[p.Fields["chat_id"]] = append(got[p.Fields["chat_id"]], p.At)
	}
	want := map[string][]time.Time{
		"1": {utc(11, 27, 19, 0), utc(11, 28, 19, 0), utc(11, 29, 19, 0)},
		"2": {utc(11, 27, 21, 0), utc(11, 28, 21, 0), utc(11, 29, 21, 0)},
	}
	for chat, w := range want {
		if !slices.EqualFunc(got[chat], w, time.Time.Equal) {
			t.Errorf("chat %s: %v, want %v", chat, got[chat], w)
		}
	}
}

// Several learners with reminders in one group: one message per second
// in that chat.
func TestReminderPerChatLimit(t *testing.T) {
	e := newLoopEnv(t)
	for u := int64(1); u <= 5; u++ {
		mustSet(t, e.db, u, groupID, "09:30", "Europe/Moscow", t0.Add(-24*time.Hour))
	}
	e.clk.Set(time.Date(2026, 11, 28, 6, 30, 0, 0, time.UTC))
	if n := e.tick(t); n != 5 {
		t.Fatalf("sent %d", n)
	}
	calls := e.api.Calls("sendPoll")
	for i := 1; i < len(calls); i++ {
		if gap := calls[i].At.Sub(calls[i-1].At); gap < time.Second {
			t.Errorf("two messages to one chat %v apart", gap)
		}
	}
}

// A busy group, counted by the fake Bot API on the simulated clock: 30
// messages into one group go out at most 20 in any minute, and private
// chats whose replies queue behind them are not held up.
func TestGroupLimitAtTheAPI(t *testing.T) {
	e := newLoopEnv(t)
	out := e.tg.Outbox()
	var wg sync.WaitGroup
	send := func(chat int64, i int) {
		defer wg.Done()
		if _, err := out.Send(context.Background(), bot.Message{ChatID: chat, HTML: fmt.Sprint("сообщение ", i)}); err != nil {
			t.Error(err)
		}
	}
	// Telegram holds the first message while the other 29 for the group
	// and then the 10 private ones queue behind it (the sender, one
	// request in flight, cannot run ahead on the simulated clock).
	release := e.api.Hold()
	for i := range 30 {
		wg.Add(1)
		go send(groupID, i)
	}
	waitQueued(t, e.sender, 29)
	for u := int64(101); u <= 110; u++ {
		wg.Add(1)
		go send(u, int(u))
	}
	waitQueued(t, e.sender, 39)
	start := e.clk.Now()
	release()
	wg.Wait()
	var group, private []fakeapi.Call
	for _, c := range e.api.Calls("sendMessage") {
		if c.Fields["chat_id"] == strconv.Itoa(groupID) {
			group = append(group, c)
		} else {
			private = append(private, c)
		}
	}
	if len(group) != 30 || len(private) != 10 {
		t.Fatalf("%d group and %d private messages", len(group), len(private))
	}
	if peak := maxPerWindow(group, time.Minute); peak > 20 {
		t.Fatalf("%d messages into the group within a minute", peak)
	}
	if span := group[29].At.Sub(group[0].At); span < time.Minute {
		t.Fatalf("30 group messages in %v", span)
	}
	for _, c := range private {
		if wait := c.At.Sub(start); wait > 20*time.Second {
			t.Fatalf("a private chat waited %v behind the group", wait)
		}
	}
	t.Logf("group: 30 messages over %v; private: the last sent %v after the start", group[29].At.Sub(group[0].At), private[9].At.Sub(start))
}

// waitQueued waits until n calls wait in the sender's queue; the test
// fails if that takes more than a (real) minute.
func waitQueued(t *testing.T, s *telegram.Sender, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for s.Queued() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", s.Queued(), n)
		}
		runtime.Gosched()
	}
}

// 10 000 learners due in the same minute: all sent, none twice, at most
// 30 messages in any second and one per chat, as the fake server counts
// them on the simulated clock.
func TestReminderTenThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("10 000 reminders")
	}
	n := 10_000
	if raceDetector {
		n = 2_000
	}
	e := newLoopEnv(t)
	setAll(t, e.db, n, t0.Add(-24*time.Hour))
	e.clk.Set(time.Date(2026, 11, 28, 6, 30, 0, 0, time.UTC))
	if sent := e.tick(t); sent != n {
		t.Fatalf("sent %d of %d", sent, n)
	}
	e.clk.Advance(time.Minute)
	if sent := e.tick(t); sent != 0 {
		t.Fatalf("second tick sent %d", sent)
	}
	calls := e.api.Calls("sendPoll")
	if len(calls) != n {
		t.Fatalf("%d sendPoll calls", len(calls))
	}
	seen := map[string]bool{}
	for _, c := range calls {
		if seen[c.Fields["chat_id"]] {
			t.Fatalf("chat %s got two reminders", c.Fields["chat_id"])
		}
		seen[c.Fields["chat_id"]] = true
	}
	peak := maxPerWindow(calls, time.Second)
	if peak > 30 {
		t.Fatalf("%d messages within one second", peak)
	}
	span := calls[n-1].At.Sub(calls[0].At)
	t.Logf("%d reminders over %v simulated (%.1f/s), peak %d in a second", n, span, float64(n-1)/span.Seconds(), peak)
	if span > time.Duration(n)*telegram.SendInterval*11/10 {
		t.Errorf("too slow: %v", span)
	}
}

// setAll gives users 1..n a 09:30 Moscow reminder in their own chat,
// concurrently so bbolt's Batch can group the writes.
func setAll(tb testing.TB, db *storage.DB, n int, now time.Time) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256)
	for u := 1; u <= n; u++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := db.SetReminder(int64(u), int64(u), "09:30", "Europe/Moscow", now); err != nil {
				tb.Error(err)
			}
		}()
	}
	wg.Wait()
}

// maxPerWindow is the most calls whose At fall within any window of
// length w (calls are in order).
func maxPerWindow(calls []fakeapi.Call, w time.Duration) int {
	best, j := 0, 0
	for i := range calls {
		for calls[i].At.Sub(calls[j].At) >= w {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// Run ticks on the clock and stops when its context ends.
func TestRemindersRunStops(t *testing.T) {
	e := newLoopEnv(t)
	clk := fakeclock.New(time.Date(2026, 11, 28, 6, 29, 30, 0, time.UTC))
	svc, err := bot.NewService(bot.Options{Store: e.db, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	mustSet(t, e.db, userID, userID, "09:30", "Europe/Moscow", t0)
	rem := bot.NewReminders(svc, e.tg.Outbox())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { rem.Run(ctx); close(done) }()
	clk.BlockUntil(t, 1) // the first tick found nothing and waits for 06:30
	clk.Advance(30 * time.Second)
	e.api.WaitFor(t, "sendPoll", 1, 10*time.Second)
	clk.BlockUntil(t, 1)
	cancel()
	<-done
}

// Run drops expired poll mappings on its first pass and then once an
// hour, and logs how many; a poll that expires in between waits for the
// next hour.
func TestRemindersPruneExpiredPolls(t *testing.T) {
	e := newLoopEnv(t)
	start := time.Date(2026, 11, 28, 6, 29, 30, 0, time.UTC)
	clk := fakeclock.New(start)
	var logs bytes.Buffer // written by Run's goroutine, read after it returns or while it waits
	svc, err := bot.NewService(bot.Options{Store: e.db, Clock: clk,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	save := func(id string, sent time.Time) {
		t.Helper()
		if err := e.db.SavePoll(id, storage.PollRecord{UserID: userID, ChatID: userID, QuestionID: "n1", CorrectOption: 0, SentAt: sent}); err != nil {
			t.Fatal(err)
		}
	}
	expired := func(id string) bool {
		t.Helper()
		_, err := e.db.Poll(id)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			t.Fatal(err)
		}
		return err != nil
	}
	save("1", start.Add(-storage.PollMaxAge-time.Minute))    // expired at start
	save("2", start.Add(-storage.PollMaxAge+30*time.Minute)) // expires half an hour in
	save("3", start.Add(-time.Hour))                         // fresh
	rem := bot.NewReminders(svc, e.tg.Outbox())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { rem.Run(ctx); close(done) }()
	clk.BlockUntil(t, 1) // the first pass is over
	if !expired("1") || expired("2") || expired("3") {
		t.Fatalf("after the first pass: 1 %v, 2 %v, 3 %v; want only 1 gone", expired("1"), expired("2"), expired("3"))
	}
	if !strings.Contains(logs.String(), `msg="pruned expired polls" polls=1`) {
		t.Fatalf("logs: %s", logs.String())
	}
	clk.Advance(31 * time.Minute)
	clk.BlockUntil(t, 1)
	if expired("2") {
		t.Fatal("pruned before the hour was up")
	}
	clk.Advance(29 * time.Minute)
	clk.BlockUntil(t, 1)
	if !expired("2") || expired("3") {
		t.Fatalf("an hour later: 2 %v, 3 %v; want 2 gone", expired("2"), expired("3"))
	}
	cancel()
	<-done
	if n := strings.Count(logs.String(), "pruned expired polls"); n != 2 {
		t.Fatalf("%d prune lines, want 2:\n%s", n, logs.String())
	}
}

// The repro: a learner on UTC+14 earns a two-day streak, then
// moves the reminder to UTC−12 (26 hours behind) while active: /progress
// still shows the streak (it showed "0 дней подряд (лучшая — 2)").
func TestStreakKeptWhenZoneChanges(t *testing.T) {
	e := newLoopEnv(t)
	e.clk.Set(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)) // 23:00 on the 27th at UTC+14
	e.command(userID, "/lessons")
	e.command(userID, "/remind 09:30 UTC+14")
	e.clk.Advance(2 * time.Hour) // 01:00 on the 28th at UTC+14
	e.command(userID, "/help")
	e.api.Reset()
	e.command(userID, "/progress")
	if text := progressText(t, e); !strings.Contains(text, "Серия: 2 дня подряд") {
		t.Fatalf("before the move: %q", text)
	}
	e.command(userID, "/remind 09:30 UTC-12")
	e.api.Reset()
	e.command(userID, "/progress")
	if text := progressText(t, e); !strings.Contains(text, "Серия: 2 дня подряд") {
		t.Fatalf("after the move: %q", text)
	}
}

// progressText is the text of the /progress reply (a caption or a message).
func progressText(t *testing.T, e *loopEnv) string {
	t.Helper()
	for _, c := range e.api.Calls() {
		if c.Method == "sendPhoto" {
			return c.Fields["caption"]
		}
		if c.Method == "sendMessage" {
			return c.Fields["text"]
		}
	}
	t.Fatal("no /progress reply")
	return ""
}

// Pruning closes the expired polls that could still take votes with
// stopPoll: the unanswered ones in private chats (a poll Telegram says is
// closed already is no failure), not the one its learner answered, nor a
// group round's (Telegram closed it at its open_period). Polls that have
// not expired stay open.
func TestExpiredPollsClosed(t *testing.T) {
	e := newLoopEnv(t)
	const other, group = 43, -1001
	const third = 44
	e.commandFrom(userID, "/quiz")
	e.commandFrom(other, "/quiz")
	e.command(group, "/quiz")
	e.commandFrom(third, "/quiz")
	polls := e.api.Calls("sendPoll")
	if len(polls) != 4 || polls[2].Fields["open_period"] != "30" {
		t.Fatalf("%d polls sent, want 4 (the group's with open_period 30): %+v", len(polls), polls)
	}
	mine, others, rounds, thirds := polls[0], polls[1], polls[2], polls[3]
	e.answer(other, others.PollID(), 0)
	e.clk.Advance(time.Hour)
	e.commandFrom(userID, "/quiz") // a fresh one, not expired
	fresh := e.api.Calls("sendPoll")[4]

	logs := &signalWriter{match: "closed expired polls", seen: make(chan struct{})}
	clk := fakeclock.New(e.clk.Now().Add(storage.PollMaxAge - 30*time.Minute))
	svc, err := bot.NewService(bot.Options{Store: e.db, Clock: clk,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	e.api.Fail("stopPoll", fakeapi.Failure{Code: 400, Desc: "Bad Request: poll has already been closed"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { bot.NewReminders(svc, e.tg.Outbox()).Run(ctx); close(done) }()
	select {
	case <-logs.seen: // the batch is done
	case <-time.After(10 * time.Second):
		t.Fatalf("no batch closed; logs: %s", logs.String())
	}
	cancel()
	<-done
	stops := e.api.Calls("stopPoll")
	if len(stops) != 2 {
		t.Fatalf("%d stopPoll calls, want 2", len(stops))
	}
	got := map[string]string{}
	for _, c := range stops {
		got[c.Fields["message_id"]] = c.Fields["chat_id"]
	}
	want := map[string]string{strconv.Itoa(mine.MessageID): strconv.Itoa(userID), strconv.Itoa(thirds.MessageID): strconv.Itoa(third)}
	if !maps.Equal(got, want) {
		t.Fatalf("stopPoll for %v, want %v", got, want)
	}
	// The first call got the scripted "already closed"; the second closed
	// its poll.
	if e.api.PollClosed(mine.MessageID) == e.api.PollClosed(thirds.MessageID) || e.api.PollClosed(others.MessageID) || e.api.PollClosed(rounds.MessageID) || e.api.PollClosed(fresh.MessageID) {
		t.Fatal("wrong polls closed")
	}
	if !strings.Contains(logs.String(), `msg="closed expired polls" polls=1 failed=0 left=1`) {
		t.Fatalf("logs: %s", logs.String())
	}
}

// signalWriter keeps log lines and closes seen when a line contains match.
type signalWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	match string
	seen  chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.match != "" && bytes.Contains(p, []byte(w.match)) {
		close(w.seen)
		w.match = ""
	}
	return w.buf.Write(p)
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
