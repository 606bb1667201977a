package bot_test

import (
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"neurotutor/bot"
	"neurotutor/internal/fakeclock"
	"neurotutor/lessons"
	"neurotutor/storage"
)

// consoleScreen is the console's terminal: it keeps what was printed and
// lets the test wait, on a channel, until some text appears.
type consoleScreen struct {
	mu      sync.Mutex
	b       strings.Builder
	read    int           // bytes of b that expect has consumed
	changed chan struct{} // closed and replaced on every write
}

func newConsoleScreen() *consoleScreen { return &consoleScreen{changed: make(chan struct{})} }

func (s *consoleScreen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Write(p)
	close(s.changed)
	s.changed = make(chan struct{})
	return len(p), nil
}

func (s *consoleScreen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// expect waits until want is printed after what the last expect consumed
// and returns the text up to and including it; it fails the test if want
// does not appear within a (real) 10 seconds.
func (s *consoleScreen) expect(t *testing.T, want string) string {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		text, from, ch := s.b.String(), s.read, s.changed
		if i := strings.Index(text[from:], want); i >= 0 {
			s.read = from + i + len(want)
			s.mu.Unlock()
			return text[from:s.read]
		}
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("the console never printed %q after:\n%s", want, text[from:])
		}
	}
}

// consoleShows fails the test unless text contains each of want.
func consoleShows(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

var pollQuestionRe = regexp.MustCompile(`❓ (?:\d+/\d+\. )?(.*)\n((?:\[\d+\] .*\n)+)`)

// consoleOptions finds the last poll printed in text among lesson's bank
// questions and returns the numbers to type for its right option and for
// a wrong one.
func consoleOptions(t *testing.T, text string, lesson int) (right, wrong string) {
	t.Helper()
	m := pollQuestionRe.FindAllStringSubmatch(text, -1)
	if len(m) == 0 {
		t.Fatalf("no poll in:\n%s", text)
	}
	question, opts := m[len(m)-1][1], strings.Split(strings.TrimSuffix(m[len(m)-1][2], "\n"), "\n")
	for _, q := range lessons.QuizFor(lesson) {
		if q.Text != question {
			continue
		}
		for i, o := range opts {
			if strings.SplitN(o, "] ", 2)[1] == q.Options[q.Correct] {
				right = strconv.Itoa(i + 1)
			} else if wrong == "" {
				wrong = strconv.Itoa(i + 1)
			}
		}
		return right, wrong
	}
	t.Fatalf("%q is not a question of lesson %d", question, lesson)
	return "", ""
}

// The group console: three simulated members play a round of two
// questions, the round loop closing each on the test's clock. Lines go
// through a pipe one at a time, each after the console answered the last.
func TestConsoleGroupRound(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := fakeclock.New(t0)
	svc, err := bot.NewService(bot.Options{Store: db, Charts: db, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	in, keyboard := io.Pipe()
	screen := newConsoleScreen()
	c := &bot.Console{Service: svc, In: in, Out: screen, Dir: t.TempDir(), Group: true}
	done := make(chan error, 1)
	go func() {
		err := c.Run(context.Background())
		in.Close() // a line typed after Run returned fails instead of blocking
		done <- err
	}()
	t.Cleanup(func() { keyboard.Close(); <-done })
	say := func(line string) {
		t.Helper()
		if _, err := io.WriteString(keyboard, line+"\n"); err != nil {
			t.Fatalf("typing %q: %v (the console stopped)", line, err)
		}
	}

	screen.expect(t, "Аня (создала группу, админ), Борис и Вера")
	screen.expect(t, "«вера 2» — Вера выбирает вариант 2")
	screen.expect(t, "/timer 10")
	screen.expect(t, "Привет! Я — нейротьютор") // the bot joined the group
	screen.expect(t, "\nАня> ")

	say("борис: /timer 10")
	screen.expect(t, "Это меняют только админы группы.")
	screen.expect(t, "\nБорис> ")
	say("аня: /timer 10")
	screen.expect(t, "на вопрос раунда теперь даётся 10 секунд")
	screen.expect(t, "\nАня> ")

	say("/quiz 1 2")
	screen.expect(t, "2 вопроса по уроку 1")
	screen.expect(t, "на каждый — 10 секунд")
	q1 := screen.expect(t, "(ответ: номер варианта или «вера 2»)\nАня> ")
	right, wrong := consoleOptions(t, q1, 1)
	clk.BlockUntil(t, 1) // the round loop waits for question 1 to close
	clk.Advance(2 * time.Second)
	say(right) // as Аня, the current member: 900 points
	screen.expect(t, "Аня ответила: "+right+" — ✅ верно")
	clk.Advance(2 * time.Second)
	say("борис: " + wrong)
	screen.expect(t, "Борис ответил: "+wrong+" — ❌ неверно")
	clk.Advance(time.Second)
	say("вера " + right) // 750 points
	screen.expect(t, "Вера ответила: "+right+" — ✅ верно")
	say("вера " + wrong) // a repeat: sent, and ignored by the bot
	screen.expect(t, "(Вера уже ответила — засчитывается только первый ответ)")
	screen.expect(t, "\nВера> ")

	clk.Advance(5 * time.Second) // 10 s: the loop closes question 1 and asks question 2
	q2 := screen.expect(t, "(ответ: номер варианта или «вера 2»)\nВера> ")
	consoleShows(t, "question 1's answer", q2, "Вопрос 1 из 2. Правильный ответ:", "Ответили: 3, верно: 2",
		"1. Аня — 900 очков, верно 1 из 1", "2. Вера — 750 очков, верно 1 из 1", "3. Борис — 0 очков, верно 0 из 1",
		"\nВера> \n❓ 2/2. ") // the prompt comes back after each message from the loop
	right, wrong = consoleOptions(t, q2, 1)
	clk.BlockUntil(t, 1)
	clk.Advance(time.Second)
	say("boris " + right) // 950 points
	screen.expect(t, "Борис ответил: "+right+" — ✅ верно")
	clk.Advance(2 * time.Second)
	say("vera: " + wrong)
	screen.expect(t, "Вера ответила: "+wrong+" — ❌ неверно")
	screen.expect(t, "\nВера> ")

	clk.Advance(7 * time.Second) // question 2 closes, the round ends
	board := screen.expect(t, "[1] 🔁 Ещё раунд\nВера> ")
	consoleShows(t, "the end of the round", board, "Вопрос 2 из 2. Правильный ответ:", "Ответили: 2, верно: 1",
		"🏁 Раунд окончен: 2 вопроса за 20 секунд.", "1. Борис — 950 очков, верно 1 из 2", "2. Аня — 900 очков, верно 1 из 1",
		"3. Вера — 750 очков, верно 1 из 2", "Игроков: 3.")
	if strings.Contains(board, "<b>") || strings.Contains(board, "<i>") {
		t.Errorf("raw HTML on the console:\n%s", board)
	}
	say("3") // the poll is closed: no answer, and there is no button 3
	screen.expect(t, "(сейчас нет ни открытого опроса, ни кнопки с таким номером)")
	say("аня: /top")
	screen.expect(t, "1. Борис — 950 очков (верно 1 из 2)")
	say("exit")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	done <- nil // for the cleanup
}
