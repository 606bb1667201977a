package telegram

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// officialAPI is the Bot API's base URL.
const officialAPI = "https://api.telegram.org"

// tokenPattern is the shape of a bot token: the bot's numeric id, a colon,
// and a secret of letters, digits, '_' and '-'.
var tokenPattern = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{1,256}$`)

// CheckConfig trims and validates the token and the Bot API base URL ("" for
// the official one) and returns them cleaned. Its errors say what is wrong
// without echoing the token (a token may be pasted into the URL variable
// too, so the URL is not echoed either).
func CheckConfig(token, apiURL string) (string, string, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return "", "", errors.New("telegram: the bot token is empty")
	}
	if !tokenPattern.MatchString(token) {
		return "", "", fmt.Errorf("telegram: the bot token is malformed (%d characters; want digits, a colon and letters, digits, '_' or '-', as @BotFather gives it)", len(token))
	}
	apiURL = strings.TrimRight(strings.TrimSpace(apiURL), "/")
	if apiURL == "" {
		return token, officialAPI, nil
	}
	u, err := url.Parse(apiURL)
	switch {
	case err != nil:
		return "", "", errors.New("telegram: the Bot API URL does not parse")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", "", errors.New("telegram: the Bot API URL must start with http:// or https://")
	case u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", "", errors.New("telegram: the Bot API URL must be an absolute URL with a host and no user, query or fragment")
	case strings.ContainsAny(apiURL, " \t\r\n"):
		return "", "", errors.New("telegram: the Bot API URL contains spaces or line breaks")
	}
	return token, apiURL, nil
}

// Scrubber returns a function that removes the secrets (the token, in
// plain and URL-escaped form, and any other given, such as the webhook
// secret) from an error's text. The result still wraps the original, so
// errors.Is and errors.As see through it.
func Scrubber(secrets ...string) func(error) error {
	var pairs []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		pairs = append(pairs, s, "<secret>")
		if e := url.PathEscape(s); e != s {
			pairs = append(pairs, e, "<secret>")
		}
		if e := url.QueryEscape(s); e != s {
			pairs = append(pairs, e, "<secret>")
		}
		// The numeric id alone is public; the part after ':' is the secret.
		if _, rest, ok := strings.Cut(s, ":"); ok && len(rest) >= 8 {
			pairs = append(pairs, rest, "<secret>")
		}
	}
	r := strings.NewReplacer(pairs...)
	return func(err error) error {
		if err == nil || len(pairs) == 0 {
			return err
		}
		msg := err.Error()
		clean := r.Replace(msg)
		if clean == msg {
			return err
		}
		return &scrubbed{msg: clean, err: err}
	}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
