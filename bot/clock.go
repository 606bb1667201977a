package bot

import "time"

// Clock is the bot's source of time. Everything that depends on time —
// quiz scheduling, streaks, reminder ticks, the sender's rate limits —
// reads it through a Clock, so tests run on a clock they control and
// never sleep.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
