package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"neurotutor/lessons"
)

// Callback data: "lst" (the list), "les:N" (open lesson N), "run:N:I"
// (run lab I of lesson N). All far below Telegram's 64 bytes.
const (
	dataList   = "lst"
	dataLesson = "les:"
	dataRun    = "run:"
)

func (s *Service) handleLessons(ctx context.Context, out Outbox, req Request, _ string) error {
	_, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: msgLessonsList, Buttons: lessonListButtons()})
	return err
}

func lessonListButtons() [][]Button {
	var kb [][]Button
	for _, l := range lessons.All() {
		kb = append(kb, []Button{{Text: fmt.Sprintf("%d. %s", l.N, l.Title), Data: dataLesson + strconv.Itoa(l.N)}})
	}
	return kb
}

func (s *Service) handleLesson(ctx context.Context, out Outbox, req Request, args string) error {
	n, err := strconv.Atoi(strings.TrimSpace(args))
	if err != nil || n < 1 || n > lessons.Count {
		return userErrorf(msgLessonUsage, lessons.Count)
	}
	return s.showLesson(ctx, out, req, n, 0)
}

// lessonText renders lesson n as HTML parts within the message limit.
func lessonText(l lessons.Lesson) []string {
	text := fmt.Sprintf(msgLessonHeader, l.N, lessons.Count, esc(l.Title)) + "\n\n" + esc(l.Text)
	return split(text, maxText)
}

// lessonButtons: the labs this bot answers, then ← list →.
func (s *Service) lessonButtons(l lessons.Lesson) [][]Button {
	var kb [][]Button
	for i, lab := range l.Labs {
		if s.hasCommand(lab.Command) {
			kb = append(kb, []Button{{Text: lab.Label, Data: fmt.Sprintf("%s%d:%d", dataRun, l.N, i)}})
		}
	}
	var nav []Button
	if l.N > 1 {
		nav = append(nav, Button{Text: btnPrev, Data: dataLesson + strconv.Itoa(l.N-1)})
	}
	nav = append(nav, Button{Text: btnList, Data: dataList})
	if l.N < lessons.Count {
		nav = append(nav, Button{Text: btnNext, Data: dataLesson + strconv.Itoa(l.N+1)})
	}
	return append(kb, nav)
}

// showLesson sends lesson n, or, when editID is set and the lesson fits
// one message, replaces that message (navigation in place).
func (s *Service) showLesson(ctx context.Context, out Outbox, req Request, n, editID int) error {
	l, ok := lessons.Get(n)
	if !ok {
		return userErrorf(msgLessonUsage, lessons.Count)
	}
	if err := s.store.MarkLessonOpened(req.UserID, n); err != nil {
		s.log.Error("mark lesson opened", keyUserID, req.UserID, keyErr, err)
	}
	parts := lessonText(l)
	kb := s.lessonButtons(l)
	if editID != 0 && len(parts) == 1 {
		return out.Edit(ctx, editID, Message{ChatID: req.ChatID, HTML: parts[0], Buttons: kb})
	}
	for i, p := range parts {
		m := Message{ChatID: req.ChatID, HTML: p}
		if i == len(parts)-1 {
			m.Buttons = kb
		}
		if _, err := out.Send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// handleCallback answers a button press.
func (s *Service) handleCallback(ctx context.Context, out Outbox, req Request) error {
	data := req.Data
	switch {
	case data == dataList:
		if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
			return err
		}
		return out.Edit(ctx, req.MessageID, Message{ChatID: req.ChatID, HTML: msgLessonsList, Buttons: lessonListButtons()})
	case strings.HasPrefix(data, dataLesson):
		n, err := strconv.Atoi(data[len(dataLesson):])
		if err != nil || n < 1 || n > lessons.Count {
			return out.AnswerCallback(ctx, req.CallbackID, msgStaleButton)
		}
		if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
			return err
		}
		return s.showLesson(ctx, out, req, n, req.MessageID)
	case strings.HasPrefix(data, dataRun):
		n, i, ok := parseRun(data[len(dataRun):])
		l, found := lessons.Get(n)
		if !ok || !found || i >= len(l.Labs) || !s.hasCommand(l.Labs[i].Command) {
			return out.AnswerCallback(ctx, req.CallbackID, msgStaleButton)
		}
		if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
			return err
		}
		lab := l.Labs[i]
		req.Text = "/" + lab.Command + " " + lab.Example
		return s.runCommand(ctx, out, req, lab.Command)
	}
	return out.AnswerCallback(ctx, req.CallbackID, msgStaleButton)
}

func parseRun(s string) (n, i int, ok bool) {
	a, b, found := strings.Cut(s, ":")
	if !found {
		return 0, 0, false
	}
	n, err1 := strconv.Atoi(a)
	i, err2 := strconv.Atoi(b)
	return n, i, err1 == nil && err2 == nil && i >= 0
}
