// Command neurotutor runs the tutor bot against the Telegram Bot API, or,
// with "console", as a chat in the terminal.
//
//	neurotutor              # serve Telegram; needs TELEGRAM_BOT_TOKEN
//	neurotutor console      # try the bot in the terminal
//	neurotutor console -group  # a group of three simulated members: /quiz plays a round
//	neurotutor backup FILE  # hot backup of a running bot's database
//
// Serving polls getUpdates, or, with NEUROTUTOR_WEBHOOK_URL, takes
// webhook POSTs; either way one HTTP server (NEUROTUTOR_LISTEN) answers
// /healthz, /metrics and /backup for the operator.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // learners' time zones work on machines and images without tzdata

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/bot/webapp"
	"neurotutor/storage"
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless the
// operator sets GOMEMLIMIT: the bot's live heap stays near 17 MiB even in
// a burst (a 4 MiB PNG cache, pooled canvases, at most MaxPending updates),
// and without a limit the GC lets the heap grow to twice that before it
// collects. With it, a 1,000-update burst peaks under 50 MB of RSS at a
// cost of a few more collections (about one a second, ~2 ms each).
const defaultMemoryLimit = 40 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "neurotutor:", err)
		os.Exit(1)
	}
}

// run is the whole program, callable from tests: args without the program
// name, getenv for configuration.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	// Whatever goes wrong, the error printed never carries a secret.
	defer func() {
		err = telegram.Scrubber(strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")),
			strings.TrimSpace(getenv("NEUROTUTOR_WEBHOOK_SECRET")), strings.TrimSpace(getenv("NEUROTUTOR_BACKUP_TOKEN")))(err)
	}()
	fs := flag.NewFlagSet("neurotutor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", envOr(getenv, "NEUROTUTOR_DB", "./neurotutor.db"), "bbolt database file (env NEUROTUTOR_DB)")
	apiURL := fs.String("api-url", getenv("TELEGRAM_API_URL"), "Bot API base URL, for a self-hosted Bot API server (env TELEGRAM_API_URL; default the official one)")
	outDir := fs.String("out", "./out", "console: where chart PNGs are written")
	group := fs.Bool("group", false, "console: the chat is a group of three simulated members (Аня, the admin, Борис and Вера), where /quiz plays a timed round")
	listen := fs.String("listen", getenv("NEUROTUTOR_LISTEN"), "operator HTTP server address, and the webhook's in webhook mode (env NEUROTUTOR_LISTEN; default :8080 with a webhook, "+defaultPollListen+" when polling; \"off\" for none when polling)")
	verbose := fs.Bool("v", false, "debug logging")
	if err := fs.Parse(args); err != nil {
		return err
	}
	mode := fs.Arg(0)
	if mode != "" && mode != "console" && mode != "serve" && mode != "backup" {
		return fmt.Errorf("unknown mode %q: use \"console\", \"backup FILE\" or nothing", mode)
	}
	if mode == "backup" {
		return runBackup(ctx, fs.Args()[1:], getenv, *listen, stdout)
	}
	// Flags may follow the mode too: "neurotutor console -out /tmp/x".
	if fs.NArg() > 1 {
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("unexpected argument %q", fs.Arg(0))
		}
	}
	if *group && mode != "console" {
		return errors.New("-group is for the console: neurotutor console -group")
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logTo := stderr
	if mode == "console" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			return err
		}
		if *dbPath == "./neurotutor.db" && getenv("NEUROTUTOR_DB") == "" {
			*dbPath = filepath.Join(*outDir, "console.db")
		}
		// The console's terminal is the chat: log lines go to a file beside
		// the pictures, never between the replies.
		f, err := os.OpenFile(filepath.Join(*outDir, "console.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		logTo = f
	}
	log := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: level}))
	db, err := storage.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()

	if mode == "console" {
		// The Mini App on loopback, in development mode, for a normal
		// browser: the lab buttons print its address.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		appURL := "http://" + ln.Addr().String() + webapp.Path
		svc, err := bot.NewService(bot.Options{Logger: log, Store: db, Charts: db, AppURL: appURL})
		if err != nil {
			return err
		}
		app, err := webapp.New(svc, webapp.Config{Dev: true, Logger: log})
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		c := &bot.Console{Service: svc, In: stdin, Out: stdout, Dir: *outDir, Log: filepath.Join(*outDir, "console.log"), Group: *group, Lab: appURL}
		return c.Run(ctx)
	}

	token := strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN"))
	if token == "" {
		return errors.New("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather), or run \"neurotutor console\" to try the bot in the terminal")
	}
	appURL, err := appConfig(getenv)
	if err != nil {
		return err
	}
	// The Service learns the bot's username (to ignore /cmd@OtherBot in
	// groups) from getMe below, before serving starts.
	svc, err := bot.NewService(bot.Options{Logger: log, Store: db, Charts: db, AppURL: appURL})
	if err != nil {
		return err
	}
	// One Sender paces every message (replies and reminders) within
	// Telegram's limits. It outlives ctx so that replies and reminders
	// in flight at shutdown can finish; it stops after them.
	sender := telegram.NewSender(bot.SystemClock{}, telegram.DefaultInFlight, log)
	senderCtx, stopSender := context.WithCancel(context.WithoutCancel(ctx))
	senderDone := make(chan struct{})
	go func() { sender.Run(senderCtx); close(senderDone) }()
	defer func() { stopSender(); <-senderDone }()

	hook, err := webhookConfig(getenv)
	if err != nil {
		return err
	}
	addr := strings.TrimSpace(*listen)
	switch {
	case addr == "" && hook != nil:
		addr = ":8080"
	case addr == "":
		addr = defaultPollListen
	case addr == "off" && hook != nil:
		return errors.New("NEUROTUTOR_LISTEN=off: webhook mode needs an address for Telegram's POSTs")
	}
	backupToken := strings.TrimSpace(getenv("NEUROTUTOR_BACKUP_TOKEN"))
	if backupToken != "" && len(backupToken) < minBackupToken {
		return fmt.Errorf("NEUROTUTOR_BACKUP_TOKEN must be at least %d characters (it guards every learner's data), e.g. from: openssl rand -hex 24", minBackupToken)
	}
	metrics := telegram.NewMetrics()
	tg, err := telegram.New(svc, telegram.Config{Token: token, ServerURL: *apiURL, Logger: log, Sender: sender, Inbox: db, Metrics: metrics})
	if err != nil {
		return err
	}
	name, err := tg.Username(ctx)
	if err != nil {
		return fmt.Errorf("getMe: %w", err)
	}
	svc.SetUsername(name)
	if err := tg.SetCommands(ctx); err != nil {
		log.Warn("setMyCommands failed", "err", err)
	}

	// The operator's HTTP server (and Telegram's, in webhook mode) listens
	// before the webhook is set, so that Telegram's first POST finds it.
	ops := &telegram.Ops{Bot: tg, Store: db, Metrics: metrics, BackupToken: backupToken, Logger: log}
	if addr != "off" {
		mux := http.NewServeMux()
		for _, p := range []string{"/healthz", "/metrics", "/backup"} {
			mux.Handle(p, ops.Handler())
		}
		if hook != nil {
			mux.Handle(hook.WebhookPath(), tg.WebhookHandler())
		}
		app, err := webapp.New(svc, webapp.Config{Token: token, Logger: log})
		if err != nil {
			return err
		}
		mux.Handle(webapp.Path, app.Handler())
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("NEUROTUTOR_LISTEN: %w", err)
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		log.Info("operator http server listening", "addr", ln.Addr().String())
		// Stopped after the bot: until RunWebhook returns, late POSTs get
		// a 503 (Telegram retries them later), not a refused connection.
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			srv.Shutdown(sctx)
			<-served
		}()
	}

	reminders := bot.NewReminders(svc, tg.Outbox())
	remindersDone := make(chan struct{})
	go func() { reminders.Run(ctx); close(remindersDone) }()
	rounds := bot.NewRounds(svc, tg.Outbox())
	roundsDone := make(chan struct{})
	go func() { rounds.Run(ctx); close(roundsDone) }()
	if hook != nil {
		log.Info("serving by webhook", "bot", name, "db", *dbPath, "path", hook.WebhookPath())
		err = tg.RunWebhook(ctx, *hook)
	} else {
		log.Info("serving by long polling", "bot", name, "db", *dbPath)
		err = tg.Run(ctx)
	}
	<-remindersDone
	<-roundsDone
	if err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// appConfig reads NEUROTUTOR_APP_URL, the Mini App's public address: an
// absolute https URL ("" for no Mini App buttons).
func appConfig(getenv func(string) string) (string, error) {
	v := strings.TrimSpace(getenv("NEUROTUTOR_APP_URL"))
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("NEUROTUTOR_APP_URL must be an https:// address without ? or #, where the proxy serves this bot's " + webapp.Path + " (e.g. https://bot.example.org/app/)")
	}
	return v, nil
}

// defaultPollListen is the operator server's address when polling: the
// endpoints are for the operator, so loopback only unless told otherwise.
const defaultPollListen = "127.0.0.1:8080"

// webhookConfig reads webhook mode's settings; nil means polling.
func webhookConfig(getenv func(string) string) (*telegram.WebhookConfig, error) {
	u := strings.TrimSpace(getenv("NEUROTUTOR_WEBHOOK_URL"))
	if u == "" {
		return nil, nil
	}
	w := telegram.WebhookConfig{URL: u, Secret: getenv("NEUROTUTOR_WEBHOOK_SECRET")}
	if v := strings.TrimSpace(getenv("NEUROTUTOR_WEBHOOK_MAX_CONNECTIONS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("NEUROTUTOR_WEBHOOK_MAX_CONNECTIONS: %q is not a number (1–100)", v)
		}
		w.MaxConnections = n
	}
	w, err := telegram.CheckWebhook(w)
	if err != nil {
		return nil, err
	}
	switch w.WebhookPath() {
	case "/healthz", "/metrics", "/backup":
		return nil, fmt.Errorf("NEUROTUTOR_WEBHOOK_URL: the path %s is the operator's; use another, e.g. /telegram", w.WebhookPath())
	}
	return &w, nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
