package bot

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
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
	f = strings.NewReplacer("е", "e", "Е", "E").Replace(f) // a Cyrillic е in "1е3"
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

// Parameter names typed in Cyrillic. A learner on a Russian keyboard types
// "х=" for x (the letters look alike), "д=" for d (they sound alike) or
// "в=" for d (the same key on the ЙЦУКЕН layout). resolve renames such keys
// to the command's own ones, trying the readings in this order: how the
// letters look, which keys they share on the keyboard, how they sound. A
// key with no Cyrillic letters is left alone.
var (
	// lookAlike maps Cyrillic letters to the Latin letters they look like.
	lookAlike = map[rune]string{
		'а': "a", 'в': "b", 'ь': "b", 'с': "c", 'ԁ': "d", 'е': "e", 'ё': "e", 'г': "r", 'һ': "h",
		'і': "i", 'ј': "j", 'к': "k", 'м': "m", 'п': "n", 'о': "o", 'р': "p", 'ѕ': "s",
		'т': "t", 'и': "u", 'у': "y", 'ш': "w", 'х': "x",
	}
	// sameKey maps Cyrillic letters to the Latin letters on the same key
	// of the Russian ЙЦУКЕН and the US QWERTY layouts.
	sameKey = map[rune]string{
		'й': "q", 'ц': "w", 'у': "e", 'к': "r", 'е': "t", 'н': "y", 'г': "u", 'ш': "i", 'щ': "o",
		'з': "p", 'х': "[", 'ъ': "]", 'ф': "a", 'ы': "s", 'в': "d", 'а': "f", 'п': "g", 'р': "h",
		'о': "j", 'л': "k", 'д': "l", 'ж': ";", 'э': "'", 'я': "z", 'ч': "x", 'с': "c", 'м': "v",
		'и': "b", 'т': "n", 'ь': "m", 'б': ",", 'ю': ".", 'ё': "`",
	}
	// soundsLike maps Cyrillic letters to the Latin letters that spell the
	// same sound in a parameter name; some letters have two spellings.
	soundsLike = map[rune][]string{
		'а': {"a"}, 'б': {"b"}, 'в': {"v", "w"}, 'г': {"g"}, 'д': {"d"}, 'е': {"e"}, 'ё': {"e"},
		'ж': {"zh"}, 'з': {"z"}, 'и': {"i"}, 'й': {"y", "i"}, 'к': {"k", "c"}, 'л': {"l"},
		'м': {"m"}, 'н': {"n"}, 'о': {"o"}, 'п': {"p"}, 'р': {"r"}, 'с': {"s", "c"}, 'т': {"t"},
		'у': {"u"}, 'ф': {"f"}, 'х': {"h", "x"}, 'ц': {"c"}, 'ч': {"ch"}, 'ш': {"sh"}, 'э': {"e"},
		'ы': {"y"}, 'ь': {""}, 'ю': {"yu"}, 'я': {"ya"},
	}
	// spelledOut are whole Russian spellings no letter table reaches.
	spelledOut = map[string]string{"сид": "seed", "сиид": "seed", "кьюр": "cur", "дименшн": "dim"}
)

// maxKeyRunes bounds the keys resolve tries to read in other ways (the
// longest parameter name is 4 letters; sounds-like readings branch).
const maxKeyRunes = 8

// resolve renames Cyrillic look-alike keys to the valid ones. Two keys
// that land on the same name are a duplicate.
func (a *args) resolve(valid ...string) error {
	keys := make([]string, 0, len(a.kv))
	for k := range a.kv {
		if !slices.Contains(valid, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		c := latinKey(k, valid)
		if c == "" {
			continue
		}
		if _, dup := a.kv[c]; dup {
			return &argError{kind: errDupKey, key: c}
		}
		a.kv[c] = a.kv[k]
		delete(a.kv, k)
	}
	return nil
}

// latinKey reads a Cyrillic key as one of valid, or returns "".
func latinKey(k string, valid []string) string {
	if utf8.RuneCountInString(k) > maxKeyRunes || !strings.ContainsFunc(k, isCyrillic) {
		return ""
	}
	if v, ok := spelledOut[strings.ReplaceAll(k, "ё", "е")]; ok && slices.Contains(valid, v) {
		return v
	}
	for _, table := range []map[rune]string{lookAlike, sameKey} {
		if c := mapRunes(k, table); slices.Contains(valid, c) {
			return c
		}
	}
	for _, c := range spellings(k) {
		if slices.Contains(valid, c) {
			return c
		}
	}
	return ""
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }

// mapRunes replaces each letter found in table; other letters stay.
func mapRunes(s string, table map[rune]string) string {
	var b strings.Builder
	for _, r := range s {
		if t, ok := table[r]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// spellings lists the Latin spellings of s by sound (at most 2^maxKeyRunes).
func spellings(s string) []string {
	out := []string{""}
	for _, r := range s {
		alts, ok := soundsLike[r]
		if !ok {
			alts = []string{string(r)}
		}
		next := make([]string, 0, len(out)*len(alts))
		for _, p := range out {
			for _, a := range alts {
				next = append(next, p+a)
			}
		}
		out = next
	}
	return out
}

// strayTail splits a value whose last words are not numbers at all
// ("-1 extra"): head is the part before them, tail the words. ok is false
// when every word could be a number, or the first one is not.
func strayTail(val string) (head, tail string, ok bool) {
	f := strings.Fields(val)
	for i, w := range f {
		if i > 0 && isWord(w) {
			return strings.Join(f[:i], " "), strings.Join(f[i:], " "), true
		}
	}
	return "", "", false
}

// isWord reports whether w has a letter that no number has (numbers have
// e and E, and "inf", "nan" are refused as numbers anyway).
func isWord(w string) bool {
	return strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) && r != 'e' && r != 'E' })
}

// isInteger reports whether s is written as a whole number, "16" or "-3".
func isInteger(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	return s != "" && strings.Trim(s, "0123456789") == ""
}
