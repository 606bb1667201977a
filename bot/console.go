package bot

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Console is a chat with the bot in a terminal, through the very same
// handlers: the learner types commands, reads the replies as plain text,
// gets the paths of the PNGs written to Dir, and picks buttons by number.
type Console struct {
	Service *Service
	In      io.Reader
	Out     io.Writer
	Dir     string // where photos are written
	Log     string // where the log goes, to tell the learner; "" for nowhere
}

// consoleChat is the chat id and user id the console plays.
const consoleChat = 1

// Run reads lines until EOF, "exit" or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	// Poll ids must not repeat across sessions on the same database: an
	// answer to a reused id would be taken for a repeat and ignored.
	box := &consoleOutbox{out: c.Out, dir: c.Dir, session: strconv.FormatInt(time.Now().UnixNano(), 36)}
	fmt.Fprintf(c.Out, "neurotutor: консоль. Команды — как в Telegram (/start, /help, /lessons), номер — нажать кнопку, exit — выход.\nКартинки сохраняются в %s\n", c.Dir)
	if c.Log != "" {
		fmt.Fprintf(c.Out, "Журнал бота — в %s\n", c.Log)
	}
	fmt.Fprintln(c.Out)
	c.Service.Handle(ctx, box, Request{ChatID: consoleChat, UserID: consoleChat, Private: true, Text: "/start"})
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for {
		fmt.Fprint(c.Out, "> ")
		if !sc.Scan() || ctx.Err() != nil {
			fmt.Fprintln(c.Out)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			continue
		case line == "exit" || line == "quit" || line == "выход":
			return nil
		}
		req := Request{ChatID: consoleChat, UserID: consoleChat, Private: true, Text: line}
		if n, err := strconv.Atoi(line); err == nil && box.answering() {
			// A quiz poll is open: the number picks an option, scored
			// through the same path as Telegram's poll_answer.
			pollID, ok := box.answer(n)
			if !ok {
				fmt.Fprintln(c.Out, "(нет варианта с таким номером)")
				continue
			}
			c.Service.Handle(ctx, box, Request{UserID: consoleChat, PollID: pollID, PollOptions: []int{n - 1}})
			continue
		} else if err == nil {
			b, msgID, ok := box.button(n)
			if !ok {
				fmt.Fprintln(c.Out, "(нет кнопки с таким номером)")
				continue
			}
			req = Request{ChatID: consoleChat, UserID: consoleChat, Private: true, CallbackID: "console", Data: b.Data, MessageID: msgID}
		}
		before := box.sent()
		c.Service.Handle(ctx, box, req)
		if box.sent() == before && req.Data == "" && !strings.HasPrefix(line, "/") {
			// Text the bot does not answer, as in a Telegram chat.
			fmt.Fprintln(c.Out, "(команды начинаются с /, например /help)")
		}
	}
}

// consoleOutbox prints replies and remembers the last keyboard.
type consoleOutbox struct {
	mu      sync.Mutex
	out     io.Writer
	dir     string
	nextID  int
	photos  int
	buttons []Button // the last message's buttons, in reading order
	owner   int      // the message that carries them
	poll    *consolePoll
	session string // makes poll ids unique across console sessions
}

// consolePoll is the open quiz poll: its numbers pick options until it
// is answered, then its buttons become the keyboard.
type consolePoll struct {
	id    string
	msgID int
	p     Poll
}

var tagRe = regexp.MustCompile(`</?[a-z]+[^>]*>`)

// plain renders our HTML as terminal text.
func plain(s string) string { return html.UnescapeString(tagRe.ReplaceAllString(s, "")) }

func (o *consoleOutbox) Send(ctx context.Context, m Message) (Sent, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.nextID++
	s := Sent{MessageID: o.nextID}
	fmt.Fprintln(o.out)
	fileID := ""
	if m.Photo != nil {
		fileID = m.Photo.FileID
		if fileID == "" && m.Photo.Chart != nil {
			var err error
			if fileID, err = m.Photo.Chart.Begin(ctx); err != nil {
				return Sent{}, err
			}
		}
	}
	if fileID != "" {
		// The same chart again: the console's "file id" is the path.
		fmt.Fprintf(o.out, "[картинка: %s]\n", fileID)
		s.PhotoFileID = fileID
	} else if m.Photo != nil {
		o.photos++
		path := filepath.Join(o.dir, fmt.Sprintf("%03d-%s", o.photos, m.Photo.Name))
		err := os.WriteFile(path, m.Photo.PNG, 0o644)
		if m.Photo.Chart != nil {
			if err != nil {
				m.Photo.Chart.End("")
			} else {
				m.Photo.Chart.End(path)
			}
		}
		if err != nil {
			return Sent{}, fmt.Errorf("console: save photo: %w", err)
		}
		fmt.Fprintf(o.out, "[картинка: %s]\n", path)
		s.PhotoFileID = path
	}
	o.print(m, s.MessageID)
	return s, nil
}

// sent counts the messages and polls sent so far.
func (o *consoleOutbox) sent() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.nextID
}

func (o *consoleOutbox) Edit(_ context.Context, messageID int, m Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	fmt.Fprintln(o.out, "\n(сообщение обновлено)")
	o.print(m, messageID)
	return nil
}

func (o *consoleOutbox) UploadingPhoto(context.Context, int64) error { return nil }

// ChatMember: in the console's group the first member made the group
// (an admin); the others are members.
func (o *consoleOutbox) ChatMember(_ context.Context, _ int64, userID int64) (string, error) {
	if userID == consoleChat {
		return "creator", nil
	}
	return "member", nil
}

// StopPoll closes the poll if it is the one waiting for a number.
func (o *consoleOutbox) StopPoll(_ context.Context, _ int64, messageID int) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.poll != nil && o.poll.msgID == messageID {
		o.poll = nil
	}
	return nil
}

func (o *consoleOutbox) AnswerCallback(_ context.Context, _, text string) error {
	if text != "" {
		fmt.Fprintf(o.out, "(%s)\n", text)
	}
	return nil
}

func (o *consoleOutbox) print(m Message, id int) {
	if m.HTML != "" {
		fmt.Fprintln(o.out, plain(m.HTML))
	}
	if len(m.Buttons) == 0 {
		return
	}
	o.buttons, o.owner = nil, id
	for _, row := range m.Buttons {
		var cells []string
		for _, b := range row {
			o.buttons = append(o.buttons, b)
			cells = append(cells, fmt.Sprintf("[%d] %s", len(o.buttons), b.Text))
		}
		fmt.Fprintln(o.out, strings.Join(cells, "   "))
	}
}

func (o *consoleOutbox) button(n int) (Button, int, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if n < 1 || n > len(o.buttons) {
		return Button{}, 0, false
	}
	return o.buttons[n-1], o.owner, true
}

// SendPoll prints the question and numbered options; the next number the
// learner types answers it.
func (o *consoleOutbox) SendPoll(_ context.Context, p Poll) (SentPoll, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.nextID++
	id := fmt.Sprintf("console-%s-%d", o.session, o.nextID)
	fmt.Fprintf(o.out, "\n❓ %s\n", p.Question)
	for i, opt := range p.Options {
		fmt.Fprintf(o.out, "[%d] %s\n", i+1, opt)
	}
	fmt.Fprintln(o.out, "(ответ — номер варианта)")
	o.poll = &consolePoll{id: id, msgID: o.nextID, p: p}
	o.buttons = nil
	return SentPoll{MessageID: o.nextID, PollID: id}, nil
}

func (o *consoleOutbox) answering() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.poll != nil
}

// answer shows what Telegram shows after a quiz answer — right or wrong,
// the right option, the explanation — and returns the poll id to score.
func (o *consoleOutbox) answer(n int) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.poll
	if p == nil || n < 1 || n > len(p.p.Options) {
		return "", false
	}
	if n-1 == p.p.Correct {
		fmt.Fprintln(o.out, "✅ Верно!")
	} else {
		fmt.Fprintf(o.out, "❌ Неверно. Правильный ответ: %s\n", p.p.Options[p.p.Correct])
	}
	if p.p.Explanation != "" {
		fmt.Fprintf(o.out, "💡 %s\n", p.p.Explanation)
	}
	o.poll = nil
	o.print(Message{Buttons: p.p.Buttons}, p.msgID)
	return p.id, true
}

// SendDocument writes the file to the console's directory.
func (o *consoleOutbox) SendDocument(_ context.Context, d Document) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	path := filepath.Join(o.dir, filepath.Base(d.Name))
	if err := os.WriteFile(path, d.Data, 0o644); err != nil {
		return fmt.Errorf("console: save document: %w", err)
	}
	fmt.Fprintf(o.out, "\n[файл: %s]\n", path)
	if d.Caption != "" {
		fmt.Fprintln(o.out, plain(d.Caption))
	}
	return nil
}
