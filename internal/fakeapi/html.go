package fakeapi

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf16"
)

// Telegram's limits, in UTF-16 code units of the text after parsing.
const (
	maxText    = 4096
	maxCaption = 1024
)

var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "code": true, "pre": true, "a": true, "tg-spoiler": true,
	"span": true, "blockquote": true,
}

var entityRe = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);`)

// parseHTML checks text the way Telegram does for parse_mode HTML and
// returns the visible text: only the supported tags, properly nested;
// every '<' and '&' part of a tag or entity.
func parseHTML(s string) (string, error) {
	var stack []string
	var visible strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("can't parse entities: unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+j]
			closing := strings.HasPrefix(tag, "/")
			name := strings.TrimPrefix(tag, "/")
			if k := strings.IndexAny(name, " \t\n"); k >= 0 {
				name = name[:k]
			}
			if !allowedTags[name] {
				return "", fmt.Errorf("can't parse entities: unsupported start tag %q at byte offset %d", name, i)
			}
			if closing {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("can't parse entities: unmatched end tag at byte offset %d, expected \"</%s>\"", i, last(stack))
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, name)
			}
			i += j + 1
		case '&':
			m := entityRe.FindString(s[i:])
			if m == "" {
				return "", fmt.Errorf("can't parse entities: bare '&' at byte offset %d", i)
			}
			visible.WriteString(html.UnescapeString(m))
			i += len(m)
		default:
			visible.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't parse entities: can't find end tag corresponding to start tag \"%s\"", last(stack))
	}
	return visible.String(), nil
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// checkText validates a text or caption field as Telegram would.
func checkText(text, parseMode string, limit int) error {
	visible := text
	if parseMode == "HTML" {
		var err error
		if visible, err = parseHTML(text); err != nil {
			return err
		}
	}
	if n := utf16Len(visible); n > limit {
		return fmt.Errorf("message is too long: %d > %d", n, limit)
	}
	return nil
}
