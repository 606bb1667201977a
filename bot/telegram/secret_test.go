package telegram_test

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/storage"
)

const secretPart = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

func TestCheckConfig(t *testing.T) {
	token := "110201543:" + secretPart
	for _, c := range []struct {
		name, token, url string
		wantToken, want  string // want: the cleaned URL, or "" for an error
	}{
		{"windows line end", token + "\r", "", token, "https://api.telegram.org"},
		{"spaces and newline", "  " + token + "\n", "http://127.0.0.1:8081/ ", token, "http://127.0.0.1:8081"},
		{"no colon", "110201543" + secretPart, "", "", ""},
		{"empty", " \r\n", "", "", ""},
		{"inner space", "110201543:AAH dq", "", "", ""},
		{"relative url", token, "api.telegram.org", "", ""},
		{"ftp url", token, "ftp://api.telegram.org", "", ""},
		{"broken url", token, "http://[::1", "", ""},
		{"url with the token pasted", token, "https://api.telegram.org/bot" + token + "?x=1", "", ""},
		{"url with a line break", token, "https://api.tele\ngram.org", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			tok, base, err := telegram.CheckConfig(c.token, c.url)
			if c.want == "" {
				if err == nil {
					t.Fatalf("accepted %q %q", c.token, c.url)
				}
				if strings.Contains(err.Error(), secretPart) {
					t.Fatalf("error echoes the token: %v", err)
				}
				return
			}
			if err != nil || tok != c.wantToken || base != c.want {
				t.Fatalf("got %q %q %v", tok, base, err)
			}
		})
	}
}

// An error that carries the token, plain or escaped, is scrubbed and still
// matches what it wraps.
func TestScrubber(t *testing.T) {
	token := "110201543:" + secretPart
	scrub := telegram.Scrubber(token, "webhook-secret-123")
	for _, msg := range []string{
		"Post \"https://api.telegram.org/bot" + token + "/getMe\": dial tcp: lookup failed",
		"parse \"https://x/bot" + url.PathEscape(token+"\r") + "/sendMessage\": net/url: invalid control character in URL",
		"secret only: " + secretPart,
		"header webhook-secret-123 mismatch",
	} {
		err := scrub(fmt.Errorf("%w: %s", tgbot.ErrorForbidden, msg))
		if strings.Contains(err.Error(), secretPart) || strings.Contains(err.Error(), "webhook-secret-123") {
			t.Errorf("not scrubbed: %v", err)
		}
		if !errors.Is(err, tgbot.ErrorForbidden) {
			t.Errorf("scrubbing lost the wrapped error: %v", err)
		}
	}
	if scrub(nil) != nil {
		t.Fatal("nil became an error")
	}
}

// New refuses a malformed configuration without echoing the token.
func TestNewRefusesBadConfig(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := bot.NewService(bot.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	_, err = telegram.New(svc, telegram.Config{Token: "110201543:" + secretPart, ServerURL: "http://[::1"})
	if err == nil || strings.Contains(err.Error(), secretPart) {
		t.Fatalf("got %v", err)
	}
}
