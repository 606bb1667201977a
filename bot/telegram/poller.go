package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"neurotutor/storage"
)

// Back-offs of the polling loop.
const (
	firstPollBackoff = time.Second
	maxPollBackoff   = 30 * time.Second
	// conflictBackoff is the wait after a 409: another instance polls
	// with this token, or a webhook is set. Polling again at once would
	// only take turns with the other instance.
	conflictBackoff = time.Minute
	// maxUpdateBody bounds one getUpdates answer (100 updates of at most
	// a few KiB each in practice).
	maxUpdateBody = 16 << 20
)

// poller is a small getUpdates client: go-telegram/bot's own loop moves
// its offset before the updates are handled and exports no getUpdates.
type poller struct {
	client  *http.Client
	url     string // …/bot<token>/getUpdates: never logged
	timeout time.Duration
	scrub   func(error) error
}

// apiError is an error answer of the Bot API.
type apiError struct {
	Code       int
	Desc       string
	RetryAfter int
}

func (e *apiError) Error() string { return fmt.Sprintf("bot api: %d %s", e.Code, e.Desc) }

// get fetches the updates from offset on, waiting up to the poll timeout.
func (p *poller) get(ctx context.Context, offset int64, limit int) ([]json.RawMessage, error) {
	au, _ := json.Marshal(allowedUpdates)
	form := url.Values{
		"offset":          {strconv.FormatInt(offset, 10)},
		"limit":           {strconv.Itoa(min(max(limit, 1), 100))},
		"timeout":         {strconv.Itoa(int(p.timeout / time.Second))},
		"allowed_updates": {string(au)},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewBufferString(form.Encode()))
	if err != nil {
		return nil, p.scrub(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, p.scrub(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxUpdateBody))
	if err != nil {
		return nil, p.scrub(err)
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("telegram: getUpdates answered %d with undecodable JSON: %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, &apiError{Code: r.ErrorCode, Desc: r.Description, RetryAfter: r.Parameters.RetryAfter}
	}
	return r.Result, nil
}

// decode decodes one update on its own: a kind of update (or a new
// variant inside one) that go-telegram does not know is one bad update,
// not a stuck batch. The id and kind come from a loose decode, so a bad
// update can still be skipped and logged without its content.
func decode(raw json.RawMessage) (id int64, kind string, upd *models.Update, err error) {
	var loose map[string]json.RawMessage
	if err := json.Unmarshal(raw, &loose); err != nil {
		return 0, "", nil, err
	}
	if v, ok := loose["update_id"]; ok {
		_ = json.Unmarshal(v, &id)
	}
	for k := range loose {
		if k != "update_id" {
			kind = k
		}
	}
	upd = &models.Update{}
	if err := json.Unmarshal(raw, upd); err != nil {
		return id, kind, nil, err
	}
	return id, kind, upd, nil
}

// Run polls for updates until ctx is cancelled, handling each (in order
// per chat) and marking it done in the inbox. Updates left in the inbox by
// an earlier run are handled first. At shutdown it waits up to
// DrainTimeout for the updates in flight. It returns an error only if
// polling cannot go on (a revoked token).
func (t *Bot) Run(ctx context.Context) error {
	// Work outlives ctx by DrainTimeout, so replies in flight can finish.
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	t.startWorkers(work)
	defer t.drain(cancelWork)

	if err := t.resume(work); err != nil {
		return err
	}
	offset := int64(0)
	if t.inbox != nil {
		var err error
		if offset, err = t.inbox.InboxOffset(); err != nil {
			return err
		}
	}
	// Polling and a webhook exclude each other: a webhook left from an
	// earlier run in webhook mode would make every getUpdates a 409.
	if _, err := t.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil && ctx.Err() == nil {
		t.log.Warn("deleteWebhook failed; polling may meet a 409", keyErr, t.scrub(err))
	}
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		room := t.waitRoom(ctx)
		if room == 0 {
			break
		}
		if backoff > 0 {
			select {
			case <-ctx.Done():
			case <-t.clock.After(backoff):
			}
			if ctx.Err() != nil {
				break
			}
		}
		raws, err := t.poll.get(ctx, offset, room)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			var ae *apiError
			switch {
			case errors.As(err, &ae) && ae.Code == http.StatusUnauthorized:
				return fmt.Errorf("telegram: the token was refused (401): %s", ae.Desc)
			case errors.As(err, &ae) && ae.Code == http.StatusConflict:
				t.log.Error("getUpdates conflict (409): another instance is polling with this token, or a webhook is set; backing off",
					"desc", ae.Desc, keyBackoff, conflictBackoff)
				backoff = conflictBackoff
			case errors.As(err, &ae) && ae.Code == http.StatusTooManyRequests:
				backoff = time.Duration(max(ae.RetryAfter, 1)) * time.Second
				t.log.Warn("getUpdates 429", keyRetryAfter, ae.RetryAfter)
			default:
				backoff = min(max(2*backoff, firstPollBackoff), maxPollBackoff)
				t.log.Warn("getUpdates failed", keyErr, err, keyBackoff, backoff)
			}
			continue
		}
		backoff = 0
		t.lastPoll.Store(t.clock.Now().UnixNano())
		if len(raws) == 0 {
			continue
		}
		next, batch, decoded := offset, make([]storage.InboxUpdate, 0, len(raws)), map[int64]*models.Update{}
		for _, raw := range raws {
			id, kind, upd, err := decode(raw)
			if id >= next {
				next = id + 1
			}
			if err != nil {
				t.log.Warn("undecodable update skipped", keyUpdateID, id, keyKind, kind, keyErr, err)
				t.metrics.undecodable()
				continue
			}
			batch = append(batch, storage.InboxUpdate{ID: id, Raw: raw})
			decoded[id] = upd
		}
		fresh := batch
		if t.inbox != nil {
			// Stored with the next offset in one transaction, before the
			// next getUpdates confirms the batch to Telegram.
			if fresh, err = t.inbox.InboxPut(batch, next); err != nil {
				t.log.Error("inbox write failed; the batch stays with Telegram", keyErr, err)
				backoff = min(max(2*backoff, firstPollBackoff), maxPollBackoff)
				continue
			}
		}
		offset = next
		for _, u := range fresh {
			it := item{id: u.ID, upd: decoded[u.ID], kind: kindOf(decoded[u.ID])}
			t.metrics.receivedKind(it.kind)
			t.dispatch(work, it)
		}
	}
	return nil
}

// accept decodes a stored update and dispatches it.
func (t *Bot) accept(work context.Context, id int64, raw []byte) {
	_, kind, upd, err := decode(raw)
	if err != nil {
		t.log.Warn("undecodable stored update skipped", keyUpdateID, id, keyKind, kind, keyErr, err)
		t.done(id)
		return
	}
	t.dispatch(work, item{id: id, upd: upd, kind: kindOf(upd)})
}

// kindOf names an update's kind for logs and metrics.
func kindOf(u *models.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.PollAnswer != nil:
		return "poll_answer"
	case u.MyChatMember != nil:
		return "my_chat_member"
	}
	return "other"
}

// waitRoom waits until fewer than MaxPending updates are in flight and
// returns how many more may come (0: ctx ended).
func (t *Bot) waitRoom(ctx context.Context) int {
	for {
		t.mu.Lock()
		n := t.pending
		t.mu.Unlock()
		if n < t.cfg.MaxPending {
			return t.cfg.MaxPending - n
		}
		select {
		case <-t.room:
		case <-ctx.Done():
			return 0
		}
	}
}

// chatKey orders updates: those of one chat are handled one after the
// other, in the order they came; poll answers, which carry no chat, by
// their user.
func chatKey(upd *models.Update) int64 {
	req, _ := request(upd)
	if req.ChatID != 0 {
		return req.ChatID
	}
	return req.UserID
}

// dispatch queues an update behind the others of its chat. When the
// queue ahead is long enough that the answer will take a while, the chat
// is told it is coming (a "typing…" hint, see Sender.Hint).
func (t *Bot) dispatch(work context.Context, it item) {
	key := chatKey(it.upd)
	t.mu.Lock()
	t.pending++
	ahead := t.pending
	q := t.chats[key]
	if q == nil {
		q = &chatQueue{}
		t.chats[key] = q
	}
	q.items = append(q.items, it)
	if !q.active && !q.ready {
		q.ready = true
		t.ready = append(t.ready, key)
		t.cond.Signal()
	}
	t.mu.Unlock()
	if t.sender != nil && time.Duration(ahead)*SendInterval > HintAfter {
		if req, ok := request(it.upd); ok && req.ChatID != 0 {
			t.sender.Hint(work, req.ChatID)
		}
	}
}

// worker handles updates until work ends or, once closing, nothing is
// left: it takes the chat that has waited longest, handles that chat's
// oldest update, and puts the chat back at the end of the line if it has
// more. So chats take turns, and one chat's updates never run at once.
func (t *Bot) worker(work context.Context) {
	defer t.wg.Done()
	for {
		t.mu.Lock()
		for len(t.ready) == 0 && !t.closing && work.Err() == nil {
			t.cond.Wait()
		}
		if len(t.ready) == 0 || work.Err() != nil {
			t.mu.Unlock()
			return
		}
		key := t.ready[0]
		t.ready = t.ready[1:]
		q := t.chats[key]
		q.ready, q.active = false, true
		it := q.items[0]
		q.items[0] = item{}
		q.items = q.items[1:]
		t.mu.Unlock()

		began := t.clock.Now()
		t.HandleUpdate(work, it.upd)
		// An update cut short by the end of the drain stays pending and
		// is handled again after the restart.
		if work.Err() == nil {
			t.metrics.handledKind(it.kind, t.clock.Now().Sub(began))
			t.done(it.id)
		}

		t.mu.Lock()
		q.active = false
		if len(q.items) > 0 {
			q.ready = true
			t.ready = append(t.ready, key)
			t.cond.Signal()
		} else {
			delete(t.chats, key)
		}
		t.pending--
		if t.pending == 0 {
			close(t.idle)
			t.idle = make(chan struct{})
		}
		t.mu.Unlock()
		select {
		case t.room <- struct{}{}:
		default:
		}
	}
}

func (t *Bot) done(id int64) {
	if t.inbox == nil {
		return
	}
	if err := t.inbox.InboxDone(id); err != nil {
		t.log.Error("inbox: mark done failed; the update may be answered again after a restart", keyUpdateID, id, keyErr, err)
	}
}

// startWorkers starts MaxActive workers on work.
func (t *Bot) startWorkers(work context.Context) {
	context.AfterFunc(work, func() {
		t.mu.Lock()
		t.cond.Broadcast()
		t.mu.Unlock()
	})
	for range t.cfg.MaxActive {
		t.wg.Add(1)
		go t.worker(work)
	}
}

// drain lets the workers finish what is queued, at most DrainTimeout,
// then cancels the updates still running: they stay in the inbox.
func (t *Bot) drain(cancel context.CancelFunc) {
	t.mu.Lock()
	t.closing = true
	t.cond.Broadcast()
	t.mu.Unlock()
	finished := make(chan struct{})
	go func() { t.wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-t.clock.After(t.cfg.DrainTimeout):
		t.log.Warn("shutdown: updates still in flight after the drain timeout stay in the inbox")
		cancel()
		<-finished
	}
}

// Idle returns a channel closed the next time no update is in flight
// (for tests and the kill -9 test's observer).
func (t *Bot) Idle() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	return t.idle
}
