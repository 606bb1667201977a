// Command neurotutor runs the tutor bot against the Telegram Bot API, or,
// with "console", as a chat in the terminal.
//
//	neurotutor            # serve Telegram; needs TELEGRAM_BOT_TOKEN
//	neurotutor console    # try the bot in the terminal
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	_ "time/tzdata" // learners' time zones work on machines and images without tzdata

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/storage"
)

func main() {
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
	// Whatever goes wrong, the error printed never carries the token.
	defer func() { err = telegram.Scrubber(strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")))(err) }()
	fs := flag.NewFlagSet("neurotutor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", envOr(getenv, "NEUROTUTOR_DB", "./neurotutor.db"), "bbolt database file (env NEUROTUTOR_DB)")
	apiURL := fs.String("api-url", getenv("TELEGRAM_API_URL"), "Bot API base URL, for a self-hosted Bot API server (env TELEGRAM_API_URL; default the official one)")
	outDir := fs.String("out", "./out", "console: where chart PNGs are written")
	verbose := fs.Bool("v", false, "debug logging")
	if err := fs.Parse(args); err != nil {
		return err
	}
	mode := fs.Arg(0)
	if mode != "" && mode != "console" && mode != "serve" {
		return fmt.Errorf("unknown mode %q: use \"console\" or nothing", mode)
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
		svc, err := bot.NewService(bot.Options{Logger: log, Store: db, Charts: db})
		if err != nil {
			return err
		}
		c := &bot.Console{Service: svc, In: stdin, Out: stdout, Dir: *outDir, Log: filepath.Join(*outDir, "console.log")}
		return c.Run(ctx)
	}

	token := strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN"))
	if token == "" {
		return errors.New("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather), or run \"neurotutor console\" to try the bot in the terminal")
	}
	// The Service learns the bot's username (to ignore /cmd@OtherBot in
	// groups) from getMe below, before serving starts.
	svc, err := bot.NewService(bot.Options{Logger: log, Store: db, Charts: db})
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

	tg, err := telegram.New(svc, telegram.Config{Token: token, ServerURL: *apiURL, Logger: log, Sender: sender, Inbox: db})
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
	log.Info("serving", "bot", name, "db", *dbPath)
	reminders := bot.NewReminders(svc, tg.Outbox())
	remindersDone := make(chan struct{})
	go func() { reminders.Run(ctx); close(remindersDone) }()
	err = tg.Run(ctx)
	<-remindersDone
	if err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
