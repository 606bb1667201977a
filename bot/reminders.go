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
// expired polls were dropped or closed.
const (
	keyRetryAt = "retry_at"
	keyPolls   = "polls"
	keyFailed  = "failed"
	keyLeft    = "left" // already closed, deleted, blocked, or not tried
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
	// pollCloseQueue is how many pruned batches may wait to be closed
	// with stopPoll; a prune that finds it full leaves its polls open.
	pollCloseQueue = 4
)

// Reminders sends the daily quiz reminders: every minute it reads the
// reminders that fell due from storage's time index, claims each (at most
// once per local day), and sends the next quiz poll with a nudge and the
// streak through out (whose Sender keeps Telegram's limits). Once an hour
// it also drops the expired quiz polls from storage (PrunePolls) and
// closes those still open in their chats with stopPoll, one at a time
// beside the reminders.
type Reminders struct {
	svc   *Service
	out   Outbox
	clock Clock
	log   *slog.Logger

	nextPrune time.Time               // when Run prunes polls next; Run's goroutine only
	toClose   chan []storage.OpenPoll // pruned polls for closePolls; set by Run
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
	r.toClose = make(chan []storage.OpenPoll, pollCloseQueue)
	closed := make(chan struct{})
	go func() { r.closePolls(ctx); close(closed) }()
	defer func() { <-closed }()
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
	n, open, err := r.svc.store.PrunePolls(now, pollPruneBatch)
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
	if len(open) > 0 && r.toClose != nil {
		select {
		case r.toClose <- open:
		default:
			r.log.Warn("expired polls left open: closing is behind", keyPolls, len(open))
		}
	}
}

// closePolls closes the pruned polls that may still take votes, one call
// at a time so that replies and reminders keep most of the Sender's
// turns, until ctx is done; the polls not closed by then stay open (a
// vote in one is an answer to an unknown poll, ignored). A poll already
// closed or deleted, or a chat that blocked the bot, is not an error.
func (r *Reminders) closePolls(ctx context.Context) {
	for {
		var batch []storage.OpenPoll
		select {
		case <-ctx.Done():
			return
		case batch = <-r.toClose:
		}
		closed, failed := 0, 0
		for _, p := range batch {
			if ctx.Err() != nil {
				break
			}
			sctx, cancel := context.WithTimeout(ctx, reminderSendTimeout)
			err := r.out.StopPoll(sctx, p.ChatID, p.MessageID)
			cancel()
			switch {
			case err == nil:
				closed++
			case errors.Is(err, ErrRejected) || errors.Is(err, ErrBlocked):
				// closed by hand, deleted, or the chat is gone
			case ctx.Err() == nil:
				failed++
				r.log.Warn("close expired poll", keyErr, err)
			}
		}
		r.log.Info("closed expired polls", keyPolls, closed, keyFailed, failed, keyLeft, len(batch)-closed-failed)
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
	if c.UserID < 0 { // a group's question of the day
		return s.sendDaily(ctx, out, c.ChatID)
	}
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
