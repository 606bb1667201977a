package bot

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxArgs bounds the argument text of any command, in characters; a
// Telegram message is at most 4096 anyway, the console could send more.
const maxArgs = 4096

// args are a command's arguments: positional words, then key=value pairs
// in any order ("w=0.5, 1 x=2;3 b=-1"). Spaces around "=" and after
// separators are fine.
type args struct {
	pos []string
	kv  map[string]string
}

var keyRe = regexp.MustCompile(`(?:^|\s)([\p{L}_]+)\s*=`)

// argError is a problem with what the learner typed; bot handlers turn it
// into a Russian message with an example.
type argError struct {
	kind string // one of the errXxx kinds below
	key  string // the parameter concerned, if any
	val  string // the offending text, if any
}

const (
	errTooLong   = "too long"
	errDupKey    = "duplicate key"
	errEmpty     = "empty value"
	errNotNumber = "not a number"
	errNotFinite = "not finite"
	errNotInt    = "not an integer"
)

func (e *argError) Error() string { return fmt.Sprintf("args: %s %q %q", e.kind, e.key, e.val) }

// normalize maps the minus signs and dashes people paste to "-".
var normalize = strings.NewReplacer("−", "-", "–", "-", "—", "-", "\u00a0", " ")

func parseArgs(s string) (args, error) {
	if utf8.RuneCountInString(s) > maxArgs {
		return args{}, &argError{kind: errTooLong}
	}
	s = normalize.Replace(s)
	a := args{kv: map[string]string{}}
	locs := keyRe.FindAllStringSubmatchIndex(s, -1)
	end := len(s)
	if len(locs) > 0 {
		end = locs[0][0]
	}
	a.pos = strings.Fields(s[:end])
	for i, l := range locs {
		key := strings.ToLower(s[l[2]:l[3]])
		valEnd := len(s)
		if i+1 < len(locs) {
			valEnd = locs[i+1][0]
		}
		val := strings.TrimSpace(s[l[1]:valEnd])
		if _, dup := a.kv[key]; dup {
			return args{}, &argError{kind: errDupKey, key: key}
		}
		if val == "" {
			return args{}, &argError{kind: errEmpty, key: key}
		}
		a.kv[key] = val
	}
	return a, nil
}

// numbers parses a list of numbers. Values are separated by commas,
// semicolons or spaces, and the decimal separator is a dot: "0.5, 1".
// When the list contains a semicolon, semicolons alone separate values and
// a comma is a decimal comma: "0,5; 1" is 0.5 and 1.
func numbers(key, val string, max int) ([]float64, error) {
	var fields []string
	if strings.Contains(val, ";") {
		for _, f := range strings.Split(val, ";") {
			fields = append(fields, strings.ReplaceAll(strings.TrimSpace(f), ",", "."))
		}
	} else {
		fields = strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	}
	if len(fields) == 0 {
		return nil, &argError{kind: errEmpty, key: key}
	}
	if len(fields) > max {
		return nil, &argError{kind: errTooLong, key: key}
	}
	out := make([]float64, 0, len(fields))
	for _, f := range fields {
		if f == "" {
			return nil, &argError{kind: errEmpty, key: key}
		}
		v, err := number(key, f)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// number parses one finite number; "NaN", "Inf" and overflowing values
// are refused.
func number(key, f string) (float64, error) {
	v, err := strconv.ParseFloat(f, 64)
	if errors.Is(err, strconv.ErrRange) || err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		return 0, &argError{kind: errNotFinite, key: key, val: f}
	}
	if err != nil {
		return 0, &argError{kind: errNotNumber, key: key, val: f}
	}
	return v, nil
}

// integer parses a whole number.
func integer(key, f string) (int, error) {
	f = strings.TrimSpace(f)
	v, err := strconv.Atoi(f)
	if err != nil {
		if _, ferr := strconv.ParseFloat(f, 64); ferr == nil || errors.Is(ferr, strconv.ErrRange) {
			return 0, &argError{kind: errNotInt, key: key, val: f}
		}
		return 0, &argError{kind: errNotNumber, key: key, val: f}
	}
	return v, nil
}
