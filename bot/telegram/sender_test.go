package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeclock"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func startSender(t *testing.T, clk bot.Clock, inFlight int) *telegram.Sender {
	t.Helper()
	s := telegram.NewSender(clk, inFlight, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return s
}

// Sends from many goroutines to a few chats keep both limits.
func TestSenderLimits(t *testing.T) {
	clk := fakeclock.NewAuto(t0)
	s := startSender(t, clk, 1)
	var mu sync.Mutex
	var at []time.Time
	byChat := map[int64][]time.Time{}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chat := int64(i % 7)
			err := s.Do(context.Background(), chat, func(context.Context) error {
				mu.Lock()
				defer mu.Unlock()
				at = append(at, clk.Now())
				byChat[chat] = append(byChat[chat], clk.Now())
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i := 1; i < len(at); i++ {
		if d := at[i].Sub(at[i-1]); d < telegram.SendInterval {
			t.Fatalf("sends %v apart", d)
		}
	}
	for chat, ts := range byChat {
		for i := 1; i < len(ts); i++ {
			if d := ts[i].Sub(ts[i-1]); d < telegram.ChatInterval {
				t.Fatalf("chat %d: sends %v apart", chat, d)
			}
		}
	}
	// 7 chats at one per second: about 200/7 ≈ 29 seconds, not 200.
	if span := at[len(at)-1].Sub(at[0]); span > 60*time.Second {
		t.Fatalf("took %v: a busy chat held the others up", span)
	}
}

// 403 and 400 are not retried; 5xx are, then given up.
func TestSenderErrors(t *testing.T) {
	clk := fakeclock.NewAuto(t0)
	s := startSender(t, clk, 2)
	for _, c := range []struct {
		err   error
		calls int
	}{
		{fmt.Errorf("%w, bot was blocked by the user", tgbot.ErrorForbidden), 1},
		{fmt.Errorf("%w, message is too long", tgbot.ErrorBadRequest), 1},
		{errors.New("error response from telegram for method sendMessage, 502 Bad Gateway"), 4},
		{&tgbot.TooManyRequestsError{Message: "too many", RetryAfter: 1}, 6},
	} {
		n := 0
		err := s.Do(context.Background(), 1, func(context.Context) error { n++; return c.err })
		if !errors.Is(err, c.err) && err != c.err || n != c.calls {
			t.Errorf("%v: %d calls, err %v; want %d", c.err, n, err, c.calls)
		}
	}
}

// A call given up while it waits frees its place; after Run ends,
// waiting calls fail instead of hanging.
func TestSenderCancelAndStop(t *testing.T) {
	clk := fakeclock.New(t0) // manual: nothing moves unless told
	s := telegram.NewSender(clk, 1, nil)
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(runCtx); close(done) }()
	if err := s.Do(context.Background(), 1, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// The same chat again must wait a second of clock that never comes.
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Do(ctx, 1, func(context.Context) error { return nil }) }()
	clk.BlockUntil(t, 1)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	// Another chat is not held up by the abandoned call: it waits only
	// the global interval.
	go func() { errc <- s.Do(context.Background(), 2, func(context.Context) error { return nil }) }()
	clk.BlockUntil(t, 2)
	clk.Advance(telegram.SendInterval)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	go func() { errc <- s.Do(context.Background(), 1, func(context.Context) error { return nil }) }()
	clk.BlockUntil(t, 2)
	stop()
	<-done
	if err := <-errc; err == nil {
		t.Fatal("a call waiting on a stopped sender succeeded")
	}
}

// Hints ("typing…") take the same global turns as messages: every grant,
// hint or message, is SendInterval after the one before; hints do not use
// a chat's one-message-a-second slot, and a chat is hinted once until its
// next message goes out.
func TestSenderHintsKeepLimits(t *testing.T) {
	clk := fakeclock.NewAuto(t0)
	s := telegram.NewSender(clk, 1, nil)
	var mu sync.Mutex
	type grant struct {
		at   time.Time
		chat int64
		hint bool
	}
	var grants []grant
	s.SetHint(func(_ context.Context, chat int64) error {
		mu.Lock()
		defer mu.Unlock()
		grants = append(grants, grant{clk.Now(), chat, true})
		return nil
	})
	var wg sync.WaitGroup
	for i := range 150 {
		wg.Go(func() {
			chat := int64(i % 10)
			err := s.Do(context.Background(), chat, func(context.Context) error {
				mu.Lock()
				defer mu.Unlock()
				grants = append(grants, grant{clk.Now(), chat, false})
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	// All queue before the first grant, so the later ones know they wait.
	for s.Queued() < 150 {
		runtime.Gosched()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	hints, lastMsg := 0, map[int64]time.Time{}
	hintedSince := map[int64]bool{}
	for i, g := range grants {
		if i > 0 && g.at.Sub(grants[i-1].at) < telegram.SendInterval {
			t.Fatalf("grant %d (%v) %v after the one before", i, g, g.at.Sub(grants[i-1].at))
		}
		if g.hint {
			hints++
			if hintedSince[g.chat] {
				t.Fatalf("chat %d hinted twice before its next message", g.chat)
			}
			hintedSince[g.chat] = true
			continue
		}
		if last, ok := lastMsg[g.chat]; ok && g.at.Sub(last) < telegram.ChatInterval {
			t.Fatalf("chat %d: messages %v apart", g.chat, g.at.Sub(last))
		}
		lastMsg[g.chat] = g.at
		hintedSince[g.chat] = false
	}
	if hints == 0 {
		t.Fatal("150 messages to 10 chats (15 s of waiting) and no hint")
	}
	t.Logf("%d messages, %d hints", len(grants)-hints, hints)
}

// run runs s until the test ends.
func run(t *testing.T, s *telegram.Sender) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitQueued returns once at least n calls wait in s.
func waitQueued(s *telegram.Sender, n int) {
	for s.Queued() < n {
		runtime.Gosched()
	}
}

// maxInWindow returns the most of the times ts that one half-open window
// [x, x+w) holds, whatever x.
func maxInWindow(ts []time.Time, w time.Duration) int {
	ts = slices.SortedFunc(slices.Values(ts), time.Time.Compare)
	most, j := 0, 0
	for i := range ts {
		for j < len(ts) && ts[j].Before(ts[i].Add(w)) {
			j++
		}
		most = max(most, j-i)
	}
	return most
}

// A busy group gets no more than GroupPerMinute messages in any
// GroupWindow, and all of them in the end; it does not slow private
// chats, neither those queued behind its backlog nor those that write
// while it waits at its limit: each of their messages goes within a
// second of when its own chat's spacing allows.
func TestSenderGroupLimit(t *testing.T) {
	const group, n = -1001234567890, 100
	clk := fakeclock.NewAuto(t0)
	// One call in flight: Run waits while a call runs, so a call can
	// queue more before the clock moves on.
	s := telegram.NewSender(clk, 1, nil)
	type privateChat struct {
		queued time.Time
		sent   []time.Time
	}
	var (
		mu       sync.Mutex
		groupAt  []time.Time
		all      []time.Time
		privates = map[int64]*privateChat{}
		wg       sync.WaitGroup
	)
	// private queues msgs messages to a private chat.
	private := func(chat int64, msgs int) {
		before := s.Queued()
		mu.Lock()
		c := &privateChat{queued: clk.Now()}
		privates[chat] = c
		mu.Unlock()
		for range msgs {
			wg.Go(func() {
				err := s.Do(context.Background(), chat, func(context.Context) error {
					mu.Lock()
					defer mu.Unlock()
					all = append(all, clk.Now())
					c.sent = append(c.sent, clk.Now())
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		waitQueued(s, before+msgs)
	}
	for range n {
		wg.Go(func() {
			err := s.Do(context.Background(), group, func(context.Context) error {
				mu.Lock()
				groupAt = append(groupAt, clk.Now())
				all = append(all, clk.Now())
				k := len(groupAt)
				mu.Unlock()
				if k%10 == 0 {
					// A learner writes twice privately, half of
					// the times just as the group reaches its
					// limit.
					private(int64(1000+k), 2)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	waitQueued(s, n)
	for chat := range int64(5) {
		private(chat+1, 1) // queued behind the group's whole backlog
	}
	run(t, s)
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	if len(groupAt) != n {
		t.Fatalf("%d group messages sent, want %d", len(groupAt), n)
	}
	for i := 1; i < len(all); i++ {
		if d := all[i].Sub(all[i-1]); d < telegram.SendInterval {
			t.Fatalf("sends %v apart", d)
		}
	}
	for i := 1; i < n; i++ {
		if d := groupAt[i].Sub(groupAt[i-1]); d < telegram.ChatInterval {
			t.Fatalf("group messages %v apart", d)
		}
	}
	most := maxInWindow(groupAt, telegram.GroupWindow)
	if most > telegram.GroupPerMinute {
		t.Fatalf("%d group messages in one %v", most, telegram.GroupWindow)
	}
	// 100 messages need 4 more windows after the first: 4 min 19 s.
	took := groupAt[n-1].Sub(t0)
	if took < 4*telegram.GroupWindow || took > 5*telegram.GroupWindow {
		t.Fatalf("100 group messages took %v, want 4 to 5 minutes", took)
	}
	if len(privates) != 5+n/10 {
		t.Fatalf("%d private chats, want %d", len(privates), 5+n/10)
	}
	var firstWait, late time.Duration // the longest
	msgs := 0
	for chat, c := range privates {
		msgs += len(c.sent)
		for i, at := range c.sent {
			allowed := c.queued
			if i > 0 && c.sent[i-1].Add(telegram.ChatInterval).After(allowed) {
				allowed = c.sent[i-1].Add(telegram.ChatInterval)
			}
			if d := at.Sub(allowed); d > telegram.ChatInterval {
				t.Fatalf("private chat %d: message %d went %v after its chat allowed it, behind the busy group", chat, i+1, d)
			} else {
				late = max(late, d)
			}
		}
		firstWait = max(firstWait, c.sent[0].Sub(c.queued))
	}
	if msgs != 5+2*n/10 {
		t.Fatalf("%d private messages sent, want %d", msgs, 5+2*n/10)
	}
	t.Logf("%d group messages in %v, at most %d in any %v; %d private messages: the first of a chat waited %v at most, none went more than %v after its chat allowed",
		n, took, most, telegram.GroupWindow, msgs, firstWait, late)
}

// Two busy groups each get their own GroupPerMinute: the limit is one
// group's, not shared.
func TestSenderTwoGroups(t *testing.T) {
	groups := []int64{-4001, -1002003004005}
	const per = 2 * telegram.GroupPerMinute
	clk := fakeclock.NewAuto(t0)
	s := telegram.NewSender(clk, 1, nil)
	var mu sync.Mutex
	byChat := map[int64][]time.Time{}
	var wg sync.WaitGroup
	for i := range len(groups) * per {
		chat := groups[i%len(groups)]
		wg.Go(func() {
			err := s.Do(context.Background(), chat, func(context.Context) error {
				mu.Lock()
				defer mu.Unlock()
				byChat[chat] = append(byChat[chat], clk.Now())
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	waitQueued(s, len(groups)*per)
	run(t, s)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	for _, chat := range groups {
		ts := byChat[chat]
		if len(ts) != per {
			t.Fatalf("group %d: %d messages sent, want %d", chat, len(ts), per)
		}
		if most := maxInWindow(ts, telegram.GroupWindow); most != telegram.GroupPerMinute {
			t.Fatalf("group %d: at most %d messages in one %v, want %d", chat, most, telegram.GroupWindow, telegram.GroupPerMinute)
		}
		// Each group's first 20 go in the first minute, its next 20
		// in the second: a shared limit would take four minutes.
		if first := ts[telegram.GroupPerMinute-1].Sub(t0); first >= telegram.GroupWindow {
			t.Fatalf("group %d: its 20th message after %v", chat, first)
		}
		if last := ts[per-1].Sub(t0); last >= 2*telegram.GroupWindow {
			t.Fatalf("group %d: its 40th message after %v", chat, last)
		}
	}
}

// A group at its limit still gets chat actions, which are not messages:
// a TryDo and a "typing…" hint go out within seconds while its next
// message waits for the window, and the group's waiting messages do not
// make a TryDo to another chat drop. A TryDo behind a ready call still
// drops.
func TestSenderBusyGroupChatActions(t *testing.T) {
	const group, n = -1002003004005, telegram.GroupPerMinute + 5
	clk := fakeclock.NewAuto(t0)
	s := telegram.NewSender(clk, 1, nil)
	var (
		mu      sync.Mutex
		msgs    []time.Time
		actions = map[string]time.Time{}
		wg      sync.WaitGroup
	)
	typing := fmt.Sprintf("typing %d", int64(group))
	// Each call below takes a second (the clock moves on while Run waits
	// for it), so the chat's and the sender's spacing have passed when it
	// ends; the group still waits for its window.
	var action func(name string) func(context.Context) error
	// tryDo calls TryDo and returns once its call queued or it returned,
	// not waiting for the call's turn (Run waits for the calling call).
	tryDo := func(name string, chat int64, wantDrop bool) {
		before, done := s.Queued(), make(chan struct{})
		wg.Go(func() {
			defer close(done)
			err := s.TryDo(context.Background(), chat, action(name))
			switch {
			case wantDrop && err == nil:
				t.Errorf("%s: not dropped", name)
			case !wantDrop && err != nil:
				t.Errorf("%s: %v", name, err)
			}
		})
		for s.Queued() < before+1 {
			select {
			case <-done:
				return
			default:
				runtime.Gosched()
			}
		}
	}
	action = func(name string) func(context.Context) error {
		return func(context.Context) error {
			mu.Lock()
			actions[name] = clk.Now()
			mu.Unlock()
			clk.Advance(telegram.ChatInterval)
			switch name {
			case "action group":
				tryDo("action private", 7, false)
			case "action private":
				before := s.Queued()
				s.Hint(context.Background(), group)
				waitQueued(s, before+1)
			}
			return nil
		}
	}
	s.SetHint(func(ctx context.Context, _ int64) error { return action(typing)(ctx) })
	for range n {
		wg.Go(func() {
			err := s.Do(context.Background(), group, func(context.Context) error {
				mu.Lock()
				msgs = append(msgs, clk.Now())
				k := len(msgs)
				mu.Unlock()
				if k != telegram.GroupPerMinute {
					return nil
				}
				clk.Advance(telegram.ChatInterval)
				tryDo("action group", group, false)
				// The group's action is ready now: another waits.
				tryDo("dropped", 8, true)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	waitQueued(s, n)
	run(t, s)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(msgs) != n {
		t.Fatalf("%d group messages sent, want %d", len(msgs), n)
	}
	limitAt, next := msgs[telegram.GroupPerMinute-1], msgs[telegram.GroupPerMinute]
	if want := msgs[0].Add(telegram.GroupWindow); !next.Equal(want) {
		t.Fatalf("message %d at %v, want %v (a window after the first)", telegram.GroupPerMinute+1, next.Sub(t0), want.Sub(t0))
	}
	for _, name := range []string{"action group", "action private", typing} {
		at, ok := actions[name]
		if !ok {
			t.Fatalf("%s never went out", name)
		}
		if d := at.Sub(limitAt); d > 5*telegram.ChatInterval {
			t.Fatalf("%s went out %v after the group's last message; its next came %v after", name, d, next.Sub(limitAt))
		}
		t.Logf("%s %v after the group's 20th message (its 21st: %v after)", name, at.Sub(limitAt), next.Sub(limitAt))
	}
	if most := maxInWindow(msgs, telegram.GroupWindow); most > telegram.GroupPerMinute {
		t.Fatalf("%d group messages in one %v", most, telegram.GroupWindow)
	}
}
