package webapp

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits of ValidateInitData.
const (
	// MaxInitDataAge is how old an initData's auth_date may be: 24 hours,
	// after which a stolen initData is worthless. Exactly 24 hours old is
	// still valid.
	MaxInitDataAge = 24 * time.Hour

	// MaxClockSkew is how far in the future an auth_date may be, for a
	// server clock that is a little behind Telegram's: 5 minutes. Anything
	// later is malformed (ErrBadInitData), not young.
	MaxClockSkew = 5 * time.Minute

	// MaxInitDataLen is the longest initData accepted, in bytes of the
	// query string as received: 4096. Telegram's real ones are well under
	// 1 KB (a user object with a photo URL, a chat, a start_param of at
	// most 512 characters); the bound keeps parsing and hashing of
	// unauthenticated input cheap.
	MaxInitDataLen = 4096
)

// maxAuthDate is the latest auth_date that parses, in Unix seconds
// (9999-12-31T23:59:59Z), so that absurd values never overflow time.Time.
const maxAuthDate = 253402300799

// Errors of ValidateInitData. They are wrapped with a detail in English
// that names what is wrong but never contains the bot token or a field's
// value; check them with errors.Is.
var (
	// ErrNoInitData means the initData was empty: the page was not opened
	// as a Mini App, or the client sent nothing.
	ErrNoInitData = errors.New("webapp: no initData")
	// ErrBadInitData means the initData is malformed, its hash does not
	// match (tampered, or signed for another bot), or it lacks a field this
	// bot needs.
	ErrBadInitData = errors.New("webapp: bad initData")
	// ErrExpired means the initData is authentic but its auth_date is older
	// than MaxInitDataAge: the Mini App must be reopened.
	ErrExpired = errors.New("webapp: initData expired")
)

// WebAppUser is the user a valid initData names: the fields of Telegram's
// WebAppUser that neurotutor uses. Others (is_premium, photo_url, …) are
// ignored.
type WebAppUser struct {
	// ID is the Telegram user id, always positive in a validated InitData.
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Username     string `json:"username"`
	LanguageCode string `json:"language_code"`
}

// InitData is validated initData: what the Mini App's client says about its
// user, signed by Telegram with the bot's token.
type InitData struct {
	User WebAppUser
	// AuthDate is when Telegram signed it, in UTC, to the second.
	AuthDate time.Time
	// QueryID is set when the Mini App was opened from an inline button,
	// "" otherwise.
	QueryID string
	// StartParam is the startapp parameter of a direct link, "" if none.
	StartParam string
}

// field is one key=value of an initData, both URL-decoded.
type field struct{ key, value string }

// ValidateInitData checks initData, the Mini App's
// Telegram.WebApp.initData (a URL query string), against botToken at the
// moment now, as the Bot API documents
// (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
// the data-check-string is every received field except hash (signature
// included), sorted by key, as key=value with URL-decoded values, joined by
// "\n"; the secret key is HMAC-SHA256 of the token keyed with "WebAppData";
// hash must be the hex HMAC-SHA256 of the data-check-string under that
// key, compared in constant time.
//
// Beyond the hash it requires:
//   - at most MaxInitDataLen bytes, every piece key=value with valid %
//     escapes, no key twice, no empty key, no "=" in a key and no line
//     break in a key or value (Telegram never sends one, and one would let
//     the fields of a data-check-string be regrouped);
//   - hash: 64 hex digits;
//   - auth_date: decimal Unix seconds, at most MaxInitDataAge old
//     (ErrExpired otherwise) and at most MaxClockSkew ahead of now;
//   - user: a JSON object with a positive id. A Mini App without a user
//     (one opened from an attachment menu in a group, say) is rejected:
//     the labs record progress per user.
//
// The hash is checked before any field is interpreted, so an unsigned
// input's auth_date or user never matter. Errors wrap ErrNoInitData,
// ErrBadInitData or ErrExpired.
func ValidateInitData(initData, botToken string, now time.Time) (InitData, error) {
	if initData == "" {
		return InitData{}, ErrNoInitData
	}
	if len(initData) > MaxInitDataLen {
		return InitData{}, fmt.Errorf("%w: %d bytes, more than %d", ErrBadInitData, len(initData), MaxInitDataLen)
	}
	if botToken == "" {
		return InitData{}, fmt.Errorf("%w: no bot token to check it with", ErrBadInitData)
	}
	fields, err := parseFields(initData)
	if err != nil {
		return InitData{}, err
	}

	var got []byte
	signed := make([]field, 0, len(fields))
	for _, f := range fields {
		if f.key != "hash" {
			signed = append(signed, f)
			continue
		}
		if len(f.value) != 2*sha256.Size {
			return InitData{}, fmt.Errorf("%w: hash is %d characters, want %d hex digits", ErrBadInitData, len(f.value), 2*sha256.Size)
		}
		if got, err = hex.DecodeString(f.value); err != nil {
			return InitData{}, fmt.Errorf("%w: hash is not hex", ErrBadInitData)
		}
	}
	if got == nil {
		return InitData{}, fmt.Errorf("%w: no hash", ErrBadInitData)
	}
	if !hmac.Equal(got, sum(signed, botToken)) {
		return InitData{}, fmt.Errorf("%w: hash does not match (tampered, or signed for another bot)", ErrBadInitData)
	}

	var d InitData
	var haveDate, haveUser bool
	for _, f := range signed {
		switch f.key {
		case "auth_date":
			sec, err := parseUnix(f.value)
			if err != nil {
				return InitData{}, err
			}
			d.AuthDate, haveDate = time.Unix(sec, 0).UTC(), true
		case "user":
			if err := json.Unmarshal([]byte(f.value), &d.User); err != nil {
				return InitData{}, fmt.Errorf("%w: user is not a JSON user object", ErrBadInitData)
			}
			if d.User.ID <= 0 {
				return InitData{}, fmt.Errorf("%w: user has no positive id", ErrBadInitData)
			}
			haveUser = true
		case "query_id":
			d.QueryID = f.value
		case "start_param":
			d.StartParam = f.value
		}
	}
	switch {
	case !haveDate:
		return InitData{}, fmt.Errorf("%w: no auth_date", ErrBadInitData)
	case !haveUser:
		return InitData{}, fmt.Errorf("%w: no user", ErrBadInitData)
	case d.AuthDate.After(now.Add(MaxClockSkew)):
		return InitData{}, fmt.Errorf("%w: auth_date is %s ahead of the server's clock, more than %s", ErrBadInitData, d.AuthDate.Sub(now), MaxClockSkew)
	case now.Sub(d.AuthDate) > MaxInitDataAge:
		return InitData{}, fmt.Errorf("%w: signed %s ago, more than %s", ErrExpired, now.Sub(d.AuthDate).Truncate(time.Second), MaxInitDataAge)
	}
	return d, nil
}

// Sign returns an initData for fields signed with botToken, as Telegram
// would send it: the fields in key order, then hash. Tests and the
// development mode use it. A "hash" among fields is ignored; fields is not
// modified. Every value of a key with several is signed and written, in
// order, which gives an initData that ValidateInitData rejects for its
// duplicate key (tests use that).
func Sign(fields url.Values, botToken string) string {
	var pairs []field
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if k == "hash" {
			continue
		}
		for _, v := range fields[k] {
			pairs = append(pairs, field{k, v})
		}
	}
	var b strings.Builder
	for _, p := range pairs {
		b.WriteString(url.QueryEscape(p.key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.value))
		b.WriteByte('&')
	}
	b.WriteString("hash=")
	b.WriteString(hex.EncodeToString(sum(pairs, botToken)))
	return b.String()
}

// sum returns HMAC-SHA256(key = HMAC-SHA256(key = "WebAppData", botToken),
// data-check-string of fields). It sorts a copy of fields by key, stably.
func sum(fields []field, botToken string) []byte {
	secret := hmac.New(sha256.New, []byte("WebAppData"))
	secret.Write([]byte(botToken))

	sorted := slices.Clone(fields)
	slices.SortStableFunc(sorted, func(a, b field) int { return cmp.Compare(a.key, b.key) })
	mac := hmac.New(sha256.New, secret.Sum(nil))
	for i, f := range sorted {
		if i > 0 {
			mac.Write([]byte{'\n'})
		}
		mac.Write([]byte(f.key))
		mac.Write([]byte{'='})
		mac.Write([]byte(f.value))
	}
	return mac.Sum(nil)
}

// parseFields splits a query string into its URL-decoded fields, in order,
// rejecting what ValidateInitData's comment lists. Its errors wrap
// ErrBadInitData and quote at most the first 32 characters of a key.
func parseFields(s string) ([]field, error) {
	var fields []field
	seen := make(map[string]bool)
	for piece := range strings.SplitSeq(s, "&") {
		k, v, ok := strings.Cut(piece, "=")
		if !ok {
			return nil, fmt.Errorf("%w: field %d is not key=value", ErrBadInitData, len(fields)+1)
		}
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("%w: field %d has a bad %% escape in its key", ErrBadInitData, len(fields)+1)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %.32q has a bad %% escape in its value", ErrBadInitData, key)
		}
		switch {
		case key == "":
			return nil, fmt.Errorf("%w: field %d has an empty key", ErrBadInitData, len(fields)+1)
		case strings.ContainsAny(key, "=\n"):
			return nil, fmt.Errorf("%w: field %d has '=' or a line break in its key", ErrBadInitData, len(fields)+1)
		case strings.Contains(value, "\n"):
			return nil, fmt.Errorf("%w: %.32q has a line break in its value", ErrBadInitData, key)
		case seen[key]:
			return nil, fmt.Errorf("%w: %.32q appears twice", ErrBadInitData, key)
		}
		seen[key] = true
		fields = append(fields, field{key, value})
	}
	return fields, nil
}

// parseUnix parses auth_date: 1 to 12 decimal digits, a positive number of
// seconds no later than maxAuthDate.
func parseUnix(s string) (int64, error) {
	if s == "" || len(s) > 12 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("%w: auth_date is not decimal Unix seconds", ErrBadInitData)
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil || sec <= 0 || sec > maxAuthDate {
		return 0, fmt.Errorf("%w: auth_date is out of range", ErrBadInitData)
	}
	return sec, nil
}
