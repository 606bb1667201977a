package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"neurotutor/storage"
)

// Log keys of the loop: when a failed reminder is tried again, how many
// expired polls were dropped.
const (
	keyRetryAt = "retry_at"
	keyPolls   = "polls"
)

// Reminder loop settings.
const (
	// reminderBatch is how many due entries one index read returns.
	reminderBatch = 1000
	// reminderWorkers bound the reminders claimed and not yet sent: a
	// claim is taken just before its send, so a crash loses at most this
	// many reminders (see storage.DB.ClaimReminder). It equals the
	// Sender's requests in flight, so a claim is taken when its send's
	// turn is near, not a queue's length ahead of it.
	reminderWorkers = 8
	// reminderRetry is how long after a failed send (429s or 5xx beyond
	// the sender's own retries, network down) the reminder is tried again
	// the same day.
	reminderRetry = 5 * time.Minute
	// reminderSendTimeout bounds one reminder's send, also at shutdown.
	reminderSendTimeout = 2 * time.Minute
	// pollPruneEvery is how often the loop drops the quiz polls older
	// than storage.PollMaxAge, whose answers no longer count.
	pollPruneEvery = time.Hour
	// pollPruneBatch bounds one prune's transaction. A fuller backlog
	// (the first run after an upgrade, or a long stop) goes a batch a
	// minute until it is cleared.
	pollPruneBatch = 1000
)

// Reminders sends the daily quiz reminders: every minute it reads the
// reminders that fell due from storage's time index, claims each (at most
// once per local day), and sends the next quiz poll with a nudge and the
// streak through out (whose Sender keeps Telegram's limits). Once an hour
// it also drops the expired quiz polls from storage (PrunePolls).
type Reminders struct {
	svc   *Service
	out   Outbox
	clock Clock
	log   *slog.Logger

	nextPrune time.Time // when Run prunes polls next; Run's goroutine only
}

// NewReminders returns the loop; out should send through a Sender.
func NewReminders(svc *Service, out Outbox) *Reminders {
	return &Reminders{svc: svc, out: out, clock: svc.clock, log: svc.log}
}

// Run ticks at the start of every minute until ctx is done, and prunes
// expired polls on its first pass and then every pollPruneEvery. Reminders
// already claimed when ctx ends are still sent (bounded by
// reminderSendTimeout); Run returns after they finish.
func (r *Reminders) Run(ctx context.Context) {
	for {
		if _, err := r.Tick(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("reminder tick", keyErr, err)
		}
		r.prunePolls(ctx)
		now := r.clock.Now()
		wait := now.Truncate(time.Minute).Add(time.Minute).Sub(now)
		select {
		case <-ctx.Done():
			return
		case <-r.clock.After(wait):
		}
	}
}

// Tick sends every reminder due now and returns how many were sent. It
// stops claiming when ctx is done, but finishes the sends it started.
func (r *Reminders) Tick(ctx context.Context) (int, error) {
	var (
		mu      sync.Mutex
		sent    int
		tried   = map[storage.DueReminder]bool{}
		sem     = make(chan struct{}, reminderWorkers)
		wg      sync.WaitGroup
		lastErr error
	)
	defer wg.Wait()
loop:
	for ctx.Err() == nil {
		due, err := r.svc.store.DueReminders(r.clock.Now(), reminderBatch)
		if err != nil {
			return sent, err
		}
		fresh := 0
		for _, d := range due {
			if tried[d] {
				continue // its claim failed this tick; do not spin on it
			}
			tried[d] = true
			fresh++
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				break loop
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				ok, err := r.remind(ctx, d)
				mu.Lock()
				defer mu.Unlock()
				if ok {
					sent++
				}
				if err != nil {
					lastErr = err
				}
			}()
		}
		if fresh == 0 {
			break
		}
		// Wait for this batch: its claims move the entries, so the next
		// read returns new ones only.
		wg.Wait()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return sent, lastErr
}

// prunePolls drops up to pollPruneBatch expired quiz polls once
// pollPruneEvery has passed since the last prune. A full batch leaves the
// next one for the next minute; a failure is tried again in
// reminderRetry. Nothing is sent: a vote in a dropped poll is an answer
// to an unknown poll, which handlePollAnswer ignores.
func (r *Reminders) prunePolls(ctx context.Context) {
	now := r.clock.Now()
	if ctx.Err() != nil || now.Before(r.nextPrune) {
		return
	}
	n, err := r.svc.store.PrunePolls(now, pollPruneBatch)
	switch {
	case err != nil:
		r.log.Error("prune expired polls", keyErr, err)
		r.nextPrune = now.Add(reminderRetry)
		return
	case n < pollPruneBatch:
		r.nextPrune = now.Add(pollPruneEvery)
	}
	if n > 0 {
		r.log.Info("pruned expired polls", keyPolls, n)
	}
}

// remind claims and sends one reminder. It reports whether one was sent.
func (r *Reminders) remind(ctx context.Context, d storage.DueReminder) (bool, error) {
	if ctx.Err() != nil {
		return false, nil
	}
	claim, ok, err := r.svc.store.ClaimReminder(d.UserID, r.clock.Now())
	if err != nil || !ok {
		return false, err
	}
	r.svc.stats.RemindersDue.Add(1)
	// The claim is durable: from here the reminder must be sent, marked,
	// released or disabled, even if the bot is shutting down.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reminderSendTimeout)
	defer cancel()
	err = r.svc.sendReminder(sctx, r.out, claim)
	st := r.svc.store
	switch {
	case err == nil || errors.Is(err, errPollNotSaved):
		if err != nil {
			r.log.Error("reminder sent, poll not saved", keyUserID, claim.UserID, keyErr, err)
		}
		r.svc.stats.RemindersSent.Add(1)
		return true, st.MarkReminderSent(claim.UserID, claim.LocalDate)
	case errors.Is(err, ErrBlocked):
		r.svc.stats.RemindersFailed.Add(1)
		r.log.Info("reminder: user blocked the bot; reminders off", keyUserID, claim.UserID)
		return false, st.DisableReminder(claim.UserID)
	case errors.Is(err, ErrRejected):
		r.svc.stats.RemindersFailed.Add(1)
		// 400 and the like: retrying today will not help. Count the day
		// as done so it is not retried in a loop.
		r.log.Error("reminder: permanent send error", keyUserID, claim.UserID, keyErr, err)
		return false, st.MarkReminderSent(claim.UserID, claim.LocalDate)
	default:
		r.svc.stats.RemindersFailed.Add(1)
		retry := r.clock.Now().Add(reminderRetry)
		r.log.Warn("reminder: send failed, will retry", keyUserID, claim.UserID, keyRetryAt, retry, keyErr, err)
		if rerr := st.ReleaseReminderClaim(claim.UserID, claim.LocalDate, retry); rerr != nil {
			return false, fmt.Errorf("release after %v: %w", err, rerr)
		}
		return false, nil
	}
}

// sendReminder sends the claimed reminder: the user's next quiz question
// as a poll whose question starts with a nudge and the streak.
func (s *Service) sendReminder(ctx context.Context, out Outbox, c storage.Claim) error {
	u, err := s.store.User(c.UserID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	loc, err := s.store.Location(c.UserID)
	if err != nil {
		return err
	}
	nudge := msgReminderNudge
	if n := u.Streak.CurrentAt(s.clock.Now(), loc); n > 0 {
		nudge = fmt.Sprintf(msgReminderStreak, nounDay.count(n))
	}
	_, err = s.sendQuiz(ctx, out, c.ChatID, c.UserID, 0, nudge)
	return err
}
