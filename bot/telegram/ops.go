package telegram

import (
	"crypto/subtle"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Store is what the operator endpoints need of the database
// (storage.DB implements it).
type Store interface {
	Ping() error
	Backup(w io.Writer, size func(int64)) (int64, error)
}

// Ops is the operator HTTP server's handlers: /healthz, /metrics and
// /backup on one mux.
type Ops struct {
	Bot     *Bot     // nil: not serving Telegram yet
	Store   Store    // required
	Metrics *Metrics // nil: /metrics answers 404
	// BackupToken protects /backup (Authorization: Bearer <token>); ""
	// turns /backup off.
	BackupToken string
	Logger      *slog.Logger
}

// Handler returns the mux.
func (o *Ops) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", o.handleHealth)
	if o.Metrics != nil {
		mux.Handle("GET /metrics", o.Metrics.Handler())
	}
	mux.HandleFunc("GET /backup", o.handleBackup)
	return mux
}

// handleHealth answers 200 when the webhook is set or Telegram answered
// the last getUpdates (within two poll timeouts), and the database answers
// a read; 503 with the reason otherwise.
func (o *Ops) handleHealth(w http.ResponseWriter, r *http.Request) {
	var problems []string
	if err := o.Store.Ping(); err != nil {
		problems = append(problems, "database: "+err.Error())
	}
	if o.Bot == nil {
		problems = append(problems, "telegram: not started")
	} else if !o.Bot.Healthy() {
		problems = append(problems, "telegram: no webhook set and no successful getUpdates recently")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if len(problems) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, strings.Join(problems, "\n")+"\n")
		return
	}
	io.WriteString(w, "ok\n")
}

// handleBackup streams a hot copy of the bbolt file.
func (o *Ops) handleBackup(w http.ResponseWriter, r *http.Request) {
	if o.BackupToken == "" {
		http.Error(w, "backups are off: set NEUROTUTOR_BACKUP_TOKEN", http.StatusNotFound)
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(o.BackupToken)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="neurotutor-backup.db"`)
	n, err := o.Store.Backup(w, func(size int64) { w.Header().Set("Content-Length", strconv.FormatInt(size, 10)) })
	if err != nil && o.Logger != nil {
		o.Logger.Error("backup failed", "bytes", n, keyErr, err)
	}
}

// healthWindow: how recent the last good getUpdates must be.
func (t *Bot) healthWindow() time.Duration { return 2*t.cfg.PollTimeout + 15*time.Second }

// Healthy reports whether the webhook is set (webhook mode) or the last
// getUpdates succeeded recently (polling).
func (t *Bot) Healthy() bool {
	if t.webhookSet.Load() {
		return true
	}
	last := t.lastPoll.Load()
	return last != 0 && t.clock.Now().Sub(time.Unix(0, last)) < t.healthWindow()
}
