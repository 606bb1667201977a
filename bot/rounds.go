package bot

import (
	"context"
	"sync"
	"time"

	"neurotutor/storage"
)

// roundAct is what the round loop does when a round's timer fires.
type roundAct int

const (
	actClose roundAct = iota // close the current question, then ask the next
	actNext                  // ask the next question (after a restart between the two)
	actAbort                 // end the round: its question may or may not have gone out
)

// roundTimer is a round's next step.
type roundTimer struct {
	id    int64 // the round
	asked int   // the question it is about
	at    time.Time
	act   roundAct
}

// Rounds runs the group rounds' timers on the bot's clock: each question
// closes when its time is up, its answer is posted and the next question
// asked. At start it takes up the rounds a restart interrupted (Run):
// an open question closes at its time (at once if that passed); after a
// closed one the next is asked; a question claimed but maybe not sent
// ends the round with the scores so far, so no question is asked twice
// and no round is stuck.
type Rounds struct {
	svc   *Service
	out   Outbox
	clock Clock

	mu   sync.Mutex
	due  map[int64]roundTimer // chat → its round's next step
	wake chan struct{}
}

// NewRounds returns the loop and attaches it to svc, whose round
// commands then schedule through it; out should send through a Sender.
func NewRounds(svc *Service, out Outbox) *Rounds {
	r := &Rounds{svc: svc, out: out, clock: svc.clock, due: map[int64]roundTimer{}, wake: make(chan struct{}, 1)}
	svc.rounds.Store(r)
	return r
}

// roundStepTimeout bounds one step (posts and the next poll), also at
// shutdown.
const roundStepTimeout = 2 * time.Minute

// Run takes up the interrupted rounds, then fires timers until ctx is
// done; the steps in progress finish first.
func (r *Rounds) Run(ctx context.Context) {
	rounds, err := r.svc.store.Rounds()
	if err != nil {
		r.svc.log.Error("load rounds", keyErr, err)
	}
	for chat, rd := range rounds {
		r.svc.resumeRound(chat, rd)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		r.mu.Lock()
		var (
			chat  int64
			next  roundTimer
			found bool
		)
		for c, t := range r.due {
			if !found || t.at.Before(next.at) {
				chat, next, found = c, t, true
			}
		}
		r.mu.Unlock()
		var timer <-chan time.Time
		if found {
			wait := next.at.Sub(r.clock.Now())
			if wait > 0 {
				timer = r.clock.After(wait)
			}
		}
		if !found || timer != nil {
			select {
			case <-ctx.Done():
				return
			case <-r.wake:
				continue
			case <-timer:
			}
		}
		r.mu.Lock()
		if t, ok := r.due[chat]; !ok || t != next {
			r.mu.Unlock()
			continue // changed while waiting
		}
		delete(r.due, chat)
		r.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), roundStepTimeout)
			defer cancel()
			if err := r.step(sctx, chat, next); err != nil {
				r.svc.log.Error("round step", keyChatID, chat, keyErr, err)
			}
		}()
	}
}

func (r *Rounds) step(ctx context.Context, chat int64, t roundTimer) error {
	switch t.act {
	case actClose:
		return r.svc.closeQuestion(ctx, r.out, chat, t.id, t.asked)
	case actNext:
		return r.svc.askNext(ctx, r.out, chat, t.id)
	}
	return r.svc.finishRound(ctx, r.out, chat, t.id, msgRoundAborted)
}

func (r *Rounds) schedule(chat int64, t roundTimer) {
	r.mu.Lock()
	r.due[chat] = t
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Rounds) cancel(chat, id int64) {
	r.mu.Lock()
	if t, ok := r.due[chat]; ok && t.id == id {
		delete(r.due, chat)
	}
	r.mu.Unlock()
}

// scheduleRound hands a round's next step to the loop, if one runs.
func (s *Service) scheduleRound(chat int64, t roundTimer) {
	if r := s.rounds.Load(); r != nil {
		r.schedule(chat, t)
	}
}

func (s *Service) cancelRound(chat, id int64) {
	if r := s.rounds.Load(); r != nil {
		r.cancel(chat, id)
	}
}

// resumeRound schedules the next step of a round found in storage.
func (s *Service) resumeRound(chat int64, rd storage.Round) {
	now := s.clock.Now()
	t := roundTimer{id: rd.ID, asked: rd.Asked, at: now}
	switch rd.Phase {
	case storage.PhaseOpen:
		t.act, t.at = actClose, rd.Q.ClosesAt
	case storage.PhaseClosed:
		t.act = actNext
	default:
		t.act = actAbort
	}
	s.scheduleRound(chat, t)
}
