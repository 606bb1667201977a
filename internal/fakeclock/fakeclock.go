// Package fakeclock is a clock for tests that only moves when told to.
//
// A manual Clock moves with Advance and Set; goroutines blocked in After
// wake when the clock passes their deadline, and a test can wait (on a
// notification channel, not by sleeping) until a given number of them are
// blocked. An automatic Clock (NewAuto) instead jumps forward by d on
// every After call and returns at once: simulated time for a single
// goroutine that paces itself, such as the bot's sender.
package fakeclock

import (
	"sync"
	"testing"
	"time"
)

// Clock is a fake clock. It is safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	auto    bool
	waiters []waiter
	changed chan struct{} // closed and replaced whenever waiters change
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// New returns a manual clock reading t.
func New(t time.Time) *Clock { return &Clock{now: t, changed: make(chan struct{})} }

// NewAuto returns a clock reading t that advances by d on every After(d).
func NewAuto(t time.Time) *Clock {
	c := New(t)
	c.auto = true
	return c
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives the time once the clock has
// advanced by d. On an automatic clock it advances the clock by d first.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if c.auto {
		c.setLocked(c.now.Add(max(d, 0)))
		ch <- c.now
		return ch
	}
	at := c.now.Add(d)
	if !at.After(c.now) {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at, ch})
	c.notifyLocked()
	return ch
}

// Advance moves the clock forward by d, waking the waiters it passes.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(c.now.Add(d))
}

// Set moves the clock to t (which may be earlier: a clock that jumps back).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(t)
}

func (c *Clock) setLocked(t time.Time) {
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(t) {
			kept = append(kept, w)
		} else {
			w.ch <- t
		}
	}
	clear(c.waiters[len(kept):])
	c.waiters = kept
	c.notifyLocked()
}

func (c *Clock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Waiters returns how many After channels are pending.
func (c *Clock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// BlockUntil waits until at least n After channels are pending, failing
// the test if that does not happen within a (real) minute.
func (c *Clock) BlockUntil(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.NewTimer(time.Minute)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		got, ch := len(c.waiters), c.changed
		c.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			tb.Fatalf("fakeclock: %d waiters, want %d", got, n)
			return
		}
	}
}
