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

	"neurotutor/storage"
)

// Console is a chat with the bot in a terminal, through the very same
// handlers: the learner types commands, reads the replies as plain text,
// gets the paths of the PNGs written to Dir, and picks buttons by number.
//
// With Group set the chat is a group (consoleGroup) of three simulated
// members, consoleMembers: each line is said by the current member, whose
// name is the prompt; "борис: /top" speaks as Борис and makes him current,
// "вера 2" answers the open poll as Вера. The round loop runs on the
// Service's clock, so /quiz plays a timed round as in Telegram.
type Console struct {
	Service *Service
	In      io.Reader
	Out     io.Writer
	Dir     string // where photos are written
	Log     string // where the log goes, to tell the learner; "" for nowhere
	Group   bool   // play a group chat instead of a private one
	Lab     string // the Mini App's loopback address, to tell the learner; "" for none
}

// consoleChat is the chat id and user id the console plays.
const consoleChat = 1

// consoleGroup is the chat id of the console's group: negative, as
// Telegram's group ids are.
const consoleGroup = -100

// consoleMember is a simulated member of the console's group.
type consoleMember struct {
	id       int64
	name     string   // as Telegram shows it: on the boards and in the prompt
	aliases  []string // the lower-case words a line may start with to speak as them
	answered string   // "ответила" or "ответил"
	dative   string   // "Ане": a private message is to them
}

// consoleMembers are the console group's members. Аня is the first, the
// one who made the group (ChatMember says "creator", so she is an admin);
// Борис and Вера are members. Аня (id 1) is also the private console's
// learner: her progress is the same in both.
var consoleMembers = [...]consoleMember{
	{id: consoleChat, name: "Аня", aliases: []string{"аня", "anya"}, answered: "ответила", dative: "Ане"},
	{id: 2, name: "Борис", aliases: []string{"борис", "boris"}, answered: "ответил", dative: "Борису"},
	{id: 3, name: "Вера", aliases: []string{"вера", "vera"}, answered: "ответила", dative: "Вере"},
}

// consoleSpeaker splits "борис: /top", "вера 2" or "вера" into the member
// who speaks and what they say; ok is false when the line does not start
// with a member's name followed by ":", a space or nothing.
func consoleSpeaker(line string) (m consoleMember, rest string, ok bool) {
	end := strings.IndexAny(line, ": \t")
	if end < 0 {
		end = len(line)
	}
	word := strings.ToLower(line[:end])
	for _, m := range consoleMembers {
		for _, a := range m.aliases {
			if word == a {
				rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line[end:]), ":"))
				return m, rest, true
			}
		}
	}
	return consoleMember{}, "", false
}

// consoleMemberOf returns the member with id.
func consoleMemberOf(id int64) (consoleMember, bool) {
	for _, m := range consoleMembers {
		if m.id == id {
			return m, true
		}
	}
	return consoleMember{}, false
}

// Run reads lines until EOF, "exit" or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	// Poll ids must not repeat across sessions on the same database: an
	// answer to a reused id would be taken for a repeat and ignored.
	box := &consoleOutbox{out: c.Out, dir: c.Dir, session: strconv.FormatInt(time.Now().UnixNano(), 36), clock: c.Service.clock, group: c.Group}
	if c.Group {
		fmt.Fprintf(c.Out, consoleGroupIntro, durationAcc(storage.DefaultOpenPeriod), c.Dir)
	} else {
		fmt.Fprintf(c.Out, "neurotutor: консоль. Команды — как в Telegram (/start, /help, /lessons), номер — нажать кнопку, exit — выход.\nКартинки сохраняются в %s\n", c.Dir)
	}
	if c.Log != "" {
		fmt.Fprintf(c.Out, "Журнал бота — в %s\n", c.Log)
	}
	if c.Lab != "" {
		fmt.Fprintf(c.Out, "Лаборатория (двигать числа и смотреть графики) — в браузере: %s\n", c.Lab)
	}
	fmt.Fprintln(c.Out)
	who := consoleMembers[0]
	if c.Group {
		// Each session is the bot added to the group anew: a round left by
		// the last one (whose polls went with its terminal) ends, and the
		// welcome shows; settings (/timer) and standings (/top) stay.
		c.Service.Handle(ctx, box, Request{ChatID: consoleGroup, Left: true})
		c.Service.Handle(ctx, box, Request{ChatID: consoleGroup, Joined: true})
		// The round loop closes each question when its time is up; it
		// stops, after the step in progress, when Run returns.
		rounds := NewRounds(c.Service, box)
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { rounds.Run(rctx); close(done) }()
		defer func() { stop(); <-done }()
	} else {
		c.Service.Handle(ctx, box, Request{ChatID: consoleChat, UserID: consoleChat, Private: true, Text: "/start"})
	}
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for {
		prompt := "> "
		if c.Group {
			prompt = who.name + "> "
		}
		box.setPrompt(prompt)
		more := sc.Scan()
		box.setPrompt("")
		if !more || ctx.Err() != nil {
			box.printf("\n")
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			continue
		case line == "exit" || line == "quit" || line == "выход":
			return nil
		}
		if c.Group {
			if m, rest, ok := consoleSpeaker(line); ok {
				who, line = m, rest
				if line == "" {
					box.printf("(теперь говорит %s)\n", who.name)
					continue
				}
			}
		}
		c.say(ctx, box, who, line)
	}
}

// consoleGroupIntro explains the group console: %s the default time to
// answer, %s the pictures' directory.
const consoleGroupIntro = "neurotutor: консоль, группа. В группе трое: Аня (создала группу, админ), Борис и Вера.\n" +
	"Строку говорит участник из приглашения («Аня> »). Имя в начале строки — сказать от другого, и дальше говорит он: «борис: /top».\n" +
	"/quiz 1 3 — раунд из 3 вопросов по уроку 1. Пока опрос открыт, номер — ответ, «вера 2» — Вера выбирает вариант 2; засчитывается первый ответ каждого.\n" +
	"По умолчанию на вопрос даётся %s, потом он закрывается сам; быстрее — «аня: /timer 10» (менять может только админ).\n" +
	"Номер без открытого опроса — нажать кнопку, exit — выход. Имена можно латиницей: anya, boris, vera.\n" +
	"Картинки сохраняются в %s\n"

// request is a message from who: the console's learner in its private
// chat, or a member in the group.
func (c *Console) request(who consoleMember) Request {
	if c.Group {
		return Request{ChatID: consoleGroup, UserID: who.id, Name: who.name}
	}
	return Request{ChatID: consoleChat, UserID: consoleChat, Private: true}
}

// say handles one line from who: a number answers the open poll or
// presses a button, anything else is a message.
func (c *Console) say(ctx context.Context, box *consoleOutbox, who consoleMember, line string) {
	req := c.request(who)
	req.Text = line
	if n, err := strconv.Atoi(line); err == nil && box.answering() {
		// A quiz poll is open: the number picks an option, scored
		// through the same path as Telegram's poll_answer.
		pollID, ok := box.answer(n, who)
		if !ok {
			box.printf("(нет варианта с таким номером)\n")
			return
		}
		c.Service.Handle(ctx, box, Request{UserID: req.UserID, Name: req.Name, PollID: pollID, PollOptions: []int{n - 1}})
		return
	} else if err == nil {
		b, msgID, ok := box.button(n)
		if !ok {
			if c.Group {
				box.printf("(сейчас нет ни открытого опроса, ни кнопки с таким номером)\n")
			} else {
				box.printf("(нет кнопки с таким номером)\n")
			}
			return
		}
		req.Text, req.CallbackID, req.Data, req.MessageID = "", "console", b.Data, msgID
	}
	before := box.sent()
	c.Service.Handle(ctx, box, req)
	if box.sent() == before && req.Data == "" && !strings.HasPrefix(line, "/") {
		// Text the bot does not answer, as in a Telegram chat.
		box.printf("(команды начинаются с /, например /help)\n")
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
	clock   Clock  // when polls close
	group   bool   // the chat is the console's group
	prompt  string // shown while the console waits for a line; "" while it handles one
}

// consolePoll is the open quiz poll. In the private chat its numbers pick
// options until it is answered, then its buttons become the keyboard; in
// the group every member may answer it until it closes.
type consolePoll struct {
	id       string
	msgID    int
	p        Poll
	closes   time.Time      // zero: open until answered or stopped
	answered map[int64]bool // group members who answered
}

var tagRe = regexp.MustCompile(`</?[a-z]+[^>]*>`)

// plain renders our HTML as terminal text.
func plain(s string) string { return html.UnescapeString(tagRe.ReplaceAllString(s, "")) }

// setPrompt prints p and keeps it to print again after a message that
// arrives meanwhile (from the round loop); "" while a line is handled.
func (o *consoleOutbox) setPrompt(p string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.prompt = p
	fmt.Fprint(o.out, p)
}

// printf prints the console's own note. Everything printed once the
// round loop runs goes through o.mu, so that lines never mix.
func (o *consoleOutbox) printf(format string, a ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	fmt.Fprintf(o.out, format, a...)
}

// reprompt prints the prompt again after output that interrupted it. The
// caller holds o.mu.
func (o *consoleOutbox) reprompt() {
	if o.prompt != "" {
		fmt.Fprint(o.out, o.prompt)
	}
}

// privately labels, in the group, a message to a member's private chat.
// The caller holds o.mu.
func (o *consoleOutbox) privately(chat int64) {
	if m, ok := consoleMemberOf(chat); ok && o.group {
		fmt.Fprintf(o.out, "(личное сообщение %s)\n", m.dative)
	}
}

func (o *consoleOutbox) Send(ctx context.Context, m Message) (Sent, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	defer o.reprompt()
	o.nextID++
	s := Sent{MessageID: o.nextID}
	fmt.Fprintln(o.out)
	o.privately(m.ChatID)
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
	defer o.reprompt()
	fmt.Fprintln(o.out, "\n(сообщение обновлено)")
	o.print(m, messageID)
	return nil
}

func (o *consoleOutbox) UploadingPhoto(context.Context, int64) error { return nil }

// ChatMember: in the console's group Аня, the first member, made the
// group (an admin); Борис and Вера are members; anyone else has left.
func (o *consoleOutbox) ChatMember(_ context.Context, _ int64, userID int64) (string, error) {
	if userID == consoleMembers[0].id {
		return "creator", nil
	}
	if _, ok := consoleMemberOf(userID); ok {
		return "member", nil
	}
	return "left", nil
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
	o.mu.Lock()
	defer o.mu.Unlock()
	if text != "" {
		fmt.Fprintf(o.out, "(%s)\n", text)
		o.reprompt()
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
			switch {
			case b.WebApp != "":
				cells = append(cells, fmt.Sprintf("[%d] %s: %s", len(o.buttons), b.Text, b.WebApp))
			case b.URL != "":
				cells = append(cells, fmt.Sprintf("[%d] %s: %s", len(o.buttons), b.Text, b.URL))
			default:
				cells = append(cells, fmt.Sprintf("[%d] %s", len(o.buttons), b.Text))
			}
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
// learner types answers it. A poll with an open period closes on the
// clock, as Telegram closes it.
func (o *consoleOutbox) SendPoll(_ context.Context, p Poll) (SentPoll, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	defer o.reprompt()
	o.nextID++
	id := fmt.Sprintf("console-%s-%d", o.session, o.nextID)
	fmt.Fprintf(o.out, "\n❓ %s\n", p.Question)
	for i, opt := range p.Options {
		fmt.Fprintf(o.out, "[%d] %s\n", i+1, opt)
	}
	if o.group {
		fmt.Fprintln(o.out, "(ответ: номер варианта или «вера 2»)")
	} else {
		fmt.Fprintln(o.out, "(ответ — номер варианта)")
	}
	o.poll = &consolePoll{id: id, msgID: o.nextID, p: p, answered: map[int64]bool{}}
	if p.OpenPeriod > 0 {
		o.poll.closes = o.clock.Now().Add(p.OpenPeriod)
	}
	o.buttons = nil
	return SentPoll{MessageID: o.nextID, PollID: id}, nil
}

// answering reports whether a poll takes answers.
func (o *consoleOutbox) answering() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if p := o.poll; p != nil && !p.closes.IsZero() && !o.clock.Now().Before(p.closes) {
		o.poll = nil // its time is up
	}
	return o.poll != nil
}

// answer shows what Telegram shows after a quiz answer and returns the
// poll id to score. In the private chat that is right or wrong, the right
// option and the explanation, and the poll is done; in the group, who
// answered what and whether it is right, and the poll stays open for the
// others (a second answer is sent too: the bot ignores it, as Telegram
// never sends one).
func (o *consoleOutbox) answer(n int, who consoleMember) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.poll
	if p == nil || n < 1 || n > len(p.p.Options) {
		return "", false
	}
	if o.group {
		switch {
		case p.answered[who.id]:
			fmt.Fprintf(o.out, "(%s уже %s — засчитывается только первый ответ)\n", who.name, who.answered)
		case n-1 == p.p.Correct:
			fmt.Fprintf(o.out, "%s %s: %d — ✅ верно\n", who.name, who.answered, n)
		default:
			fmt.Fprintf(o.out, "%s %s: %d — ❌ неверно\n", who.name, who.answered, n)
		}
		p.answered[who.id] = true
		return p.id, true
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
	defer o.reprompt()
	path := filepath.Join(o.dir, filepath.Base(d.Name))
	if err := os.WriteFile(path, d.Data, 0o644); err != nil {
		return fmt.Errorf("console: save document: %w", err)
	}
	fmt.Fprintln(o.out)
	o.privately(d.ChatID)
	fmt.Fprintf(o.out, "[файл: %s]\n", path)
	if d.Caption != "" {
		fmt.Fprintln(o.out, plain(d.Caption))
	}
	return nil
}
