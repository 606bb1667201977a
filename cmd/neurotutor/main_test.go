package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"neurotutor/internal/fakeapi"
	"neurotutor/storage"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The whole program against the fake Bot API, configured the way a user
// of a self-hosted Bot API server configures it: TELEGRAM_API_URL.
func TestServeThroughTelegramAPIURL(t *testing.T) {
	api := fakeapi.New(t)
	dbPath := filepath.Join(t.TempDir(), "nt.db")
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": fakeapi.Token,
		"TELEGRAM_API_URL":   api.URL,
		"NEUROTUTOR_DB":      dbPath,
		"NEUROTUTOR_LISTEN":  "127.0.0.1:0",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, func(k string) string { return env[k] }, strings.NewReader(""), &logs, &logs)
	}()

	api.WaitFor(t, "setMyCommands", 1, 10*time.Second)
	api.PushUpdate(models.Update{Message: &models.Message{
		ID: 1, Chat: models.Chat{ID: 42, Type: models.ChatTypePrivate}, From: &models.User{ID: 42},
		Text:     "/neuron w=0.5,1 x=2,3 b=-1",
		Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: 7}},
	}})
	api.PushUpdate(models.Update{CallbackQuery: &models.CallbackQuery{
		ID: "c1", From: models.User{ID: 42}, Data: "les:3",
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 5, Chat: models.Chat{ID: 42, Type: models.ChatTypePrivate}}},
	}})
	photo := api.WaitFor(t, "sendPhoto", 1, 10*time.Second)[0]
	if !strings.Contains(photo.Fields["caption"], "0.952574") {
		t.Fatalf("caption %q", photo.Fields["caption"])
	}
	edit := api.WaitFor(t, "editMessageText", 1, 10*time.Second)[0]
	if !strings.Contains(edit.Fields["text"], "Эмбеддинги") {
		t.Fatalf("lesson 3: %q", edit.Fields["text"])
	}

	cancel()
	waitStopped(t, done)
	if strings.Contains(logs.String(), fakeapi.Token) || strings.Contains(logs.String(), "TEST-token") {
		t.Fatalf("token in logs:\n%s", logs.String())
	}
	// The db was closed and kept what happened.
	db, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, _ := db.LessonsOpened(42); len(got) != 1 || got[0] != 3 {
		t.Fatalf("lessons opened after restart: %v", got)
	}
	for _, c := range api.Calls() {
		if c.Token != fakeapi.Token {
			t.Fatalf("call with token %q", c.Token)
		}
	}
}

func TestMissingToken(t *testing.T) {
	env := map[string]string{"NEUROTUTOR_DB": filepath.Join(t.TempDir(), "x.db")}
	var out bytes.Buffer
	err := run(context.Background(), nil, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") {
		t.Fatalf("err = %v", err)
	}
}

func TestBadTokenIsReportedWithoutLeaking(t *testing.T) {
	api := fakeapi.New(t)
	api.Fail("getMe", fakeapi.Failure{Code: 401, Desc: "Unauthorized"})
	env := map[string]string{"TELEGRAM_BOT_TOKEN": "999:SECRET", "TELEGRAM_API_URL": api.URL, "NEUROTUTOR_DB": filepath.Join(t.TempDir(), "x.db"), "NEUROTUTOR_LISTEN": "127.0.0.1:0"}
	var out bytes.Buffer
	err := run(context.Background(), nil, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	if err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(out.String(), "SECRET") {
		t.Fatalf("err = %v, log %q", err, out.String())
	}
}

// The console answers every command through the same handlers.
func TestConsole(t *testing.T) {
	dir := t.TempDir()
	in := strings.NewReader("/neuron w=0.5,1 x=2,3 b=-1\n/posenc 10\n/lessons\n2\n/neuron w=1 x=1,2\nexit\n")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-out", dir, "console"}, func(string) string { return "" }, in, &out, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"нейротьютор", "y = sigmoid(3) = 0.952574", "[картинка: " + filepath.Join(dir, "001-neuron.png"), "0.8415",
		"[1] 1. Нейрон", "Урок 2 из 5", "random.seed(42)", "Весов w — 1, а входов x — 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("console lacks %q", want)
		}
	}
	if strings.Contains(text, "<b>") || strings.Contains(text, "&lt;") {
		t.Error("console shows raw HTML")
	}
	if t.Failed() {
		t.Log(text)
	}
}

// The console is the chat: a 64-input /neuron, which once logged a
// warning between the replies, prints replies only; the log goes to a
// file in the out directory, and flags may follow the mode.
func TestConsoleKeepsLogsOutOfTheChat(t *testing.T) {
	dir := t.TempDir()
	w := strings.TrimSuffix(strings.Repeat("0.123456,", 64), ",")
	x := strings.TrimSuffix(strings.Repeat("1.5,", 64), ",")
	line := "/neuron w=" + w + " x=" + x + "\n"
	in := strings.NewReader(line + line + "/frobnicate\nнейрон w=1 x=2\nпривет\nexit\n")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"console", "-out", dir, "-v"}, func(string) string { return "" }, in, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	text := stdout.String()
	for _, bad := range []string{"level=", "msg=", "time="} {
		if strings.Contains(text, bad) || strings.Contains(stderr.String(), bad) {
			t.Errorf("a log line reached the terminal (%q):\n%s\n%s", bad, text, stderr.String())
		}
	}
	for _, want := range []string{filepath.Join(dir, "001-neuron.png"), "[картинка: " + filepath.Join(dir, "001-neuron.png") + "]\n",
		"Вы имели в виду /neuron w=1 x=2?", "(команды начинаются с /", filepath.Join(dir, "console.log")} {
		if !strings.Contains(text, want) {
			t.Errorf("console lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "001-neuron.png") != 2 || strings.Contains(text, "002-neuron.png") {
		t.Errorf("the long chart was not sent again by its file:\n%s", text)
	}
	log, err := os.ReadFile(filepath.Join(dir, "console.log"))
	if err != nil || !strings.Contains(string(log), "level=DEBUG msg=command command=neuron") {
		t.Errorf("console.log: %q, %v", log, err)
	}
}

// waitStopped waits for run to return after its context was cancelled
// and fails the test if it errs or hangs.
func waitStopped(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no clean shutdown")
	}
}

// A token pasted with a Windows line end is trimmed and works; a malformed
// API URL is refused; in neither case does the token reach the output.
func TestTokenNeverPrinted(t *testing.T) {
	api := fakeapi.New(t)
	secret := strings.SplitN(fakeapi.Token, ":", 2)[1]
	for _, c := range []struct {
		name, token, url string
		serves           bool
	}{
		{"trailing CR", fakeapi.Token + "\r", api.URL, true},
		{"malformed URL", fakeapi.Token, "http://[::1", false},
		{"URL without scheme", fakeapi.Token + "\r\n", "127.0.0.1:1", false},
		{"malformed token", "12x:" + secret + "\r", api.URL, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"TELEGRAM_BOT_TOKEN": c.token, "TELEGRAM_API_URL": c.url, "NEUROTUTOR_DB": filepath.Join(t.TempDir(), "nt.db"), "NEUROTUTOR_LISTEN": "127.0.0.1:0"}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out syncBuffer
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, nil, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
			}()
			var err error
			if c.serves {
				api.WaitForGetUpdates(t, 10*time.Second)
				cancel()
				waitStopped(t, done)
			} else {
				err = <-done
				if err == nil {
					t.Fatal("accepted")
				}
			}
			all := out.String()
			if err != nil {
				all += err.Error()
			}
			if strings.Contains(all, secret) {
				t.Fatalf("token in the output:\n%s", all)
			}
		})
	}
}

// console -group plays a group of three simulated members; each start is
// the bot added anew, so the welcome shows every time. -group is for the
// console only.
func TestConsoleGroupFlag(t *testing.T) {
	dir := t.TempDir()
	for i := range 2 {
		var out syncBuffer
		in := strings.NewReader("борис: /timer 10\nаня: /timer\nexit\n")
		if err := run(context.Background(), []string{"console", "-group", "-out", dir}, func(string) string { return "" }, in, &out, &out); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		for _, want := range []string{"Аня (создала группу, админ), Борис и Вера", "Привет! Я — нейротьютор", "\nАня> ",
			"\nБорис> ", "Это меняют только админы группы.", "На вопрос раунда даётся 30 секунд"} {
			if !strings.Contains(text, want) {
				t.Errorf("run %d: console lacks %q:\n%s", i+1, want, text)
			}
		}
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"-group"}, func(string) string { return "" }, strings.NewReader(""), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "console -group") {
		t.Fatalf("-group without console: %v", err)
	}
}

// The console serves the Mini App on loopback, in development mode, and
// says where; the lab buttons point there. The labs compute through it.
func TestConsoleLab(t *testing.T) {
	dir := t.TempDir()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	out := &syncBuffer{}
	found := make(chan string, 1)
	go func() { // copy the console's output, and find the lab's address in it
		re := regexp.MustCompile(`в браузере: (http://127\.0\.0\.1:\d+/app/)`)
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			out.Write(append(sc.Bytes(), '\n'))
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"console", "-out", dir}, func(string) string { return "" }, inR, outW, outW)
		outW.Close()
	}()
	base, ok := <-found
	if !ok {
		t.Fatalf("no lab address in:\n%s", out.String())
	}
	resp, err := http.Get(base)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("page: %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = http.Get(base + "api/neuron?args=" + url.QueryEscape("w=0.5,1 x=2,3 b=-1"))
	if err != nil {
		t.Fatal(err)
	}
	var lab struct{ Y float64 }
	err = json.NewDecoder(resp.Body).Decode(&lab)
	resp.Body.Close()
	if err != nil || math.Abs(lab.Y-1/(1+math.Exp(-3))) > 1e-15 {
		t.Fatalf("neuron lab: %+v, %v", lab, err)
	}
	io.WriteString(inW, "/neuron w=1 x=2\nexit\n")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for range found { // the copy is done
	}
	if !strings.Contains(out.String(), "Открыть в лаборатории: "+base+"?args=w%3D1+x%3D2&lab=neuron") {
		t.Fatalf("no lab button:\n%s", out.String())
	}
}

// NEUROTUTOR_APP_URL must be a public https address.
func TestAppURLConfig(t *testing.T) {
	for _, v := range []string{"http://bot.example.org/app/", "bot.example.org/app/", "https:///app/", "https://x.org/app/?a=1"} {
		if _, err := appConfig(func(string) string { return v }); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
	if u, err := appConfig(func(string) string { return " https://bot.example.org/app/ " }); err != nil || u != "https://bot.example.org/app/" {
		t.Fatalf("%q, %v", u, err)
	}
}
