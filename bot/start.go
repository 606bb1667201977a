package bot

import (
	"context"
	"fmt"
)

func (s *Service) handleStart(ctx context.Context, out Outbox, req Request, _ string) error {
	_, err := s.reply(ctx, out, req.ChatID, msgStart, nil, [][]Button{{{Text: btnList, Data: dataList}}})
	return err
}

func (s *Service) handleHelp(ctx context.Context, out Outbox, req Request, _ string) error {
	_, err := s.reply(ctx, out, req.ChatID, msgHelp, nil, nil)
	return err
}

// argMessage phrases an argument problem for the learner.
func argMessage(e *argError) string {
	key := e.key
	if key == "" {
		key = "N"
	}
	switch e.kind {
	case errDupKey:
		return fmt.Sprintf(msgArgDup, esc(key))
	case errEmpty:
		return fmt.Sprintf(msgArgEmpty, esc(key))
	case errNotNumber:
		return fmt.Sprintf(msgArgNotNumber, esc(clipRunes(e.val, 40)), esc(key))
	case errNotFinite:
		return fmt.Sprintf(msgArgNotFinite, esc(clipRunes(e.val, 40)), esc(key))
	case errNotInt:
		return fmt.Sprintf(msgArgNotInt, esc(clipRunes(e.val, 40)), esc(key))
	}
	return msgArgTooLong
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
