package webapp_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"neurotutor/bot"
	"neurotutor/bot/webapp"
	"neurotutor/core"
	"neurotutor/storage"
)

const (
	fakeToken  = "123456:TEST-token"
	testUserID = 424242
	standInJS  = "/tg/telegram-web-app.js" // where tests serve testdata/telegram-web-app.js
)

// countingLabs records the calls of LabTried, so a test sees every write
// the server asks for.
type countingLabs struct {
	webapp.Labs
	mu    sync.Mutex
	tried []string
}

func (c *countingLabs) LabTried(userID int64, lab string) error {
	c.mu.Lock()
	c.tried = append(c.tried, fmt.Sprintf("%d:%s", userID, lab))
	c.mu.Unlock()
	return c.Labs.LabTried(userID, lab)
}

func (c *countingLabs) calls() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.tried)
}

// site is the Mini App on an httptest server, over a real service and
// database.
type site struct {
	srv  *httptest.Server
	mux  *http.ServeMux // what srv serves, to call without the network
	db   *storage.DB
	labs *countingLabs
}

func newSite(t testing.TB, dev bool) *site {
	t.Helper()
	return newSiteWith(t, dev, nil)
}

// newSiteWith is newSite with more routes: extra adds them to the mux that
// already serves the Mini App under webapp.Path (a more specific pattern
// wins).
func newSiteWith(t testing.TB, dev bool, extra func(mux *http.ServeMux, app http.Handler)) *site {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc, err := bot.NewService(bot.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	labs := &countingLabs{Labs: svc}
	s, err := webapp.New(labs, webapp.Config{Token: fakeToken, TelegramJS: standInJS, Dev: dev})
	if err != nil {
		t.Fatal(err)
	}
	standIn, err := os.ReadFile(filepath.Join("testdata", "telegram-web-app.js"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(webapp.Path, s.Handler())
	mux.HandleFunc("GET "+standInJS, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(standIn)
	})
	if extra != nil {
		extra(mux, s.Handler())
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &site{srv: srv, mux: mux, db: db, labs: labs}
}

// initData is a freshly signed initData for the test user.
func initData(t testing.TB) string {
	t.Helper()
	return webapp.Sign(url.Values{
		"auth_date": {strconv.FormatInt(time.Now().Unix(), 10)},
		"query_id":  {"AAHdF6IQAAAAAN0XohDhrOrc"},
		"user":      {fmt.Sprintf(`{"id":%d,"first_name":"Тест","language_code":"ru"}`, testUserID)},
	}, fakeToken)
}

// get asks the site's handler for path with an optional initData header.
func (s *site) get(t testing.TB, path, initData string) (*http.Response, []byte) {
	t.Helper()
	h := map[string]string{}
	if initData != "" {
		h["X-Telegram-Init-Data"] = initData
	}
	return s.do(t, s.srv.Client(), path, h)
}

// rawGet asks for path with headers, without the client's transparent
// gzip, and returns the bytes as they came.
func (s *site) rawGet(t testing.TB, path string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	return s.do(t, &http.Client{Transport: &http.Transport{DisableCompression: true}}, path, headers)
}

func (s *site) do(t testing.TB, c *http.Client, path string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func api(lab, args string) string {
	return webapp.Path + "api/" + lab + "?" + url.Values{"args": {args}}.Encode()
}

// decode reads a 200 answer's JSON into v.
func decode(t testing.TB, resp *http.Response, body []byte, v any) {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}

// The JSON carries core's float64s exactly: encoding/json writes the
// shortest text that reads back to the same number.
func TestAPINeuronIsCore(t *testing.T) {
	s := newSite(t, false)
	for _, c := range []struct {
		args string
		w, x []float64
		b    float64
		f    core.Activation
	}{
		{"w=0.5,1 x=2,3 b=-1", []float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid},
		{"w=0.5,1 x=2,3 b=-5 f=step", []float64{0.5, 1}, []float64{2, 3}, -5, core.Step},
		{"x=-1.5 w=2 f=tanh", []float64{2}, []float64{-1.5}, 0, core.Tanh},
		{"w=1,-1,0.25 x=3,4,8 b=0.5 f=relu", []float64{1, -1, 0.25}, []float64{3, 4, 8}, 0.5, core.ReLU},
		{"w=1000000 x=-1000000 b=7 f=linear", []float64{1e6}, []float64{-1e6}, 7, core.Linear},
		{"w=0.5 x=2 f=сигмоиду", []float64{0.5}, []float64{2}, 0, core.Sigmoid},
	} {
		want, err := core.Neuron(c.w, c.x, c.b, c.f)
		if err != nil {
			t.Fatal(err)
		}
		var got bot.NeuronLab
		resp, body := s.get(t, api("neuron", c.args), "")
		decode(t, resp, body, &got)
		if !slices.Equal(got.W, want.W) || !slices.Equal(got.X, want.X) || !slices.Equal(got.Products, want.Products) ||
			got.Sum != want.Sum || got.B != want.B || got.Z != want.Z || got.F != string(want.F) || got.Y != want.Y || got.YNoBias != want.YNoBias {
			t.Errorf("%s: %+v, core says %+v", c.args, got, want)
		}
		cv := got.Curve
		if len(cv.Sum) < 100 || len(cv.Y) != len(cv.Sum) || len(cv.YNoBias) != len(cv.Sum) {
			t.Fatalf("%s: curves of %d, %d, %d points", c.args, len(cv.Sum), len(cv.Y), len(cv.YNoBias))
		}
		if cv.Sum[0] > want.Sum || cv.Sum[len(cv.Sum)-1] < want.Sum {
			t.Errorf("%s: the curve spans %g..%g, not the point Σ = %g", c.args, cv.Sum[0], cv.Sum[len(cv.Sum)-1], want.Sum)
		}
		// The curves are for drawing, with 6 significant digits: each
		// sample within 10⁻⁵ of its curve's height (a pixel is 1/300 of
		// it on a phone) of core's.
		lo, hi := want.Span()
		sum, y, yNoBias := want.Curves(lo, hi, len(cv.Sum))
		for _, curve := range []struct {
			name      string
			got, want []float64
		}{{"Σ", cv.Sum, sum}, {"f(Σ + b)", cv.Y, y}, {"f(Σ)", cv.YNoBias, yNoBias}} {
			scale := slices.Max(curve.want) - slices.Min(curve.want)
			for i := range curve.want {
				if d := math.Abs(curve.got[i] - curve.want[i]); d > 1e-5*scale || math.IsNaN(d) {
					t.Errorf("%s: %s at point %d is %g; core says %.17g (off by %.2g of the curve's height)", c.args, curve.name, i, curve.got[i], curve.want[i], d/scale)
					break
				}
			}
		}
	}
}

func TestAPIPosencIsCore(t *testing.T) {
	s := newSite(t, false)
	for _, c := range []struct {
		args string
		n, d int
	}{{"10", 10, 16}, {"20 d=16", 20, 16}, {"1 d=2", 1, 2}, {"n=128 d=128", 128, 128}, {"512 d=512", 512, 512}} {
		want, err := core.PositionalEncoding(c.n, c.d)
		if err != nil {
			t.Fatal(err)
		}
		var got bot.PosencLab
		resp, body := s.get(t, api("posenc", c.args), "")
		decode(t, resp, body, &got)
		if got.N != c.n || got.D != c.d || len(got.Values) != c.n {
			t.Fatalf("%s: n %d, d %d, %d rows", c.args, got.N, got.D, len(got.Values))
		}
		for pos := range want {
			if !slices.Equal(got.Values[pos], want[pos]) {
				t.Errorf("%s: row %d differs from core", c.args, pos)
				break
			}
		}
	}
}

func TestAPIAttentionIsCore(t *testing.T) {
	s := newSite(t, false)
	for _, c := range []struct {
		args   string
		tokens []string
		cur    int
	}{
		{"кошка сидит на ковре", []string{"кошка", "сидит", "на", "ковре"}, 4},
		{"кошка сидит на ковре cur=2", []string{"кошка", "сидит", "на", "ковре"}, 2},
		{"Мама мыла раму.", []string{"Мама", "мыла", "раму"}, 3},
		{"один", []string{"один"}, 1},
	} {
		want, err := core.Attention(c.tokens, core.DefaultAttentionDim)
		if err != nil {
			t.Fatal(err)
		}
		var got bot.AttentionLab
		resp, body := s.get(t, api("attention", c.args), "")
		decode(t, resp, body, &got)
		if !slices.Equal(got.Tokens, c.tokens) || got.Cur != c.cur || got.Dim != core.DefaultAttentionDim {
			t.Errorf("%s: tokens %q, cur %d, dim %d", c.args, got.Tokens, got.Cur, got.Dim)
		}
		if !slices.EqualFunc(got.Weights, want.Weights, slices.Equal[[]float64]) {
			t.Errorf("%s: weights %v, core says %v", c.args, got.Weights, want.Weights)
		}
	}
}

func TestAPISeedIsCore(t *testing.T) {
	s := newSite(t, false)
	for _, c := range []struct {
		args        string
		seed, other uint64
		n           int
		numpy       bool
	}{
		{"", 42, 43, 5, true},
		{"42 n=5", 42, 43, 5, true},
		{"7 n=20", 7, 8, 20, true},
		{"4294967295 n=3", 4294967295, 4294967294, 3, true}, // C stays within numpy's seeds
		{"4294967296 n=3", 4294967296, 4294967297, 3, false},
		{"18446744073709551615 n=2", 18446744073709551615, 18446744073709551614, 2, false},
	} {
		var got bot.SeedLab
		resp, body := s.get(t, api("seed", c.args), "")
		decode(t, resp, body, &got) // uint64 read exactly, even above 2⁵³
		if got.Seed != c.seed || got.Other != c.other || got.N != c.n {
			t.Errorf("%q: seed %d, other %d, n %d", c.args, got.Seed, got.Other, got.N)
		}
		// The page reads the seeds from the JSON text, not as numbers.
		if !strings.Contains(string(body), `"seed":`+strconv.FormatUint(c.seed, 10)+",") {
			t.Errorf("%q: the JSON does not write the seed in full: %s", c.args, body)
		}
		for run, seed := range []uint64{c.seed, c.seed, c.other} {
			py := core.NewPythonRandom(seed)
			for i, v := range got.Python[run] {
				if w := py.Float64(); v != w {
					t.Errorf("%q: python run %d value %d = %v, core says %v", c.args, run, i, v, w)
				}
			}
			if len(got.Python[run]) != c.n {
				t.Errorf("%q: python run %d has %d values", c.args, run, len(got.Python[run]))
			}
		}
		if (got.Numpy != nil) != c.numpy {
			t.Fatalf("%q: numpy %v, want present %v", c.args, got.Numpy, c.numpy)
		}
		if got.Numpy != nil {
			for run, seed := range []uint64{c.seed, c.seed, c.other} {
				np := core.NewNumpyLegacy(uint32(seed))
				for i, v := range got.Numpy[run] {
					if w := np.Rand(); v != w {
						t.Errorf("%q: numpy run %d value %d = %v, core says %v", c.args, run, i, v, w)
					}
				}
			}
		}
	}
}

// A refused input answers 400 with the chat's message as plain text.
func TestAPIBadInput(t *testing.T) {
	s := newSite(t, false)
	svc := s.labs.Labs
	for _, c := range []struct {
		lab, args, has string
		call           func(string) error
	}{
		{"neuron", "w=1,2 x=3", "Весов w — 2, а входов x — 1", func(a string) error { _, err := svc.LabNeuron(a); return err }},
		{"neuron", "", "Нужны веса w и входы x", func(a string) error { _, err := svc.LabNeuron(a); return err }},
		{"neuron", "w=1 x=2 f=softmax", "Не знаю функцию активации «softmax»", func(a string) error { _, err := svc.LabNeuron(a); return err }},
		{"neuron", "w=2000000 x=1", "Число слишком большое", func(a string) error { _, err := svc.LabNeuron(a); return err }},
		{"posenc", "0", "Число позиций N — целое от 1 до 512", func(a string) error { _, err := svc.LabPosenc(a); return err }},
		{"posenc", "10 d=7", "Размерность d — чётное целое от 2 до 512", func(a string) error { _, err := svc.LabPosenc(a); return err }},
		{"attention", "", "Напишите предложение", func(a string) error { _, err := svc.LabAttention(a); return err }},
		{"attention", strings.Repeat("а ", 33), "не больше 32", func(a string) error { _, err := svc.LabAttention(a); return err }},
		{"seed", "-5", "Seed не бывает отрицательным", func(a string) error { _, err := svc.LabSeed(a); return err }},
		{"seed", "abc", "«abc» — не число", func(a string) error { _, err := svc.LabSeed(a); return err }},
	} {
		resp, body := s.get(t, api(c.lab, c.args), "")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s %q: status %d, want 400", c.lab, c.args, resp.StatusCode)
			continue
		}
		var e struct{ Error string }
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatal(err)
		}
		chat, ok := bot.LabErrorText(c.call(c.args))
		if !ok || e.Error != chat {
			t.Errorf("%s %q: error %q, the chat says %q", c.lab, c.args, e.Error, chat)
		}
		if !strings.Contains(e.Error, c.has) || strings.ContainsAny(e.Error, "<>") {
			t.Errorf("%s %q: error %q, want %q in it and no tags", c.lab, c.args, e.Error, c.has)
		}
	}
	if c := s.labs.calls(); len(c) != 0 {
		t.Errorf("refused labs recorded: %q", c)
	}
}

func TestAPIUnknownLabAndLimits(t *testing.T) {
	s := newSite(t, false)
	resp, body := s.get(t, api("embed", "кошка"), "")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "Нет такой лаборатории") {
		t.Errorf("unknown lab: %d %s", resp.StatusCode, body)
	}
	resp, body = s.get(t, api("attention", strings.Repeat("я", 4097)), "") // 8194 bytes
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "не больше 4096") {
		t.Errorf("oversized args: %d %s", resp.StatusCode, body)
	}
	resp, _ = s.get(t, api("neuron", strings.Repeat("1", 4096)), "")
	if resp.StatusCode == http.StatusRequestEntityTooLarge {
		t.Error("4096 bytes of args refused as too long")
	}
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+api("neuron", "w=1 x=2"), nil)
	r, err := s.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", r.StatusCode)
	}
}

// Every answer carries the security headers; the policy allows nothing
// inline and nothing from elsewhere but Telegram's script.
func TestHeaders(t *testing.T) {
	s := newSite(t, false)
	for _, path := range []string{
		webapp.Path, webapp.Path + "?lab=neuron&args=w%3D1+x%3D2",
		webapp.Path + "static/app.js", webapp.Path + "static/app.css",
		api("neuron", "w=1 x=2"), api("neuron", "w=1"), api("nope", ""),
	} {
		resp, _ := s.get(t, path, "")
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "default-src 'none'") ||
			!strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self';") || !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", path, h.Get("X-Content-Type-Options"))
		}
	}
	for path, want := range map[string]string{
		webapp.Path:                    "text/html; charset=utf-8",
		webapp.Path + "static/app.js":  "text/javascript; charset=utf-8",
		webapp.Path + "static/app.css": "text/css; charset=utf-8",
	} {
		resp, _ := s.get(t, path, "")
		if ct := resp.Header.Get("Content-Type"); ct != want {
			t.Errorf("%s: Content-Type %q, want %q", path, ct, want)
		}
	}
	// Telegram's own script from its origin is the one exception.
	w, err := webapp.New(s.labs, webapp.Config{Token: fakeToken})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	w.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, webapp.Path, nil))
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' https://telegram.org;") {
		t.Errorf("default TelegramJS: Content-Security-Policy %q", csp)
	}
	if !strings.Contains(rec.Body.String(), `<script src="https://telegram.org/js/telegram-web-app.js"></script>`) {
		t.Error("the page does not load Telegram's script")
	}
	if _, err := webapp.New(s.labs, webapp.Config{TelegramJS: "javascript:alert(1)"}); err == nil {
		t.Error("a javascript: URL accepted as TelegramJS")
	}
}

// The page has nothing inline for the policy to refuse: every script has a
// src, there is no <style>, no style="" and no on…="" handler.
func TestPageHasNothingInline(t *testing.T) {
	for _, dev := range []bool{false, true} {
		s := newSite(t, dev)
		_, body := s.get(t, webapp.Path, "")
		page := string(body)
		for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1) {
			if !strings.Contains(tag, " src=") {
				t.Errorf("dev %v: a script without src: %s", dev, tag)
			}
		}
		for _, re := range []string{`<script[^>]*>[^<]`, `<style`, `\sstyle=`, `\son[a-z]+=`} {
			if m := regexp.MustCompile(re).FindString(page); m != "" {
				t.Errorf("dev %v: inline code or style in the page: %q", dev, m)
			}
		}
		if want := `data-dev="` + strconv.FormatBool(dev) + `"`; !strings.Contains(page, want) {
			t.Errorf("dev %v: no %s on the body", dev, want)
		}
		if !strings.Contains(page, `<script src="`+standInJS+`"></script>`) {
			t.Errorf("dev %v: the page does not load TelegramJS", dev)
		}
	}
}

// The page draws and formats; it computes nothing of the labs. A guard
// against a formula creeping into the script.
func TestScriptComputesNoLab(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("static", "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"Math.exp(", "Math.tanh(", "Math.sin(", "Math.cos(", "Math.sqrt(", "Math.pow(10000", "10000 **"} {
		if strings.Contains(string(b), f) {
			t.Errorf("app.js uses %s: lab numbers must come from the API", f)
		}
	}
}

// clockAt is a Config.Now that tests move.
type clockAt struct{ t time.Time }

func (c *clockAt) now() time.Time { return c.t }

func TestRecordsOnlyForValidInitData(t *testing.T) {
	s := newSite(t, false)
	start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := &clockAt{start}
	w, err := webapp.New(s.labs, webapp.Config{Token: fakeToken, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(srv.Close)
	h := &site{srv: srv, db: s.db, labs: s.labs}

	sign := func(user int64, at time.Time, token string) string {
		return webapp.Sign(url.Values{
			"auth_date": {strconv.FormatInt(at.Unix(), 10)},
			"user":      {`{"id":` + strconv.FormatInt(user, 10) + `,"first_name":"Аня"}`},
		}, token)
	}
	valid := sign(testUserID, start.Add(-time.Hour), fakeToken)
	tampered := strings.Replace(valid, "%D0%90%D0%BD%D1%8F", "%D0%91%D0%BE%D1%80%D1%8F", 1)
	if tampered == valid {
		t.Fatal("the name was not replaced")
	}
	for _, c := range []struct{ name, initData string }{
		{"missing", ""},
		{"garbage", "user=%7B%22id%22%3A1%7D&hash=00"},
		{"tampered", tampered},
		{"another bot's", sign(testUserID, start, "654321:OTHER-token")},
		{"expired", sign(testUserID, start.Add(-25*time.Hour), fakeToken)},
		{"from the future", sign(testUserID, start.Add(time.Hour), fakeToken)},
	} {
		resp, body := h.get(t, api("neuron", "w=1 x=2"), c.initData)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s initData: status %d %s; the lab must compute anyway", c.name, resp.StatusCode, body)
		}
		if calls := s.labs.calls(); len(calls) != 0 {
			t.Fatalf("%s initData recorded: %q", c.name, calls)
		}
	}

	for range 3 {
		h.get(t, api("neuron", "w=1 x=2"), valid)
		h.get(t, api("neuron", "w=0.5 x=3"), valid)
	}
	h.get(t, api("seed", "7"), valid)
	h.get(t, api("posenc", "0"), valid) // refused: not recorded
	h.get(t, api("neuron", "w=1 x=2"), sign(7, start, fakeToken))
	want := []string{"424242:neuron", "424242:seed", "7:neuron"}
	if calls := s.labs.calls(); !slices.Equal(calls, want) {
		t.Errorf("LabTried calls %q, want %q: one write per user and lab", calls, want)
	}
	u, err := s.db.User(testUserID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(u.LabsTried, []string{"neuron", "seed"}) {
		t.Errorf("stored LabsTried %q", u.LabsTried)
	}

	// A day later the same initData has expired: nothing more is written.
	clock.t = start.Add(24*time.Hour + time.Minute)
	h.get(t, api("attention", "кошка"), valid)
	if calls := s.labs.calls(); len(calls) != len(want) {
		t.Errorf("an expired initData recorded: %q", calls)
	}
}

// The page and its files go gzipped to a client that takes gzip, whole to
// one that does not, and a client holding the current copy gets 304.
func TestAssetsCompressedAndRevalidated(t *testing.T) {
	s := newSite(t, false)
	get := func(path string, h map[string]string) (*http.Response, []byte) { return s.rawGet(t, path, h) }
	for _, path := range []string{webapp.Path, webapp.Path + "static/app.js", webapp.Path + "static/app.css"} {
		plain, whole := get(path, nil)
		zipped, gz := get(path, map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
		if plain.StatusCode != 200 || zipped.StatusCode != 200 {
			t.Fatalf("%s: status %d and %d", path, plain.StatusCode, zipped.StatusCode)
		}
		if plain.Header.Get("Content-Encoding") != "" || zipped.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q without gzip, %q with it", path, plain.Header.Get("Content-Encoding"), zipped.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unzipped, whole) {
			t.Errorf("%s: the gzip does not unpack to the file (%v)", path, err)
		}
		if len(gz) >= len(whole)/2 {
			t.Errorf("%s: gzip %d bytes of %d", path, len(gz), len(whole))
		}
		t.Logf("%s: %d bytes, %d gzipped", path, len(whole), len(gz))
		etag := plain.Header.Get("ETag")
		if etag == "" || zipped.Header.Get("ETag") != etag || !strings.Contains(plain.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: ETag %q / %q, Vary %q", path, etag, zipped.Header.Get("ETag"), plain.Header.Get("Vary"))
		}
		if cc := plain.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: Cache-Control %q: a client could keep an old copy after an upgrade", path, cc)
		}
		for _, inm := range []string{etag, `"other", ` + strings.TrimPrefix(etag, "W/"), "*"} {
			again, body := get(path, map[string]string{"If-None-Match": inm, "Accept-Encoding": "gzip"})
			if again.StatusCode != http.StatusNotModified || len(body) != 0 {
				t.Errorf("%s, If-None-Match %s: status %d, %d bytes; want 304 and none", path, inm, again.StatusCode, len(body))
			}
			if again.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("%s: a 304 without the security headers", path)
			}
		}
		if stale, _ := get(path, map[string]string{"If-None-Match": `W/"old"`}); stale.StatusCode != 200 {
			t.Errorf("%s: a stale ETag got %d", path, stale.StatusCode)
		}
		if refused, _ := get(path, map[string]string{"Accept-Encoding": "gzip;q=0, identity"}); refused.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip sent though refused with q=0", path)
		}
	}
	if resp, _ := get(webapp.Path+"static/nope.js", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a missing file: status %d", resp.StatusCode)
	}
	if resp, _ := get(webapp.Path+"static/", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the folder: status %d, want 404 (no listing)", resp.StatusCode)
	}
}

// A lab's answer, sent on every move of a slider, goes gzipped to a client
// that takes gzip; a short error does not.
func TestAPIAnswersCompressed(t *testing.T) {
	s := newSite(t, false)
	path := api("neuron", "w=0.53,1.27 x=2.1,-3.3 b=-1.7 f=tanh")
	plain, whole := s.rawGet(t, path, nil)
	zipped, gz := s.rawGet(t, path, map[string]string{"Accept-Encoding": "gzip"})
	if plain.Header.Get("Content-Encoding") != "" || zipped.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("Content-Encoding %q without gzip, %q with it; Vary %q", plain.Header.Get("Content-Encoding"), zipped.Header.Get("Content-Encoding"), zipped.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, whole) {
		t.Fatalf("the gzip does not unpack to the answer (%v)", err)
	}
	t.Logf("a neuron answer: %d bytes, %d gzipped", len(whole), len(gz))
	if len(whole) > 6000 || len(gz) > 2500 {
		t.Errorf("a neuron answer is %d bytes, %d gzipped: the curves are sent with more digits than a chart needs", len(whole), len(gz))
	}
	bad, body := s.rawGet(t, api("neuron", "w=1"), map[string]string{"Accept-Encoding": "gzip"})
	if bad.StatusCode != http.StatusBadRequest || bad.Header.Get("Content-Encoding") != "" || !strings.Contains(string(body), "error") {
		t.Errorf("a refused lab: status %d, Content-Encoding %q, %s", bad.StatusCode, bad.Header.Get("Content-Encoding"), body)
	}
}

// BenchmarkAPINeuron is one move of a neuron slider on the server: the
// handler parses, computes with core, writes the JSON and gzips it (as
// Telegram's webview asks), without the network.
func BenchmarkAPINeuron(b *testing.B) {
	s := newSite(b, false)
	req := httptest.NewRequest(http.MethodGet, api("neuron", "w=0.53,1.27 x=2.1,-3.3 b=-1.7 f=tanh"), nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}
