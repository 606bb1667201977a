package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeapi"
	"neurotutor/storage"
)

// say sends text the way Telegram delivers it without a bot_command
// entity: Cyrillic "/нейрон" and text without a slash are not marked.
func (e *env) say(chat int64, text string) {
	msg := &models.Message{ID: 1, Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}, From: &models.User{ID: userID}, Text: text}
	if chat < 0 {
		msg.Chat.Type = models.ChatTypeSupergroup
	}
	e.tg.HandleUpdate(context.Background(), &models.Update{ID: 1, Message: msg})
}

// texts joins what the bot sent, captions included.
func (e *env) texts() string {
	var b strings.Builder
	for _, c := range e.api.Calls("sendMessage", "sendPhoto") {
		b.WriteString(c.Fields["text"] + c.Fields["caption"] + "\n")
	}
	return b.String()
}

// Look-alike parameter names and Russian names of activation functions
// give the same reply as the Latin ones.
func TestLookAlikesAnswerLikeLatin(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ typed, latin string }{
		{"/neuron w=0.5,1 х=2,3 в=-1", "/neuron w=0.5,1 x=2,3 b=-1"},               // х в: Cyrillic look-alikes
		{"/neuron w=0.5,1 ч=2,3 и=-1 а=tanh", "/neuron w=0.5,1 x=2,3 b=-1 f=tanh"}, // the same keys on ЙЦУКЕН
		{"/neuron w=1 x=2 ф=сигмоида", "/neuron w=1 x=2 f=sigmoid"},
		{"/neuron w=1 x=2 f=ступенька", "/neuron w=1 x=2 f=step"},
		{"/neuron w=1 x=2 f=Гиперболический тангенс", "/neuron w=1 x=2 f=tanh"},
		{"/neuron w=1 x=2 f=релу", "/neuron w=1 x=2 f=relu"},
		{"/neuron w=1 x=2 f=rеlu", "/neuron w=1 x=2 f=relu"}, // Cyrillic е inside
		{"/neuron w=1 x=2 f=линейную", "/neuron w=1 x=2 f=linear"},
		{"/neuron w=1 x=2 f=функция Хевисайда", "/neuron w=1 x=2 f=step"},
		{"/neuron w=1е-3 x=2", "/neuron w=1e-3 x=2"}, // Cyrillic е in the exponent
		{"/posenc 10 д=32", "/posenc 10 d=32"},
		{"/posenc н=10 в=32", "/posenc n=10 d=32"},
		{"/seed 7 н=3", "/seed 7 n=3"},
		{"/seed сид=7 т=3", "/seed seed=7 n=3"},
		{"/attention кошка сидит на ковре сur=2", "/attention кошка сидит на ковре cur=2"},
		{"/attention кошка сидит на ковре кур=2", "/attention кошка сидит на ковре cur=2"},
		{"/embed нейрон дим=2", "/embed нейрон dim=2"},
	} {
		e.api.Reset()
		e.command(userID, c.latin)
		want := e.texts()
		e.api.Reset()
		e.command(userID, c.typed)
		if got := e.texts(); got != want {
			t.Errorf("%s:\n%s\nwant as for %s:\n%s", c.typed, got, c.latin, want)
		}
	}
}

// Commands typed in Cyrillic, which Telegram does not mark as commands,
// are run with a note, or asked about when they are only close.
func TestCyrillicCommands(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		text, want string
		photo      bool
	}{
		{"/нейрон w=1 x=2", "<code>/neuron</code>", true},
		{"/Нейрон w=1 x=2", "<code>/neuron</code>", true},
		{"/ембед нейрон", "<code>/embed</code>", true},
		{"/эмбед нейрон", "<code>/embed</code>", true},
		{"/позенк 10", "<code>/posenc</code>", true},
		{"/сид 42", "<code>/seed</code>", true},
		{"/тугкщт w=1 x=2", "<code>/neuron</code>", true}, // "neuron" on the Russian layout
		{"/квиз", "<code>/quiz</code>", false},
		{"/уроки", "<code>/lessons</code>", false},
		{"/помощь", "<code>/help</code>", false},
		{"/нейорн w=1 x=2", "Вы имели в виду <code>/neuron w=1 x=2</code>?", false},
		{"/nueron w=1 x=2", "Вы имели в виду <code>/neuron w=1 x=2</code>?", false},
		{"/posneс 10", "Вы имели в виду <code>/posenc 10</code>?", false},
		{"/аттеншн кошка сидит", "<code>/attention</code>", true},
		{"/frobnicate", "Не знаю команду /frobnicate. Все команды", false},
		{"/абырвалг", "Не знаю команду /абырвалг. Все команды", false},
	} {
		e.api.Reset()
		e.say(userID, c.text)
		got := e.texts()
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.text, got, c.want)
		}
		if n := len(e.api.Calls("sendPhoto")); (n == 1) != c.photo {
			t.Errorf("%s: %d photos", c.text, n)
		}
	}
}

// Text without the slash in a private chat that starts with a command's
// name is answered with the command; other text, and groups, get nothing.
func TestForgottenSlash(t *testing.T) {
	e := newEnv(t)
	for text, want := range map[string]string{
		"neuron w=1 x=2": "<code>/neuron w=1 x=2</code>",
		"нейрон w=1 x=2": "<code>/neuron w=1 x=2</code>",
		"Помощь":         "<code>/help</code>",
		"привет":         "",
		"как дела?":      "",
	} {
		e.api.Reset()
		e.say(userID, text)
		got := e.texts()
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
	e.api.Reset()
	e.say(groupID, "neuron w=1 x=2")
	if calls := e.api.Calls(); len(calls) != 0 {
		t.Errorf("group chatter answered: %+v", calls)
	}
}

// Error messages blame what is wrong.
func TestMessagesBlameTheRightThing(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		text string
		want []string
		not  string
	}{
		{"/posenc 10 16", []string{"<code>/posenc 10 d=16</code>"}, ""},
		{"/neuron w=0,5,1 x=2,3", []string{"Весов w — 3", "«0,5» — это дробь", "0 и 5", "через точку"}, ""},
		{"/neuron w=0.5,1 x=2,3 b=-1 extra", []string{"«extra» после b=-1"}, "Смещение b — одно число"},
		{"/neuron w=0.5,1 x=2,3 extra b=-1", []string{"«extra» после x=2,3"}, "не число"},
		{"/neuron w=0.5,1 x=2,3 f=relu please", []string{"«please» после f=relu"}, "Не знаю функцию"},
		{"/neuron w=1 x=2 f=softplus", []string{"Не знаю функцию активации «softplus»", "сигмоида"}, ""},
		{"/neuron w=1 x=2 b=-1 2", []string{"Смещение b — одно число"}, ""},
		{"/seed 1e3", []string{"«1e3» — это 1000", "<code>/seed 1000</code>"}, "дробное"},
		{"/seed 4.2", []string{"дробное"}, ""},
		{"/seed -1e3", []string{"не бывает отрицательным", "/seed 1000"}, ""},
		{"/seed 1e30", []string{"Слишком большой seed"}, "дробное"},
		{"/seed 42 10", []string{"<code>/seed 42 n=10</code>"}, ""},
		{"/embed нейрон 2", []string{"<code>/embed нейрон dim=2</code>"}, ""},
		{"/neuron в=1 x=2 b=3", []string{"Параметр b указан дважды"}, ""},
	} {
		e.api.Reset()
		e.command(userID, c.text)
		got := e.texts()
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q, want %q", c.text, got, w)
			}
		}
		if c.not != "" && strings.Contains(got, c.not) {
			t.Errorf("%s: %q blames the wrong thing (%q)", c.text, got, c.not)
		}
		if len(e.api.Calls("sendPhoto")) != 0 {
			t.Errorf("%s: drew a chart", c.text)
		}
	}
	// "w=0,5 x=1,2" is valid (two weights, two inputs) but surely meant
	// 0.5: the reply says how it was read.
	e.api.Reset()
	e.command(userID, "/neuron w=0,5 x=1,2")
	if got := e.texts(); !strings.Contains(got, "«0,5» — это два числа, 0 и 5") {
		t.Errorf("w=0,5: %q", got)
	}
	e.api.Reset()
	e.command(userID, "/neuron w=0.5,1 x=2,3")
	if got := e.texts(); strings.Contains(got, "два числа") {
		t.Errorf("the help's own example warned about commas: %q", got)
	}
}

// A chart with a long key (a 64-input neuron, a 32-token attention map)
// is remembered like a short one, and nothing is logged about it.
func TestLongChartsAreCached(t *testing.T) {
	api := fakeapi.New(t)
	db, err := storage.Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	svc, err := bot.NewService(bot.Options{Store: db, Charts: db, Username: fakeapi.BotUsername,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := telegram.New(svc, telegram.Config{Token: fakeapi.Token, ServerURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := strings.TrimSuffix(strings.Repeat("0.123456,", 64), ",")
	x := strings.TrimSuffix(strings.Repeat("1.5,", 64), ",")
	words := strings.TrimSpace(strings.Repeat("кошка сидит на ковре ", 8))
	for _, text := range []string{"/neuron w=" + w + " x=" + x, "/attention " + words} {
		for i, wantUpload := range []bool{true, false} {
			api.Reset()
			tg.HandleUpdate(context.Background(), commandUpdate(text))
			if c := only(t, api.Calls("sendPhoto"), text); uploaded(c) != wantUpload {
				t.Errorf("%.20s… #%d: uploaded %v", text, i+1, uploaded(c))
			}
		}
	}
	if logs.Len() != 0 {
		t.Errorf("logged:\n%s", logs.String())
	}
}
