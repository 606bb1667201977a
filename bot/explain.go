package bot

import (
	"context"
	"fmt"

	"neurotutor/lessons"
)

// explainedBy returns the lesson and the section of it that explains the
// answer to question id: the bank's own mapping (lessons.Explains), and
// for a generated question the section with the worked example of its
// kind.
func (s *Service) explainedBy(id string) (lessons.Lesson, lessons.Section, bool) {
	n, sec := 0, lessons.NoteID
	if q, ok := s.bank[id]; ok {
		n, sec = q.Lesson, lessons.Explains(q)
	} else if g, ok := generatorOf(id); ok {
		n, sec = g.lesson, g.explains
	}
	l, ok := lessons.Get(n)
	if !ok {
		return lessons.Lesson{}, lessons.Section{}, false
	}
	section, ok := l.Section(sec)
	if !ok {
		section, ok = l.Section(lessons.NoteID)
	}
	return l, section, ok
}

// offerSection follows a wrong quiz answer in a private chat with the
// part of the lesson that explains it, one button away. Telegram has
// already shown the poll's short explanation; this is the way back to the
// full one. Answers in groups get nothing here: the group is not the
// place for one member's corrections.
func (s *Service) offerSection(ctx context.Context, out Outbox, userID int64, pollID, questionID string) {
	p, err := s.store.Poll(pollID)
	if err != nil || p.ChatID != userID { // a private chat's id is its user's
		return
	}
	l, sec, ok := s.explainedBy(questionID)
	if !ok {
		return
	}
	text := fmt.Sprintf(msgWrongAnswer, l.N, esc(sec.Title))
	kb := [][]Button{{{Text: btnReadSection, Data: sectionData(l.N, sec.ID)}}}
	if _, err := out.Send(ctx, Message{ChatID: p.ChatID, HTML: text, Buttons: kb}); err != nil {
		s.log.Warn("offer section", keyUserID, userID, keyErr, err)
	}
}
