package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"neurotutor/charts"
	"neurotutor/lessons"
	"neurotutor/storage"
)

// Callback data of the /forget confirmation: "fgt:<user id>" deletes,
// "fgt:no" cancels. The user id makes the button work only for the
// learner who asked (in a group anyone can press it). At most 24 bytes.
const (
	dataForget   = "fgt:"
	dataForgetNo = "fgt:no"
)

// lessonStat is one lesson's line of /progress.
type lessonStat struct {
	N        int
	Title    string
	Read     bool
	Finished bool
	Asked    int // questions of the lesson answered at least once
	Total    int // questions the lesson has (bank and generated)
	Answers  int
	Right    int
}

func (l lessonStat) accuracy() float64 {
	if l.Answers == 0 {
		return math.NaN()
	}
	return float64(l.Right) / float64(l.Answers)
}

func (s *Service) lessonStats(u storage.User, cards []storage.Card) []lessonStat {
	var stats []lessonStat
	for _, l := range lessons.All() {
		stats = append(stats, lessonStat{N: l.N, Title: l.Title,
			Read: slices.Contains(u.LessonsOpened, l.N), Finished: slices.Contains(u.LessonsFinished, l.N)})
	}
	for _, id := range quizOrder() {
		stats[s.lessonOf(id)-1].Total++
	}
	for _, c := range cards {
		n := s.lessonOf(c.QuestionID)
		if n < 1 || n > len(stats) || c.Answers == 0 {
			continue
		}
		st := &stats[n-1]
		st.Asked++
		st.Answers += c.Answers
		st.Right += c.Right
	}
	return stats
}

// handleProgress shows the asking user's own progress, in a group too:
// a line per lesson, the streak and the reminder, and a chart.
func (s *Service) handleProgress(ctx context.Context, out Outbox, req Request, _ string) error {
	u, err := s.store.User(req.UserID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	cards, err := s.store.Cards(req.UserID)
	if err != nil {
		return err
	}
	loc, err := s.store.Location(req.UserID)
	if err != nil {
		return err
	}
	stats := s.lessonStats(u, cards)
	if req.group() {
		return s.groupProgress(ctx, out, req, u, stats, loc)
	}
	var b strings.Builder
	b.WriteString(msgProgressTitle)
	if !req.Private {
		b.WriteString(" " + msgProgressOwn)
	}
	b.WriteString("\n")
	for _, st := range stats {
		mark := msgProgressUnread
		if st.Finished {
			mark = msgProgressFinished
		} else if st.Read {
			mark = msgProgressRead
		}
		quiz := msgProgressNoQuiz
		if st.Answers > 0 {
			quiz = fmt.Sprintf(msgProgressQuiz, st.Right, st.Answers, percent(st.accuracy()), nounQuestion.count(st.Asked), st.Total)
		}
		fmt.Fprintf(&b, "\n%d. %s — %s; %s", st.N, esc(st.Title), mark, quiz)
	}
	now := s.clock.Now()
	b.WriteString("\n\n" + fmt.Sprintf(msgProgressStreak, nounDay.count(u.Streak.CurrentAt(now, loc)), nounDay.count(u.Streak.Best)))
	if r := u.Reminder; r.Enabled {
		b.WriteString("\n" + fmt.Sprintf(msgProgressRemindOn, esc(r.HHMM), esc(r.Zone)))
	} else {
		b.WriteString("\n" + msgProgressRemindOff)
	}
	b.WriteString("\n\n" + msgProgressHint)

	bars := make([]charts.ProgressLesson, len(stats))
	key := make([]string, 0, len(stats)+1)
	for i, st := range stats {
		// Whole percents: the label and the bar show the same number, and
		// learners with the same picture share one cached chart.
		acc := math.Round(st.accuracy()*100) / 100
		label := strconv.Itoa(st.N) + ": —"
		if st.Answers > 0 {
			label = fmt.Sprintf("%d: %s", st.N, percent(acc))
		}
		bars[i] = charts.ProgressLesson{Label: label, Read: st.Read, Accuracy: acc}
		key = append(key, fmt.Sprintf("%s/%t", label, st.Read))
	}
	key = append(key, chartProgressTitle)
	// The key is a hash of everything drawn (labels, bar heights, colours,
	// title), so a changed picture is a new chart and the same picture is
	// shared: at most 102 states per lesson, and in practice far fewer.
	sum := sha256.Sum256([]byte(strings.Join(key, "|")))
	return s.sendChart(ctx, out, req.ChatID, chartReply{
		Key:  chartKey("progress", progressLook, hex.EncodeToString(sum[:12])),
		Name: "progress.png",
		Text: b.String(),
		Draw: func() ([]byte, error) {
			return s.charts.Progress(bars, charts.ProgressLabels{Title: chartProgressTitle})
		},
	}, [][]Button{{{Text: btnNextQuiz, Data: dataQuiz + "0"}}})
}

// maxExportBytes bounds /export's file: Telegram takes documents up to
// 50 MB, and an export is about 300 bytes per quiz answer, so this is
// some 150 000 answers.
const maxExportBytes = 45 << 20

// handleExport sends everything stored about the user as a JSON file:
// always to the user's private chat, so that asking in a group never
// posts it there. A member who never started the bot gets a deep link
// that opens the private chat and sends the file.
func (s *Service) handleExport(ctx context.Context, out Outbox, req Request, _ string) error {
	data, err := s.store.Export(req.UserID)
	if errors.Is(err, storage.ErrNotFound) {
		if !req.Private {
			return userErrorf("%s, %s", esc(req.Name), msgExportEmpty)
		}
		return userErrorf(msgExportEmpty)
	}
	if err != nil {
		return err
	}
	if len(data) > maxExportBytes {
		return fmt.Errorf("export of %d is %d bytes", req.UserID, len(data))
	}
	err = out.SendDocument(ctx, Document{
		ChatID: req.UserID, Name: fmt.Sprintf("neurotutor-%d.json", req.UserID), Data: data,
		Caption: msgExportCaption,
	})
	if req.Private {
		return err
	}
	text := fmt.Sprintf(msgExportSent, esc(req.Name))
	switch {
	case errors.Is(err, ErrBlocked) || errors.Is(err, ErrRejected):
		// 403: the member never started the bot (or blocked it).
		link := "https://t.me/" + s.username + "?start=" + startExport
		text = fmt.Sprintf(msgExportStartBot, esc(req.Name), esc(link))
	case err != nil:
		return err
	}
	_, err = out.Send(ctx, Message{ChatID: req.ChatID, HTML: text})
	return err
}

// groupProgress is /progress in a group: one short line, and the rest in
// the private chat.
func (s *Service) groupProgress(ctx context.Context, out Outbox, req Request, u storage.User, stats []lessonStat, loc *time.Location) error {
	answers, right, finished := 0, 0, 0
	for _, st := range stats {
		answers += st.Answers
		right += st.Right
		if st.Finished {
			finished++
		}
	}
	who := esc(req.Name)
	if who == "" {
		who = "Вы"
	}
	text := fmt.Sprintf(msgProgressGroupNone, who)
	if answers > 0 || finished > 0 {
		acc := 0.0
		if answers > 0 {
			acc = float64(right) / float64(answers)
		}
		text = fmt.Sprintf(msgProgressGroup, who, finished, lessons.Count, percent(acc), nounDay.count(u.Streak.CurrentAt(s.clock.Now(), loc)))
	}
	_, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: text})
	return err
}

// handleForget asks for confirmation with two buttons.
func (s *Service) handleForget(ctx context.Context, out Outbox, req Request, _ string) error {
	_, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: msgForgetAsk, Buttons: [][]Button{{
		{Text: btnForgetYes, Data: dataForget + strconv.FormatInt(req.UserID, 10)},
		{Text: btnForgetNo, Data: dataForgetNo + ":" + strconv.FormatInt(req.UserID, 10)},
	}}})
	return err
}

// handleForgetButton deletes (or not) after the confirmation.
func (s *Service) handleForgetButton(ctx context.Context, out Outbox, req Request) error {
	if rest, ok := strings.CutPrefix(req.Data, dataForgetNo); ok {
		// Only the member who asked may answer, "no" as well as "yes"
		// (a button from before the id was added: only in a private chat).
		if uid, err := strconv.ParseInt(strings.TrimPrefix(rest, ":"), 10, 64); (err != nil && (rest != "" || !req.Private)) || (err == nil && uid != req.UserID) {
			return out.AnswerCallback(ctx, req.CallbackID, msgForgetNotYours)
		}
		if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
			return err
		}
		return out.Edit(ctx, req.MessageID, Message{ChatID: req.ChatID, HTML: msgForgetCancelled})
	}
	uid, err := strconv.ParseInt(req.Data[len(dataForget):], 10, 64)
	if err != nil {
		return out.AnswerCallback(ctx, req.CallbackID, msgStaleButton)
	}
	if uid != req.UserID {
		return out.AnswerCallback(ctx, req.CallbackID, msgForgetNotYours)
	}
	if err := s.store.Forget(req.UserID); err != nil {
		return err
	}
	if err := out.AnswerCallback(ctx, req.CallbackID, ""); err != nil {
		return err
	}
	return out.Edit(ctx, req.MessageID, Message{ChatID: req.ChatID, HTML: msgForgetDone})
}

// progressLook names the progress chart's design in its chart key: look2
// writes the axis's percents as the texts do («100 %»).
const progressLook = "look2"
