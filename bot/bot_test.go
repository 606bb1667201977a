package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeapi"
	"neurotutor/lessons"
	"neurotutor/storage"
)

const (
	userID  = 42
	groupID = -100500
)

// env is a bot wired to the fake Bot API and a real bbolt file.
type env struct {
	api *fakeapi.Server
	tg  *telegram.Bot
	db  *storage.DB
}

func newEnv(tb testing.TB) *env {
	return newEnvStore(tb, nil)
}

func newEnvStore(tb testing.TB, store bot.Store) *env {
	tb.Helper()
	api := fakeapi.New(tb)
	db, err := storage.Open(filepath.Join(tb.TempDir(), "bot.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if store == nil {
		store = db
	}
	return &env{api: api, tg: telegramOn(tb, api, store, db), db: db}
}

// telegramOn wires a Service on store (and db for chart file_ids) to the
// fake Bot API api.
func telegramOn(tb testing.TB, api *fakeapi.Server, store bot.Store, db *storage.DB) *telegram.Bot {
	tb.Helper()
	svc, err := bot.NewService(bot.Options{Store: store, Charts: db, Username: fakeapi.BotUsername})
	if err != nil {
		tb.Fatal(err)
	}
	tg, err := telegram.New(svc, telegram.Config{Token: fakeapi.Token, ServerURL: api.URL})
	if err != nil {
		tb.Fatal(err)
	}
	return tg
}

// command sends text as a message from userID in chat, with the
// bot_command entity Telegram adds, and handles it synchronously.
func (e *env) command(chat int64, text string) {
	msg := &models.Message{ID: 1, Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}, From: &models.User{ID: userID}, Text: text}
	if chat < 0 {
		msg.Chat.Type = models.ChatTypeSupergroup
	}
	if strings.HasPrefix(text, "/") {
		n := strings.IndexAny(text, " \n")
		if n < 0 {
			n = len(text)
		}
		msg.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: len(utf16(text[:n]))}}
	}
	e.tg.HandleUpdate(context.Background(), &models.Update{ID: 1, Message: msg})
}

func utf16(s string) []rune { return []rune(s) } // commands are ASCII

// press presses an inline button carrying data on message msgID.
func (e *env) press(data string, msgID int) {
	e.tg.HandleUpdate(context.Background(), &models.Update{ID: 2, CallbackQuery: &models.CallbackQuery{
		ID: "cb1", From: models.User{ID: userID}, Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: msgID, Chat: models.Chat{ID: userID, Type: models.ChatTypePrivate}}},
	}})
}

type keyboard struct {
	InlineKeyboard [][]struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
	} `json:"inline_keyboard"`
}

func buttons(t *testing.T, c fakeapi.Call) []string {
	t.Helper()
	if c.Fields["reply_markup"] == "" {
		return nil
	}
	var kb keyboard
	if err := json.Unmarshal([]byte(c.Fields["reply_markup"]), &kb); err != nil {
		t.Fatal(err)
	}
	var data []string
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			data = append(data, b.CallbackData)
		}
	}
	return data
}

// only returns the single call recorded, failing otherwise.
func only(t *testing.T, calls []fakeapi.Call, what string) fakeapi.Call {
	t.Helper()
	if len(calls) != 1 {
		t.Fatalf("%s: %d calls, want 1: %+v", what, len(calls), calls)
	}
	return calls[0]
}

func TestStartAndHelp(t *testing.T) {
	e := newEnv(t)
	e.command(userID, "/start")
	c := only(t, e.api.Calls(), "/start")
	if c.Method != "sendMessage" || c.Fields["parse_mode"] != "HTML" || !strings.Contains(c.Fields["text"], "нейротьютор") {
		t.Fatalf("/start reply: %+v", c)
	}
	if !slices.Contains(buttons(t, c), "lst") {
		t.Errorf("/start has no lessons button: %v", buttons(t, c))
	}
	e.api.Reset()
	e.command(userID, "/help")
	c = only(t, e.api.Calls(), "/help")
	for _, want := range []string{"/neuron w=0.5,1 x=2,3 b=-1", "/posenc 10", "точкой с запятой", "512", "64"} {
		if !strings.Contains(c.Fields["text"], want) {
			t.Errorf("/help lacks %q", want)
		}
	}
}

func TestSetCommands(t *testing.T) {
	e := newEnv(t)
	if err := e.tg.SetCommands(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := only(t, e.api.Calls("setMyCommands"), "setMyCommands")
	var cmds []struct{ Command, Description string }
	if err := json.Unmarshal([]byte(c.Fields["commands"]), &cmds); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Command)
		if c.Description == "" || len([]rune(c.Description)) > 256 {
			t.Errorf("bad description for %s: %q", c.Command, c.Description)
		}
	}
	for _, want := range []string{"start", "help", "lessons", "neuron", "posenc"} {
		if !slices.Contains(names, want) {
			t.Errorf("menu lacks %s: %v", want, names)
		}
	}
}

func TestLessonsNavigation(t *testing.T) {
	e := newEnv(t)
	e.command(userID, "/lessons")
	list := only(t, e.api.Calls(), "/lessons")
	if got := buttons(t, list); !slices.Equal(got, []string{"les:1", "les:2", "les:3", "les:4", "les:5"}) {
		t.Fatalf("lesson list buttons %v", got)
	}

	e.api.Reset()
	e.press("les:1", 7)
	if only(t, e.api.Calls("answerCallbackQuery"), "answer").Fields["callback_query_id"] != "cb1" {
		t.Error("callback not answered")
	}
	edit := only(t, e.api.Calls("editMessageText"), "open lesson 1")
	if edit.Fields["message_id"] != "7" || !strings.Contains(edit.Fields["text"], "Урок 1 из 5") || !strings.Contains(edit.Fields["text"], "Часть 1 из 3 · Конспект") ||
		!strings.Contains(edit.Fields["text"], "Σ(w_i * x_i)") || !strings.Contains(edit.Fields["text"], "строгий учитель") {
		t.Fatalf("lesson 1: %.300s", edit.Fields["text"])
	}
	// The note's page leads on to the teacher's first section.
	if kb := buttons(t, edit); !slices.Equal(kb, []string{"lst", "sec:1:zero"}) {
		t.Fatalf("lesson 1, page 1 buttons %v", kb)
	}

	e.api.Reset()
	e.press("les:2", 7)
	edit = only(t, e.api.Calls("editMessageText"), "lesson 2")
	if !strings.Contains(edit.Fields["text"], "random.seed(42)") || !slices.Contains(buttons(t, edit), "sec:1:example") {
		t.Fatalf("lesson 2: %s %v", edit.Fields["text"], buttons(t, edit))
	}

	e.api.Reset()
	e.press("les:5", 7)
	edit = only(t, e.api.Calls("editMessageText"), "lesson 5")
	if !strings.Contains(edit.Fields["text"], "Текущий токен") || !strings.Contains(edit.Fields["text"], "softmax") {
		t.Fatalf("lesson 5: %.200s %v", edit.Fields["text"], buttons(t, edit))
	}
	// The last lesson is one page: its lab, a quiz on it, the final quiz.
	l4, _ := lessons.Get(4)
	if kb := buttons(t, edit); !slices.Equal(kb, []string{"run:5:0", "qz:5", "qz:0", "sec:4:" + l4.Sections[len(l4.Sections)-1].ID, "lst"}) {
		t.Fatalf("lesson 5 buttons %v", kb)
	}

	opened, err := e.db.LessonsOpened(userID)
	if err != nil || !slices.Equal(opened, []int{1, 2, 5}) {
		t.Fatalf("lessons opened %v, %v", opened, err)
	}

	// A lab button runs the lesson's example.
	e.api.Reset()
	e.press("run:1:0", 7)
	photo := only(t, e.api.Calls("sendPhoto"), "lab button")
	if !strings.Contains(photo.Fields["caption"], "0.952574") {
		t.Fatalf("lab caption %q", photo.Fields["caption"])
	}

	// Stale or forged buttons get a short notice, nothing else.
	for _, data := range []string{"les:9", "run:1:99", "run:x", "zzz", "sec:1:nope", "sec:9:note", "sec:x", "sec:5:zero"} {
		e.api.Reset()
		e.press(data, 7)
		a := only(t, e.api.Calls(), data)
		if a.Method != "answerCallbackQuery" || a.Fields["text"] == "" {
			t.Errorf("%s: %+v", data, a)
		}
	}
}

// The path through the course: every page of every lesson by "Дальше",
// each lesson's last page offering its labs, a quiz on it and the next
// lesson; the list marks lessons opened and finished; /start brings a
// returning learner back where they stopped.
func TestCoursePath(t *testing.T) {
	e := newEnv(t)
	e.command(userID, "/start")
	if kb := buttons(t, only(t, e.api.Calls(), "/start")); !slices.Equal(kb, []string{"les:1", "lst"}) {
		t.Fatalf("new learner's /start buttons %v", kb)
	}
	data, pagesRead := "les:1", 0
	for lesson := 1; lesson <= lessons.Count; {
		e.api.Reset()
		e.press(data, 7)
		edit := only(t, e.api.Calls("editMessageText"), data)
		pagesRead++
		text, kb := edit.Fields["text"], buttons(t, edit)
		if !strings.Contains(text, fmt.Sprintf("Урок %d из 5", lesson)) {
			t.Fatalf("%s: %.200s", data, text)
		}
		next := kb[len(kb)-1] // the navigation row ends with →, if there is one
		if next == "lst" {
			next = ""
		}
		if strings.HasPrefix(next, "les:") || next == "" { // the lesson's last page
			if !slices.Contains(kb, fmt.Sprintf("qz:%d", lesson)) || !slices.Contains(kb, fmt.Sprintf("run:%d:0", lesson)) {
				t.Fatalf("lesson %d's last page buttons %v", lesson, kb)
			}
			if lesson == lessons.Count {
				if !slices.Contains(kb, "qz:0") || next != "" {
					t.Fatalf("the last lesson's end %v", kb)
				}
				break
			}
			if next != fmt.Sprintf("les:%d", lesson+1) {
				t.Fatalf("lesson %d leads on to %q", lesson, next)
			}
			lesson++
		} else if slices.Contains(kb, fmt.Sprintf("qz:%d", lesson)) {
			t.Fatalf("%s: a quiz before the lesson's end %v", data, kb)
		}
		data = next
		if pagesRead > 40 {
			t.Fatal("the path does not end")
		}
	}
	want := 0
	for _, l := range lessons.All() {
		want += 1 + len(l.Sections)
	}
	if pagesRead != want {
		t.Fatalf("read %d pages of %d", pagesRead, want)
	}

	// The list marks what was opened and finished.
	if err := e.db.MarkLessonFinished(userID, 1); err != nil {
		t.Fatal(err)
	}
	e.api.Reset()
	e.command(userID, "/lessons")
	var rows []string
	var markup struct {
		Rows [][]struct{ Text string } `json:"inline_keyboard"`
	}
	json.Unmarshal([]byte(only(t, e.api.Calls(), "/lessons").Fields["reply_markup"]), &markup)
	for _, r := range markup.Rows {
		rows = append(rows, r[0].Text)
	}
	if !strings.HasPrefix(rows[0], "✅ 1.") || !strings.HasPrefix(rows[1], "📖 2.") || !strings.HasPrefix(rows[4], "📖 5.") {
		t.Fatalf("list %q", rows)
	}

	// A returning learner continues: the furthest lesson opened is not
	// finished, so that one.
	e.api.Reset()
	e.command(userID, "/start")
	start := only(t, e.api.Calls(), "/start again")
	if !strings.Contains(start.Fields["text"], "С возвращением") || !strings.Contains(start.Fields["text"], "Пройдено уроков: 1 из 5") ||
		!slices.Equal(buttons(t, start), []string{"les:5", "lst"}) {
		t.Fatalf("/start for a returning learner: %s %v", start.Fields["text"], buttons(t, start))
	}
}

func TestLessonCommand(t *testing.T) {
	e := newEnv(t)
	e.command(userID, "/lesson 4")
	c := only(t, e.api.Calls(), "/lesson 4")
	if !strings.Contains(c.Fields["text"], "Урок 4 из 5") || !strings.Contains(c.Fields["text"], "Конспект") || !slices.Contains(buttons(t, c), "sec:4:order") {
		t.Fatalf("/lesson 4: %s %v", c.Fields["text"], buttons(t, c))
	}
}

func decodePNG(t *testing.T, data []byte) (w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("photo is not a PNG: %v", err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func TestNeuron(t *testing.T) {
	e := newEnv(t)
	e.command(userID, "/neuron w=0.5,1 x=2,3 b=-1")
	c := only(t, e.api.Calls(), "/neuron")
	if c.Method != "sendPhoto" || c.Fields["parse_mode"] != "HTML" {
		t.Fatalf("reply %s %v", c.Method, c.Fields)
	}
	caption := c.Fields["caption"]
	for _, want := range []string{"0.5·2 = 1", "1·3 = 3", "Σ = 1 + 3 = 4", "z = Σ + b = 4 − 1 = 3", "sigmoid(3) = <b>0.952574</b>", "по умолчанию"} {
		if !strings.Contains(caption, want) {
			t.Errorf("caption lacks %q:\n%s", want, caption)
		}
	}
	if w, h := decodePNG(t, c.Files["photo"]); w < 600 || h < 400 {
		t.Errorf("photo %dx%d", w, h)
	}
}

func TestNeuronAcceptsWhatPeopleType(t *testing.T) {
	for _, text := range []string{
		"/neuron w=0.5, 1 x=2, 3 b=-1",
		"/neuron x=2;3 b=−1 w=0,5; 1",
		"/neuron b = -1 w = 0.5 1 x = 2 3 f=SIGMOID",
		"/neuron@" + fakeapi.BotUsername + " w=0.5,1 x=2,3 b=-1",
	} {
		e := newEnv(t)
		e.command(userID, text)
		c := only(t, e.api.Calls(), text)
		if c.Method != "sendPhoto" || !strings.Contains(c.Fields["caption"], "0.952574") {
			t.Errorf("%q: %s %q %q", text, c.Method, c.Fields["caption"], c.Fields["text"])
		}
	}
	// No b means b = 0.
	e := newEnv(t)
	e.command(userID, "/neuron w=1 x=2 f=relu")
	if c := only(t, e.api.Calls(), "no b"); !strings.Contains(c.Fields["caption"], "relu(2) = <b>2</b>") {
		t.Errorf("no b: %q", c.Fields["caption"])
	}
}

func TestNeuronLongCaptionGoesSeparately(t *testing.T) {
	e := newEnv(t)
	w := strings.TrimSuffix(strings.Repeat("-0.123456,", 64), ",")
	e.command(userID, "/neuron w="+w+" x="+w+" b=-1000")
	calls := e.api.Calls()
	if len(calls) != 1 && len(calls) != 2 || calls[0].Method != "sendPhoto" {
		t.Fatalf("calls %+v", calls)
	}
	if len(calls) == 2 && (calls[1].Method != "sendMessage" || !strings.Contains(calls[1].Fields["text"], "64 слагаемых")) {
		t.Fatalf("second %+v", calls[1])
	}
}

func TestPosenc(t *testing.T) {
	e := newEnv(t)
	e.command(userID, "/posenc 10")
	c := only(t, e.api.Calls(), "/posenc")
	if c.Method != "sendPhoto" {
		t.Fatalf("%s %v", c.Method, c.Fields)
	}
	for _, want := range []string{"N = 10, d = 16", "0.8415", "0.3110", "sin(pos / 10000^(2i/d))"} {
		if !strings.Contains(c.Fields["caption"], want) {
			t.Errorf("caption lacks %q:\n%s", want, c.Fields["caption"])
		}
	}
	if w, h := decodePNG(t, c.Files["photo"]); w < 600 || h < 400 {
		t.Errorf("photo %dx%d", w, h)
	}
	e.api.Reset()
	e.command(userID, "/posenc 512 d=512")
	if c := only(t, e.api.Calls(), "/posenc 512"); c.Method != "sendPhoto" {
		t.Fatalf("largest posenc: %s %s", c.Method, c.Fields["text"])
	}
}

// Every bad input gets one short Russian message that names the problem
// and shows a correct example; no photo, no crash.
func TestBadInput(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"/neuron", "Нужны веса w и входы x"},
		{"/neuron w=1,2", "Нужны веса w и входы x"},
		{"/neuron w=1,2 x=1", "Весов w — 2, а входов x — 1"},
		{"/neuron w=a x=1", "«a» в параметре w — не число"},
		{"/neuron w=NaN x=1", "не конечное число"},
		{"/neuron w=1 x=Inf", "не конечное число"},
		{"/neuron w=1e400 x=1", "не конечное число"},
		{"/neuron w=1 x=1 b=1;2", "Смещение b — одно число"},
		{"/neuron w=1 x=1 b=1, 2", "Смещение b — одно число"},
		{"/neuron w=1 x=1 f=softmax", "Не знаю функцию активации «softmax»"},
		{"/neuron w=1 x=1 q=3", "Не знаю параметр «q»"},
		{"/neuron w=1 w=2 x=1", "указан дважды"},
		{"/neuron w= x=1", "нет значения"},
		{"/neuron 1 2 3", "параметры пишутся как имя=значение"},
		{"/neuron w=2e6 x=1", "по модулю не больше"},
		{"/neuron w=" + strings.Repeat("1,", 65) + "1 x=1", "не больше 64 весов"},
		{"/neuron w=" + strings.Repeat("1,", 5000) + "1 x=1", "Слишком длинная команда"},
		{"/neuron w=1 x=1 f=<b>", "&lt;b&gt;"},
		{"/posenc", "Укажите число позиций N"},
		{"/posenc 0", "от 1 до 512"},
		{"/posenc -3", "от 1 до 512"},
		{"/posenc 513", "от 1 до 512"},
		{"/posenc 1000000000000000000000", "от 1 до 512"},
		{"/posenc 2.5", "от 1 до 512"},
		{"/posenc десять", "от 1 до 512"},
		{"/posenc 10 d=15", "чётное целое"},
		{"/posenc 10 d=1024", "чётное целое"},
		{"/posenc 10 d=0", "чётное целое"},
		{"/posenc 10 20", "<code>/posenc 10 d=20</code>"},
		{"/posenc 10 20 30", "Укажите число позиций N"},
		{"/posenc 10 k=3", "Не знаю параметр «k»"},
		{"/lesson", "номер урока от 1 до 5"},
		{"/lesson 9", "номер урока от 1 до 5"},
		{"/frobnicate", "Не знаю команду /frobnicate"},
		{"/" + strings.Repeat("я", 100), "Не знаю команду"},
		{"/", "Не знаю команду"},
	} {
		e := newEnv(t)
		e.command(userID, c.text)
		m := only(t, e.api.Calls(), c.text)
		if m.Method != "sendMessage" || !strings.Contains(m.Fields["text"], c.want) {
			t.Errorf("%.60q: %s %q, want %q", c.text, m.Method, m.Fields["text"], c.want)
		}
		if len([]rune(m.Fields["text"])) > 400 {
			t.Errorf("%.60q: message is not short: %d characters", c.text, len([]rune(m.Fields["text"])))
		}
	}
}

func TestGroups(t *testing.T) {
	e := newEnv(t)
	e.command(groupID, "/neuron@SomeOtherBot w=1 x=1")
	e.command(groupID, "just chatting about neurons")
	if calls := e.api.Calls(); len(calls) != 0 {
		t.Fatalf("bot answered what was not for it: %+v", calls)
	}
	e.command(groupID, "/posenc@"+fakeapi.BotUsername+" 4")
	if c := only(t, e.api.Calls(), "group"); c.Fields["chat_id"] != "-100500" {
		t.Fatalf("reply went to %s", c.Fields["chat_id"])
	}
}

// panicStore panics on every write, standing in for a bug in a handler
// (methods it does not define panic on the nil embedded Store).
type panicStore struct{ bot.Store }

func (panicStore) MarkLessonOpened(int64, int) error { panic("boom") }

func TestPanicIsRecovered(t *testing.T) {
	e := newEnvStore(t, panicStore{})
	e.command(userID, "/lesson 1")
	c := only(t, e.api.Calls(), "panic")
	if !strings.Contains(c.Fields["text"], "пошло не так") || strings.Contains(c.Fields["text"], "boom") {
		t.Fatalf("after panic: %q", c.Fields["text"])
	}
	e.api.Reset()
	e.command(userID, "/neuron w=1 x=1")
	if only(t, e.api.Calls(), "after").Method != "sendPhoto" {
		t.Fatal("bot stopped serving after a panic")
	}
}

// Telegram errors on send are logged, not retried forever nor crashed on.
func TestSendErrorIsSurvived(t *testing.T) {
	e := newEnv(t)
	e.api.Fail("sendPhoto", fakeapi.Failure{Code: 500, Desc: "Internal Server Error"})
	e.command(userID, "/neuron w=1 x=1")
	e.command(userID, "/neuron w=1 x=1")
	if n := len(e.api.Calls("sendPhoto")); n != 2 {
		t.Fatalf("%d sendPhoto calls", n)
	}
}

func BenchmarkNeuronUpdate(b *testing.B) {
	e := newEnv(b)
	upd := &models.Update{ID: 1, Message: &models.Message{ID: 1, Chat: models.Chat{ID: userID, Type: models.ChatTypePrivate},
		From: &models.User{ID: userID}, Text: "/neuron w=0.5,1 x=2,3 b=-1",
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: 7}}}}
	b.ReportAllocs()
	for b.Loop() {
		e.tg.HandleUpdate(context.Background(), upd)
	}
	b.StopTimer()
	if n := len(e.api.Calls("sendPhoto")); n == 0 {
		b.Fatal("no photo sent")
	}
}
