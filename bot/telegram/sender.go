package telegram

import (
	"container/heap"
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"

	"neurotutor/bot"
)

// Telegram's broadcast limits
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// about 30 messages per second in total, no more than one per second in
// one chat, and "not more than 20 messages per minute to the same group".
const (
	// SendInterval separates any two sends: 34 ms is 29.4 per second, so
	// no one-second window ever holds more than 30.
	SendInterval = 34 * time.Millisecond
	// ChatInterval separates two sends to the same chat, private or not.
	ChatInterval = time.Second
	// GroupPerMinute is how many messages one group, supergroup or channel
	// (a chat with a negative id; a user's private chat has a positive one)
	// gets in any GroupWindow: the Bot FAQ's 20 a minute per group, which
	// the FAQ does not state for channels but is commonly held to bind
	// them too. Chat actions ("typing…") are not messages and do not count.
	GroupPerMinute = 20
	// GroupWindow is the rolling window GroupPerMinute counts in: a group's
	// 21st message goes GroupWindow after its 1st at the earliest, so no
	// window of that length (half-open) holds more than GroupPerMinute.
	GroupWindow = time.Minute
	// DefaultInFlight bounds the Bot API requests in flight at once.
	DefaultInFlight = 8

	max429Retries       = 5               // 429 answers obeyed per call before giving up
	maxTransientRetries = 3               // 5xx or network errors retried per call
	firstBackoff        = time.Second     // doubled after each transient error
	maxRetryAfter       = 5 * time.Minute // a longer retry_after is capped (and logged)

	// CallTimeout bounds one Bot API request. It counts from the moment
	// the request's turn comes, not from when it queued: a reply waiting
	// behind a burst keeps its place however long the queue is.
	CallTimeout = 30 * time.Second
	// HintAfter: when a chat's message would wait longer than this in the
	// queue, the chat is shown "typing…" once, ahead of the queue (still
	// within the limits), so the learner knows the answer is coming.
	HintAfter = 3 * time.Second

	// sweepAt is how many chats (and, separately, groups) the sender
	// remembers before it drops those whose limits no longer bind. At most
	// GroupWindow/SendInterval ≈ 1,765 groups can still bind, so a sweep
	// always frees most of them: at most about 4,100 group logs of 488
	// bytes, 2 MB.
	sweepAt = 4096
)

// Log keys of the sender and the reminder loop.
const (
	keyRetryAfter = "retry_after"
	keyBackoff    = "backoff"
	keyChatID     = "chat_id"
	keyErr        = "err"
	keyUpdateID   = "update_id"
	keyKind       = "kind"
)

// errSenderStopped is returned by Do after the sender's Run has ended.
var errSenderStopped = errors.New("bot: sender stopped")

// Sender is the one gate every outgoing Bot API message passes through,
// replies and reminders alike. It grants sends in order of readiness,
// keeping SendInterval between any two and ChatInterval between two to the
// same chat, and at most GroupPerMinute messages to one group (a negative
// chat id) in any GroupWindow. A call whose chat is not ready yet does not
// hold up the others: a group at its limit waits while private chats and
// other groups go ahead, and its chat actions still go out. It obeys a
// 429's retry_after (pausing every send, since a flood limit is the bot's,
// not one chat's), and retries 5xx and network errors with exponential
// backoff. 403 and 400 are returned at once: they
// do not get better by retrying. Time comes from a Clock; only Run waits
// on it, so a simulated clock paces the whole sender.
type Sender struct {
	clock    bot.Clock
	log      *slog.Logger
	inflight chan struct{} // one token per request in flight
	stopped  chan struct{} // closed when Run returns

	mu       sync.Mutex
	q        waitHeap
	seq      uint64
	chatNext map[int64]time.Time // earliest next send per chat
	groups   map[int64]*groupLog // recent messages per group chat (negative id)
	nextAt   time.Time           // earliest next send overall
	pause    time.Time           // no sends before this (after a 429)
	wake     chan struct{}       // cap 1: the queue or the limits changed
	hint     func(ctx context.Context, chatID int64) error
	hinted   map[int64]bool // chats told "typing…" whose message still waits
	metrics  *Metrics       // nil: none
}

// errDropped is returned by TryDo when the hint would have to wait.
var errDropped = errors.New("telegram: hint dropped: the sender is busy")

// SetHint sets the call that tells a chat its answer is coming (a
// "typing…" chat action); see HintAfter. Call it before Run.
func (s *Sender) SetHint(hint func(ctx context.Context, chatID int64) error) { s.hint = hint }

// Queued returns how many calls wait for their turn.
func (s *Sender) Queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.q)
}

// NewSender returns a sender pacing itself on clock with at most inFlight
// requests at once (DefaultInFlight if < 1). Call Run to start it.
func NewSender(clock bot.Clock, inFlight int, log *slog.Logger) *Sender {
	if clock == nil {
		clock = bot.SystemClock{}
	}
	if inFlight < 1 {
		inFlight = DefaultInFlight
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{
		clock: clock, log: log, inflight: make(chan struct{}, inFlight), stopped: make(chan struct{}),
		chatNext: map[int64]time.Time{}, groups: map[int64]*groupLog{}, wake: make(chan struct{}, 1), hinted: map[int64]bool{},
	}
}

// waiting is one Do call waiting for its turn.
type waiting struct {
	chatID    int64
	ready     time.Time // heap key: not before this (per-chat limit, pause)
	seq       uint64    // FIFO among equally ready
	hint      bool      // a chat action: granted before messages that are equally ready
	grant     chan struct{}
	granted   bool
	cancelled bool
	index     int
}

type waitHeap []*waiting

func (h waitHeap) Len() int { return len(h) }
func (h waitHeap) Less(i, j int) bool {
	if c := h[i].ready.Compare(h[j].ready); c != 0 {
		return c < 0
	}
	if h[i].hint != h[j].hint {
		return h[i].hint
	}
	return h[i].seq < h[j].seq
}
func (h waitHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}

func (h *waitHeap) Push(x any) {
	w := x.(*waiting)
	w.index = len(*h)
	*h = append(*h, w)
}

func (h *waitHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return w
}

// groupLog holds the times of a group's last GroupPerMinute messages, a
// ring whose oldest entry says when the group's next message may go.
type groupLog struct {
	at   [GroupPerMinute]time.Time
	next int // the slot written next: the oldest time once the ring is full
}

// ready returns when the group's next message may go: GroupWindow after
// the GroupPerMinute-th last one (the zero time while fewer were sent).
func (g *groupLog) ready() time.Time {
	if g.at[g.next].IsZero() {
		return time.Time{}
	}
	return g.at[g.next].Add(GroupWindow)
}

func (g *groupLog) add(t time.Time) {
	g.at[g.next] = t
	g.next = (g.next + 1) % len(g.at)
}

// stale reports whether none of the group's messages counts at now.
func (g *groupLog) stale(now time.Time) bool {
	last := g.at[(g.next+len(g.at)-1)%len(g.at)]
	return !last.Add(GroupWindow).After(now)
}

// isGroup reports whether chatID is a group, supergroup or channel:
// Telegram gives those negative ids, and users positive ones.
func isGroup(chatID int64) bool { return chatID < 0 }

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Run grants sends until ctx is done. Do calls still waiting then fail
// with errSenderStopped; calls already granted finish.
func (s *Sender) Run(ctx context.Context) {
	defer close(s.stopped)
	for {
		select {
		case s.inflight <- struct{}{}:
		case <-ctx.Done():
			return
		}
		w, wait := s.next()
		if w != nil {
			close(w.grant) // the token now belongs to w's Do
			continue
		}
		<-s.inflight
		var timer <-chan time.Time
		if wait > 0 {
			timer = s.clock.After(wait)
		}
		select {
		case <-timer:
		case <-s.wake:
		case <-ctx.Done():
			return
		}
	}
}

// chatReadyLocked returns when a call to chatID may go, as far as its
// chat and a 429's pause decide: after the chat's ChatInterval (or retry
// backoff) and, for a message to a group, once the last GroupWindow holds
// fewer than GroupPerMinute of the group's messages. A chat action (hint)
// does not wait for the group's count.
func (s *Sender) chatReadyLocked(chatID int64, hint bool) time.Time {
	r := later(s.chatNext[chatID], s.pause)
	if g := s.groups[chatID]; g != nil && !hint {
		r = later(r, g.ready())
	}
	return r
}

// topLocked returns the waiting call that may go first, its ready time
// brought up to date, or nil if none waits. Ready times only move later:
// a call that is not ready (its group at its limit) sinks below the others
// instead of holding them up, and no call moves twice in one look.
func (s *Sender) topLocked() *waiting {
	for len(s.q) > 0 {
		h := s.q[0]
		if h.cancelled {
			heap.Pop(&s.q)
			continue
		}
		if r := s.chatReadyLocked(h.chatID, h.hint); r.After(h.ready) {
			h.ready = r // its chat was used, or a 429 came, since it queued
			heap.Fix(&s.q, 0)
			continue
		}
		return h
	}
	return nil
}

// next pops the waiting call that may send now, or says how long until
// the first one may (0: the queue is empty).
func (s *Sender) next() (*waiting, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	h := s.topLocked()
	if h == nil {
		return nil, 0
	}
	if at := later(h.ready, s.nextAt); at.After(now) {
		return nil, at.Sub(now)
	}
	heap.Pop(&s.q)
	h.granted = true
	s.nextAt = now.Add(SendInterval)
	if !h.hint {
		// A chat action is not a message: it does not use the chat's
		// one-per-second slot, nor count among a group's messages.
		s.chatNext[h.chatID] = now.Add(ChatInterval)
		delete(s.hinted, h.chatID)
		if isGroup(h.chatID) {
			g := s.groups[h.chatID]
			if g == nil {
				g = &groupLog{}
				s.groups[h.chatID] = g
			}
			g.add(now)
		}
	}
	if len(s.chatNext) > sweepAt {
		for id, t := range s.chatNext {
			if !t.After(now) {
				delete(s.chatNext, id)
			}
		}
	}
	if len(s.groups) > sweepAt {
		for id, g := range s.groups {
			if g.stale(now) {
				delete(s.groups, id)
			}
		}
	}
	return h, 0
}

func (s *Sender) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// acquire waits for chatID's turn; the caller must release after sending.
// A hint is queued ahead of messages that are as ready as it.
func (s *Sender) acquire(ctx context.Context, chatID int64, hint bool) error {
	s.mu.Lock()
	s.seq++
	w := &waiting{chatID: chatID, ready: s.chatReadyLocked(chatID, hint), seq: s.seq, hint: hint, grant: make(chan struct{})}
	if hint {
		w.ready = s.pause
	}
	heap.Push(&s.q, w)
	tell := false
	if !hint && s.hint != nil && !s.hinted[chatID] {
		// Every queued call takes SendInterval at least: estimate the
		// wait from the queue's length.
		now := s.clock.Now()
		// (From now at the earliest: before the first send nextAt is the
		// zero time, and a wait counted from it is hugely negative.)
		wait := later(later(w.ready, s.nextAt), now).Sub(now) + time.Duration(len(s.q)-1)*SendInterval
		if wait > HintAfter {
			s.hinted[chatID] = true
			tell = true
		}
	}
	s.mu.Unlock()
	s.poke()
	if tell {
		go s.sendHint(context.WithoutCancel(ctx), chatID)
	}
	queued := s.clock.Now()
	select {
	case <-w.grant:
		if !hint {
			s.metrics.waited(s.clock.Now().Sub(queued))
		}
		return nil
	case <-ctx.Done():
	case <-s.stopped:
	}
	s.mu.Lock()
	granted := w.granted
	w.cancelled = !granted
	s.mu.Unlock()
	if granted {
		<-w.grant
		s.release()
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errSenderStopped
}

// Hint tells chatID, once until its next message is sent, that its answer
// is coming: a "typing…" chat action queued ahead of the messages (within
// the limits). It does not wait.
func (s *Sender) Hint(ctx context.Context, chatID int64) {
	s.mu.Lock()
	tell := s.hint != nil && !s.hinted[chatID]
	if tell {
		s.hinted[chatID] = true
	}
	s.mu.Unlock()
	if tell {
		go s.sendHint(context.WithoutCancel(ctx), chatID)
	}
}

// sendHint sends the "answer is coming" chat action once, without retries.
func (s *Sender) sendHint(ctx context.Context, chatID int64) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	if err := s.acquire(ctx, chatID, true); err != nil {
		return
	}
	err := s.hint(ctx, chatID)
	s.release()
	if err != nil {
		s.log.Debug("hint failed", keyChatID, chatID, keyErr, err)
	}
}

// TryDo makes call now if the limits allow it at once, and otherwise
// drops it with errDropped: for hints such as chat actions, which are
// useless late and must not crowd out messages. Calls queued for later
// (a group at its limit) do not make it drop: its send would not delay
// them. It does not retry.
func (s *Sender) TryDo(ctx context.Context, chatID int64, call func(context.Context) error) error {
	s.mu.Lock()
	now := s.clock.Now()
	h := s.topLocked()
	busy := h != nil && h.ready.Before(now.Add(SendInterval)) || s.nextAt.After(now) || s.pause.After(now)
	s.mu.Unlock()
	if busy {
		return errDropped
	}
	if err := s.acquire(ctx, chatID, true); err != nil {
		return err
	}
	defer s.release()
	cctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	return call(cctx)
}

func (s *Sender) release() { <-s.inflight; s.poke() }

// Do sends through call once chatID's turn comes, retrying as the type
// comment says. It returns call's last error.
func (s *Sender) Do(ctx context.Context, chatID int64, call func(context.Context) error) error {
	tooMany, transient := 0, 0
	for {
		if err := s.acquire(ctx, chatID, false); err != nil {
			return err
		}
		cctx, cancel := context.WithTimeout(ctx, CallTimeout)
		err := call(cctx)
		cancel()
		s.release()
		var tm *tgbot.TooManyRequestsError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &tm):
			tooMany++
			if tooMany > max429Retries {
				return err
			}
			d := time.Duration(tm.RetryAfter) * time.Second
			if d > maxRetryAfter {
				s.log.Warn("long retry_after capped", keyRetryAfter, tm.RetryAfter)
				d = maxRetryAfter
			}
			s.mu.Lock()
			s.pause = later(s.pause, s.clock.Now().Add(max(d, time.Second)))
			s.mu.Unlock()
			s.log.Warn("bot api 429", keyChatID, chatID, keyRetryAfter, tm.RetryAfter)
		case permanent(err) || ctx.Err() != nil:
			return err
		default:
			transient++
			if transient > maxTransientRetries {
				return err
			}
			backoff := firstBackoff << (transient - 1)
			s.mu.Lock()
			s.chatNext[chatID] = later(s.chatNext[chatID], s.clock.Now().Add(backoff))
			s.mu.Unlock()
			s.log.Warn("bot api transient error, retrying", keyChatID, chatID, keyBackoff, backoff, keyErr, err)
		}
	}
}

// permanent reports errors that retrying will not fix: the user blocked
// the bot (403), a bad request (400), a bad token (401), a missing chat
// (404), or a chat migrated to a supergroup.
func permanent(err error) bool {
	var mig *tgbot.MigrateError
	return errors.Is(err, tgbot.ErrorForbidden) || errors.Is(err, tgbot.ErrorBadRequest) ||
		errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) ||
		errors.As(err, &mig) || errors.Is(err, errSenderStopped) || errors.Is(err, errDropped)
}
