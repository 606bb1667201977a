package bot_test

import (
	"encoding/json"
	"math"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"neurotutor/bot"
	"neurotutor/bot/telegram"
	"neurotutor/internal/fakeapi"
	"neurotutor/storage"
)

// labEnv is a bot with a Mini App at appURL.
func labEnv(t *testing.T, appURL string) *env {
	t.Helper()
	api := fakeapi.New(t)
	db, err := storage.Open(filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc, err := bot.NewService(bot.Options{Store: db, Charts: db, Username: fakeapi.BotUsername, AppURL: appURL})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := telegram.New(svc, telegram.Config{Token: fakeapi.Token, ServerURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	return &env{api: api, tg: tg, db: db}
}

// webButtons returns the web_app and url buttons of a call.
func webButtons(t *testing.T, c fakeapi.Call) (webApps, urls []string) {
	t.Helper()
	var kb struct {
		InlineKeyboard [][]struct {
			URL    string `json:"url"`
			WebApp *struct {
				URL string `json:"url"`
			} `json:"web_app"`
		} `json:"inline_keyboard"`
	}
	if c.Fields["reply_markup"] == "" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(c.Fields["reply_markup"]), &kb); err != nil {
		t.Fatal(err)
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.WebApp != nil {
				webApps = append(webApps, b.WebApp.URL)
			}
			if b.URL != "" {
				urls = append(urls, b.URL)
			}
		}
	}
	return webApps, urls
}

// Under each lab reply in a private chat, a web_app button opens the lab
// with the same parameters; in a group (no web_app buttons there) a link
// to the private chat, which answers /start lab_… with the lab's button.
func TestLabButtons(t *testing.T) {
	const app = "https://lab.example.org/app/"
	e := labEnv(t, app)
	for _, c := range []struct{ cmd, lab, args string }{
		{"/neuron w=0.5,1 x=2,3 b=-1", "neuron", "w=0.5,1 x=2,3 b=-1"},
		{"/posenc 10", "posenc", "10"},
		{"/attention кошка сидит на ковре", "attention", "кошка сидит на ковре"},
		{"/seed 7", "seed", "7"},
	} {
		e.api.Reset()
		e.command(userID, c.cmd)
		calls := e.api.Calls("sendPhoto", "sendMessage")
		web, _ := webButtons(t, calls[len(calls)-1])
		if len(web) != 1 {
			t.Fatalf("%s: web_app buttons %v", c.cmd, web)
		}
		u, err := url.Parse(web[0])
		if err != nil || !strings.HasPrefix(web[0], app) || u.Query().Get("lab") != c.lab || u.Query().Get("args") != c.args {
			t.Fatalf("%s: %s", c.cmd, web[0])
		}
	}
	e.api.Reset()
	e.command(groupID, "/neuron w=1 x=2")
	web, links := webButtons(t, e.api.Calls("sendPhoto")[0])
	if len(web) != 0 || len(links) != 1 || links[0] != "https://t.me/"+fakeapi.BotUsername+"?start=lab_neuron" {
		t.Fatalf("group buttons: %v %v", web, links)
	}
	e.api.Reset()
	e.command(userID, "/start lab_neuron")
	if web, _ := webButtons(t, only(t, e.api.Calls(), "/start lab_neuron")); len(web) != 1 || web[0] != app+"?lab=neuron" {
		t.Fatalf("/start lab_neuron: %v", web)
	}
	e.api.Reset()
	e.command(userID, "/lab")
	if web, _ := webButtons(t, only(t, e.api.Calls(), "/lab")); len(web) != 1 || web[0] != app {
		t.Fatalf("/lab: %v", web)
	}
	// 64 inputs do not fit in a button: the lab opens with its defaults.
	e.api.Reset()
	e.command(userID, "/neuron w="+strings.Repeat("0.123456,", 63)+"1 x="+strings.Repeat("0.654321,", 63)+"1")
	if web, _ := webButtons(t, e.api.Calls("sendPhoto")[0]); len(web) != 1 || web[0] != app+"?lab=neuron" {
		t.Fatalf("long neuron: %v", web)
	}
}

// Without NEUROTUTOR_APP_URL no lab button is shown and /lab says the
// chat labs work.
func TestNoLabWithoutApp(t *testing.T) {
	e := labEnv(t, "")
	e.command(userID, "/neuron w=1 x=2")
	if web, links := webButtons(t, e.api.Calls("sendPhoto")[0]); len(web)+len(links) != 0 {
		t.Fatalf("buttons without an app: %v %v", web, links)
	}
	e.api.Reset()
	e.command(userID, "/lab")
	if text := only(t, e.api.Calls(), "/lab").Fields["text"]; !strings.Contains(text, "/neuron") {
		t.Fatalf("/lab without an app: %q", text)
	}
}

// Plotted values go out with 6 significant digits; a value JSON cannot
// hold is an error, not a broken document.
func TestPlotValuesJSON(t *testing.T) {
	b, err := json.Marshal(bot.PlotValues{0.0005151382375115756, -6.570555555555556, 1e12 / 3, 0, 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[0.000515138,-6.57056,3.33333e+11,0,2]"; string(b) != want {
		t.Errorf("PlotValues JSON %s, want %s", b, want)
	}
	var back []float64
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 5 {
		t.Errorf("the JSON does not read back: %v %v", back, err)
	}
	if _, err := json.Marshal(bot.PlotValues{1, math.NaN()}); err == nil {
		t.Error("NaN marshalled")
	}
}
