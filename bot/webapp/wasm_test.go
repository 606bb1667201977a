package webapp_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"neurotutor/bot/webapp"
	"neurotutor/core"
)

// TestBrowserAPIOrWasm measures the two ways the issue offered to bring
// core's numbers to the page, on the real neuron page in chromium with
// the CPU slowed 4× and a 100 ms round trip: the JSON API the Mini App
// uses, and core compiled to WebAssembly (internal/wasmlab, built here
// with GOOS=js GOARCH=wasm and loaded by testdata/wasm-shim.js in place of
// the API, app.js unchanged). For each: bytes to the first chart, time to
// the first chart (also on a 1.6 Mbit/s link, Lighthouse's slow mobile
// throughput), a slider move to its redraw, and updates per second while
// a finger drags. Every browser starts cold, as a first opening does.
// The figures go to the log and to wasm-vs-api.txt among the artifacts;
// the test asserts that each way shows core's y, never a timing.
func TestBrowserAPIOrWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("building WebAssembly and measuring takes a minute; not in -short")
	}
	chromium(t)
	wasm := buildWasm(t)
	apiSite := newSite(t, false)
	wasmSite := newSiteWith(t, false, func(mux *http.ServeMux, app http.Handler) {
		serveWasmPage(t, mux, app, wasm)
	})

	var report strings.Builder
	logf := func(format string, args ...any) {
		t.Logf(format, args...)
		fmt.Fprintf(&report, format+"\n", args...)
	}
	logf("WebAssembly module: %d bytes, %d gzipped; Go's wasm_exec.js %d bytes, %d gzipped",
		len(wasm.module), len(gz(t, wasm.module)), len(wasm.exec), len(gz(t, wasm.exec)))

	const args = "w=0.5,1 x=2,3 b=-1"
	want, err := core.Neuron([]float64{0.5, 1}, []float64{2, 3}, -1, core.Sigmoid)
	if err != nil {
		t.Fatal(err)
	}
	type link struct {
		name string
		net  networkConditions
		full bool // also measure moves (the link's speed does not change them)
	}
	links := []link{
		{"100 ms round trip", networkConditions{Latency: 100, DownloadThroughput: -1, UploadThroughput: -1}, true},
		{"100 ms round trip, 1.6 Mbit/s down, 750 kbit/s up", networkConditions{Latency: 100, DownloadThroughput: 1.6e6 / 8, UploadThroughput: 750e3 / 8}, false},
	}
	for _, l := range links {
		for _, way := range []struct {
			name string
			s    *site
		}{{"API", apiSite}, {"WebAssembly", wasmSite}} {
			t.Run(way.name+", "+l.name, func(t *testing.T) {
				ctx := newBrowser(t) // closed when the subtest ends
				if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4}); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Call(ctx, emulateNetwork, l.net); err != nil {
					t.Fatal(err)
				}
				open(t, ctx, way.s.page(labQuery("neuron", args), initData(t), lightTheme))
				waitFor(t, ctx, `window.__labStats.redraws > 0`)
				settled(t, ctx)
				near(t, way.name+": y", text(t, ctx, "#neuron-y"), want.Y, 5e-5)
				noCSPViolations(t, ctx)
				first := js[float64](t, ctx, `window.__labStats.firstDrawMs`)
				bytes := js[float64](t, ctx, `performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0)`)
				line := fmt.Sprintf("%s, CPU 4× slower, %s: first chart %.0f ms after navigation start, %.0f KB over the wire", way.name, l.name, first, bytes/1000)
				if way.s == wasmSite {
					st := js[struct {
						ReadyMs float64 `json:"readyMs"`
						Calls   int     `json:"calls"`
						Failed  string  `json:"failed"`
					}](t, ctx, `window.__wasm`)
					if st.Calls == 0 || st.Failed != "" {
						t.Fatalf("the WebAssembly page did not compute with WebAssembly: %+v", st)
					}
					line += fmt.Sprintf(" (module compiled and running at %.0f ms)", st.ReadyMs)
				}
				logf("%s", line)
				if !l.full {
					return
				}
				lat := js[[]float64](t, ctx, latencyJS(8))
				slices.Sort(lat)
				drag := js[struct {
					Ms      float64 `json:"ms"`
					Moves   int     `json:"moves"`
					Redraws int     `json:"redraws"`
				}](t, ctx, dragJS(2000))
				logf("%s, CPU 4× slower, %s: slider move → redraw median %.0f ms (min %.0f, max %.0f); a drag at one move per frame: %.1f updates/s",
					way.name, l.name, lat[len(lat)/2], lat[0], lat[len(lat)-1], float64(drag.Redraws)/drag.Ms*1000)
				near(t, way.name+": y after the moves", text(t, ctx, "#neuron-y"), core.Sigmoid.Apply(want.Z-want.Products[0]+shown(t, js[string](t, ctx, `document.getElementById('w0').value`))*2), 5e-5)
			})
		}
	}
	if err := os.WriteFile(filepath.Join(artifacts(t), "wasm-vs-api.txt"), []byte(report.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

type wasmBuild struct {
	module, exec []byte
}

// buildWasm compiles internal/wasmlab for GOOS=js GOARCH=wasm (stripped,
// as it would ship) and reads Go's wasm_exec.js for it.
func buildWasm(t *testing.T) wasmBuild {
	t.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Fatal("no go command to build the WebAssembly module")
		}
	}
	out := filepath.Join(t.TempDir(), "neuron.wasm")
	cmd := exec.Command(goBin, "build", "-trimpath", "-ldflags=-s -w", "-o", out, "neurotutor/internal/wasmlab")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the WebAssembly module: %v\n%s", err, b)
	}
	var w wasmBuild
	var err error
	if w.module, err = os.ReadFile(out); err != nil {
		t.Fatal(err)
	}
	if w.exec, err = os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js")); err != nil {
		t.Fatal(err)
	}
	return w
}

// serveWasmPage serves the Mini App's page with Go's wasm_exec.js and the
// shim before app.js, under a policy that also allows compiling
// WebAssembly ('wasm-unsafe-eval', which shipping it would need), and the
// module and scripts under wasm/; everything gzipped as the API's files.
func serveWasmPage(t *testing.T, mux *http.ServeMux, app http.Handler, w wasmBuild) {
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, webapp.Path, nil))
	const appJS = `<script src="static/app.js" defer></script>`
	page := rec.Body.String()
	if !strings.Contains(page, appJS) {
		t.Fatalf("the page no longer loads %s", appJS)
	}
	page = strings.Replace(page, appJS, `<script src="wasm/wasm_exec.js"></script>`+"\n"+`<script src="wasm/shim.js"></script>`+"\n"+appJS, 1)
	csp := strings.Replace(rec.Header().Get("Content-Security-Policy"), "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1)
	shim, err := os.ReadFile(filepath.Join("testdata", "wasm-shim.js"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]struct {
		ctype string
		body  []byte
	}{
		"":             {"text/html; charset=utf-8", []byte(page)},
		"wasm_exec.js": {"text/javascript; charset=utf-8", w.exec},
		"shim.js":      {"text/javascript; charset=utf-8", shim},
		"neuron.wasm":  {"application/wasm", w.module},
	}
	zipped := map[string][]byte{}
	for name, f := range files {
		zipped[name] = gz(t, f.body)
	}
	serve := func(name string) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			f := files[name]
			rw.Header().Set("Content-Security-Policy", csp)
			rw.Header().Set("Content-Type", f.ctype)
			rw.Header().Set("Content-Encoding", "gzip")
			rw.Header().Set("Content-Length", strconv.Itoa(len(zipped[name])))
			rw.Write(zipped[name])
		}
	}
	mux.HandleFunc("GET "+webapp.Path+"{$}", serve(""))
	for _, name := range []string{"wasm_exec.js", "shim.js", "neuron.wasm"} {
		mux.HandleFunc("GET "+webapp.Path+"wasm/"+name, serve(name))
	}
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
