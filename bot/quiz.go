package bot

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"neurotutor/lessons"
	"neurotutor/storage"
)

// Callback data "qz:N": the next question of lesson N (0: any lesson).
const dataQuiz = "qz:"

// maxPollQuestion is Telegram's limit on a poll question, in UTF-16 units.
const maxPollQuestion = 300

// parseQuizArgs reads the argument of /quiz: nothing (any lesson, 0) or
// a lesson number 1..lessons.Count.
func parseQuizArgs(s string) (int, error) {
	s = strings.TrimSpace(normalize.Replace(s))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > lessons.Count {
		if utf8.RuneCountInString(s) > 20 {
			s = string([]rune(s)[:20]) + "…"
		}
		return 0, userErrorf(msgQuizUsage, esc(s), lessons.Count)
	}
	return n, nil
}

func (s *Service) handleQuiz(ctx context.Context, out Outbox, req Request, args string) error {
	if req.group() {
		lesson, total, err := parseRoundArgs(args)
		if err != nil {
			return err
		}
		return s.startRound(ctx, out, req, lesson, total)
	}
	n, err := parseQuizArgs(args)
	if err != nil {
		return err
	}
	_, err = s.sendQuiz(ctx, out, req.ChatID, req.UserID, n, "")
	return err
}

// handleQuizButton answers "qz:N", the button under every quiz poll.
func (s *Service) handleQuizButton(ctx context.Context, out Outbox, req Request) error {
	n, err := strconv.Atoi(req.Data[len(dataQuiz):])
	if err != nil || n < 0 || n > lessons.Count {
		return out.AnswerCallback(ctx, req.CallbackID, msgStaleButton)
	}
	if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
		return err
	}
	_, err = s.sendQuiz(ctx, out, req.ChatID, req.UserID, n, "")
	return err
}

// quizOrder lists every question id in teaching order: per lesson, the
// bank's questions, then the generated ones.
func quizOrder() []string {
	var ids []string
	for l := 1; l <= lessons.Count; l++ {
		for _, q := range lessons.QuizFor(l) {
			ids = append(ids, q.ID)
		}
		for _, g := range generators {
			if g.lesson == l {
				ids = append(ids, g.id)
			}
		}
	}
	return ids
}

// lessonOf returns the lesson of question id, or 0 for an id this build
// does not know (a retired question).
func (s *Service) lessonOf(id string) int {
	if q, ok := s.bank[id]; ok {
		return q.Lesson
	}
	if g, ok := generatorOf(id); ok {
		return g.lesson
	}
	return 0
}

// pickQuestion chooses userID's next question (of lesson, or any when 0)
// by spaced repetition: the due questions first, most overdue first; then
// questions never answered, from lessons the user has opened before the
// others, in teaching order; when everything was answered and nothing is
// due, the question that falls due soonest.
func (s *Service) pickQuestion(userID int64, lesson int, now time.Time) (string, error) {
	ok := func(id string) bool {
		l := s.lessonOf(id)
		return l != 0 && (lesson == 0 || l == lesson)
	}
	due, seen, err := s.store.DueQuestions(userID, now)
	if err != nil {
		return "", err
	}
	for _, id := range due {
		if ok(id) {
			return id, nil
		}
	}
	u, err := s.store.User(userID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return "", err
	}
	order := quizOrder()
	for _, id := range order {
		if ok(id) && !seen[id] && slices.Contains(u.LessonsOpened, s.lessonOf(id)) {
			return id, nil
		}
	}
	for _, id := range order {
		if ok(id) && !seen[id] {
			return id, nil
		}
	}
	cards, err := s.store.Cards(userID)
	if err != nil {
		return "", err
	}
	slices.SortStableFunc(cards, func(a, b storage.Card) int { return a.Due.Compare(b.Due) })
	for _, c := range cards {
		if ok(c.QuestionID) {
			return c.QuestionID, nil
		}
	}
	return "", errors.New("bot: no quiz question") // every lesson has questions
}

// question returns the question with id: the bank's, or a fresh instance
// of a generated one.
func (s *Service) question(id string, rng *rand.Rand) (lessons.Question, bool) {
	if q, ok := s.bank[id]; ok {
		return q, true
	}
	if g, ok := generatorOf(id); ok {
		return g.make(rng), true
	}
	return lessons.Question{}, false
}

// sendQuiz picks userID's next question of lesson (0: any), sends it to
// chatID as a quiz poll with prefix (a reminder's nudge, "" for none)
// before the question if it fits, and stores poll id → question so the
// answer is scored whenever it comes. It returns the question id.
func (s *Service) sendQuiz(ctx context.Context, out Outbox, chatID, userID int64, lesson int, prefix string) (string, error) {
	now := s.clock.Now()
	id, err := s.pickQuestion(userID, lesson, now)
	if err != nil {
		return "", err
	}
	// Fresh numbers each time for generated questions; options of those
	// are shuffled with the same seed, so one poll is reproducible.
	rng := rand.New(rand.NewPCG(uint64(now.UnixNano()), uint64(userID)))
	q, ok := s.question(id, rng)
	if !ok {
		return "", errors.New("bot: picked unknown question " + id)
	}
	text := q.Text
	if prefix != "" && utf16Len(prefix+text) <= maxPollQuestion {
		text = prefix + text
	}
	sent, err := out.SendPoll(ctx, Poll{
		ChatID: chatID, Question: text, Options: q.Options, Correct: q.Correct, Explanation: q.Explanation,
		Buttons: [][]Button{{{Text: btnNextQuiz, Data: dataQuiz + strconv.Itoa(lesson)}}},
	})
	if err != nil {
		return "", err
	}
	// A crash right here loses the mapping: the answer is then logged as
	// one to an unknown poll, and not scored.
	err = s.store.SavePoll(sent.PollID, storage.PollRecord{
		UserID: userID, ChatID: chatID, QuestionID: q.ID, CorrectOption: q.Correct, SentAt: now, MessageID: sent.MessageID,
	})
	if err != nil {
		return q.ID, fmt.Errorf("%w: %w", errPollNotSaved, err)
	}
	return q.ID, nil
}

// errPollNotSaved: the poll reached the chat but its mapping was not
// stored. The message is out, so a reminder counts as sent.
var errPollNotSaved = errors.New("bot: poll sent but not saved")

// handlePollAnswer scores a quiz answer. Answers to polls the bot does
// not know (sent before a crash lost the mapping, forgotten, or pruned)
// and to polls older than storage.PollMaxAge are logged and ignored, with
// no reply: the vote stands in Telegram, but not in the learner's
// progress. Telegram's repeats are ignored by RecordAnswer.
func (s *Service) handlePollAnswer(ctx context.Context, out Outbox, req Request) {
	if len(req.PollOptions) == 0 {
		return // a retracted vote; quizzes cannot be retracted
	}
	res, err := s.store.RecordAnswerAs(req.UserID, req.Name, req.PollID, req.PollOptions[0], s.clock.Now())
	switch {
	case errors.Is(err, storage.ErrExpired):
		s.log.Info("answer to an expired poll", keyUserID, req.UserID, keyPollID, req.PollID)
	case errors.Is(err, storage.ErrNotFound):
		s.log.Info("answer to an unknown poll", keyUserID, req.UserID, keyPollID, req.PollID)
	case err != nil:
		s.log.Error("record answer", keyUserID, req.UserID, keyPollID, req.PollID, keyErr, err)
	case res.Duplicate:
		s.log.Debug("repeated poll answer", keyUserID, req.UserID, keyPollID, req.PollID)
	case res.Answer.Correct:
		s.maybeFinished(req.UserID, s.lessonOf(res.Answer.QuestionID))
	case res.Group != nil:
		// A round's poll: the answer is posted in the group when it closes.
	default:
		s.offerSection(ctx, out, req.UserID, req.PollID, res.Answer.QuestionID)
	}
}

// maybeFinished marks lesson finished once every one of its questions
// (bank and generated) has been answered right at least once.
func (s *Service) maybeFinished(userID int64, lesson int) {
	if lesson == 0 {
		return
	}
	cards, err := s.store.Cards(userID)
	if err != nil {
		s.log.Error("cards", keyUserID, userID, keyErr, err)
		return
	}
	right := map[string]bool{}
	for _, c := range cards {
		right[c.QuestionID] = c.Right > 0
	}
	for _, id := range quizOrder() {
		if s.lessonOf(id) == lesson && !right[id] {
			return
		}
	}
	if err := s.store.MarkLessonFinished(userID, lesson); err != nil {
		s.log.Error("mark lesson finished", keyUserID, userID, keyErr, err)
	}
}

// handleBlocked turns off the reminders of a user who blocked the bot.
func (s *Service) handleBlocked(req Request) {
	if err := s.store.DisableReminder(req.UserID); err != nil {
		s.log.Error("disable reminder of blocked user", keyUserID, req.UserID, keyErr, err)
		return
	}
	s.log.Info("user blocked the bot; reminders off", keyUserID, req.UserID)
}

// touch records activity for the streak, in the user's zone. Bookkeeping
// never costs the learner a reply: failures, even panics, are logged.
func (s *Service) touch(userID int64) {
	if userID == 0 {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("touch panic", keyUserID, userID, "panic", p)
		}
	}()
	if _, err := s.store.Touch(userID, s.clock.Now(), nil); err != nil {
		s.log.Error("touch", keyUserID, userID, keyErr, err)
	}
}
