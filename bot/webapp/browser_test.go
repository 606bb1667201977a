package webapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"neurotutor/bot/webapp"
	"neurotutor/core"
	"neurotutor/storage"
)

// The browser tests drive the real page in Debian's chromium at a phone's
// size (360×740 CSS pixels, devicePixelRatio 2) against an httptest server
// with the real bot.Service on a bbolt file, and a stand-in for Telegram's
// script (testdata/telegram-web-app.js) that reads the launch parameters
// from the URL's fragment as the real one does. Every number the page shows
// is compared with core's.
//
// Without chromium the tests skip, unless NEUROTUTOR_REQUIRE_BROWSER is set
// (CI sets it), when they fail. Screenshots of every page in both themes
// and the performance figures go to $NEUROTUTOR_ARTIFACTS/webapp if it is
// set, else to a temporary directory:
//
//	NEUROTUTOR_ARTIFACTS=/tmp/webapp-shots go test ./bot/webapp
//
// -short leaves out the screenshots and the measurements (about 30 s).

const (
	phoneW = 360
	phoneH = 740
)

// Light and dark themeParams, close to Telegram's default day and night
// themes.
var (
	lightTheme = map[string]string{
		"bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#707579", "link_color": "#2481cc",
		"button_color": "#2481cc", "button_text_color": "#ffffff", "secondary_bg_color": "#f1f1f4",
		"destructive_text_color": "#d14e4e",
	}
	darkTheme = map[string]string{
		"bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#708499", "link_color": "#6ab3f3",
		"button_color": "#5288c1", "button_text_color": "#ffffff", "secondary_bg_color": "#232e3c",
		"destructive_text_color": "#ec3942",
	}
)

// page is the address of the Mini App with query (lab and args) and, after
// "#", the launch parameters Telegram adds: initData ("" for none) and the
// theme.
func (s *site) page(query, initData string, theme map[string]string) string {
	h := url.Values{}
	if initData != "" {
		h.Set("tgWebAppData", initData)
	}
	tb, _ := json.Marshal(theme)
	h.Set("tgWebAppThemeParams", string(tb))
	h.Set("tgWebAppVersion", "8.0")
	h.Set("tgWebAppPlatform", "android")
	u := s.srv.URL + webapp.Path
	if query != "" {
		u += "?" + query
	}
	return u + "#" + h.Encode()
}

// labQuery is the query string of a lab page with args.
func labQuery(lab, args string) string {
	q := url.Values{"lab": {lab}}
	if args != "" {
		q.Set("args", args)
	}
	return q.Encode()
}

// chromium finds the browser, or skips the test when there is none and
// NEUROTUTOR_REQUIRE_BROWSER is unset.
func chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("NEUROTUTOR_REQUIRE_BROWSER") != "" {
		t.Fatal("chromium not found, and NEUROTUTOR_REQUIRE_BROWSER is set")
	}
	t.Skip("chromium not found (apt-get install chromium); set NEUROTUTOR_REQUIRE_BROWSER to make this a failure")
	return ""
}

// newBrowser starts a headless chromium with one tab the size of a phone.
// Debian's chromium 148 sometimes dies of a segmentation fault while it
// starts (about 1 start in 40 on the development machine, before any
// page is opened), so a start that fails is tried again, up to 3 times.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	path := chromium(t)
	var ctx context.Context
	for try := 1; ; try++ {
		var cancel func()
		var err error
		ctx, cancel, err = startBrowser(path)
		if err == nil {
			t.Cleanup(cancel)
			break
		}
		cancel()
		if try == 3 || !strings.Contains(err.Error(), "failed to start") {
			t.Fatal(err)
		}
		t.Logf("chromium did not start (try %d): %v", try, err)
	}
	// Collect violations of the Content-Security-Policy in every document
	// (a script DevTools adds runs before the page's own and is exempt).
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// startBrowser starts chromium and opens its tab at a phone's size.
func startBrowser(path string) (context.Context, func(), error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(phoneW, phoneH))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	stop := func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
	}
	return ctx, stop, chromedp.Do(ctx, phone())
}

func phone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
}

// js evaluates expr in the page, awaiting a promise, and decodes its value.
func js[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, func(p *runtime.EvaluateParams) {
		p.AwaitPromise = new(true)
	}))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitFor waits until expr is truthy in the page, checking on every
// animation frame, for at most 20 seconds. (chromedp's Poll builds its
// predicate with new Function, which the page's CSP forbids.)
func waitFor(t testing.TB, ctx context.Context, expr string) {
	t.Helper()
	src, _ := json.Marshal(expr)
	js[bool](t, ctx, `new Promise((resolve, reject) => {
		const t0 = performance.now();
		(function check() {
			let ok = false;
			try { ok = !!(`+expr+`); } catch (e) { ok = false; }
			if (ok) resolve(true);
			else if (performance.now() - t0 > 20000) reject(new Error('timed out waiting for ' + `+string(src)+`));
			else requestAnimationFrame(check);
		})();
	})`)
}

// open navigates to u and waits until the page has drawn at least once
// and no request is in flight.
func open(t testing.TB, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `window.__labStats && document.readyState === 'complete'`)
}

// settled waits until every change was sent and every request has its
// answer.
func settled(t testing.TB, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, `window.__labStats.responses === window.__labStats.requests && window.__labStats.deferred === 0`)
}

func text(t testing.TB, ctx context.Context, selector string) string {
	t.Helper()
	sel, _ := json.Marshal(selector)
	return js[string](t, ctx, `document.querySelector(`+string(sel)+`).textContent`)
}

// shown reads a number as the page writes it (real minus, no-break
// spaces between thousands).
func shown(t testing.TB, s string) float64 {
	t.Helper()
	r := strings.NewReplacer("−", "-", "\u00a0", "")
	v, err := strconv.ParseFloat(r.Replace(strings.TrimSpace(s)), 64)
	if err != nil {
		t.Fatalf("the page shows %q, not a plain number: %v", s, err)
	}
	return v
}

func near(t testing.TB, what, got string, want, tol float64) {
	t.Helper()
	if v := shown(t, got); math.Abs(v-want) > tol {
		t.Errorf("%s: the page shows %s, core says %.10g (off by %.3g, more than %g)", what, got, want, math.Abs(v-want), tol)
	}
}

// input sets a control's value and fires input, as a finger on a slider.
func input(t testing.TB, ctx context.Context, id, value string) {
	t.Helper()
	js[bool](t, ctx, fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.value = %q;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, id, value))
}

func noCSPViolations(t testing.TB, ctx context.Context) {
	t.Helper()
	if v := js[[]string](t, ctx, `window.__csp || []`); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}

func noHorizontalScroll(t testing.TB, ctx context.Context, where string) {
	t.Helper()
	if w := js[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
		t.Errorf("%s: the page is %d px wide in a %d px viewport: it scrolls sideways", where, w[0], w[1])
	}
}

func TestBrowserNeuron(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t, false)
	open(t, ctx, s.page(labQuery("neuron", "w=0.5,1 x=2,3 b=-1"), initData(t), lightTheme))
	waitFor(t, ctx, `document.getElementById('neuron-y').textContent !== ''`)
	settled(t, ctx)

	// The link's args are in the controls.
	got := js[[]string](t, ctx, `['w0', 'w1', 'x0', 'x1', 'b', 'f'].map((id) => document.getElementById(id).value)`)
	if want := []string{"0.5", "1", "2", "3", "-1", "sigmoid"}; !slices.Equal(got, want) {
		t.Errorf("controls = %q, want %q", got, want)
	}
	want, err := core.Neuron([]float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid)
	if err != nil {
		t.Fatal(err)
	}
	y := text(t, ctx, "#neuron-y")
	near(t, "y for w=0.5,1 x=2,3 b=-1", y, want.Y, 1e-4)
	if y != "0.9526" {
		t.Errorf("y is shown as %q, want 0.9526 (4 significant digits)", y)
	}
	steps := js[[]string](t, ctx, `[...document.querySelectorAll('#neuron-steps li')].map((li) => li.textContent)`)
	for i, want := range []string{"Σ = 0.5·2 + 1·3 = 1 + 3 = 4", "z = Σ + b = 4 − 1 = 3", "y = σ(3) = 0.9526"} {
		if i >= len(steps) || steps[i] != want {
			t.Errorf("step %d = %q, want %q", i+1, steps, want)
		}
	}

	// A slider moves: the new y is core's.
	input(t, ctx, "w0", "2")
	waitFor(t, ctx, `document.getElementById('neuron-y').textContent !== '0.9526'`)
	settled(t, ctx)
	want, _ = core.Neuron([]float64{2, 1}, []float64{2, 3}, -1, core.Sigmoid)
	near(t, "y after w₁ = 2", text(t, ctx, "#neuron-y"), want.Y, 1e-4)

	// A negative output is written with a real minus sign.
	input(t, ctx, "f", "linear")
	input(t, ctx, "b", "-10")
	waitFor(t, ctx, `document.getElementById('neuron-y').textContent === '−3'`)

	// An input more, then the first input's x.
	js[bool](t, ctx, `document.getElementById('neuron-add').click(), true`)
	waitFor(t, ctx, `document.getElementById('x2') !== null`)
	input(t, ctx, "x0", "-1.5")
	settled(t, ctx)
	waitFor(t, ctx, `document.querySelectorAll('#neuron-steps li').length === 4`)
	want, _ = core.Neuron([]float64{2, 1, 0.5}, []float64{-1.5, 3, 1}, -10, core.Linear)
	near(t, "y with three inputs", text(t, ctx, "#neuron-y"), want.Y, 1e-4)

	u, err := s.db.User(testUserID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(u.LabsTried, "neuron") {
		t.Errorf("LabsTried = %q, want neuron in it", u.LabsTried)
	}
	if c := s.labs.calls(); len(c) != 1 {
		t.Errorf("LabTried calls = %q, want one for the many requests", c)
	}
	noCSPViolations(t, ctx)
	noHorizontalScroll(t, ctx, "neuron")

	// Refused args in the link: the chat's text under the controls stays
	// while the controls' own neuron is drawn.
	open(t, ctx, s.page(labQuery("neuron", "w=1,2 x=3"), initData(t), lightTheme))
	waitFor(t, ctx, `window.__labStats.redraws > 0`)
	settled(t, ctx)
	if e := text(t, ctx, "#neuron-error"); !strings.Contains(e, "Весов w — 2, а входов x — 1") {
		t.Errorf("error shown: %q", e)
	}
	if js[bool](t, ctx, `document.getElementById('neuron-error').hidden`) {
		t.Error("the error is hidden")
	}
	want, _ = core.Neuron([]float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid)
	near(t, "y of the default neuron", text(t, ctx, "#neuron-y"), want.Y, 1e-4)
}

// cellPoint is the viewport position of a heatmap cell's centre, from the
// layout the page publishes for tests.
func cellPoint(t testing.TB, ctx context.Context, canvasID, layout string, row, col int) (x, y float64) {
	t.Helper()
	p := js[[]float64](t, ctx, fmt.Sprintf(`(() => {
		const c = document.getElementById(%q); c.scrollIntoView({block: 'center'});
		const r = c.getBoundingClientRect(), L = window.__labStats.layout[%q];
		const cw = L.cellW || L.cell, ch = L.cellH || L.cell;
		return [r.left + L.left + (%d + 0.5) * cw, r.top + L.top + (%d + 0.5) * ch];
	})()`, canvasID, layout, col, row))
	return p[0], p[1]
}

func TestBrowserPosenc(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t, false)
	open(t, ctx, s.page(labQuery("posenc", "20 d=16"), initData(t), lightTheme))
	waitFor(t, ctx, `window.__labStats.redraws > 0`)
	settled(t, ctx)
	if got := js[[]string](t, ctx, `[document.getElementById('pe-n').value, document.getElementById('pe-d').value]`); !slices.Equal(got, []string{"20", "16"}) {
		t.Errorf("sliders N, d = %q, want 20, 16", got)
	}
	pe, err := core.PositionalEncoding(20, 16)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ pos, i int }{{5, 3}, {12, 0}, {19, 15}, {0, 1}} {
		x, y := cellPoint(t, ctx, "pe-chart", "posenc", c.pos, c.i)
		if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
			t.Fatal(err)
		}
		where := fmt.Sprintf("pos = %d, i = %d", c.pos, c.i)
		waitFor(t, ctx, fmt.Sprintf(`document.getElementById('pe-where').textContent.startsWith(%q)`, where+" "))
		near(t, "PE"+where, text(t, ctx, "#pe-cell"), pe[c.pos][c.i], 1e-4)
		fn, k2 := "sin", c.i
		if c.i%2 == 1 {
			fn, k2 = "cos", c.i-1
		}
		if f, want := text(t, ctx, "#pe-formula"), fmt.Sprintf("PE(%d, %d) = %s(%d / 10000^(%d/16))", c.pos, c.i, fn, c.pos, k2); !strings.Contains(f, want) {
			t.Errorf("formula %q, want %q in it", f, want)
		}
	}

	// d changes: the tapped cell keeps its place and shows the new value.
	input(t, ctx, "pe-d", "32")
	waitFor(t, ctx, `document.getElementById('pe-d-val').textContent === '32' && window.__labStats.layout.posenc.d === 32`)
	settled(t, ctx)
	pe, _ = core.PositionalEncoding(20, 32)
	near(t, "PE(0, 1) at d = 32", text(t, ctx, "#pe-cell"), pe[0][1], 1e-4)
	noCSPViolations(t, ctx)
	noHorizontalScroll(t, ctx, "posenc")
}

func TestBrowserAttention(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t, false)
	open(t, ctx, s.page(labQuery("attention", "кошка сидит на ковре cur=2"), initData(t), lightTheme))
	waitFor(t, ctx, `document.querySelectorAll('.token').length === 4`)
	settled(t, ctx)
	if v := js[string](t, ctx, `document.getElementById('att-input').value`); v != "кошка сидит на ковре" {
		t.Errorf("input = %q, want the sentence without cur=2", v)
	}
	if p := js[string](t, ctx, `document.querySelector('.token[aria-pressed="true"]').textContent`); p != "2сидит" {
		t.Errorf("current chip = %q, want 2сидит (cur=2)", p)
	}

	// Type a sentence, tap its third word.
	js[bool](t, ctx, `(() => { const e = document.getElementById('att-input'); e.value = ''; e.focus(); return true; })()`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("att-input"), "мама мыла раму утром")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `[...document.querySelectorAll('.token')].map((b) => b.lastChild.textContent).join(' ') === 'мама мыла раму утром'`)
	settled(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".token:nth-child(3)"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById('att-title').textContent.includes('«раму»')`)
	tokens := []string{"мама", "мыла", "раму", "утром"}
	res, err := core.Attention(tokens, core.DefaultAttentionDim)
	if err != nil {
		t.Fatal(err)
	}
	ws := js[[]string](t, ctx, `[...document.querySelectorAll('.att-w')].map((e) => e.textContent)`)
	if len(ws) != len(tokens) {
		t.Fatalf("%d weights shown, want %d", len(ws), len(tokens))
	}
	for j, w := range ws {
		near(t, fmt.Sprintf("weight раму → %s", tokens[j]), w, res.Weights[2][j], 1e-4)
	}

	// A tap on the matrix's first row makes мама current.
	x, y := cellPoint(t, ctx, "att-chart", "attention", 0, 1)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById('att-title').textContent.includes('«мама»')`)
	near(t, "weight мама → мыла", text(t, ctx, ".bars li:nth-child(2) .att-w"), res.Weights[0][1], 1e-4)

	// Too many words: the chat's message, the last picture kept.
	js[bool](t, ctx, `(() => { const e = document.getElementById('att-input'); e.value = 'а '.repeat(40); e.dispatchEvent(new Event('input')); return true; })()`)
	waitFor(t, ctx, `!document.getElementById('attention-error').hidden`)
	if e := text(t, ctx, "#attention-error"); !strings.Contains(e, "не больше 32") {
		t.Errorf("error shown: %q", e)
	}
	if n := js[int](t, ctx, `document.querySelectorAll('.token').length`); n != 4 {
		t.Errorf("%d chips after a refused sentence, want the last good 4", n)
	}
	noCSPViolations(t, ctx)
	noHorizontalScroll(t, ctx, "attention")
}

func TestBrowserSeed(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t, false)
	open(t, ctx, s.page(labQuery("seed", ""), initData(t), lightTheme))
	waitFor(t, ctx, `document.querySelectorAll('#py-a li').length === 5`)
	settled(t, ctx)

	cells := func(id string) []string {
		return js[[]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#%s li')].map((e) => e.textContent)`, id))
	}
	check := func(seed uint64, n int) {
		t.Helper()
		py := core.NewPythonRandom(seed)
		a, b := cells("py-a"), cells("py-b")
		if len(a) != n || !slices.Equal(a, b) {
			t.Fatalf("seed %d: A = %q, B = %q; want %d equal cells", seed, a, b, n)
		}
		for i, c := range a {
			near(t, fmt.Sprintf("random.random() #%d for seed %d", i+1, seed), c, py.Float64(), 1e-6)
		}
		if seed <= math.MaxUint32 {
			np := core.NewNumpyLegacy(uint32(seed))
			for i, c := range cells("np-a") {
				near(t, fmt.Sprintf("np.random.rand() #%d for seed %d", i+1, seed), c, np.Rand(), 1e-6)
			}
		}
	}
	check(42, 5)

	js[bool](t, ctx, `(() => { const e = document.getElementById('seed-input'); e.value = ''; e.focus(); return true; })()`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("seed-input"), "12345")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById('py-a-head').textContent === 'A · 12345'`)
	settled(t, ctx)
	check(12345, 5)

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("seed-plus"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById('py-a-head').textContent === 'A · 12346'`)
	settled(t, ctx)
	check(12346, 5)

	input(t, ctx, "seed-n", "8")
	waitFor(t, ctx, `document.querySelectorAll('#py-a li').length === 8`)
	settled(t, ctx)
	check(12346, 8)

	// 2⁶⁴−1: beyond numpy, and beyond JavaScript's exact integers.
	input(t, ctx, "seed-input", "18446744073709551615")
	waitFor(t, ctx, `!document.getElementById('np-none').hidden`)
	settled(t, ctx)
	check(math.MaxUint64, 8)
	if l := text(t, ctx, "#seed-legend"); !strings.Contains(l, "seed 18\u00a0446\u00a0744\u00a0073\u00a0709\u00a0551\u00a0615,") {
		t.Errorf("legend %q does not name seed 2⁶⁴−1 exactly", l)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("seed-plus"))); err != nil {
		t.Fatal(err)
	}
	if v := js[string](t, ctx, `document.getElementById('seed-input').value`); v != "18446744073709551615" {
		t.Errorf("+1 at 2⁶⁴−1 gives %q, want it to stay", v)
	}

	input(t, ctx, "seed-input", "-5")
	waitFor(t, ctx, `!document.getElementById('seed-error').hidden`)
	if e := text(t, ctx, "#seed-error"); !strings.Contains(e, "Seed не бывает отрицательным") {
		t.Errorf("error shown: %q", e)
	}
	noCSPViolations(t, ctx)
	noHorizontalScroll(t, ctx, "seed")
}

// TestBrowserOrigins checks the page's Content-Security-Policy and that
// nothing is fetched from anywhere but the server, on every page.
func TestBrowserOrigins(t *testing.T) {
	ctx := newBrowser(t)
	s := newSite(t, false)
	var mu sync.Mutex
	var urls []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			urls = append(urls, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(s.page("", initData(t), lightTheme)))
	if err != nil {
		t.Fatal(err)
	}
	csp, _ := resp.Headers["Content-Security-Policy"].(string)
	if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	waitFor(t, ctx, `window.__labStats && document.readyState === 'complete'`)
	for _, lab := range []string{"neuron", "posenc", "attention", "seed"} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.tabs button[data-lab="`+lab+`"]`))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `!document.getElementById('page-`+lab+`').hidden`)
		settled(t, ctx)
		noHorizontalScroll(t, ctx, lab)
	}
	waitFor(t, ctx, `window.__labStats.redraws >= 4`)
	noCSPViolations(t, ctx)
	mu.Lock()
	defer mu.Unlock()
	if len(urls) < 6 {
		t.Errorf("only %d requests seen: %q", len(urls), urls)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, s.srv.URL+"/") {
			t.Errorf("a request went elsewhere than the server: %s", u)
		}
	}
	if c := s.labs.calls(); len(c) != 4 {
		t.Errorf("LabTried calls = %q, want one per lab", c)
	}
}

// TestBrowserWithoutInitData: opened outside Telegram, the labs compute
// and say that progress is not counted; nothing is written.
func TestBrowserWithoutInitData(t *testing.T) {
	ctx := newBrowser(t)
	for _, dev := range []bool{false, true} {
		s := newSite(t, dev)
		open(t, ctx, s.page(labQuery("neuron", "w=1 x=2 b=0.5 f=relu"), "", lightTheme))
		waitFor(t, ctx, `document.getElementById('neuron-y').textContent === '2.5'`)
		settled(t, ctx)
		tgNote := js[bool](t, ctx, `!document.getElementById('note-tg').hidden`)
		devNote := js[bool](t, ctx, `!document.getElementById('note-dev').hidden`)
		if tgNote == dev || devNote != dev {
			t.Errorf("dev %v: Telegram note shown %v, development note shown %v", dev, tgNote, devNote)
		}
		if c := s.labs.calls(); len(c) != 0 {
			t.Errorf("dev %v: LabTried calls %q without initData", dev, c)
		}
		if _, err := s.db.User(testUserID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("dev %v: a user record exists: %v", dev, err)
		}
	}
}

// artifacts is where screenshots and figures go.
func artifacts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("NEUROTUTOR_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, "webapp")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserScreenshots saves every page in both themes, at 360×740, as
// the first screen and as the whole page, and checks that the theme's
// colours are used and nothing scrolls sideways.
func TestBrowserScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("screenshots take seconds; not in -short")
	}
	ctx := newBrowser(t)
	s := newSite(t, false)
	dir := artifacts(t)
	pages := []struct {
		name, query string
		act         func()
	}{
		{"home", "", nil},
		{"neuron", labQuery("neuron", "w=0.5,1,-0.3 x=2,3,4 b=-1"), nil},
		// Scrolled down to the last controls: the chart stays on top.
		{"neuron-controls", labQuery("neuron", "w=0.5,1,-0.3 x=2,3,4 b=-1 f=tanh"), func() {
			js[bool](t, ctx, `window.scrollTo(0, document.documentElement.scrollHeight), true`)
			js[bool](t, ctx, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
		}},
		{"posenc", labQuery("posenc", "20 d=16"), func() {
			x, y := cellPoint(t, ctx, "pe-chart", "posenc", 6, 3)
			if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, `document.getElementById('pe-cell').textContent !== '—'`)
			js[bool](t, ctx, `window.scrollTo(0, 0), true`)
		}},
		{"attention", labQuery("attention", "кошка сидит на мягком ковре у окна cur=3"), nil},
		{"seed", labQuery("seed", "42 n=6"), nil},
		// Extremes: huge numbers, the largest app heatmap, the most and
		// longest words, the largest seed.
		{"neuron-extreme", labQuery("neuron", "w=1000000,-0.001,1,1,1,1,1,1 x=1000000,0.5,1,1,1,1,1,-1 b=-1000000 f=step"), nil},
		{"posenc-extreme", labQuery("posenc", "128 d=128"), nil},
		{"attention-extreme", labQuery("attention", strings.Repeat("превосходительство ", 31)+"я cur=31"), nil},
		{"seed-extreme", labQuery("seed", "18446744073709551615 n=20"), nil},
	}
	for _, theme := range []struct {
		name   string
		params map[string]string
	}{{"light", lightTheme}, {"dark", darkTheme}} {
		for _, p := range pages {
			open(t, ctx, s.page(p.query, initData(t), theme.params))
			if p.name != "home" {
				waitFor(t, ctx, `window.__labStats.redraws > 0`)
			}
			settled(t, ctx)
			if p.act != nil {
				p.act()
			}
			if bg := js[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != rgbOf(theme.params["bg_color"]) {
				t.Errorf("%s %s: body background %s, want the theme's %s", p.name, theme.name, bg, theme.params["bg_color"])
			}
			noHorizontalScroll(t, ctx, p.name+" "+theme.name)
			shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			full := fullPage(t, ctx)
			for name, b := range map[string][]byte{p.name + "-" + theme.name + ".png": shot, p.name + "-" + theme.name + "-full.png": full} {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// Telegram switches the theme while the page is open: it redraws.
	open(t, ctx, s.page(labQuery("neuron", ""), initData(t), lightTheme))
	waitFor(t, ctx, `window.__labStats.redraws > 0`)
	settled(t, ctx)
	before := js[int](t, ctx, `window.__labStats.redraws`)
	tb, _ := json.Marshal(darkTheme)
	js[bool](t, ctx, `window.__tgStandIn.setTheme(`+string(tb)+`), true`)
	waitFor(t, ctx, fmt.Sprintf(`window.__labStats.redraws > %d`, before))
	if bg := js[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != rgbOf(darkTheme["bg_color"]) {
		t.Errorf("after themeChanged the background is %s", bg)
	}
	if calls := js[[]string](t, ctx, `window.__tgStandIn.calls`); !slices.Contains(calls, "ready") || !slices.Contains(calls, "expand") {
		t.Errorf("Telegram.WebApp calls: %q, want ready and expand", calls)
	}
	t.Logf("screenshots in %s", dir)
}

// fullPage is a screenshot of the whole page as a phone as tall as the
// page would show it (a capture beyond the viewport would draw the fixed
// tab bar in the middle); the phone's size is restored after.
func fullPage(t testing.TB, ctx context.Context) []byte {
	t.Helper()
	h := js[int](t, ctx, `document.documentElement.scrollHeight`)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneW, int64(max(h, phoneH)), chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	// Wait two frames for the new size to be laid out and drawn.
	js[bool](t, ctx, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, phone()); err != nil {
		t.Fatal(err)
	}
	js[bool](t, ctx, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	return b
}

// rgbOf writes #rrggbb as getComputedStyle does.
func rgbOf(hex string) string {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	return fmt.Sprintf("rgb(%d, %d, %d)", v>>16, v>>8&0xff, v&0xff)
}

// TestBrowserPerformance measures the neuron page on a slow phone (CPU
// throttled 4×): slider updates per second while a finger drags (one move
// per frame) and when each answer is followed at once by the next move;
// then, with a 100 ms round trip, the time to the first chart and from a
// move to its redraw. It logs the figures and writes them to the artifact
// folder; it asserts only loose bounds, never timings that could flake.
func TestBrowserPerformance(t *testing.T) {
	if testing.Short() {
		t.Skip("measuring takes seconds; not in -short")
	}
	ctx := newBrowser(t)
	s := newSite(t, false)
	var report strings.Builder
	logf := func(format string, args ...any) {
		t.Logf(format, args...)
		fmt.Fprintf(&report, format+"\n", args...)
	}

	open(t, ctx, s.page(labQuery("neuron", ""), initData(t), lightTheme))
	waitFor(t, ctx, `window.__labStats.redraws > 0`)
	settled(t, ctx)
	type run struct {
		Ms       float64 `json:"ms"`
		Moves    int     `json:"moves"`
		Requests int     `json:"requests"`
		Redraws  int     `json:"redraws"`
		FetchMs  float64 `json:"fetchMs"` // request to answer, summed
		DrawMs   float64 `json:"drawMs"`  // drawing, summed
	}
	for _, rate := range []float64{1, 4} {
		if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: rate}); err != nil {
			t.Fatal(err)
		}
		drag := js[run](t, ctx, dragJS(3000))
		logf("CPU %g× slower, a drag (one move per frame) for %.1f s: %d moves, %d requests, %d redraws: %.1f updates/s (per update %.1f ms request to answer, %.1f ms drawing)",
			rate, drag.Ms/1000, drag.Moves, drag.Requests, drag.Redraws, float64(drag.Redraws)/drag.Ms*1000, drag.FetchMs/float64(drag.Requests), drag.DrawMs/float64(drag.Redraws))
		chase := js[run](t, ctx, chaseJS(3000))
		logf("CPU %g× slower, each move as soon as the last is drawn, %.1f s: %d redraws: %.1f updates/s (per update %.1f ms request to answer, %.1f ms drawing)",
			rate, chase.Ms/1000, chase.Redraws, float64(chase.Redraws)/chase.Ms*1000, chase.FetchMs/float64(chase.Requests), chase.DrawMs/float64(chase.Redraws))
		if drag.Redraws < 3 || chase.Redraws < 3 {
			t.Errorf("almost no redraws: drag %+v, chase %+v", drag, chase)
		}
		if drag.Requests > drag.Moves {
			t.Errorf("%d requests for %d moves: not coalesced", drag.Requests, drag.Moves)
		}
	}

	// A 100 ms round trip (CPU throttling stays on).
	if _, err := chromedp.Call(ctx, emulateNetwork, networkConditions{Latency: 100, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, s.page(labQuery("neuron", "w=0.5,1 x=2,3 b=-1"), initData(t), lightTheme))
	waitFor(t, ctx, `window.__labStats.redraws > 0`)
	settled(t, ctx)
	first := js[float64](t, ctx, `window.__labStats.firstDrawMs`)
	logf("100 ms round trip, CPU 4× slower: first chart %.0f ms after navigation start", first)
	lat := js[[]float64](t, ctx, latencyJS(8))
	slices.Sort(lat)
	logf("100 ms round trip, CPU 4× slower: slider move → redraw: median %.0f ms, min %.0f, max %.0f (%d moves)",
		lat[len(lat)/2], lat[0], lat[len(lat)-1], len(lat))
	slow := js[run](t, ctx, dragJS(2000))
	logf("100 ms round trip, CPU 4× slower, drag at one move per frame: %.1f updates/s (%d requests for %d moves)",
		float64(slow.Redraws)/slow.Ms*1000, slow.Requests, slow.Moves)
	if lat[0] < 100 {
		t.Errorf("a move was drawn %.0f ms after it, under a 100 ms round trip: the emulated latency did not apply", lat[0])
	}
	if lat[len(lat)-1] > 10000 || first > 20000 {
		t.Errorf("far too slow: first chart %.0f ms, moves %v ms", first, lat)
	}
	if err := os.WriteFile(filepath.Join(artifacts(t), "performance.txt"), []byte(report.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// networkConditions are the parameters of Network.emulateNetworkConditions.
// cdproto marks the command deprecated and no longer generates it; its
// successor, emulateNetworkConditionsByRule, is refused as invalid by
// Debian's chromium 148, which still takes this one.
type networkConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`            // ms added to every round trip
	DownloadThroughput float64 `json:"downloadThroughput"` // bytes/s, −1 for no limit
	UploadThroughput   float64 `json:"uploadThroughput"`   // bytes/s, −1 for no limit
}

var emulateNetwork = cdp.Command[networkConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// dragJS moves #w0 once per animation frame for ms milliseconds, then
// waits for the last answer, and reports the counts.
func dragJS(ms int) string {
	return fmt.Sprintf(`new Promise((resolve) => {
		const s = document.getElementById('w0'), st = window.__labStats;
		const r0 = st.redraws, q0 = st.requests, f0 = st.fetchMs, d0 = st.drawMs, t0 = performance.now();
		let moves = 0;
		function done() {
			if (st.responses !== st.requests || st.deferred) return requestAnimationFrame(done);
			resolve({ms: performance.now() - t0, moves, requests: st.requests - q0, redraws: st.redraws - r0, fetchMs: st.fetchMs - f0, drawMs: st.drawMs - d0});
		}
		function frame() {
			if (performance.now() - t0 >= %d) return done();
			s.value = String(((moves %% 80) - 40) / 10);
			moves++;
			s.dispatchEvent(new Event('input', {bubbles: true}));
			requestAnimationFrame(frame);
		}
		requestAnimationFrame(frame);
	})`, ms)
}

// chaseJS moves #w0 again as soon as the previous move is drawn (the page
// fires labdrawn after each picture).
func chaseJS(ms int) string {
	return fmt.Sprintf(`new Promise((resolve) => {
		const s = document.getElementById('w0'), st = window.__labStats;
		const r0 = st.redraws, q0 = st.requests, f0 = st.fetchMs, d0 = st.drawMs, t0 = performance.now();
		let moves = 0;
		function move() {
			s.value = String(((moves %% 80) - 40) / 10);
			moves++;
			s.dispatchEvent(new Event('input', {bubbles: true}));
		}
		function drawn() {
			if (st.responses !== st.requests || st.deferred) return;
			if (performance.now() - t0 < %d) return move();
			document.removeEventListener('labdrawn', drawn);
			resolve({ms: performance.now() - t0, moves, requests: st.requests - q0, redraws: st.redraws - r0, fetchMs: st.fetchMs - f0, drawMs: st.drawMs - d0});
		}
		document.addEventListener('labdrawn', drawn);
		move();
	})`, ms)
}

// latencyJS moves #w0 n times, each after the last is drawn, and returns
// the milliseconds from each move to its redraw.
func latencyJS(n int) string {
	return fmt.Sprintf(`new Promise((resolve) => {
		const s = document.getElementById('w0'), st = window.__labStats;
		const out = [];
		let t0 = 0, seen = 0;
		function move() {
			seen = st.redraws;
			s.value = String((out.length %% 2) ? 1.5 : -1.5);
			t0 = performance.now();
			s.dispatchEvent(new Event('input', {bubbles: true}));
			requestAnimationFrame(check);
		}
		function check() {
			if (st.redraws === seen) return requestAnimationFrame(check);
			out.push(st.lastDrawMs - t0);
			if (out.length === %d) return resolve(out);
			move();
		}
		move();
	})`, n)
}
