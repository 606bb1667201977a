package webapp

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"neurotutor/bot"
)

// Path is where the Mini App is served on the operator HTTP server.
const Path = "/app/"

// DefaultTelegramJS is Telegram's script every Mini App loads.
const DefaultTelegramJS = "https://telegram.org/js/telegram-web-app.js"

// maxArgs bounds a lab's argument text, as the chat bounds a command's.
const maxArgs = 4096

//go:embed static
var static embed.FS

// Labs computes the labs (bot.Service does).
type Labs interface {
	LabNeuron(args string) (bot.NeuronLab, error)
	LabPosenc(args string) (bot.PosencLab, error)
	LabAttention(args string) (bot.AttentionLab, error)
	LabSeed(args string) (bot.SeedLab, error)
	LabTried(userID int64, lab string) error
}

// Config configures the Mini App's server.
type Config struct {
	// Token is the bot's token: initData is signed with it.
	Token string
	// TelegramJS is the URL of telegram-web-app.js ("" for Telegram's);
	// tests serve a stand-in. It is the only script from another origin
	// the Content-Security-Policy allows.
	TelegramJS string
	// Dev lets the page run without Telegram's initData (a normal
	// browser on loopback, for development): it says so instead of
	// asking to open the lab from Telegram. Labs compute either way; a
	// user's progress is only ever recorded for valid initData.
	Dev    bool
	Now    func() time.Time // nil: time.Now
	Logger *slog.Logger     // nil discards
}

// Server serves the Mini App: the page, its assets and the labs' JSON API.
type Server struct {
	labs   Labs
	cfg    Config
	csp    string
	index  asset
	assets map[string]asset // static/ but the page, by name
	log    *slog.Logger

	mu    sync.Mutex
	tried map[triedKey]bool // labs already recorded, so a slider does not write on every move
}

type triedKey struct {
	user int64
	lab  string
}

// New returns the server; it fails only on a bad TelegramJS URL.
func New(labs Labs, cfg Config) (*Server, error) {
	if cfg.TelegramJS == "" {
		cfg.TelegramJS = DefaultTelegramJS
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	u, err := url.Parse(cfg.TelegramJS)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "") {
		return nil, errors.New("webapp: TelegramJS must be an http(s) URL or a path")
	}
	scriptSrc := "'self'"
	if u.Host != "" {
		scriptSrc += " " + u.Scheme + "://" + u.Host
	}
	s := &Server{labs: labs, cfg: cfg, log: cfg.Logger, tried: map[triedKey]bool{}}
	// No inline script or style, nothing from elsewhere but Telegram's
	// script; the page may be framed by Telegram's web clients only.
	s.csp = "default-src 'none'; script-src " + scriptSrc + "; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
	t, err := template.ParseFS(static, "static/index.html")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, struct {
		TelegramJS string
		Dev        bool
	}{cfg.TelegramJS, cfg.Dev}); err != nil {
		return nil, err
	}
	if s.index, err = newAsset("index.html", b.Bytes()); err != nil {
		return nil, err
	}
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler serves everything under Path.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Path+"{$}", s.handleIndex)
	mux.HandleFunc("GET "+Path+"static/{name...}", s.handleAsset)
	mux.HandleFunc("GET "+Path+"api/{lab}", s.handleAPI)
	return mux
}

func (s *Server) setHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	s.setHeaders(w)
	s.index.serve(w, r)
}

func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) {
	s.setHeaders(w)
	a, ok := s.assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	a.serve(w, r)
}

// apiError is the JSON of a refused lab: the chat's Russian message.
type apiError struct {
	Error string `json:"error"`
}

// handleAPI computes a lab: GET /app/api/neuron?args=w%3D1+x%3D2. A valid
// X-Telegram-Init-Data header records the lab as tried for its user;
// without it the lab still computes (labs are public) and nothing is
// read or written for anyone.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	s.setHeaders(w)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	lab := r.PathValue("lab")
	args := r.URL.Query().Get("args")
	if len(args) > maxArgs {
		writeJSON(w, r, http.StatusRequestEntityTooLarge, apiError{"Слишком длинно: не больше 4096 символов."})
		return
	}
	var (
		out any
		err error
	)
	switch lab {
	case "neuron":
		out, err = s.labs.LabNeuron(args)
	case "posenc":
		out, err = s.labs.LabPosenc(args)
	case "attention":
		out, err = s.labs.LabAttention(args)
	case "seed":
		out, err = s.labs.LabSeed(args)
	default:
		writeJSON(w, r, http.StatusNotFound, apiError{"Нет такой лаборатории."})
		return
	}
	if err != nil {
		if text, ok := bot.LabErrorText(err); ok {
			writeJSON(w, r, http.StatusBadRequest, apiError{text})
			return
		}
		s.log.Error("lab", "lab", lab, "err", err)
		writeJSON(w, r, http.StatusInternalServerError, apiError{"Что-то пошло не так с моей стороны. Попробуйте ещё раз."})
		return
	}
	s.record(r, lab)
	writeJSON(w, r, http.StatusOK, out)
}

// record marks lab tried for the user a valid initData names, once per
// user and lab in this process.
func (s *Server) record(r *http.Request, lab string) {
	raw := r.Header.Get("X-Telegram-Init-Data")
	if raw == "" || s.cfg.Token == "" {
		return
	}
	d, err := ValidateInitData(raw, s.cfg.Token, s.cfg.Now())
	if err != nil {
		s.log.Info("initData refused", "err", err)
		return
	}
	k := triedKey{d.User.ID, lab}
	s.mu.Lock()
	done := s.tried[k]
	if len(s.tried) > 100_000 {
		clear(s.tried)
	}
	s.tried[k] = true
	s.mu.Unlock()
	if done {
		return
	}
	if err := s.labs.LabTried(d.User.ID, lab); err != nil {
		s.log.Error("record lab tried", "lab", lab, "err", err)
		s.mu.Lock()
		delete(s.tried, k)
		s.mu.Unlock()
	}
}

func writeJSON(w http.ResponseWriter, r *http.Request, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"error":"internal"}`)
	}
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if len(b) >= gzipMin && acceptsGzip(r.Header.Values("Accept-Encoding")) {
		if z, err := gzipFast(b); err == nil {
			h.Set("Content-Encoding", "gzip")
			b = z
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	w.Write(b)
}
