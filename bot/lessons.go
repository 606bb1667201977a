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

// Callback data: "lst" (the list), "les:N" (open lesson N at its first
// page), "sec:N:id" (page id of lesson N: the note or a teacher's
// section), "run:N:I" (run lab I of lesson N). All far below Telegram's
// 64 bytes (section ids are at most 8 characters).
const (
	dataList    = "lst"
	dataLesson  = "les:"
	dataSection = "sec:"
	dataRun     = "run:"
)

func (s *Service) handleLessons(ctx context.Context, out Outbox, req Request, _ string) error {
	_, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: msgLessonsList, Buttons: s.lessonListButtons(req.UserID)})
	return err
}

// lessonListButtons lists the lessons, marked as the learner has read
// (opened) or finished (every quiz question answered right once) them.
func (s *Service) lessonListButtons(userID int64) [][]Button {
	u, err := s.store.User(userID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.log.Error("user", keyUserID, userID, keyErr, err)
	}
	var kb [][]Button
	for _, l := range lessons.All() {
		mark := ""
		switch {
		case slices.Contains(u.LessonsFinished, l.N):
			mark = markFinished + " "
		case slices.Contains(u.LessonsOpened, l.N):
			mark = markRead + " "
		}
		kb = append(kb, []Button{{Text: fmt.Sprintf("%s%d. %s", mark, l.N, l.Title), Data: dataLesson + strconv.Itoa(l.N)}})
	}
	return kb
}

func (s *Service) handleLesson(ctx context.Context, out Outbox, req Request, args string) error {
	n, err := strconv.Atoi(strings.TrimSpace(args))
	if err != nil || n < 1 || n > lessons.Count {
		return userErrorf(msgLessonUsage, lessons.Count)
	}
	return s.showPage(ctx, out, req, n, lessons.NoteID, 0)
}

// pages are a lesson's pages in reading order: the learner's note, then
// the teacher's sections.
func pages(l lessons.Lesson) []string {
	ids := []string{lessons.NoteID}
	for _, sec := range l.Sections {
		ids = append(ids, sec.ID)
	}
	return ids
}

// pageText renders page id of lesson l as HTML parts within the message
// limit: the lesson's header, where the page is in it, then the text.
func pageText(l lessons.Lesson, id string) ([]string, bool) {
	sec, ok := l.Section(id)
	if !ok {
		return nil, false
	}
	ids := pages(l)
	where := fmt.Sprintf(msgLessonPage, slices.Index(ids, id)+1, len(ids), esc(sec.Title))
	if len(ids) == 1 {
		where = "<i>" + esc(sec.Title) + "</i>"
	}
	text := fmt.Sprintf(msgLessonHeader, l.N, lessons.Count, esc(l.Title)) + "\n" + where + "\n\n" + esc(sec.Text)
	return split(text, maxText), true
}

// pageButtons: on the lesson's last page its labs, "check yourself" and
// the way on (the next lesson, or after the last a quiz on everything);
// on every page ← and → through the pages and the list.
func (s *Service) pageButtons(l lessons.Lesson, id string) [][]Button {
	ids := pages(l)
	i := slices.Index(ids, id)
	var kb [][]Button
	last := i == len(ids)-1
	if last {
		for j, lab := range l.Labs {
			if s.hasCommand(lab.Command) {
				kb = append(kb, []Button{{Text: lab.Label, Data: fmt.Sprintf("%s%d:%d", dataRun, l.N, j)}})
			}
		}
		kb = append(kb, []Button{{Text: btnCheckYourself, Data: dataQuiz + strconv.Itoa(l.N)}})
		if l.N == lessons.Count {
			kb = append(kb, []Button{{Text: btnFinalQuiz, Data: dataQuiz + "0"}})
		}
	}
	var nav []Button
	switch {
	case i > 0:
		nav = append(nav, Button{Text: btnPrev, Data: sectionData(l.N, ids[i-1])})
	case l.N > 1:
		prev, _ := lessons.Get(l.N - 1)
		pp := pages(prev)
		nav = append(nav, Button{Text: fmt.Sprintf(btnPrevLesson, l.N-1), Data: sectionData(prev.N, pp[len(pp)-1])})
	}
	nav = append(nav, Button{Text: btnList, Data: dataList})
	switch {
	case !last:
		nav = append(nav, Button{Text: btnNext, Data: sectionData(l.N, ids[i+1])})
	case l.N < lessons.Count:
		nav = append(nav, Button{Text: fmt.Sprintf(btnNextLesson, l.N+1), Data: dataLesson + strconv.Itoa(l.N+1)})
	}
	return append(kb, nav)
}

func sectionData(n int, id string) string { return dataSection + strconv.Itoa(n) + ":" + id }

// showPage sends page id of lesson n, or, when editID is set and the page
// fits one message, replaces that message (reading in place).
func (s *Service) showPage(ctx context.Context, out Outbox, req Request, n int, id string, editID int) error {
	l, ok := lessons.Get(n)
	if !ok {
		return userErrorf(msgLessonUsage, lessons.Count)
	}
	parts, ok := pageText(l, id)
	if !ok {
		return userErrorf(msgLessonUsage, lessons.Count)
	}
	if !req.personal() {
		// on behalf of a chat: nobody's lesson
	} else if err := s.store.MarkLessonOpened(req.UserID, n); err != nil {
		s.log.Error("mark lesson opened", keyUserID, req.UserID, keyErr, err)
	}
	kb := s.pageButtons(l, id)
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
		return out.Edit(ctx, req.MessageID, Message{ChatID: req.ChatID, HTML: msgLessonsList, Buttons: s.lessonListButtons(req.UserID)})
	case strings.HasPrefix(data, dataLesson):
		n, err := strconv.Atoi(data[len(dataLesson):])
		if err != nil || n < 1 || n > lessons.Count {
			return out.AnswerCallback(ctx, req.CallbackID, msgStaleButton)
		}
		if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
			return err
		}
		return s.showPage(ctx, out, req, n, lessons.NoteID, req.MessageID)
	case strings.HasPrefix(data, dataSection):
		ns, id, _ := strings.Cut(data[len(dataSection):], ":")
		n, err := strconv.Atoi(ns)
		l, found := lessons.Get(n)
		if err != nil || !found || !slices.Contains(pages(l), id) {
			return out.AnswerCallback(ctx, req.CallbackID, msgStaleButton)
		}
		if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
			return err
		}
		return s.showPage(ctx, out, req, n, id, req.MessageID)
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
