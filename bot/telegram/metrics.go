package telegram

import (
	"errors"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"neurotutor/bot"
)

// Metrics are the transport's Prometheus metrics, on a registry of their
// own. Labels are update kinds, Bot API methods and results only: never a
// user or chat id. A nil *Metrics records nothing.
type Metrics struct {
	reg        *prometheus.Registry
	received   *prometheus.CounterVec
	handled    *prometheus.CounterVec
	skipped    prometheus.Counter
	requests   *prometheus.CounterVec
	retryAfter prometheus.Histogram
	wait       prometheus.Histogram
	latency    prometheus.Histogram
	webhooks   *prometheus.CounterVec
}

// NewMetrics creates the metrics and registers the Go runtime's and the
// process's collectors beside them.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "neurotutor_updates_received_total", Help: "Updates accepted from Telegram (stored in the inbox), by kind.",
		}, []string{"kind"}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "neurotutor_updates_handled_total", Help: "Updates handled and marked done, by kind.",
		}, []string{"kind"}),
		skipped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "neurotutor_updates_undecodable_total", Help: "Updates skipped because they could not be decoded.",
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "neurotutor_api_requests_total", Help: "Bot API requests sent, by method and result (ok, 429, 403, 400, 5xx, error, dropped).",
		}, []string{"method", "result"}),
		retryAfter: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "neurotutor_api_retry_after_seconds", Help: "retry_after of the Bot API's 429 answers.",
			Buckets: []float64{1, 2, 5, 10, 30, 60, 300},
		}),
		wait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "neurotutor_sender_wait_seconds", Help: "Time a message waited in the Sender's queue for its turn.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60},
		}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "neurotutor_handler_seconds", Help: "Time from an update's dispatch to its reply accepted.",
			Buckets: []float64{0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60},
		}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "neurotutor_webhook_requests_total", Help: "Webhook POSTs, by result (accepted, skipped, unauthorized, bad_request, busy, store_failed).",
		}, []string{"result"}),
	}
	m.reg.MustRegister(m.received, m.handled, m.skipped, m.requests, m.retryAfter, m.wait, m.latency, m.webhooks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// WatchSender exports the Sender's queue length.
func (m *Metrics) WatchSender(s *Sender) {
	if m == nil || s == nil {
		return
	}
	s.metrics = m
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "neurotutor_sender_queue", Help: "Messages waiting in the Sender's queue.",
	}, func() float64 { return float64(s.Queued()) }))
}

// WatchService exports the conversation's counters: charts and reminders.
func (m *Metrics) WatchService(st *bot.Stats) {
	if m == nil {
		return
	}
	counter := func(name, help string, read func() int64) {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 { return float64(read()) }))
	}
	counter("neurotutor_chart_renders_total", "Charts drawn.", st.ChartRenders.Load)
	counter("neurotutor_chart_fileid_hits_total", "Charts sent by a stored file_id, without upload.", st.ChartFileIDHits.Load)
	counter("neurotutor_chart_uploads_total", "Charts uploaded as files.", st.ChartUploads.Load)
	counter("neurotutor_chart_png_hits_total", "Charts uploaded from the PNG cache, without drawing.", st.ChartPNGHits.Load)
	counter("neurotutor_reminders_due_total", "Reminders claimed for sending.", st.RemindersDue.Load)
	counter("neurotutor_reminders_sent_total", "Reminders sent.", st.RemindersSent.Load)
	counter("neurotutor_reminders_failed_total", "Reminders that failed (blocked, rejected, or put off for a retry).", st.RemindersFailed.Load)
}

// WatchBot exports the updates in flight.
func (m *Metrics) WatchBot(t *Bot) {
	if m == nil {
		return
	}
	t.metrics = m
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "neurotutor_updates_in_flight", Help: "Updates accepted and not yet handled.",
	}, func() float64 {
		t.mu.Lock()
		defer t.mu.Unlock()
		return float64(t.pending)
	}))
}

func (m *Metrics) receivedKind(kind string) {
	if m != nil {
		m.received.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) handledKind(kind string, d time.Duration) {
	if m != nil {
		m.handled.WithLabelValues(kind).Inc()
		m.latency.Observe(d.Seconds())
	}
}

func (m *Metrics) webhook(result string) {
	if m != nil {
		m.webhooks.WithLabelValues(result).Inc()
	}
}

func (m *Metrics) undecodable() {
	if m != nil {
		m.skipped.Inc()
	}
}

func (m *Metrics) waited(d time.Duration) {
	if m != nil {
		m.wait.Observe(d.Seconds())
	}
}

// request counts one Bot API call's result.
func (m *Metrics) request(method string, err error) {
	if m == nil {
		return
	}
	var tm *tgbot.TooManyRequestsError
	result := "error"
	switch {
	case err == nil:
		result = "ok"
	case errors.As(err, &tm):
		result = "429"
		m.retryAfter.Observe(float64(tm.RetryAfter))
	case errors.Is(err, errDropped):
		result = "dropped"
	case errors.Is(err, tgbot.ErrorForbidden):
		result = "403"
	case errors.Is(err, tgbot.ErrorBadRequest):
		result = "400"
	case errors.Is(err, tgbot.ErrorConflict):
		result = "409"
	}
	m.requests.WithLabelValues(method, result).Inc()
}
