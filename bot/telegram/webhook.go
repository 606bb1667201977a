package telegram

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	tgbot "github.com/go-telegram/bot"

	"neurotutor/storage"
)

// Webhook mode: Telegram POSTs each update to a public HTTPS URL. An update
// is answered 200 only once it is durably in the inbox, so Telegram retries
// whatever the bot did not keep.

// WebhookConfig configures webhook mode.
type WebhookConfig struct {
	// URL is the public HTTPS URL Telegram posts updates to; the same
	// path must reach Handler.
	URL string
	// Secret is sent by Telegram in X-Telegram-Bot-Api-Secret-Token with
	// every update: 1–256 of A-Z, a-z, 0-9, '_' and '-'. "" makes a random
	// one (see NewWebhookSecret).
	Secret string
	// MaxConnections is how many connections Telegram may open at once
	// (1–100; default 40, Telegram's own default).
	MaxConnections int
}

// Bounds of webhook mode.
const (
	// maxWebhookBody bounds one update's body. Telegram's updates are a
	// few KiB; a message is at most 4096 characters of text plus
	// entities, so 1 MiB is generous and still small.
	maxWebhookBody = 1 << 20
	// DefaultMaxConnections is Telegram's own default.
	DefaultMaxConnections = 40
	// secretHeader carries the webhook's secret_token.
	secretHeader = "X-Telegram-Bot-Api-Secret-Token"
)

var secretPattern = func(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// NewWebhookSecret returns a random secret_token: 32 bytes from
// crypto/rand, 43 characters of base64url without padding, within
// Telegram's alphabet.
func NewWebhookSecret() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var b [43]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	for i := range b {
		b[i] = alphabet[b[i]&63]
	}
	return string(b[:])
}

// CheckWebhook trims and validates the webhook configuration; its errors
// never echo the secret.
func CheckWebhook(w WebhookConfig) (WebhookConfig, error) {
	w.URL = strings.TrimSpace(w.URL)
	w.Secret = strings.TrimSpace(w.Secret)
	u, err := url.Parse(w.URL)
	switch {
	case err != nil:
		return w, errors.New("telegram: the webhook URL does not parse")
	case u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "":
		return w, errors.New("telegram: the webhook URL must be an absolute https:// URL with a host (Telegram only posts to HTTPS)")
	}
	if w.Secret == "" {
		w.Secret = NewWebhookSecret()
	} else if !secretPattern(w.Secret) {
		return w, fmt.Errorf("telegram: the webhook secret must be 1–256 characters of A-Z, a-z, 0-9, '_' and '-' (got %d characters)", len(w.Secret))
	}
	switch {
	case w.MaxConnections == 0:
		w.MaxConnections = DefaultMaxConnections
	case w.MaxConnections < 1 || w.MaxConnections > 100:
		return w, fmt.Errorf("telegram: max_connections must be 1–100, not %d", w.MaxConnections)
	}
	return w, nil
}

// WebhookPath is the path of the webhook URL, where Handler must be
// mounted ("/" when the URL has none).
func (w WebhookConfig) WebhookPath() string {
	u, err := url.Parse(w.URL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// RunWebhook serves in webhook mode until ctx is cancelled: it handles
// the updates an earlier run left in the inbox, sets the webhook
// (secret_token, allowed_updates, max_connections) and lets WebhookHandler
// take updates. At shutdown it stops taking updates (Telegram keeps and
// retries them) and drains as Run does. The webhook stays set, so that
// Telegram keeps updates for the next start; polling mode deletes it.
func (t *Bot) RunWebhook(ctx context.Context, w WebhookConfig) error {
	w, err := CheckWebhook(w)
	if err != nil {
		return err
	}
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	t.startWorkers(work)
	defer t.drain(cancelWork)
	if err := t.resume(work); err != nil {
		return err
	}
	scrub := Scrubber(t.cfg.Token, w.Secret)
	_, err = t.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL: w.URL, SecretToken: w.Secret, AllowedUpdates: allowedUpdates, MaxConnections: w.MaxConnections,
	})
	if err != nil {
		return fmt.Errorf("telegram: setWebhook: %w", scrub(err))
	}
	t.mu.Lock()
	t.hook = &hookState{work: work, secret: []byte(w.Secret)}
	t.mu.Unlock()
	t.webhookSet.Store(true)
	close(t.hookReady)
	t.log.Info("webhook set", "path", w.WebhookPath(), "max_connections", w.MaxConnections)
	<-ctx.Done()
	t.mu.Lock()
	t.hook = nil
	t.mu.Unlock()
	t.webhookSet.Store(false)
	return nil
}

// WebhookReady is closed once RunWebhook has set the webhook and takes
// updates.
func (t *Bot) WebhookReady() <-chan struct{} { return t.hookReady }

// hookState is what the webhook handler needs while RunWebhook runs.
type hookState struct {
	work   context.Context
	secret []byte
}

// WebhookHandler takes Telegram's update POSTs: 401 on a wrong or missing
// secret (checked in constant time), 400 on a body that is not an update
// (bounded by maxWebhookBody), 503 before RunWebhook has set the webhook,
// after it stopped, or while MaxPending updates wait (Telegram retries
// later), 500 when the inbox cannot store it, and 200 only once the update
// is in the inbox (or was there already: a retry).
func (t *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			rw.Header().Set("Allow", http.MethodPost)
			http.Error(rw, "POST only", http.StatusMethodNotAllowed)
			return
		}
		t.mu.Lock()
		hook, full := t.hook, t.pending >= t.cfg.MaxPending
		t.mu.Unlock()
		if hook == nil {
			http.Error(rw, "not serving", http.StatusServiceUnavailable)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(secretHeader)), hook.secret) != 1 {
			t.metrics.webhook("unauthorized")
			http.Error(rw, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxWebhookBody))
		if err != nil {
			t.metrics.webhook("bad_request")
			http.Error(rw, "body unreadable or over 1 MiB", http.StatusBadRequest)
			return
		}
		id, kind, upd, err := decode(body)
		if id <= 0 && err == nil {
			err = errors.New("no update_id")
		}
		if id <= 0 {
			t.metrics.webhook("bad_request")
			http.Error(rw, "not an update", http.StatusBadRequest)
			return
		}
		if err != nil {
			// An update of a kind go-telegram cannot decode is one bad
			// update: logged without content and acknowledged, so that
			// Telegram does not retry it forever.
			t.log.Warn("undecodable update skipped", keyUpdateID, id, keyKind, kind, keyErr, err)
			t.metrics.undecodable()
			t.metrics.webhook("skipped")
			rw.WriteHeader(http.StatusOK)
			return
		}
		if full {
			t.metrics.webhook("busy")
			http.Error(rw, "busy", http.StatusServiceUnavailable)
			return
		}
		fresh := []storage.InboxUpdate{{ID: id, Raw: body}}
		if t.inbox != nil {
			if fresh, err = t.inbox.InboxPut(fresh, 0); err != nil {
				t.log.Error("inbox write failed; Telegram will retry the update", keyUpdateID, id, keyErr, err)
				t.metrics.webhook("store_failed")
				http.Error(rw, "could not store the update", http.StatusInternalServerError)
				return
			}
		}
		t.lastPoll.Store(t.clock.Now().UnixNano())
		t.metrics.webhook("accepted")
		if len(fresh) > 0 { // not a retry of an update already kept
			t.metrics.receivedKind(kindOf(upd))
		}
		rw.WriteHeader(http.StatusOK)
		for range fresh {
			t.dispatch(hook.work, item{id: id, upd: upd, kind: kindOf(upd)})
		}
	})
}

// resume dispatches the updates an earlier run left in the inbox.
func (t *Bot) resume(work context.Context) error {
	if t.inbox == nil {
		return nil
	}
	pending, err := t.inbox.InboxPending()
	if err != nil {
		return err
	}
	for _, u := range pending {
		t.accept(work, u.ID, u.Raw)
	}
	if len(pending) > 0 {
		t.log.Info("handling updates left from the last run", "count", len(pending))
	}
	return nil
}
