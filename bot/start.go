package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"neurotutor/lessons"
	"neurotutor/storage"
)

// startExport is the /start parameter of the deep link /export in a group
// gives a member who never opened a private chat with the bot.
const startExport = "export"

// handleStart greets a new learner with what the bot does, and a
// returning one with the way back into the course.
func (s *Service) handleStart(ctx context.Context, out Outbox, req Request, args string) error {
	var u storage.User
	if strings.TrimSpace(args) == startExport && req.Private {
		return s.handleExport(ctx, out, req, "")
	}
	if lab, ok := strings.CutPrefix(strings.TrimSpace(args), startLab); ok && req.Private {
		return s.openLab(ctx, out, req, lab)
	}
	if req.personal() {
		var err error
		if u, err = s.store.User(req.UserID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			s.log.Error("user", keyUserID, req.UserID, keyErr, err)
		}
	}
	if len(u.LessonsOpened) == 0 {
		_, err := s.reply(ctx, out, req.ChatID, msgStart, nil, [][]Button{{{Text: btnStartFirst, Data: dataLesson + "1"}}, {{Text: btnList, Data: dataList}}})
		return err
	}
	n := continueLesson(u)
	next := Button{Text: fmt.Sprintf(btnContinue, n), Data: dataLesson + strconv.Itoa(n)}
	if n == 0 {
		next = Button{Text: btnFinalQuiz, Data: dataQuiz + "0"}
	}
	text := fmt.Sprintf(msgStartBack, len(u.LessonsFinished), lessons.Count)
	_, err := s.reply(ctx, out, req.ChatID, text, nil, [][]Button{{next}, {{Text: btnList, Data: dataList}}})
	return err
}

// continueLesson is where a returning learner goes on: the furthest lesson
// opened while it is not finished, else the first lesson after it that is
// not finished; 0 when every lesson is finished.
func continueLesson(u storage.User) int {
	furthest := slices.Max(u.LessonsOpened)
	if !slices.Contains(u.LessonsFinished, furthest) {
		return furthest
	}
	for n := furthest + 1; n <= lessons.Count; n++ {
		if !slices.Contains(u.LessonsFinished, n) {
			return n
		}
	}
	for n := 1; n < furthest; n++ {
		if !slices.Contains(u.LessonsFinished, n) {
			return n
		}
	}
	return 0
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
