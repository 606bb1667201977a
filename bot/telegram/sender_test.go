package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
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
