package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	stdutf16 "unicode/utf16"

	"github.com/go-telegram/bot/models"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeapi"
	"neurotutor/internal/fakeclock"
	"neurotutor/lessons"
	"neurotutor/storage"
)

var _ bot.Store = (*storage.DB)(nil)

// t0 is a Friday, 12:00 in Moscow.
var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// loopEnv is a bot on a fake clock, with a Sender pacing its messages
// and the reminder loop, against the fake Bot API and a real bbolt file.
type loopEnv struct {
	*env
	clk    *fakeclock.Clock
	svc    *bot.Service
	rem    *bot.Reminders
	sender *telegram.Sender
	path   string
}

func newLoopEnv(tb testing.TB) *loopEnv {
	tb.Helper()
	api := fakeapi.New(tb)
	path := filepath.Join(tb.TempDir(), "bot.db")
	db, err := storage.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	clk := fakeclock.NewAuto(t0)
	api.SetClock(clk.Now)
	e := &loopEnv{env: &env{api: api, db: db}, clk: clk, path: path}
	e.restart(tb)
	return e
}

// restart builds a new Service, Telegram, Sender and reminder loop on the
// same database: the process restarted.
func (e *loopEnv) restart(tb testing.TB) {
	tb.Helper()
	svc, err := bot.NewService(bot.Options{Store: e.db, Charts: e.db, Username: fakeapi.BotUsername, Clock: e.clk})
	if err != nil {
		tb.Fatal(err)
	}
	sender := telegram.NewSender(e.clk, 1, nil) // one request in flight: the fake server's stamps are exact
	e.sender = sender
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sender.Run(ctx); close(done) }()
	tb.Cleanup(func() { cancel(); <-done })
	tg, err := telegram.New(svc, telegram.Config{Token: fakeapi.Token, ServerURL: e.api.URL, Sender: e.sender})
	if err != nil {
		tb.Fatal(err)
	}
	e.svc, e.tg = svc, tg
	e.rem = bot.NewReminders(svc, tg.Outbox())
}

// answer delivers a poll_answer from user.
func (e *loopEnv) answer(user int64, pollID string, option int) {
	e.tg.HandleUpdate(context.Background(), &models.Update{ID: 3, PollAnswer: &models.PollAnswer{
		PollID: pollID, User: &models.User{ID: user}, OptionIDs: []int{option},
	}})
}

func pollOptions(t *testing.T, c fakeapi.Call) []string {
	t.Helper()
	var opts []struct{ Text string }
	if err := json.Unmarshal([]byte(c.Fields["options"]), &opts); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range opts {
		out = append(out, o.Text)
	}
	return out
}

func u16(s string) int { return len(stdutf16.Encode([]rune(s))) }

// questionOf finds the bank question a poll asks (by its text).
func questionOf(t *testing.T, c fakeapi.Call) lessons.Question {
	t.Helper()
	for _, q := range lessons.Quiz() {
		if strings.HasSuffix(c.Fields["question"], q.Text) {
			return q
		}
	}
	t.Fatalf("poll %q is not a bank question", c.Fields["question"])
	return lessons.Question{}
}

func TestQuizPollFields(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/quiz")
	c := only(t, e.api.Calls(), "/quiz")
	if c.Method != "sendPoll" {
		t.Fatalf("/quiz sent %s", c.Method)
	}
	f := c.Fields
	if f["type"] != "quiz" || f["is_anonymous"] != "false" || f["chat_id"] != strconv.Itoa(userID) {
		t.Fatalf("poll fields: %v", f)
	}
	opts := pollOptions(t, c)
	q := questionOf(t, c)
	if f["correct_option_id"] != strconv.Itoa(q.Correct) || opts[q.Correct] != q.Options[q.Correct] {
		t.Fatalf("correct_option_id %s, want %d", f["correct_option_id"], q.Correct)
	}
	if n := u16(f["explanation"]); n == 0 || n > 200 {
		t.Fatalf("explanation of %d characters", n)
	}
	if u16(f["question"]) > 300 || f["parse_mode"] != "" {
		t.Fatalf("question %q", f["question"])
	}
	if got := buttons(t, c); len(got) != 1 || got[0] != "qz:0" {
		t.Fatalf("buttons %v", got)
	}
	// Nothing opened yet: the first question of lesson 1.
	if q.ID != lessons.QuizFor(1)[0].ID {
		t.Fatalf("first question %s", q.ID)
	}
	// The mapping is stored.
	rec, err := e.db.Poll(c.PollID())
	if err != nil || rec.QuestionID != q.ID || rec.CorrectOption != q.Correct || rec.UserID != userID {
		t.Fatalf("stored poll %+v, %v", rec, err)
	}
}

func TestQuizLessonArgument(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/quiz 4")
	if q := questionOf(t, only(t, e.api.Calls(), "/quiz 4")); q.Lesson != 4 {
		t.Fatalf("/quiz 4 asked lesson %d", q.Lesson)
	}
	for _, bad := range []string{"/quiz 0", "/quiz 6", "/quiz один", "/quiz <b>", "/quiz " + strings.Repeat("9", 300)} {
		e.api.Reset()
		e.command(userID, bad)
		c := only(t, e.api.Calls(), bad)
		if c.Method != "sendMessage" || !strings.Contains(c.Fields["text"], "/quiz 1") || strings.Contains(c.Fields["text"], "<b>") {
			t.Errorf("%s: %s %q", bad, c.Method, c.Fields["text"])
		}
	}
	// The button under a poll asks the next question of the same lesson.
	e.api.Reset()
	e.press("qz:4", 1)
	if q := questionOf(t, only(t, e.api.Calls("sendPoll"), "qz:4")); q.Lesson != 4 {
		t.Fatalf("qz:4 asked lesson %d", q.Lesson)
	}
}

// An answer is scored from storage, also by a restarted bot; Telegram's
// repeats and answers to unknown polls change nothing.
func TestPollAnswerScoring(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/quiz")
	c := only(t, e.api.Calls(), "/quiz")
	q := questionOf(t, c)
	e.restart(t)
	e.answer(userID, c.PollID(), q.Correct)
	e.answer(userID, c.PollID(), (q.Correct+1)%len(q.Options)) // a repeat, even with another option
	e.answer(userID, "poll-404", 0)
	cards, err := e.db.Cards(userID)
	if err != nil || len(cards) != 1 {
		t.Fatalf("cards %+v, %v", cards, err)
	}
	if cd := cards[0]; cd.QuestionID != q.ID || cd.Answers != 1 || cd.Right != 1 || cd.FSRS.Reps != 1 || !cd.Due.Equal(cd.LastReview.Add(48*time.Hour)) {
		t.Fatalf("card %+v", cd)
	}
	ans, _ := e.db.Answers(userID)
	if len(ans) != 1 || !ans[0].Correct || !ans[0].At.Equal(t0) {
		t.Fatalf("answers %+v", ans)
	}
	// Answers send nothing: Telegram shows the result itself.
	if n := len(e.api.Calls()); n != 1 {
		t.Fatalf("%d calls after answers", n)
	}
	u, _ := e.db.User(userID)
	if u.Streak.Current != 1 {
		t.Fatalf("streak %+v", u.Streak)
	}
}

// An answer that comes more than storage.PollMaxAge after its poll is not
// counted and gets no reply, even a wrong one in a private chat.
func TestExpiredPollAnswerIgnored(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/quiz 3")
	c := only(t, e.api.Calls(), "/quiz 3")
	q := questionOf(t, c)
	e.clk.Set(t0.Add(storage.PollMaxAge + time.Minute))
	e.api.Reset()
	e.answer(userID, c.PollID(), (q.Correct+1)%len(q.Options))
	e.answer(userID, c.PollID(), q.Correct)
	if calls := e.api.Calls(); len(calls) != 0 {
		t.Fatalf("%d calls after a late answer: %+v", len(calls), calls)
	}
	if cards, err := e.db.Cards(userID); err != nil || len(cards) != 0 {
		t.Fatalf("late answer counted: %+v, %v", cards, err)
	}
}

// A wrong answer in a private chat is followed by the part of the lesson
// that explains it, one button away; a right one, or one in a group, by
// nothing.
func TestWrongAnswerOffersSection(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/quiz 3")
	c := only(t, e.api.Calls(), "/quiz 3")
	q := questionOf(t, c)
	e.api.Reset()
	e.answer(userID, c.PollID(), (q.Correct+1)%len(q.Options))
	m := only(t, e.api.Calls(), "after a wrong answer")
	l, _ := lessons.Get(3)
	sec, ok := l.Section(lessons.Explains(q))
	if !ok {
		t.Fatalf("question %s is explained by a section lesson 3 lacks", q.ID)
	}
	if m.Method != "sendMessage" || !strings.Contains(m.Fields["text"], "уроке 3") || !strings.Contains(m.Fields["text"], sec.Title) {
		t.Fatalf("after a wrong answer: %s %q", m.Method, m.Fields["text"])
	}
	kb := buttons(t, m)
	if !slices.Equal(kb, []string{"sec:3:" + sec.ID}) {
		t.Fatalf("buttons %v", kb)
	}
	e.api.Reset()
	e.press(kb[0], 9)
	if edit := only(t, e.api.Calls("editMessageText"), "the section"); !strings.Contains(edit.Fields["text"], sec.Title) {
		t.Fatalf("section page: %.200s", edit.Fields["text"])
	}

	// Right: nothing. In a group, wrong: nothing either.
	e.api.Reset()
	e.command(userID, "/quiz 3")
	c = only(t, e.api.Calls(), "/quiz 3 again")
	e.api.Reset()
	e.answer(userID, c.PollID(), questionOf(t, c).Correct)
	e.command(-100, "/quiz 3") // a round: its intro, then the poll
	g := only(t, e.api.Calls("sendPoll"), "/quiz in a group")
	e.api.Reset()
	e.answer(userID, g.PollID(), (questionOf(t, g).Correct+1)%len(questionOf(t, g).Options))
	if n := len(e.api.Calls()); n != 0 {
		t.Fatalf("%d calls after a right answer and a wrong one in a group", n)
	}
}

// Every question, bank and generated, is explained by a page that exists.
func TestEveryQuestionHasItsSection(t *testing.T) {
	for _, q := range lessons.Quiz() {
		l, _ := lessons.Get(q.Lesson)
		if _, ok := l.Section(lessons.Explains(q)); !ok {
			t.Errorf("%s: no section %q in lesson %d", q.ID, lessons.Explains(q), q.Lesson)
		}
	}
}

// Spaced repetition: due questions first, most overdue first; then new
// questions from opened lessons; then the rest in teaching order.
func TestSpacedRepetitionOrder(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/lesson 3")
	ask := func() lessons.Question {
		t.Helper()
		e.api.Reset()
		e.command(userID, "/quiz")
		return questionOf(t, only(t, e.api.Calls("sendPoll"), "/quiz"))
	}
	pollN := func() string { p := e.api.Calls("sendPoll"); return p[len(p)-1].PollID() }

	q1 := ask()
	if q1.ID != lessons.QuizFor(3)[0].ID {
		t.Fatalf("first question %s, want lesson 3's first (opened)", q1.ID)
	}
	e.answer(userID, pollN(), (q1.Correct+1)%len(q1.Options)) // wrong
	e.clk.Advance(time.Hour)
	q2 := ask()
	if q2.ID != lessons.QuizFor(3)[1].ID {
		t.Fatalf("second question %s, want lesson 3's second", q2.ID)
	}
	e.answer(userID, pollN(), q2.Correct) // right
	// Answer every other question of lesson 3, then lesson 1 comes next.
	for range len(lessons.QuizFor(3)) - 2 {
		q := ask()
		if q.Lesson != 3 {
			t.Fatalf("asked lesson %d before lesson 3 was done", q.Lesson)
		}
		e.answer(userID, pollN(), q.Correct)
	}
	if q := ask(); q.Lesson != 1 {
		t.Fatalf("after lesson 3: lesson %d", q.Lesson)
	}
	// A day later the wrong one is due; the right one waits two days
	// (FSRS's first stability, 2.31 days, rounded), and then comes before
	// the questions not yet due.
	e.clk.Advance(24 * time.Hour)
	if q := ask(); q.ID != q1.ID {
		t.Fatalf("due first: %s, want %s", q.ID, q1.ID)
	}
	e.answer(userID, pollN(), q1.Correct)
	if q := ask(); q.ID == q2.ID {
		t.Fatalf("%s asked again a day after a right answer", q.ID)
	}
	e.clk.Advance(24 * time.Hour)
	if q := ask(); q.ID != q2.ID {
		t.Fatalf("due second: %s, want %s", q.ID, q2.ID)
	}
}

func TestProgress(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/lesson 1")
	e.command(userID, "/quiz 1")
	q := questionOf(t, e.api.Calls("sendPoll")[0])
	e.answer(userID, e.api.Calls("sendPoll")[0].PollID(), q.Correct)
	e.api.Reset()
	e.command(userID, "/progress")
	c := only(t, e.api.Calls("sendPhoto"), "/progress")
	text := c.Fields["caption"]
	for _, want := range []string{"Ваш прогресс", "1. Нейрон", "прочитан", "верно 1 из 1 (100\u00a0%)", "отвечено на 1 вопрос из", "2. Random seed", "не открыт", "Серия: 1 день подряд (лучшая — 1 день)", "/remind 09:30"} {
		if !strings.Contains(text, want) {
			t.Errorf("/progress lacks %q:\n%s", want, text)
		}
	}
	img, err := png.Decode(bytes.NewReader(c.Files["photo"]))
	if err != nil || img.Bounds().Dx() < 600 {
		t.Fatalf("chart: %v", err)
	}
	// In a group, one short line of the asker's own progress, no chart.
	e.api.Reset()
	e.command(groupID, "/progress")
	c = only(t, e.api.Calls(), "group /progress")
	if c.Method != "sendMessage" || c.Fields["chat_id"] != strconv.Itoa(groupID) || !strings.Contains(c.Fields["text"], "верных ответов — 100") ||
		!strings.Contains(c.Fields["text"], "в личном чате") || strings.Count(c.Fields["text"], "\n") > 0 {
		t.Fatalf("group /progress: %v", c.Fields)
	}
}

func TestExportAndForget(t *testing.T) {
	e := newLoopEnv(t)
	// The first command already counts as a day of activity, so even a
	// newcomer's export holds that, and nothing else.
	e.command(userID, "/export")
	first := only(t, e.api.Calls(), "/export first")
	var fresh storage.ExportDoc
	if err := json.Unmarshal(first.Files["document"], &fresh); err != nil {
		t.Fatalf("first export: %v (%q)", err, first.Fields["text"])
	}
	if fresh.User == nil || fresh.User.Streak.Current != 1 || len(fresh.Answers) != 0 || len(fresh.User.LessonsOpened) != 0 {
		t.Fatalf("first export: %+v", fresh)
	}
	e.command(userID, "/lesson 2")
	e.command(userID, "/remind 08:00")
	e.command(userID, "/quiz 2")
	q := questionOf(t, e.api.Calls("sendPoll")[0])
	e.answer(userID, e.api.Calls("sendPoll")[0].PollID(), q.Correct)
	e.api.Reset()
	e.command(userID, "/export")
	c := only(t, e.api.Calls(), "/export")
	if c.Method != "sendDocument" {
		t.Fatalf("/export sent %s", c.Method)
	}
	var doc storage.ExportDoc
	if err := json.Unmarshal(c.Files["document"], &doc); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if doc.UserID != userID || doc.User == nil || doc.User.Reminder.HHMM != "08:00" || len(doc.Answers) != 1 ||
		doc.Answers[0].QuestionID != q.ID || len(doc.Polls) != 1 || doc.User.LessonsOpened[0] != 2 {
		t.Fatalf("export: %s", c.Files["document"])
	}

	// /forget asks first; "no" keeps everything; someone else's press is refused.
	e.api.Reset()
	e.command(userID, "/forget")
	ask := only(t, e.api.Calls(), "/forget")
	data := buttons(t, ask)
	if len(data) != 2 || data[0] != "fgt:"+strconv.Itoa(userID) || data[1] != "fgt:no:"+strconv.Itoa(userID) {
		t.Fatalf("forget buttons %v", data)
	}
	e.press(data[1], 7)
	if _, err := e.db.User(userID); err != nil {
		t.Fatalf("cancel deleted: %v", err)
	}
	e.tg.HandleUpdate(context.Background(), &models.Update{CallbackQuery: &models.CallbackQuery{
		ID: "cb2", From: models.User{ID: 777}, Data: "fgt:" + strconv.Itoa(userID),
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 7, Chat: models.Chat{ID: groupID, Type: models.ChatTypeSupergroup}}},
	}})
	if _, err := e.db.User(userID); err != nil {
		t.Fatalf("another user's press deleted: %v", err)
	}
	if c := e.api.Calls("answerCallbackQuery"); !strings.Contains(c[len(c)-1].Fields["text"], "для того, кто вызвал") {
		t.Fatalf("other user's press: %v", c[len(c)-1].Fields)
	}
	e.api.Reset()
	e.press("fgt:"+strconv.Itoa(userID), 7)
	if _, err := e.db.User(userID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("after forget: %v", err)
	}
	if c := e.api.Calls("editMessageText"); len(c) != 1 || !strings.Contains(c[0].Fields["text"], "удалены") {
		t.Fatalf("forget reply: %+v", c)
	}
	if due, _ := e.db.DueReminders(t0.Add(48*time.Hour), 10); len(due) != 0 {
		t.Fatalf("reminder survived forget: %+v", due)
	}
	e.answer(userID, doc.Polls[0].PollID, 0) // an answer to a forgotten poll is ignored
	if _, err := e.db.User(userID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("answer recreated the user: %v", err)
	}
}

// A user who blocks the bot (my_chat_member: kicked) gets no reminders.
func TestBlockedUpdateDisablesReminder(t *testing.T) {
	e := newLoopEnv(t)
	e.command(userID, "/remind 09:30")
	e.tg.HandleUpdate(context.Background(), &models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat: models.Chat{ID: userID, Type: models.ChatTypePrivate}, From: models.User{ID: userID},
		OldChatMember: models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{}},
		NewChatMember: models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{}},
	}})
	r, err := e.db.Reminder(userID)
	if err != nil || r.Enabled {
		t.Fatalf("after block: %+v, %v", r, err)
	}
}

func TestAllowedUpdates(t *testing.T) {
	e := newLoopEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.tg.Run(ctx); close(done) }()
	c := e.api.WaitForGetUpdates(t, 10*time.Second)
	cancel()
	<-done
	for _, want := range []string{"poll_answer", "my_chat_member", "callback_query", "message"} {
		if !strings.Contains(c.Fields["allowed_updates"], want) {
			t.Errorf("allowed_updates %s lacks %s", c.Fields["allowed_updates"], want)
		}
	}
}

// Progress updates through the handler: quiz answers end to end, from
// the update to bbolt. Updates are handled concurrently in production
// (go-telegram runs each in its own goroutine), which lets bbolt batch
// the writes; one goroutine alone waits out each batch's 10 ms delay.
func BenchmarkPollAnswer(b *testing.B) {
	for _, p := range []int{1, 64} {
		b.Run("perCPU="+strconv.Itoa(p), func(b *testing.B) { // p goroutines per CPU
			e := newLoopEnv(b)
			e.command(userID, "/quiz")
			poll := e.api.Calls("sendPoll")[0].PollID()
			ctx := context.Background()
			var next atomic.Int64
			b.SetParallelism(p)
			b.ReportAllocs()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					// Each user answers the poll once: a new answer every time.
					e.tg.HandleUpdate(ctx, &models.Update{PollAnswer: &models.PollAnswer{
						PollID: poll, User: &models.User{ID: 1000 + next.Add(1)}, OptionIDs: []int{0},
					}})
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "answers/s")
		})
	}
}

// commandFrom is command for another user, in their private chat.
func (e *loopEnv) commandFrom(user int64, text string) {
	n := strings.IndexByte(text+" ", ' ')
	e.tg.HandleUpdate(context.Background(), &models.Update{Message: &models.Message{
		ID: 1, Chat: models.Chat{ID: user, Type: models.ChatTypePrivate}, From: &models.User{ID: user}, Text: text,
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: n}},
	}})
}

// The progress chart's key is its picture: learners with the same
// picture share one upload, and a changed picture is drawn anew.
func TestProgressChartShared(t *testing.T) {
	e := newLoopEnv(t)
	uploaded := func() bool {
		t.Helper()
		c := e.api.Calls("sendPhoto")
		_, ok := c[len(c)-1].Files["photo"]
		return ok
	}
	e.commandFrom(1, "/progress")
	if !uploaded() {
		t.Fatal("first chart not uploaded")
	}
	e.commandFrom(2, "/progress")
	if uploaded() {
		t.Fatal("the same picture was uploaded again")
	}
	e.commandFrom(2, "/quiz")
	p := e.api.Calls("sendPoll")[0]
	e.answer(2, p.PollID(), 0)
	e.commandFrom(2, "/progress")
	if !uploaded() {
		t.Fatal("a changed picture reused the old chart")
	}
}

// After a lesson's bank questions comes its generated question, with
// fresh numbers each time it is asked and its own right option stored.
func TestGeneratedQuestionInTheLoop(t *testing.T) {
	e := newLoopEnv(t)
	bank := lessons.QuizFor(1)
	for i := range bank {
		e.api.Reset()
		e.command(userID, "/quiz 1")
		c := only(t, e.api.Calls("sendPoll"), "/quiz 1")
		q := questionOf(t, c)
		if q.ID != bank[i].ID {
			t.Fatalf("question %d: %s, want %s", i, q.ID, bank[i].ID)
		}
		e.answer(userID, c.PollID(), q.Correct)
	}
	var texts []string
	for range 2 {
		e.api.Reset()
		e.clk.Advance(time.Minute)
		e.command(userID, "/quiz 1")
		c := only(t, e.api.Calls("sendPoll"), "generated")
		if !strings.HasPrefix(c.Fields["question"], "w = (") || !strings.Contains(c.Fields["question"], "Чему равен y") {
			t.Fatalf("not the neuron question: %q", c.Fields["question"])
		}
		rec, err := e.db.Poll(c.PollID())
		if err != nil || rec.QuestionID != "gen:neuron" || strconv.Itoa(rec.CorrectOption) != c.Fields["correct_option_id"] {
			t.Fatalf("stored %+v, %v; poll says %s", rec, err, c.Fields["correct_option_id"])
		}
		if n := len(pollOptions(t, c)); n != 4 {
			t.Fatalf("%d options", n)
		}
		texts = append(texts, c.Fields["question"])
	}
	if texts[0] == texts[1] {
		t.Fatalf("the same numbers twice: %q", texts[0])
	}
	// Every question of lesson 1 answered right: the lesson is finished.
	if u, _ := e.db.User(userID); len(u.LessonsFinished) != 0 {
		t.Fatalf("finished before the last question: %v", u.LessonsFinished)
	}
	c := e.api.Calls("sendPoll")[0]
	id, _ := strconv.Atoi(c.Fields["correct_option_id"])
	e.answer(userID, c.PollID(), id)
	if u, _ := e.db.User(userID); len(u.LessonsFinished) != 1 || u.LessonsFinished[0] != 1 {
		t.Fatalf("finished %v", u.LessonsFinished)
	}
	e.api.Reset()
	e.command(userID, "/progress")
	if text := e.api.Calls("sendPhoto")[0].Fields["caption"]; !strings.Contains(text, "1. Нейрон: y = f(Σ(w_i·x_i) + b) — пройден") {
		t.Fatalf("progress: %s", text)
	}
}
