package bot_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/charts"
	"neurotutor/internal/fakeapi"
	"neurotutor/internal/fakeclock"
	"neurotutor/storage"
)

// groupEnv is a bot in a supergroup on a manual clock, with the round
// loop running: a round's questions close only when the test moves the
// clock. Messages go straight to the fake Bot API (the Sender's group
// limit is tested on its own).
type groupEnv struct {
	api    *fakeapi.Server
	db     *storage.DB
	path   string
	clk    *fakeclock.Clock
	tg     *telegram.Bot
	svc    *bot.Service
	rem    *bot.Reminders
	stop   func()
	update int
}

const (
	grpChat  = -1001234567
	anya     = 101
	boris    = 102
	vera     = 103
	teacher  = 200
	channel  = -1009999
	anonBot  = 1087968824
	maxWaits = 10 * time.Second
)

func newGroupEnv(t *testing.T) *groupEnv {
	t.Helper()
	api := fakeapi.New(t)
	path := filepath.Join(t.TempDir(), "bot.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &groupEnv{api: api, db: db, path: path, clk: fakeclock.New(t0)}
	api.SetClock(e.clk.Now)
	api.SetMember(grpChat, teacher, "administrator")
	e.start(t)
	t.Cleanup(func() { e.stop() })
	return e
}

// start wires a Service, the Telegram side and the round loop: a
// (re)start of the process on the same database.
func (e *groupEnv) start(t *testing.T) {
	t.Helper()
	svc, err := bot.NewService(bot.Options{Store: e.db, Charts: e.db, Username: fakeapi.BotUsername, Clock: e.clk})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := telegram.New(svc, telegram.Config{Token: fakeapi.Token, ServerURL: e.api.URL})
	if err != nil {
		t.Fatal(err)
	}
	e.svc, e.tg = svc, tg
	e.rem = bot.NewReminders(svc, tg.Outbox())
	rounds := bot.NewRounds(svc, tg.Outbox())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { rounds.Run(ctx); close(done) }()
	e.stop = func() { cancel(); <-done }
}

func (e *groupEnv) handle(u *models.Update) {
	e.update++
	u.ID = int64(e.update)
	e.tg.HandleUpdate(context.Background(), u)
}

// say sends text to the group from user (named name).
func (e *groupEnv) say(user int64, name, text string) {
	m := &models.Message{ID: e.update + 1, Chat: models.Chat{ID: grpChat, Type: models.ChatTypeSupergroup},
		From: &models.User{ID: user, FirstName: name}, Text: text}
	e.command(m)
}

// sayAs sends text on behalf of chat sender (an anonymous admin when it
// is the group, a channel otherwise).
func (e *groupEnv) sayAs(sender int64, text string) {
	from := &models.User{ID: 136817688, IsBot: true, FirstName: "Channel", Username: "Channel_Bot"}
	if sender == grpChat {
		from = &models.User{ID: anonBot, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}
	}
	e.command(&models.Message{ID: e.update + 1, Chat: models.Chat{ID: grpChat, Type: models.ChatTypeSupergroup},
		From: from, SenderChat: &models.Chat{ID: sender, Type: models.ChatTypeSupergroup}, Text: text})
}

func (e *groupEnv) command(m *models.Message) {
	if strings.HasPrefix(m.Text, "/") {
		n := strings.IndexByte(m.Text+" ", ' ')
		m.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: n}}
	}
	e.handle(&models.Update{Message: m})
}

func (e *groupEnv) vote(user int64, name, pollID string, option int) {
	e.handle(&models.Update{PollAnswer: &models.PollAnswer{PollID: pollID, User: &models.User{ID: user, FirstName: name}, OptionIDs: []int{option}}})
}

func (e *groupEnv) press(user int64, data string, msgID int) {
	e.handle(&models.Update{CallbackQuery: &models.CallbackQuery{
		ID: "cb" + strconv.Itoa(e.update), From: models.User{ID: user, FirstName: "X"}, Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: msgID, Chat: models.Chat{ID: grpChat, Type: models.ChatTypeSupergroup}}},
	}})
}

// member sends a my_chat_member update about the bot: from old to new.
func (e *groupEnv) member(old, new models.ChatMemberType) {
	cm := func(t models.ChatMemberType) models.ChatMember {
		u := models.User{ID: 123456, IsBot: true, FirstName: "NeuroTutor"}
		switch t {
		case models.ChatMemberTypeMember:
			return models.ChatMember{Type: t, Member: &models.ChatMemberMember{User: &u}}
		case models.ChatMemberTypeLeft:
			return models.ChatMember{Type: t, Left: &models.ChatMemberLeft{User: &u}}
		case models.ChatMemberTypeBanned:
			return models.ChatMember{Type: t, Banned: &models.ChatMemberBanned{User: &u}}
		}
		return models.ChatMember{Type: t, Administrator: &models.ChatMemberAdministrator{User: u}}
	}
	e.handle(&models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat: models.Chat{ID: grpChat, Type: models.ChatTypeSupergroup}, From: models.User{ID: teacher, FirstName: "Учитель"},
		OldChatMember: cm(old), NewChatMember: cm(new),
	}})
}

// texts returns the texts (and photo captions) of the messages sent to
// chat since the last Reset, in order.
func (e *groupEnv) texts(chat int64) []string {
	var out []string
	for _, c := range e.api.Calls("sendMessage", "sendPhoto") {
		if c.Fields["chat_id"] == strconv.FormatInt(chat, 10) {
			out = append(out, c.Fields["text"]+c.Fields["caption"])
		}
	}
	return out
}

func (e *groupEnv) last(t *testing.T) string {
	t.Helper()
	m := e.texts(grpChat)
	if len(m) == 0 {
		t.Fatal("no message in the group")
	}
	return m[len(m)-1]
}

// polls waits until n polls were sent in all and returns them.
func (e *groupEnv) polls(t *testing.T, n int) []fakeapi.Call {
	t.Helper()
	return e.api.WaitFor(t, "sendPoll", n, maxWaits)
}

// advance moves the clock by d once the round loop waits on it, and waits
// until the calls of method it causes reach want.
func (e *groupEnv) advance(t *testing.T, d time.Duration, method string, want int) {
	t.Helper()
	e.clk.BlockUntil(t, 1)
	e.clk.Advance(d)
	e.api.WaitFor(t, method, want, maxWaits)
}

func mustContain(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Fatalf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// The round: three members play three questions — answers at
// different times, one wrong, one late, one repeated — and see each
// answer with the running top, then the board.
func TestGroupRoundPlayed(t *testing.T) {
	e := newGroupEnv(t)
	e.member(models.ChatMemberTypeLeft, models.ChatMemberTypeMember)
	mustContain(t, "welcome", e.last(t), "/quiz", "/top", "/daily", "админы")
	e.member(models.ChatMemberTypeMember, models.ChatMemberTypeAdministrator) // promoted: no second welcome
	if n := len(e.texts(grpChat)); n != 1 {
		t.Fatalf("%d welcomes", n)
	}

	e.say(anya, "Аня", "/quiz 1 3")
	mustContain(t, "intro", e.last(t), "3 вопроса по уроку 1", "30 секунд", "от 500 до 1000")
	p := e.polls(t, 1)[0]
	e.clk.BlockUntil(t, 1)
	if p.Fields["is_anonymous"] != "false" || p.Fields["type"] != "quiz" || p.Fields["open_period"] != "30" || !strings.HasPrefix(p.Fields["question"], "1/3. ") {
		t.Fatalf("first poll %v", p.Fields)
	}
	q1 := questionOf(t, p)
	wrong := (q1.Correct + 1) % len(q1.Options)
	e.clk.Advance(3 * time.Second)
	e.vote(anya, "Аня", p.PollID(), q1.Correct) // 950
	e.clk.Advance(7 * time.Second)
	e.vote(boris, "Борис", p.PollID(), wrong) // 0
	e.clk.Advance(2 * time.Second)
	e.vote(vera, "Вера <b>", p.PollID(), q1.Correct) // 800
	e.vote(anya, "Аня", p.PollID(), wrong)           // a repeat: ignored
	e.say(boris, "Борис", "/quiz")
	mustContain(t, "second /quiz", e.last(t), "Уже идёт раунд: вопрос 1 из 3", "/stop")

	e.advance(t, 18*time.Second, "sendPoll", 2) // 30 s: closes
	post := e.texts(grpChat)[len(e.texts(grpChat))-1]
	mustContain(t, "first answer", post, "Вопрос 1 из 3", q1.Options[q1.Correct], "Ответили: 3, верно: 2",
		"1. Аня — 950 очков", "2. Вера &lt;b&gt; — 800 очков", "3. Борис — 0 очков, верно 0 из 1")

	p2 := e.polls(t, 2)[1]
	q2 := questionOf(t, p2)
	e.clk.BlockUntil(t, 1) // q2 is open: the loop waits for its close
	e.clk.Advance(5 * time.Second)
	e.vote(boris, "Борис", p2.PollID(), q2.Correct)   // 917
	e.advance(t, 25*time.Second, "sendPoll", 3)       // closes q2, asks q3
	e.vote(vera, "Вера <b>", p2.PollID(), q2.Correct) // late: after the close
	p3 := e.polls(t, 3)[2]
	before := len(e.api.Calls("sendMessage"))
	e.advance(t, 30*time.Second, "sendMessage", before+2) // q3's answer, then the board
	board := e.last(t)
	mustContain(t, "board", board, "Раунд окончен: 3 вопроса за 1 минуту 30 секунд",
		"1. Аня — 950 очков, верно 1 из 1", "2. Борис — 917 очков, верно 1 из 2", "3. Вера &lt;b&gt; — 800 очков, верно 1 из 1", "Игроков: 3")
	calls := e.api.Calls("sendMessage")
	if b := buttons(t, calls[len(calls)-1]); len(b) != 1 || b[0] != "rnd:1:3" {
		t.Fatalf("board buttons %v", b)
	}
	if strings.Contains(board, "@") {
		t.Fatalf("a mention on the board: %s", board)
	}
	_ = p3
	// The members' answers count for their own progress too, also for
	// Вера, who never opened a private chat with the bot.
	for _, u := range []int64{anya, boris, vera} {
		if cards, err := e.db.Cards(u); err != nil || len(cards) == 0 {
			t.Fatalf("user %d's own cards: %+v, %v", u, cards, err)
		}
	}
	if g, _ := e.db.Group(grpChat); g.Round != nil {
		t.Fatalf("round still running: %+v", g.Round)
	}

	// /top: this week and all time, names escaped, the asker's place.
	e.api.Reset()
	e.say(vera, "Вера <b>", "/top")
	top := e.last(t)
	mustContain(t, "/top", top, "Эта неделя (с понедельника 23.11)", "1. Аня — 950 очков", "3. Вера &lt;b&gt; — 800 очков", "За всё время:", "Вы: 3-е место из 3")
	chart := only(t, e.api.Calls("sendPhoto"), "/top chart")
	if img, err := png.Decode(bytes.NewReader(chart.Files["photo"])); err != nil || img.Bounds().Dx() != charts.BoardWidth || img.Bounds().Dy() != charts.BoardHeight(3) {
		t.Fatalf("/top chart: %v", err)
	}

	// The next week's board starts empty; all time keeps the points.
	e.clk.Set(time.Date(2026, 11, 29, 21, 0, 0, 0, time.UTC)) // Monday 00:00 in Moscow
	e.say(anya, "Аня", "/top")
	mustContain(t, "next week", e.last(t), "с понедельника 30.11):\nпока никого", "За всё время:\n1. Аня")

	// /forget takes a member off every board.
	e.api.Reset()
	if err := e.db.Forget(anya); err != nil {
		t.Fatal(err)
	}
	e.say(boris, "Борис", "/top")
	if top := e.last(t); strings.Contains(top, "Аня") || !strings.Contains(top, "1. Борис") {
		t.Fatalf("after Аня's /forget:\n%s", top)
	}
}

// /stop: refused to a member who did not start the round, accepted from an
// admin; the board so far is posted and the open poll closed.
func TestGroupStop(t *testing.T) {
	e := newGroupEnv(t)
	e.say(anya, "Аня", "/quiz")
	p := e.polls(t, 1)[0]
	e.vote(anya, "Аня", p.PollID(), questionOf(t, p).Correct)
	e.say(boris, "Борис", "/stop")
	mustContain(t, "member's /stop", e.last(t), "может тот, кто его начал, или админ")
	e.say(teacher, "Учитель", "/stop")
	mustContain(t, "admin's /stop", e.last(t), "Раунд остановлен: 1 вопрос из 5", "1. Аня — 1000 очков")
	if !e.api.PollClosed(p.MessageID) {
		t.Fatal("the round's poll is still open")
	}
	if n := len(e.api.Calls("getChatMember")); n != 2 {
		t.Fatalf("%d getChatMember calls", n)
	}
	// The starter may stop their own round; nothing is left to stop after.
	e.say(anya, "Аня", "/quiz 2 1")
	e.say(anya, "Аня", "/stop")
	mustContain(t, "starter's /stop", e.last(t), "Раунд остановлен")
	e.say(anya, "Аня", "/stop")
	mustContain(t, "no round", e.last(t), "Сейчас раунда нет")
	e.say(anya, "Аня", "/quiz 9")
	mustContain(t, "bad /quiz", e.last(t), "Не понял «9»", "<code>/quiz 3 10</code>")
	e.say(anya, "Аня", "/quiz 1 21")
	mustContain(t, "too many", e.last(t), "Не понял «1 21»")
}

// Settings are for admins: /daily and /timer from a member are refused,
// from an admin, the creator or an anonymous admin taken; a channel
// writing in the group is not an admin. getChatMember is asked once a
// minute at most per member.
func TestGroupAdmins(t *testing.T) {
	e := newGroupEnv(t)
	e.api.SetMember(grpChat, anya, "creator")
	e.say(boris, "Борис", "/daily 19:00 Europe/Moscow")
	mustContain(t, "member's /daily", e.last(t), "только админы")
	e.say(boris, "Борис", "/daily")
	mustContain(t, "member's /daily show", e.last(t), "Вопрос дня выключен")
	e.say(teacher, "Учитель", "/daily 19:00 Europe/Moscow")
	mustContain(t, "admin's /daily", e.last(t), "19:00 (Europe/Moscow)", "27.11.2026 19:00")
	e.say(teacher, "Учитель", "/timer 45")
	mustContain(t, "admin's /timer", e.last(t), "45 секунд")
	calls := len(e.api.Calls("getChatMember"))
	e.say(teacher, "Учитель", "/timer 20")
	if len(e.api.Calls("getChatMember")) != calls {
		t.Fatal("getChatMember asked again within a minute")
	}
	e.clk.Advance(time.Minute)
	e.api.SetMember(grpChat, teacher, "member") // demoted
	e.say(teacher, "Учитель", "/timer 60")
	mustContain(t, "demoted", e.last(t), "только админы")
	e.say(anya, "Аня", "/timer 9")
	mustContain(t, "bad /timer", e.last(t), "от 10 до 120")
	e.say(anya, "Аня", "/timer 120")
	mustContain(t, "creator's /timer", e.last(t), "2 минуты")
	e.sayAs(grpChat, "/daily off")
	mustContain(t, "anonymous admin", e.last(t), "Вопрос дня выключен.")
	e.sayAs(channel, "/daily 08:00")
	mustContain(t, "channel", e.last(t), "только админы")
	// A channel or an anonymous admin has no personal record.
	e.sayAs(grpChat, "/progress")
	mustContain(t, "anonymous /progress", e.last(t), "личная команда")
	e.sayAs(channel, "/forget")
	mustContain(t, "channel /forget", e.last(t), "личная команда")
	e.sayAs(channel, "/lesson 1")
	for _, id := range []int64{anonBot, 136817688, channel, grpChat} {
		if _, err := e.db.User(id); !errors.Is(err, storage.ErrNotFound) && id != grpChat {
			t.Fatalf("a personal record for %d: %v", id, err)
		}
	}
	// /daily and /timer are for groups.
	e.api.Reset()
	e.handle(&models.Update{Message: &models.Message{ID: 1, Chat: models.Chat{ID: anya, Type: models.ChatTypePrivate}, From: &models.User{ID: anya},
		Text: "/daily 19:00", Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: 6}}}})
	mustContain(t, "private /daily", e.texts(anya)[0], "/remind")
}

// Personal data stays out of the group: /export goes to the private chat
// (or, to a member who never started the bot, a deep link); /remind
// points to the private chat and /daily; only the member who asked may
// press either /forget button.
func TestGroupPersonalData(t *testing.T) {
	e := newGroupEnv(t)
	e.say(anya, "Аня", "/quiz 1 1")
	p := e.polls(t, 1)[0]
	e.vote(anya, "Аня", p.PollID(), 0)
	e.api.Reset()
	e.say(anya, "Аня", "/export")
	doc := only(t, e.api.Calls("sendDocument"), "/export")
	if doc.Fields["chat_id"] != strconv.Itoa(anya) {
		t.Fatalf("export went to %s", doc.Fields["chat_id"])
	}
	mustContain(t, "export note", e.last(t), "Аня, отправил файл вам в личные сообщения")
	e.api.Fail("sendDocument", fakeapi.Failure{Code: 403, Desc: "Forbidden: bot can't initiate conversation with a user"})
	e.say(anya, "Аня", "/export")
	mustContain(t, "export hint", e.last(t), "не могу написать вам первым", "https://t.me/"+fakeapi.BotUsername+"?start=export")
	e.api.Reset()
	e.handle(&models.Update{Message: &models.Message{ID: 1, Chat: models.Chat{ID: anya, Type: models.ChatTypePrivate}, From: &models.User{ID: anya},
		Text: "/start export", Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: 6}}}})
	if doc := only(t, e.api.Calls("sendDocument"), "deep link"); doc.Fields["chat_id"] != strconv.Itoa(anya) {
		t.Fatalf("deep link export: %v", doc.Fields)
	}

	e.say(boris, "Борис", "/remind 10:00")
	mustContain(t, "group /remind", e.last(t), "личном чате", "/daily")
	if r, err := e.db.Reminder(boris); err != nil || r.Enabled {
		t.Fatalf("group /remind set Борис's reminder: %+v, %v", r, err)
	}

	e.api.Reset()
	e.say(anya, "Аня", "/forget")
	ask := e.api.Calls("sendMessage")[0]
	kb := buttons(t, ask)
	for _, data := range kb {
		e.press(boris, data, ask.MessageID)
		if c := e.api.Calls("answerCallbackQuery"); !strings.Contains(c[len(c)-1].Fields["text"], "для того, кто вызвал") {
			t.Fatalf("Борис pressed %s: %v", data, c[len(c)-1].Fields)
		}
	}
	if len(e.api.Calls("editMessageText")) != 0 {
		t.Fatal("another member's press changed the prompt")
	}
	if _, err := e.db.User(anya); err != nil {
		t.Fatalf("Аня's data after Борис's presses: %v", err)
	}
	e.press(anya, kb[1], ask.MessageID)
	if c := e.api.Calls("editMessageText"); len(c) != 1 || !strings.Contains(c[0].Fields["text"], "ничего не удаляю") {
		t.Fatalf("Аня's no: %v", c)
	}
}

// A round survives a restart: an open question closes at its time and the
// round goes on; a question claimed but maybe not sent ends the round
// cleanly with the scores so far, and is never asked again.
func TestGroupRoundRestart(t *testing.T) {
	e := newGroupEnv(t)
	e.say(anya, "Аня", "/quiz 1 2")
	p := e.polls(t, 1)[0]
	e.vote(boris, "Борис", p.PollID(), questionOf(t, p).Correct)
	e.stop() // the process dies mid-question
	e.clk.Advance(time.Minute)
	e.start(t)
	e.api.WaitFor(t, "sendPoll", 2, maxWaits) // the first closed at once, the second asked
	mustContain(t, "after restart", e.texts(grpChat)[1], "Вопрос 1 из 2", "Ответили: 1, верно: 1")

	// Now die between claiming a question and sending it: simulate with
	// the stored phase.
	p2 := e.polls(t, 2)[1]
	e.stop()
	g, _ := e.db.Group(grpChat)
	if _, err := e.db.CloseQuestion(grpChat, g.Round.ID, 2); err != nil {
		t.Fatal(err)
	}
	// (A round of 2 has nothing more to ask; give it a third question to
	// claim by starting another.)
	if _, err := e.db.EndRound(grpChat, g.Round.ID); err != nil {
		t.Fatal(err)
	}
	r := storage.Round{ID: 77, Starter: anya, Total: 3, Started: e.clk.Now()}
	if _, err := e.db.StartRound(grpChat, r); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.BeginQuestion(grpChat, 77, storage.RoundQ{QuestionID: "n1", Answer: "x"}, e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	before := len(e.api.Calls("sendMessage"))
	e.start(t)
	e.api.WaitFor(t, "sendMessage", before+1, maxWaits)
	mustContain(t, "aborted", e.last(t), "Раунд прерван", "вопрос 1 мог не дойти")
	if n := len(e.api.Calls("sendPoll")); n != 2 {
		t.Fatalf("%d polls: a question asked after the restart", n)
	}
	if g, _ := e.db.Group(grpChat); g.Round != nil {
		t.Fatalf("round stuck: %+v", g.Round)
	}
	_ = p2
}

// A group that becomes a supergroup keeps its round: the next question
// goes to the new chat, with no second welcome. Removing the bot turns
// the question of the day off.
func TestGroupMigrationAndKick(t *testing.T) {
	e := newGroupEnv(t)
	const super = -1007654321
	e.say(teacher, "Учитель", "/daily 19:00 UTC+3")
	e.say(anya, "Аня", "/quiz 1 2")
	p := e.polls(t, 1)[0]
	e.handle(&models.Update{Message: &models.Message{ID: 9, Chat: models.Chat{ID: grpChat, Type: models.ChatTypeGroup},
		From: &models.User{ID: teacher}, MigrateToChatID: super}})
	e.handle(&models.Update{Message: &models.Message{ID: 1, Chat: models.Chat{ID: super, Type: models.ChatTypeSupergroup},
		From: &models.User{ID: teacher}, MigrateFromChatID: grpChat}})
	e.vote(boris, "Борис", p.PollID(), questionOf(t, p).Correct)
	e.advance(t, 30*time.Second, "sendPoll", 2)
	if p2 := e.polls(t, 2)[1]; p2.Fields["chat_id"] != strconv.Itoa(super) {
		t.Fatalf("next question went to %s", p2.Fields["chat_id"])
	}
	mustContain(t, "answer in the supergroup", e.texts(super)[0], "Ответили: 1, верно: 1", "Борис")
	if due, _ := e.db.DueReminders(t0.Add(48*time.Hour), 10); len(due) != 1 || due[0].ChatID != super {
		t.Fatalf("daily after the move: %+v", due)
	}
	e.handle(&models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat: models.Chat{ID: super, Type: models.ChatTypeSupergroup}, From: models.User{ID: teacher},
		OldChatMember: models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &models.User{ID: 1}}},
		NewChatMember: models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{User: &models.User{ID: 1}}},
	}})
	if due, _ := e.db.DueReminders(t0.Add(48*time.Hour), 10); len(due) != 0 {
		t.Fatalf("daily still on after the kick: %+v", due)
	}
	if g, _ := e.db.Group(super); g.Active || g.Round != nil {
		t.Fatalf("group after the kick: %+v", g)
	}
}

// The question of the day: at the group's time one poll (open an hour,
// closed with stopPoll on the bot's clock), then the answer and the day's
// results in one message; once per local day; a running round makes it
// wait; a 403 (the bot was removed) turns it off.
func TestGroupDaily(t *testing.T) {
	e := newGroupEnv(t)
	e.say(teacher, "Учитель", "/daily 19:00 UTC+3")
	at := time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC) // 19:00 at UTC+3
	e.clk.Set(at)
	e.api.Reset()
	if n, err := e.rem.Tick(context.Background()); err != nil || n != 1 {
		t.Fatalf("Tick = %d, %v", n, err)
	}
	mustContain(t, "daily intro", e.last(t), "Вопрос дня", "через 1 час")
	p := only(t, e.api.Calls("sendPoll"), "daily poll")
	if p.Fields["open_period"] != "" || p.Fields["is_anonymous"] != "false" {
		t.Fatalf("daily poll %v", p.Fields)
	}
	q := questionOf(t, p)
	e.clk.BlockUntil(t, 1)
	e.clk.Advance(10 * time.Minute)
	e.vote(anya, "Аня", p.PollID(), q.Correct)
	e.vote(boris, "Борис", p.PollID(), (q.Correct+1)%len(q.Options))
	if n, _ := e.rem.Tick(context.Background()); n != 0 {
		t.Fatal("a second question the same day")
	}
	e.advance(t, 50*time.Minute, "stopPoll", 1)
	e.api.WaitFor(t, "sendMessage", 2, maxWaits)
	if !e.api.PollClosed(p.MessageID) {
		t.Fatal("the daily poll is open after its hour")
	}
	res := e.last(t)
	mustContain(t, "daily results", res, "Правильный ответ: <b>"+esc(q.Options[q.Correct]), "Ответили: 2, верно: 1", "Лучшие сегодня:", "1. Аня", "2. Борис — 0 очков")
	if strings.Contains(res, "Ещё раунд") || len(e.texts(grpChat)) != 2 {
		t.Fatalf("daily posts: %q", e.texts(grpChat))
	}

	// Next day a round is running at 19:00: the question waits for it.
	e.clk.Set(at.Add(24 * time.Hour))
	e.say(anya, "Аня", "/quiz 1 1")
	e.api.Reset()
	if n, _ := e.rem.Tick(context.Background()); n != 0 || len(e.api.Calls("sendPoll")) != 0 {
		t.Fatal("the question of the day cut into a round")
	}
	e.say(anya, "Аня", "/stop")
	e.clk.Advance(5 * time.Minute)
	if n, _ := e.rem.Tick(context.Background()); n != 1 {
		t.Fatal("the question of the day did not come after the round")
	}

	// The bot was removed without the update reaching it: 403 turns it off.
	e.clk.Set(at.Add(72 * time.Hour))
	if _, err := e.db.EndRound(grpChat, mustRound(t, e.db).ID); err != nil {
		t.Fatal(err)
	}
	e.api.Fail("sendMessage", fakeapi.Failure{Code: 403, Desc: "Forbidden: bot was kicked from the supergroup chat"})
	e.rem.Tick(context.Background())
	if r, _ := e.db.Reminder(grpChat); r.Enabled {
		t.Fatal("the question of the day is still on after a 403")
	}
}

func mustRound(t *testing.T, db *storage.DB) storage.Round {
	t.Helper()
	g, err := db.Group(grpChat)
	if err != nil || g.Round == nil {
		t.Fatalf("no round: %+v, %v", g, err)
	}
	return *g.Round
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
