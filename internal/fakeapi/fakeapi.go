// Package fakeapi is an in-process fake of the Telegram Bot API for tests:
// an httptest server that speaks the real JSON over multipart forms,
// records every call, serves queued updates to getUpdates, and can be told
// to answer a method with an error (429 with retry_after, 403, 500).
package fakeapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the bot token tests use; the server accepts any.
const Token = "123456:TEST-token"

// BotUsername is what getMe answers.
const BotUsername = "NeuroTutorTestBot"

// Call is one recorded Bot API request.
type Call struct {
	Method string
	Fields map[string]string // form fields (JSON-encoded where Telegram wants JSON)
	Files  map[string][]byte // uploaded files by field name
	Token  string
	At     time.Time // when it arrived, by the clock given to SetClock (zero without one)
	// MessageID is the message id the fake answered with (sendPoll's
	// poll id is "poll-<MessageID>"); failed calls get one too.
	MessageID int
}

// PollID returns the id of the poll a sendPoll call created.
func (c Call) PollID() string { return fmt.Sprintf("poll-%d", c.MessageID) }

// Failure scripts an error answer.
type Failure struct {
	Code       int    // 429, 403, 400, 500…
	Desc       string // description
	RetryAfter int    // for 429
}

// Server is the fake Bot API.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	calls    []Call
	updates  []json.RawMessage
	nextMsg  int
	failures map[string][]Failure
	fileIDs  map[string]bool     // photo file_ids handed out
	polls    map[int]*poll       // polls sent, by message id
	members  map[[2]int64]string // (chat, user) → status for getChatMember; default "member"
	changed  chan struct{}       // closed and replaced on every call and update
	now      func() time.Time
	gets     []Call // getUpdates requests, kept apart from Calls

	// Telegram's update queue: updates with ids up to confirmed were
	// acknowledged (a getUpdates with a higher offset) and are never sent
	// again; the rest are sent to every getUpdates until then.
	confirmed int
	polling   chan struct{} // closed to end the getUpdates in progress (409 to it)
	webhook   string        // the URL set by setWebhook; getUpdates then answers 409
	secret    string        // its secret_token
	hookIDs   int           // update_ids given by Deliver
	held      chan struct{} // while not nil, calls wait for it to close (Hold)
}

// Confirmed returns the highest update_id Telegram would consider
// delivered: the bot asked for a later offset.
func (s *Server) Confirmed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// Webhook returns the URL and secret_token set by setWebhook ("" after
// deleteWebhook).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook, s.secret
}

// PushRaw queues an update given as raw JSON (with its own update_id
// replaced by the next one), for updates models.Update cannot express,
// such as a new kind of forward_origin.
func (s *Server) PushRaw(raw string) {
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		panic(err)
	}
	s.PushUpdate(m)
}

// Deliver posts an update to a webhook as Telegram does: its JSON (with
// the next update_id, as PushUpdate assigns) to target, with secret in
// X-Telegram-Bot-Api-Secret-Token (pass the one from Webhook, or another
// to play an impostor). It returns the HTTP status and the update_id.
func (s *Server) Deliver(target, secret string, u any) (status int, id int, err error) {
	data, err := json.Marshal(u)
	if err != nil {
		return 0, 0, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return 0, 0, err
	}
	s.mu.Lock()
	s.hookIDs++
	id = s.hookIDs
	s.mu.Unlock()
	m["update_id"] = id
	data, _ = json.Marshal(m)
	status, err = s.DeliverRaw(target, secret, data)
	return status, id, err
}

// DeliverRaw posts body to a webhook as it is (a retry of an update, or
// something that is not one).
func (s *Server) DeliverRaw(target, secret string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// SetClock stamps every later call's At with now(), such as a fake
// clock's Now, so tests can count calls per simulated second.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// New starts a fake server, closed at test cleanup.
func New(tb testing.TB) *Server {
	s := &Server{failures: map[string][]Failure{}, fileIDs: map[string]bool{}, polls: map[int]*poll{}, members: map[[2]int64]string{}, changed: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// PushUpdate queues an update (any JSON-marshalable value, such as
// models.Update) for getUpdates; update_id is assigned in order.
func (s *Server) PushUpdate(u any) {
	data, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	s.mu.Lock()
	m["update_id"] = len(s.updates) + 1
	data, _ = json.Marshal(m)
	s.updates = append(s.updates, data)
	s.notifyLocked()
	s.mu.Unlock()
}

// Hold makes every later call but getUpdates wait, unanswered and not yet
// recorded, until release is called: a slow Telegram, so that a test can
// queue work behind a request in flight. Calls are stamped when released.
func (s *Server) Hold() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := make(chan struct{})
	s.held = g
	return sync.OnceFunc(func() {
		s.mu.Lock()
		if s.held == g {
			s.held = nil
		}
		s.mu.Unlock()
		close(g)
	})
}

// Fail makes the next len(f) calls of method fail with f in order.
func (s *Server) Fail(method string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = append(s.failures[method], f...)
}

// Calls returns the recorded calls of the given methods (all if none).
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// Reset forgets the recorded calls.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// WaitFor blocks until at least n calls of method were recorded, or the
// deadline passes (then it fails the test). It waits on a notification
// channel, not by sleeping.
func (s *Server) WaitFor(tb testing.TB, method string, n int, within time.Duration) []Call {
	tb.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		var got []Call
		for _, c := range s.calls {
			if c.Method == method {
				got = append(got, c)
			}
		}
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-deadline.C:
			tb.Fatalf("fakeapi: %d %s calls after %v, want %d", len(got), method, within, n)
			return nil
		}
	}
}

// WaitConfirmed blocks until the bot confirmed (by a later getUpdates
// offset) every update up to id n, or the deadline passes (then it fails
// the test). A bot that stores a batch before asking for the next has then
// taken every one of them.
func (s *Server) WaitConfirmed(tb testing.TB, n int, within time.Duration) {
	tb.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch, got := s.changed, s.confirmed
		s.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			tb.Fatalf("fakeapi: updates up to %d confirmed within %v, want %d", got, within, n)
			return
		}
	}
}

// GetUpdates returns the getUpdates requests so far.
func (s *Server) GetUpdates() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.gets...)
}

// WaitForGetUpdatesN waits until n getUpdates requests arrived.
func (s *Server) WaitForGetUpdatesN(tb testing.TB, n int, within time.Duration) []Call {
	tb.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch, got := s.changed, append([]Call(nil), s.gets...)
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-deadline.C:
			tb.Fatalf("fakeapi: %d getUpdates within %v, want %d", len(got), within, n)
			return nil
		}
	}
}

// WaitForGetUpdates waits for the bot's first getUpdates request and
// returns it (allowed_updates, offset, timeout are in Fields).
func (s *Server) WaitForGetUpdates(tb testing.TB, within time.Duration) Call {
	tb.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		if len(s.gets) > 0 {
			c := s.gets[0]
			s.mu.Unlock()
			return c
		}
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			tb.Fatalf("fakeapi: no getUpdates within %v", within)
			return Call{}
		}
	}
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// Path: /bot<token>/<method>
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		http.NotFound(w, r)
		return
	}
	call := Call{Method: method, Token: token, Fields: map[string]string{}, Files: map[string][]byte{}}
	// go-telegram sends methods without parameters as an empty multipart
	// body, which Telegram accepts; so does the fake.
	if err := r.ParseMultipartForm(32 << 20); err != nil && err != http.ErrNotMultipart && !strings.Contains(err.Error(), "EOF") {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
		return
	}
	for k, v := range r.PostForm { // application/x-www-form-urlencoded
		call.Fields[k] = v[0]
	}
	if r.MultipartForm != nil {
		for k, v := range r.MultipartForm.Value {
			call.Fields[k] = v[0]
		}
		for k, fhs := range r.MultipartForm.File {
			f, err := fhs[0].Open()
			if err == nil {
				call.Files[k], _ = io.ReadAll(f)
				f.Close()
			}
		}
	}

	if method == "getUpdates" {
		s.mu.Lock()
		s.gets = append(s.gets, call)
		s.notifyLocked()
		fail := s.failures[method]
		if len(fail) > 0 {
			s.failures[method] = fail[1:]
		}
		s.mu.Unlock()
		if len(fail) > 0 {
			writeFailure(w, fail[0])
			return
		}
		s.getUpdates(w, r, call)
		return
	}

	s.mu.Lock()
	held := s.held
	s.mu.Unlock()
	if held != nil {
		select {
		case <-held:
		case <-r.Context().Done():
			return
		}
	}

	s.mu.Lock()
	if s.now != nil {
		call.At = s.now()
	}
	s.nextMsg++
	msgID := s.nextMsg
	call.MessageID = msgID
	var fail *Failure
	if fs := s.failures[method]; len(fs) > 0 {
		fail = &fs[0]
		s.failures[method] = fs[1:]
	}
	s.mu.Unlock()

	// A call's effect (a webhook set, a poll stopped) is in place before
	// the call is recorded, so a test that saw the call sees its effect,
	// as a bot that got Telegram's answer does.
	var result any
	var err error
	if fail == nil {
		result, err = s.result(call, msgID)
	}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()

	if fail != nil {
		writeFailure(w, *fail)
		return
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

// getUpdates answers as Telegram does: an offset confirms every update
// below it for good; the updates from the offset on (at most limit, 100
// by default) are sent, holding the request (long polling) until one
// arrives or a second passes. A second getUpdates ends the first with 409
// ("terminated by other getUpdates request"), and a set webhook makes it
// answer 409 at once.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, call Call) {
	offset, _ := strconv.Atoi(call.Fields["offset"])
	limit, err := strconv.Atoi(call.Fields["limit"])
	if err != nil || limit < 1 || limit > 100 {
		limit = 100
	}
	s.mu.Lock()
	if s.webhook != "" {
		s.mu.Unlock()
		writeFailure(w, Failure{Code: 409, Desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})
		return
	}
	if offset-1 > s.confirmed {
		s.confirmed = min(offset-1, len(s.updates))
		s.notifyLocked()
	}
	if s.polling != nil {
		close(s.polling)
	}
	mine := make(chan struct{})
	s.polling = mine
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.polling == mine {
			s.polling = nil
		}
		s.mu.Unlock()
	}()
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	for {
		s.mu.Lock()
		var out []json.RawMessage
		for i := s.confirmed; i < len(s.updates) && len(out) < limit; i++ {
			out = append(out, s.updates[i])
		}
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 {
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": out})
			return
		}
		select {
		case <-ch:
		case <-mine:
			writeFailure(w, Failure{Code: 409, Desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})
			return
		case <-timer.C:
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": []any{}})
			return
		case <-r.Context().Done():
			return
		}
	}
}

func writeFailure(w http.ResponseWriter, f Failure) {
	body := map[string]any{"ok": false, "error_code": f.Code, "description": f.Desc}
	if f.RetryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": f.RetryAfter}
	}
	writeJSON(w, f.Code, body)
}

func (s *Server) result(c Call, msgID int) (any, error) {
	chat := func() (map[string]any, error) {
		id, err := strconv.ParseInt(c.Fields["chat_id"], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("chat_id %q", c.Fields["chat_id"])
		}
		typ := "private"
		if id < 0 {
			typ = "supergroup"
		}
		return map[string]any{"id": id, "type": typ}, nil
	}
	switch c.Method {
	case "getMe":
		return map[string]any{"id": 123456, "is_bot": true, "first_name": "NeuroTutor", "username": BotUsername}, nil
	case "sendMessage", "editMessageText":
		ch, err := chat()
		if err != nil {
			return nil, err
		}
		if c.Fields["text"] == "" {
			return nil, fmt.Errorf("message text is empty")
		}
		if err := checkText(c.Fields["text"], c.Fields["parse_mode"], maxText); err != nil {
			return nil, err
		}
		if err := checkKeyboard(c.Fields["reply_markup"], ch); err != nil {
			return nil, err
		}
		id := msgID
		if c.Method == "editMessageText" {
			id, _ = strconv.Atoi(c.Fields["message_id"])
		}
		return map[string]any{"message_id": id, "date": 1700000000, "chat": ch, "text": c.Fields["text"]}, nil
	case "sendPhoto":
		ch, err := chat()
		if err != nil {
			return nil, err
		}
		if err := checkText(c.Fields["caption"], c.Fields["parse_mode"], maxCaption); err != nil {
			return nil, err
		}
		if err := checkKeyboard(c.Fields["reply_markup"], ch); err != nil {
			return nil, err
		}
		fileID := c.Fields["photo"]
		field := "photo"
		if att, ok := strings.CutPrefix(fileID, "attach://"); ok {
			field = att
		}
		if data, ok := c.Files[field]; ok {
			if len(data) == 0 {
				return nil, fmt.Errorf("file must be non-empty")
			}
			sum := sha256.Sum256(data)
			fileID = "photo-" + hex.EncodeToString(sum[:8])
			s.mu.Lock()
			s.fileIDs[fileID] = true
			s.mu.Unlock()
		} else {
			// A file_id sent again must be one this server gave out.
			s.mu.Lock()
			known := s.fileIDs[fileID]
			s.mu.Unlock()
			if !known {
				return nil, fmt.Errorf("wrong file identifier/HTTP URL specified")
			}
		}
		return map[string]any{"message_id": msgID, "date": 1700000000, "chat": ch,
			"photo": []map[string]any{{"file_id": fileID, "file_unique_id": fileID, "width": 960, "height": 600}}}, nil
	case "sendPoll":
		ch, err := chat()
		if err != nil {
			return nil, err
		}
		opts, err := checkPoll(c.Fields, ch)
		if err != nil {
			return nil, err
		}
		if op := c.Fields["open_period"]; op != "" {
			if n, err := strconv.Atoi(op); err != nil || n < 5 || n > 600 {
				return nil, fmt.Errorf("POLL_OPEN_PERIOD_INVALID: %q", op)
			}
		}
		p := &poll{chat: ch["id"].(int64), json: map[string]any{"id": fmt.Sprintf("poll-%d", msgID), "question": c.Fields["question"], "options": opts,
			"total_voter_count": 0, "is_closed": false, "is_anonymous": c.Fields["is_anonymous"] != "false",
			"type": c.Fields["type"], "allows_multiple_answers": false}}
		s.mu.Lock()
		s.polls[msgID] = p
		s.mu.Unlock()
		return map[string]any{"message_id": msgID, "date": 1700000000, "chat": ch, "poll": p.json}, nil
	case "stopPoll":
		ch, err := chat()
		if err != nil {
			return nil, err
		}
		id, _ := strconv.Atoi(c.Fields["message_id"])
		s.mu.Lock()
		defer s.mu.Unlock()
		p := s.polls[id]
		switch {
		case p == nil || p.chat != ch["id"].(int64):
			return nil, fmt.Errorf("message with poll to stop not found")
		case p.closed:
			return nil, fmt.Errorf("poll has already been closed")
		}
		p.closed = true
		out := maps.Clone(p.json)
		out["is_closed"] = true
		return out, nil
	case "sendDocument":
		ch, err := chat()
		if err != nil {
			return nil, err
		}
		if err := checkText(c.Fields["caption"], c.Fields["parse_mode"], maxCaption); err != nil {
			return nil, err
		}
		data, ok := c.Files["document"]
		if !ok || len(data) == 0 {
			return nil, fmt.Errorf("there is no document in the request")
		}
		if len(data) > maxDocument {
			return nil, fmt.Errorf("file is too big")
		}
		sum := sha256.Sum256(data)
		return map[string]any{"message_id": msgID, "date": 1700000000, "chat": ch,
			"document": map[string]any{"file_id": "doc-" + hex.EncodeToString(sum[:8]), "file_unique_id": hex.EncodeToString(sum[:8]), "file_size": len(data)}}, nil
	case "getChatMember":
		ch, err := chat()
		if err != nil {
			return nil, err
		}
		uid, err := strconv.ParseInt(c.Fields["user_id"], 10, 64)
		if err != nil || uid <= 0 {
			return nil, fmt.Errorf("invalid user_id specified")
		}
		s.mu.Lock()
		st, ok := s.members[[2]int64{ch["id"].(int64), uid}]
		s.mu.Unlock()
		if !ok {
			st = "member"
		}
		return chatMember(uid, st), nil
	case "answerCallbackQuery", "setMyCommands", "sendChatAction":
		return true, nil
	case "setWebhook":
		u := c.Fields["url"]
		if !strings.HasPrefix(u, "https://") {
			return nil, fmt.Errorf("bad webhook: An HTTPS URL must be provided for webhook")
		}
		if st := c.Fields["secret_token"]; len(st) > 256 || strings.Trim(st, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
			return nil, fmt.Errorf("bad webhook: secret token contains unallowed characters")
		}
		s.mu.Lock()
		s.webhook, s.secret = u, c.Fields["secret_token"]
		s.mu.Unlock()
		return true, nil
	case "deleteWebhook":
		s.mu.Lock()
		s.webhook, s.secret = "", ""
		s.mu.Unlock()
		return true, nil
	}
	return nil, fmt.Errorf("method %s not implemented by the fake", c.Method)
}

// poll is a poll the fake sent: its chat, whether stopPoll closed it, and
// its JSON as sendPoll answered it.
type poll struct {
	chat   int64
	closed bool
	json   map[string]any
}

// SetMember sets userID's status in chatID for getChatMember: "creator",
// "administrator", "member", "restricted", "left" or "kicked". Users not
// set are members.
func (s *Server) SetMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]int64{chatID, userID}] = status
}

// chatMember is a ChatMember object of the status, with the fields
// Telegram sends for it.
func chatMember(uid int64, status string) map[string]any {
	m := map[string]any{"status": status, "user": map[string]any{"id": uid, "is_bot": false, "first_name": fmt.Sprint("User", uid)}}
	switch status {
	case "creator":
		m["is_anonymous"] = false
	case "administrator":
		for _, k := range []string{"can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
			"can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics"} {
			m[k] = true
		}
		for _, k := range []string{"can_be_edited", "is_anonymous", "can_promote_members", "can_post_stories", "can_edit_stories", "can_delete_stories"} {
			m[k] = false
		}
	case "restricted":
		m["is_member"], m["until_date"] = true, 0
		for _, k := range []string{"can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
			"can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
			"can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics"} {
			m[k] = false
		}
	case "kicked":
		m["until_date"] = 0
	}
	return m
}

// PollClosed reports whether the poll sent as message msgID was closed
// with stopPoll.
func (s *Server) PollClosed(msgID int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.polls[msgID]
	return p != nil && p.closed
}

// maxDocument is the Bot API's upload limit for documents.
const maxDocument = 50 << 20

// checkPoll enforces sendPoll's rules for the fields the bot uses:
// question 1..300 and options 1..100 characters, 2..10 options; for a
// quiz a correct_option_id in range and an explanation of 0..200
// characters with at most 2 line feeds.
func checkPoll(f map[string]string, chat map[string]any) ([]map[string]any, error) {
	if n := utf16Len(f["question"]); n < 1 || n > 300 {
		return nil, fmt.Errorf("POLL_QUESTION_INVALID: %d characters", n)
	}
	var opts []struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal([]byte(f["options"]), &opts); err != nil {
		return nil, fmt.Errorf("can't parse options JSON")
	}
	if len(opts) < 2 || len(opts) > 10 {
		return nil, fmt.Errorf("POLL_OPTIONS_COUNT_INVALID: %d", len(opts))
	}
	out := make([]map[string]any, len(opts))
	for i, o := range opts {
		if n := utf16Len(o.Text); n < 1 || n > 100 {
			return nil, fmt.Errorf("POLL_OPTION_INVALID: option %d has %d characters", i, n)
		}
		out[i] = map[string]any{"text": o.Text, "voter_count": 0}
	}
	if f["type"] == "quiz" {
		id, err := strconv.Atoi(f["correct_option_id"])
		if err != nil || id < 0 || id >= len(opts) {
			return nil, fmt.Errorf("wrong correct_option_id %q", f["correct_option_id"])
		}
		if n := utf16Len(f["explanation"]); n > 200 {
			return nil, fmt.Errorf("explanation is %d characters", n)
		}
		if strings.Count(f["explanation"], "\n") > 2 {
			return nil, fmt.Errorf("explanation has more than 2 line feeds")
		}
	}
	return out, checkKeyboard(f["reply_markup"], chat)
}

// checkKeyboard enforces the 1–64 byte limit of callback data.
func checkKeyboard(markup string, chat map[string]any) error {
	if markup == "" {
		return nil
	}
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
			URL          string `json:"url"`
			WebApp       *struct {
				URL string `json:"url"`
			} `json:"web_app"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		return fmt.Errorf("can't parse reply keyboard markup JSON object")
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			kinds := 0
			if b.CallbackData != "" {
				kinds++
			}
			if b.URL != "" {
				kinds++
			}
			if b.WebApp != nil {
				kinds++
			}
			switch {
			case b.Text == "" || kinds != 1:
				return fmt.Errorf("BUTTON_TYPE_INVALID")
			case b.CallbackData != "" && len(b.CallbackData) > 64:
				return fmt.Errorf("BUTTON_DATA_INVALID")
			case b.URL != "" && !strings.HasPrefix(b.URL, "https://") && !strings.HasPrefix(b.URL, "http://") && !strings.HasPrefix(b.URL, "tg://"):
				return fmt.Errorf("BUTTON_URL_INVALID")
			case b.WebApp != nil && !strings.HasPrefix(b.WebApp.URL, "https://"):
				return fmt.Errorf("BUTTON_URL_INVALID: a Web App needs an HTTPS URL")
			case b.WebApp != nil && chat["type"] != "private":
				return fmt.Errorf("BUTTON_TYPE_INVALID: web_app buttons are for private chats")
			}
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
