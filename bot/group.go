package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"neurotutor/charts"
	"neurotutor/lessons"
	"neurotutor/storage"
)

// Group study: a round of quiz polls everyone in a group plays, the
// group's standings, its question of the day and the settings only its
// admins may change. The round's state lives in storage (storage.Round);
// Rounds (rounds.go) closes each question on the bot's clock.

// Round settings.
const (
	defaultRoundQuestions = 5
	// adminCacheTTL is how long a getChatMember answer is trusted: a burst
	// of admin commands costs one call, and a demoted admin loses the right
	// within a minute.
	adminCacheTTL = time.Minute
	// adminCacheMax bounds the cache; it is emptied when full.
	adminCacheMax = 10_000
	// anonymousAdmin is Telegram's @GroupAnonymousBot, the from of a
	// message an anonymous admin sends (with sender_chat the group).
	anonymousAdmin = 1087968824
	// topShown is how many places /top lists.
	topShown = 10
	// roundTopShown is how many players a question's post lists.
	roundTopShown = 5
	// boardShown is how many players a round's final board lists.
	boardShown = 20
)

// Callback data "rnd:L:N": another round of N questions of lesson L.
const dataRound = "rnd:"

// errNotGroup: the command is for groups only.
var errNotGroup = userErrorf(msgGroupOnly)

// admins caches getChatMember answers.
type admins struct {
	mu sync.Mutex
	m  map[[2]int64]adminEntry
}

type adminEntry struct {
	admin bool
	at    time.Time
}

// isAdmin reports whether the request comes from an admin of its group:
// an anonymous admin (the message is sent on behalf of the group itself),
// or a user whose getChatMember status is creator or administrator, asked
// at the moment of the command and trusted for adminCacheTTL. A message
// on behalf of another chat (a channel) is not an admin's.
func (s *Service) isAdmin(ctx context.Context, out Outbox, req Request) (bool, error) {
	if req.SenderChat != 0 {
		return req.SenderChat == req.ChatID, nil
	}
	if req.UserID == 0 {
		return false, nil
	}
	key := [2]int64{req.ChatID, req.UserID}
	now := s.clock.Now()
	s.admins.mu.Lock()
	e, ok := s.admins.m[key]
	s.admins.mu.Unlock()
	if ok && now.Sub(e.at) < adminCacheTTL && !now.Before(e.at) {
		return e.admin, nil
	}
	status, err := out.ChatMember(ctx, req.ChatID, req.UserID)
	if err != nil {
		return false, err
	}
	admin := status == "creator" || status == "administrator"
	s.admins.mu.Lock()
	if s.admins.m == nil || len(s.admins.m) >= adminCacheMax {
		s.admins.m = map[[2]int64]adminEntry{}
	}
	s.admins.m[key] = adminEntry{admin: admin, at: now}
	s.admins.mu.Unlock()
	return admin, nil
}

// requireAdmin returns a user error saying denied unless the request is
// an admin's.
func (s *Service) requireAdmin(ctx context.Context, out Outbox, req Request, denied string) error {
	ok, err := s.isAdmin(ctx, out, req)
	if err != nil {
		s.log.Warn("getChatMember", keyChatID, req.ChatID, keyErr, err)
		return userErrorf(msgAdminUnknown)
	}
	if !ok {
		return userErrorf("%s", denied)
	}
	return nil
}

// handleGroupEvent answers the bot joining or leaving a group and a group
// becoming a supergroup.
func (s *Service) handleGroupEvent(ctx context.Context, out Outbox, req Request) error {
	switch {
	case req.MigrateTo != 0:
		moved, err := s.store.MigrateGroup(req.ChatID, req.MigrateTo)
		if err != nil {
			return err
		}
		if moved {
			s.log.Info("group migrated", keyChatID, req.ChatID, "to", req.MigrateTo)
			g, err := s.store.Group(req.MigrateTo)
			if err == nil && g.Round != nil {
				s.resumeRound(req.MigrateTo, *g.Round)
			}
		}
		return nil
	case req.Joined:
		changed, err := s.store.SetGroupActive(req.ChatID, true)
		if err != nil || !changed {
			return err
		}
		_, err = out.Send(ctx, Message{ChatID: req.ChatID, HTML: msgGroupWelcome})
		return err
	case req.Left:
		_, err := s.store.SetGroupActive(req.ChatID, false)
		s.log.Info("removed from a group; its daily question is off", keyChatID, req.ChatID)
		return err
	}
	return nil
}

// parseRoundArgs reads "/quiz [lesson [questions]]" in a group.
func parseRoundArgs(s string) (lesson, total int, err error) {
	fields := strings.Fields(normalize.Replace(s))
	lesson, total = 0, defaultRoundQuestions
	bad := func() (int, int, error) {
		return 0, 0, userErrorf(msgQuizGroupUsage, esc(clip(strings.TrimSpace(s), 20)), storage.MaxRoundQuestions)
	}
	if len(fields) > 2 {
		return bad()
	}
	if len(fields) >= 1 {
		n, err := strconv.Atoi(fields[0])
		if err != nil || n < 0 || n > lessons.Count {
			return bad()
		}
		lesson = n
	}
	if len(fields) == 2 {
		n, err := strconv.Atoi(fields[1])
		if err != nil || n < 1 || n > storage.MaxRoundQuestions {
			return bad()
		}
		total = n
	}
	return lesson, total, nil
}

// starter is who a round started by req belongs to: the person, or the
// group for an anonymous admin.
func starter(req Request) int64 {
	if req.SenderChat != 0 {
		return req.SenderChat
	}
	return req.UserID
}

// handleRoundButton answers "rnd:L:N", the button under a round's board.
func (s *Service) handleRoundButton(ctx context.Context, out Outbox, req Request) error {
	l, n, ok := strings.Cut(req.Data[len(dataRound):], ":")
	lesson, err1 := strconv.Atoi(l)
	total, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || lesson < 0 || lesson > lessons.Count || total < 1 || total > storage.MaxRoundQuestions || !req.group() {
		return out.AnswerCallback(ctx, req.CallbackID, msgStaleButton)
	}
	if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
		return err
	}
	return s.startRound(ctx, out, req, lesson, total)
}

// startRound begins a round in req's group and asks its first question.
func (s *Service) startRound(ctx context.Context, out Outbox, req Request, lesson, total int) error {
	now := s.clock.Now()
	r := storage.Round{ID: now.UnixNano(), Starter: starter(req), StarterName: req.Name, Lesson: lesson, Total: total, Started: now}
	g, err := s.store.StartRound(req.ChatID, r)
	if errors.Is(err, storage.ErrRoundRunning) {
		return userErrorf(msgRoundRunning, max(g.Round.Asked, 1), g.Round.Total)
	}
	if err != nil {
		return err
	}
	about := msgRoundAll
	if lesson > 0 {
		about = fmt.Sprintf(msgRoundLesson, lesson, esc(lessonTitle(lesson)))
	}
	intro := fmt.Sprintf(msgRoundIntro, nounQuestion.count(total), about, durationAcc(g.Open()))
	if _, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: intro}); err != nil {
		s.log.Warn("round intro", keyChatID, req.ChatID, keyErr, err)
	}
	return s.askNext(ctx, out, req.ChatID, r.ID)
}

// askNext asks the round's next question, or ends the round when all
// were asked. The question is claimed in storage before its poll goes
// out, so a crash never makes the bot ask it twice.
func (s *Service) askNext(ctx context.Context, out Outbox, chat, id int64) error {
	g, err := s.store.Group(chat)
	if err != nil || g.Round == nil || g.Round.ID != id || g.Round.Phase != storage.PhaseClosed {
		return ignoreNotFound(err)
	}
	r := *g.Round
	if r.Asked >= r.Total {
		return s.finishRound(ctx, out, chat, id, "")
	}
	now := s.clock.Now()
	qid := s.pickGroupQuestion(g, r.Lesson)
	rng := rand.New(rand.NewPCG(uint64(now.UnixNano()), uint64(chat)))
	q, ok := s.question(qid, rng)
	if !ok {
		return fmt.Errorf("bot: picked unknown question %s", qid)
	}
	if _, err := s.store.BeginQuestion(chat, id, storage.RoundQ{
		QuestionID: q.ID, Correct: q.Correct, Answer: q.Options[q.Correct], Explanation: q.Explanation,
	}, now); err != nil {
		return ignoreNoRound(err)
	}
	open := g.Open()
	poll := Poll{ChatID: chat, Question: q.Text, Options: q.Options, Correct: q.Correct, Explanation: q.Explanation, OpenPeriod: open}
	if r.Daily {
		open, poll.OpenPeriod = storage.DailyOpenPeriod, 0 // longer than Telegram's 600 s: closed with stopPoll
	} else if p := fmt.Sprintf(msgRoundQuestionNo, r.Asked+1, r.Total); utf16Len(p+q.Text) <= maxPollQuestion {
		poll.Question = p + q.Text
	}
	sent, err := out.SendPoll(ctx, poll)
	if err != nil {
		if _, ferr := s.endRound(ctx, out, chat, id, msgRoundFailed); ferr != nil {
			s.log.Error("end a round after a failed poll", keyChatID, chat, keyErr, ferr)
		}
		return err
	}
	at := s.clock.Now()
	if _, err := s.store.OpenQuestion(chat, id, sent.PollID, sent.MessageID, at, at.Add(open)); err != nil {
		return ignoreNoRound(err)
	}
	s.scheduleRound(chat, roundTimer{id: id, asked: r.Asked + 1, at: at.Add(open), act: actClose})
	return nil
}

// pickGroupQuestion is the question the group has not seen for longest:
// first those never asked here, in teaching order, then the least
// recently asked. A group has no one memory for spaced repetition to
// model, so it gets every question in turn before any repeats, which
// spaces repeats as far apart as the bank allows; each member's own
// answers still go into their spaced repetition.
func (s *Service) pickGroupQuestion(g storage.Group, lesson int) string {
	best, bestAt := "", int64(0)
	for _, id := range quizOrder() {
		if l := s.lessonOf(id); l == 0 || (lesson != 0 && l != lesson) {
			continue
		}
		at, asked := g.Asked[id]
		if !asked {
			return id
		}
		if best == "" || at < bestAt {
			best, bestAt = id, at
		}
	}
	return best
}

// closeQuestion ends the answers to the round's current question, posts
// the right answer with the running top 5, and asks the next question.
func (s *Service) closeQuestion(ctx context.Context, out Outbox, chat, id int64, asked int) error {
	r, err := s.store.CloseQuestion(chat, id, asked)
	if err != nil {
		return ignoreNoRound(err)
	}
	if r.Daily && r.Q.MessageID != 0 {
		if err := out.StopPoll(ctx, chat, r.Q.MessageID); err != nil && !errors.Is(err, ErrRejected) {
			s.log.Warn("stop the daily poll", keyChatID, chat, keyErr, err)
		}
	}
	if r.Daily {
		return s.askNext(ctx, out, chat, id) // the board says it all, in one message
	}
	var b strings.Builder
	fmt.Fprintf(&b, msgRoundAnswer, r.Asked, r.Total, esc(r.Q.Answer))
	b.WriteString(questionSummary(r))
	if len(r.Scores) > 0 && r.Asked < r.Total {
		b.WriteString("\n\n" + msgRoundTop + "\n" + roundLines(r, roundTopShown))
	}
	if _, err := out.Send(ctx, Message{ChatID: chat, HTML: b.String()}); err != nil {
		s.log.Warn("round answer post", keyChatID, chat, keyErr, err)
	}
	return s.askNext(ctx, out, chat, id)
}

// questionSummary is the explanation of the current question and how
// many answered it.
func questionSummary(r storage.Round) string {
	var b strings.Builder
	if r.Q.Explanation != "" {
		b.WriteString("\n<i>" + esc(r.Q.Explanation) + "</i>")
	}
	b.WriteString("\n\n")
	if r.Q.Answered == 0 {
		b.WriteString(msgRoundNobody)
	} else {
		fmt.Fprintf(&b, msgRoundAnswered, r.Q.Answered, r.Q.Right)
	}
	return b.String()
}

// finishRound ends the round with its board; note (a message format with
// one %s for the questions counted) says why it ended early, "" when all
// were asked.
func (s *Service) finishRound(ctx context.Context, out Outbox, chat, id int64, note string) error {
	_, err := s.endRound(ctx, out, chat, id, note)
	return err
}

// endRound removes the round from storage and posts its board.
func (s *Service) endRound(ctx context.Context, out Outbox, chat, id int64, note string) (storage.Round, error) {
	r, err := s.store.EndRound(chat, id)
	if err != nil {
		return r, ignoreNoRound(err)
	}
	s.cancelRound(chat, id)
	if r.Phase == storage.PhaseOpen && r.Q.MessageID != 0 {
		// Stopped early: close the poll so that nobody answers in vain.
		if err := out.StopPoll(ctx, chat, r.Q.MessageID); err != nil && !errors.Is(err, ErrRejected) {
			s.log.Warn("stop the round's poll", keyChatID, chat, keyErr, err)
		}
	}
	done := r.Asked // questions whose answers counted
	if r.Phase == storage.PhaseAsking {
		done--
	}
	var b strings.Builder
	took := durationAcc(s.clock.Now().Sub(r.Started))
	switch {
	case r.Daily:
		fmt.Fprintf(&b, msgDailyAnswer, esc(r.Q.Answer))
		b.WriteString(questionSummary(r))
		if len(r.Scores) > 0 {
			b.WriteString("\n\n" + msgDailyBest)
		}
	case note == msgRoundStopped:
		fmt.Fprintf(&b, note, nounQuestion.count(done), r.Total, took)
	case note != "":
		if note == msgRoundAborted {
			fmt.Fprintf(&b, note, r.Asked, nounQuestion.count(done))
		} else {
			fmt.Fprintf(&b, note, nounQuestion.count(done))
		}
	default:
		fmt.Fprintf(&b, msgRoundEnd, nounQuestion.count(done), took)
	}
	// A board is one message: the best boardShown, and the count of all.
	shown := min(len(r.Scores), boardShown)
	switch {
	case len(r.Scores) > 0:
		b.WriteString("\n" + roundLines(r, shown))
		b.WriteString("\n\n" + fmt.Sprintf(msgRoundPlayers, len(r.Scores)))
	case !r.Daily:
		b.WriteString("\n" + msgRoundNoPlayers)
	}
	var kb [][]Button
	if !r.Daily {
		kb = [][]Button{{{Text: btnRoundAgain, Data: fmt.Sprintf("%s%d:%d", dataRound, r.Lesson, r.Total)}}}
	}
	_, err = s.reply(ctx, out, chat, b.String(), nil, kb)
	return r, err
}

// roundLines lists a round's first n players, best first.
func roundLines(r storage.Round, n int) string {
	sc := slices.Clone(r.Scores)
	slices.SortStableFunc(sc, func(a, b storage.Score) int {
		switch {
		case a.Points != b.Points:
			return b.Points - a.Points
		case a.Millis != b.Millis:
			return int(a.Millis - b.Millis)
		}
		return 0
	})
	lines := make([]string, 0, min(n, len(sc)))
	place := 0
	for i, p := range sc[:min(n, len(sc))] {
		if i == 0 || p.Points != sc[i-1].Points {
			place = i + 1 // ties share a place
		}
		lines = append(lines, fmt.Sprintf(msgRoundLine, place, esc(shownName(p)), nounPoint.count(p.Points), fmt.Sprintf(msgRoundRightOf, p.Right, p.Answered)))
	}
	return strings.Join(lines, "\n")
}

// shownName is a player's name for a board: never empty, never a mention.
func shownName(p storage.Score) string {
	if n := strings.TrimSpace(p.Name); n != "" {
		return clipRunes(n, 40)
	}
	return "Участник " + strconv.FormatInt(p.UserID%10000, 10)
}

// handleStop ends the group's round early: allowed for whoever started it
// and for admins.
func (s *Service) handleStop(ctx context.Context, out Outbox, req Request, _ string) error {
	if !req.group() {
		return errNotGroup
	}
	g, err := s.store.Group(req.ChatID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if g.Round == nil {
		return userErrorf(msgRoundNoRound)
	}
	if starter(req) != g.Round.Starter || g.Round.Daily {
		if err := s.requireAdmin(ctx, out, req, msgRoundNotYours); err != nil {
			return err
		}
	}
	_, err = s.endRound(ctx, out, req.ChatID, g.Round.ID, msgRoundStopped)
	return err
}

// handleTimer shows or (admins) sets the time to answer a round question.
func (s *Service) handleTimer(ctx context.Context, out Outbox, req Request, args string) error {
	if !req.group() {
		return errNotGroup
	}
	if strings.TrimSpace(args) == "" {
		lo, hi := int(storage.MinOpenPeriod/time.Second), int(storage.MaxOpenPeriod/time.Second)
		g, err := s.store.Group(req.ChatID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		_, err = out.Send(ctx, Message{ChatID: req.ChatID, HTML: fmt.Sprintf(msgTimerShow, duration(g.Open()), lo, hi)})
		return err
	}
	d, err := parseTimerArgs(args)
	if err != nil {
		return err
	}
	if err := s.requireAdmin(ctx, out, req, msgAdminsOnly); err != nil {
		return err
	}
	if err := s.store.SetOpenPeriod(req.ChatID, d); err != nil {
		return err
	}
	_, err = out.Send(ctx, Message{ChatID: req.ChatID, HTML: fmt.Sprintf(msgTimerSet, duration(d))})
	return err
}

// parseTimerArgs reads "/timer 45" (seconds, "45с" and "45s" too) within
// storage's bounds.
func parseTimerArgs(args string) (time.Duration, error) {
	lo, hi := int(storage.MinOpenPeriod/time.Second), int(storage.MaxOpenPeriod/time.Second)
	args = strings.TrimSpace(normalize.Replace(args))
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(args, "с"), "s")))
	if err != nil || n < lo || n > hi {
		return 0, userErrorf(msgTimerUsage, esc(clip(args, 20)), lo, hi)
	}
	return time.Duration(n) * time.Second, nil
}

// handleDaily shows or (admins) sets the group's question of the day. It
// is the group's reminder in storage, so it shares the reminder index and
// its guarantees.
func (s *Service) handleDaily(ctx context.Context, out Outbox, req Request, args string) error {
	if !req.group() {
		return userErrorf(msgDailyPrivate)
	}
	a, err := parseRemindArgs(args)
	if err != nil {
		return err
	}
	if !a.Show {
		if err := s.requireAdmin(ctx, out, req, msgAdminsOnly); err != nil {
			return err
		}
	}
	var text string
	switch {
	case a.Show:
		u, err := s.store.User(req.ChatID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		text = msgDailyNone
		if u.Reminder.Enabled {
			text = fmt.Sprintf(msgDailyShow, esc(u.Reminder.HHMM), esc(u.Reminder.Zone))
		}
	case a.Off:
		if err := s.store.DisableReminder(req.ChatID); err != nil {
			return err
		}
		text = msgDailyOff
	default:
		r, err := s.store.SetReminder(req.ChatID, req.ChatID, a.HHMM, a.Zone, s.clock.Now())
		if err != nil {
			return err
		}
		next := r.Next
		if loc, _, err := storage.ParseZone(r.Zone); err == nil {
			next = next.In(loc)
		}
		text = fmt.Sprintf(msgDailySet, esc(r.HHMM), esc(r.Zone), next.Format("02.01.2006 15:04"))
		if _, err := s.store.SetGroupActive(req.ChatID, true); err != nil {
			return err
		}
	}
	_, err = out.Send(ctx, Message{ChatID: req.ChatID, HTML: text})
	return err
}

// errRoundBusy: the question of the day waits for a running round.
var errRoundBusy = errors.New("bot: a round is running; the question of the day waits")

// sendDaily starts the group's question of the day: a round of one
// question, open for storage.DailyOpenPeriod.
func (s *Service) sendDaily(ctx context.Context, out Outbox, chat int64) error {
	now := s.clock.Now()
	r := storage.Round{ID: now.UnixNano(), Starter: chat, Total: 1, Daily: true, Started: now}
	if _, err := s.store.StartRound(chat, r); err != nil {
		if errors.Is(err, storage.ErrRoundRunning) {
			return errRoundBusy
		}
		return err
	}
	if _, err := out.Send(ctx, Message{ChatID: chat, HTML: fmt.Sprintf(msgDailyIntro, durationAcc(storage.DailyOpenPeriod))}); err != nil {
		if errors.Is(err, ErrBlocked) {
			_, _ = s.store.EndRound(chat, r.ID)
			return err
		}
		s.log.Warn("daily intro", keyChatID, chat, keyErr, err)
	}
	return s.askNext(ctx, out, chat, r.ID)
}

// handleTop shows the group's standings: this week's and all time, the
// top 10 of each and the asker's own place, with a chart.
func (s *Service) handleTop(ctx context.Context, out Outbox, req Request, _ string) error {
	if !req.group() {
		return errNotGroup
	}
	now := s.clock.Now()
	bd, err := s.store.Board(req.ChatID, now)
	if err != nil {
		return err
	}
	loc, err := s.store.Location(req.ChatID)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(msgTopTitle + "\n\n")
	fmt.Fprintf(&b, msgTopWeek, weekStart(now, loc).Format("02.01"))
	b.WriteString("\n" + topLines(bd.Week) + "\n\n" + msgTopAll + "\n" + topLines(bd.All))
	if req.personal() {
		b.WriteString("\n\n")
		if i := slices.IndexFunc(bd.All, func(p storage.Score) bool { return p.UserID == req.UserID }); i >= 0 {
			fmt.Fprintf(&b, msgTopYou, place(bd.All, i), len(bd.All), nounPoint.count(bd.All[i].Points))
		} else {
			b.WriteString(msgTopYouNone)
		}
	}
	if len(bd.All) == 0 {
		_, err = s.reply(ctx, out, req.ChatID, b.String(), nil, nil)
		return err
	}
	b.WriteString("\n" + msgTopLeftNote)
	// The chart: this week's board, or all time's while the week is empty.
	board, title := bd.Week, chartTopTitle
	if len(board) == 0 {
		board, title = bd.All, chartTopAll
	}
	bars := boardBars(board, req)
	key := []string{title}
	for _, bar := range bars {
		key = append(key, fmt.Sprintf("%d/%s/%d/%t", bar.Place, bar.Name, bar.Points, bar.Mark))
	}
	sum := sha256.Sum256([]byte(strings.Join(key, "\x00")))
	return s.sendChart(ctx, out, req.ChatID, chartReply{
		Key:  chartKey("top", hex.EncodeToString(sum[:12])),
		Name: "top.png",
		Text: b.String(),
		Draw: func() ([]byte, error) { return s.charts.Board(bars, title) },
	}, nil)
}

// boardBars are a board's top 10 for the chart, and the asker below them
// if further down; ties share a place.
func boardBars(sc []storage.Score, req Request) []charts.BoardBar {
	var bars []charts.BoardBar
	for i, p := range sc {
		me := req.personal() && p.UserID == req.UserID
		if i < charts.BoardTop || me {
			bars = append(bars, charts.BoardBar{Name: shownName(p), Points: p.Points, Mark: me, Place: min(place(sc, i), charts.MaxBoardPlace)})
		}
		if i >= charts.BoardTop && (me || !req.personal()) {
			break
		}
	}
	return bars
}

// topLines lists the first topShown of a board; ties share a place.
func topLines(sc []storage.Score) string {
	if len(sc) == 0 {
		return msgTopEmpty
	}
	lines := make([]string, 0, topShown)
	for i, p := range sc[:min(topShown, len(sc))] {
		lines = append(lines, fmt.Sprintf(msgTopLine, place(sc, i), esc(shownName(p)), nounPoint.count(p.Points), fmt.Sprintf(msgRoundRightOf, p.Right, p.Answered)))
	}
	return strings.Join(lines, "\n")
}

// place is the 1-based place of sc[i] on a board sorted by points, ties
// sharing the better place.
func place(sc []storage.Score, i int) int {
	for i > 0 && sc[i-1].Points == sc[i].Points {
		i--
	}
	return i + 1
}

// weekStart is Monday 00:00 of t's week in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

// duration writes d for people, in the nominative ("1 минута 10 секунд").
func duration(d time.Duration) string { return durationIn(d, nounMinute, nounSecond) }

// durationAcc writes d in the accusative, after "за", "через", "на".
func durationAcc(d time.Duration) string { return durationIn(d, nounMinuteAcc, nounSecondAcc) }

func durationIn(d time.Duration, minute, second noun) string {
	sec := int(d.Round(time.Second) / time.Second)
	if sec >= 3600 && sec%3600 == 0 {
		return nounHourAcc.count(sec / 3600)
	}
	m, sc := sec/60, sec%60
	switch {
	case m == 0:
		return second.count(sc)
	case sc == 0:
		return minute.count(m)
	}
	return minute.count(m) + " " + second.count(sc)
}

func ignoreNoRound(err error) error {
	if errors.Is(err, storage.ErrNoRound) {
		return nil
	}
	return err
}

func ignoreNotFound(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	return err
}

// lessonTitle is lesson n's title, "" if there is none.
func lessonTitle(n int) string {
	l, _ := lessons.Get(n)
	return l.Title
}
