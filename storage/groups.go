package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Group study. A group chat's settings and its running quiz round are one
// JSON record in groups (chat id → Group). A round's polls map to their
// chat in round_polls, so that RecordAnswerAs scores a member's answer for
// the round in the same transaction that counts it for the member's own
// progress. Standings are running totals in group_scores, kept per week
// and for all time, so a board never reads the answers; user_groups lets
// Forget find a user's entries.
//
// A group's daily question is its "reminder": the users record under the
// chat id holds it (SetReminder(chatID, chatID, …)), so it shares the
// reminder index, its claims and their guarantees. Its zone is the
// group's: weeks start on Monday 00:00 there.

// Round bounds.
const (
	DefaultOpenPeriod = 30 * time.Second  // a round question's time to answer
	MinOpenPeriod     = 10 * time.Second  // an admin's shortest setting
	MaxOpenPeriod     = 120 * time.Second // and longest
	DailyOpenPeriod   = time.Hour         // the question of the day
	MaxRoundQuestions = 20
	// MaxRoundScores bounds a round's players kept in its record; later
	// players still score in the weekly and all-time totals.
	MaxRoundScores = 1000
	maxNameBytes   = 128
)

// ErrRoundRunning is returned by StartRound when the group already plays
// one; the Group it returns shows how far that round is.
var ErrRoundRunning = errors.New("storage: a round is running")

// ErrNoRound is returned for a round that ended or never began.
var ErrNoRound = errors.New("storage: no such round")

// Group is a group chat's settings and state.
type Group struct {
	V          int    `json:"v"`
	Active     bool   `json:"active"`                // the bot is a member
	OpenPeriod int    `json:"open_period,omitempty"` // seconds; 0: DefaultOpenPeriod
	Round      *Round `json:"round,omitempty"`
	// Asked: question id → Unix seconds it was last asked here, for the
	// "least recently asked in this chat" order.
	Asked map[string]int64 `json:"asked,omitempty"`
}

// Open returns the group's time to answer a round question.
func (g Group) Open() time.Duration {
	if g.OpenPeriod <= 0 {
		return DefaultOpenPeriod
	}
	return time.Duration(g.OpenPeriod) * time.Second
}

// Round phases.
const (
	PhaseAsking = "asking" // the question is claimed; its poll may or may not be out
	PhaseOpen   = "open"   // the poll is out and takes answers until ClosesAt
	PhaseClosed = "closed" // the answer was posted; the next question is due
)

// Round is a quiz round in a group: Total questions, asked one at a time.
type Round struct {
	ID          int64     `json:"id"` // start time in Unix nanoseconds: tells rounds apart
	Starter     int64     `json:"starter"`
	StarterName string    `json:"starter_name,omitempty"`
	Lesson      int       `json:"lesson"` // 0: all lessons
	Total       int       `json:"total"`
	Daily       bool      `json:"daily,omitempty"` // the question of the day
	Started     time.Time `json:"started"`
	Asked       int       `json:"asked"` // questions begun, the current one included
	Phase       string    `json:"phase"`
	Q           RoundQ    `json:"q"`
	Scores      []Score   `json:"scores,omitempty"`
}

// RoundQ is the round's current question.
type RoundQ struct {
	QuestionID  string    `json:"question_id"`
	Correct     int       `json:"correct"`
	Answer      string    `json:"answer"`      // the right option's text
	Explanation string    `json:"explanation"` // shown when it closes
	PollID      string    `json:"poll_id,omitempty"`
	MessageID   int       `json:"message_id,omitempty"`
	SentAt      time.Time `json:"sent_at,omitzero"`
	ClosesAt    time.Time `json:"closes_at,omitzero"`
	Answered    int       `json:"answered"` // answers that counted
	Right       int       `json:"right"`
}

// Score is one player's tally: in a round, a week or all time.
type Score struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	Points   int    `json:"points"`
	Right    int    `json:"right"`
	Answered int    `json:"answered"`
	Millis   int64  `json:"millis,omitempty"` // time to the right answers, summed (rounds only)
}

// Points is the score of an answer given after elapsed of open: 0 if
// wrong; if right, 500 plus up to 500 more the faster it came (1000 at
// once, 500 at the last moment).
func Points(right bool, elapsed, open time.Duration) int {
	if !right || open <= 0 {
		return 0
	}
	f := 1 - float64(min(max(elapsed, 0), open))/float64(open)
	return 500 + int(500*f+0.5)
}

// GroupAnswer is what an answer did in a group round, if it was one.
type GroupAnswer struct {
	ChatID  int64
	Counted bool // first answer within the open period: scored
	Points  int
}

func chatKey(chat int64) []byte { return userKey(chat) }

func getGroup(tx *bolt.Tx, chat int64) (Group, error) {
	v := tx.Bucket(bucketGroups).Get(chatKey(chat))
	if v == nil {
		return Group{V: SchemaVersion}, ErrNotFound
	}
	var g Group
	if err := json.Unmarshal(v, &g); err != nil {
		return g, fmt.Errorf("group %d: %w", chat, err)
	}
	return g, nil
}

func putGroup(tx *bolt.Tx, chat int64, g Group) error {
	g.V = SchemaVersion
	v, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketGroups).Put(chatKey(chat), v)
}

// Group returns the group's record (ErrNotFound with a zero Group for a
// chat the bot never saw).
func (db *DB) Group(chat int64) (Group, error) {
	var g Group
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		g, err = getGroup(tx, chat)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return g, fmt.Errorf("storage: group %d: %w", chat, err)
	}
	return g, err
}

// updateGroup runs fn on the group's record (a new one if none) and saves
// it, in one transaction.
func (db *DB) updateGroup(chat int64, fn func(tx *bolt.Tx, g *Group) error) (Group, error) {
	var g Group
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		g, err = getGroup(tx, chat)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := fn(tx, &g); err != nil {
			return err
		}
		return putGroup(tx, chat, g)
	})
	return g, err
}

// SetGroupActive records whether the bot is a member of the group, and
// reports whether that changed (false for a repeated update). Leaving
// turns the daily question off and ends a running round; settings and
// standings are kept.
func (db *DB) SetGroupActive(chat int64, active bool) (changed bool, err error) {
	_, err = db.updateGroup(chat, func(tx *bolt.Tx, g *Group) error {
		changed = g.Active != active
		g.Active = active
		if active {
			return nil
		}
		g.Round = nil
		u, err := getUser(tx, chat)
		switch {
		case errors.Is(err, ErrNotFound):
			return nil
		case err != nil:
			return err
		}
		if err := unindex(tx, chat, &u.Reminder); err != nil {
			return err
		}
		u.Reminder.Enabled = false
		return putUser(tx, chat, u)
	})
	if err != nil {
		return false, fmt.Errorf("storage: group %d active %v: %w", chat, active, err)
	}
	return changed, nil
}

// SetOpenPeriod sets the group's time to answer a round question, within
// MinOpenPeriod..MaxOpenPeriod (else ErrInvalid).
func (db *DB) SetOpenPeriod(chat int64, d time.Duration) error {
	if d < MinOpenPeriod || d > MaxOpenPeriod || d%time.Second != 0 {
		return fmt.Errorf("storage: open period %v: %w", d, ErrInvalid)
	}
	_, err := db.updateGroup(chat, func(_ *bolt.Tx, g *Group) error {
		g.OpenPeriod = int(d / time.Second)
		return nil
	})
	return err
}

// StartRound begins r in the group unless one is running (ErrRoundRunning,
// with the group as it is). r's Phase is set to closed with nothing asked:
// the caller then begins the first question.
func (db *DB) StartRound(chat int64, r Round) (Group, error) {
	if r.Total < 1 || r.Total > MaxRoundQuestions {
		return Group{}, fmt.Errorf("storage: round of %d: %w", r.Total, ErrInvalid)
	}
	r.StarterName = clipName(r.StarterName)
	var running bool
	g, err := db.updateGroup(chat, func(_ *bolt.Tx, g *Group) error {
		if g.Round != nil {
			running = true
			return ErrRoundRunning
		}
		r.Asked, r.Phase, r.Q, r.Scores = 0, PhaseClosed, RoundQ{}, nil
		g.Active = true
		g.Round = &r
		return nil
	})
	if running {
		g, _ = db.Group(chat)
		return g, ErrRoundRunning
	}
	return g, err
}

// BeginQuestion claims the round's next question before its poll is sent:
// Asked goes up and the phase is asking, so that a crash between this and
// OpenQuestion is seen after a restart (the poll may be out: the round is
// then ended, never asked again). It returns ErrNoRound if round id is not
// the group's running round or its current question is not closed.
func (db *DB) BeginQuestion(chat, id int64, q RoundQ, now time.Time) (Round, error) {
	var out Round
	_, err := db.updateGroup(chat, func(_ *bolt.Tx, g *Group) error {
		r := g.Round
		if r == nil || r.ID != id || r.Phase != PhaseClosed || r.Asked >= r.Total {
			return ErrNoRound
		}
		r.Asked++
		r.Phase, r.Q = PhaseAsking, RoundQ{QuestionID: q.QuestionID, Correct: q.Correct, Answer: q.Answer, Explanation: q.Explanation}
		if g.Asked == nil {
			g.Asked = map[string]int64{}
		}
		g.Asked[q.QuestionID] = now.Unix()
		out = *r
		return nil
	})
	return out, err
}

// OpenQuestion records the current question's poll: the round takes
// answers to it until closesAt. The poll is also saved as the group's
// quiz poll, so that members' answers count for their own progress.
func (db *DB) OpenQuestion(chat, id int64, pollID string, messageID int, sentAt, closesAt time.Time) (Round, error) {
	pk, err := pollKey(pollID)
	if err != nil {
		return Round{}, err
	}
	var out Round
	_, err = db.updateGroup(chat, func(tx *bolt.Tx, g *Group) error {
		r := g.Round
		if r == nil || r.ID != id || r.Phase != PhaseAsking {
			return ErrNoRound
		}
		r.Phase = PhaseOpen
		r.Q.PollID, r.Q.MessageID, r.Q.SentAt, r.Q.ClosesAt = pollID, messageID, storedTime(sentAt), closesAt
		if err := savePoll(tx, pk, PollRecord{UserID: chat, ChatID: chat, QuestionID: r.Q.QuestionID, CorrectOption: r.Q.Correct, SentAt: sentAt}); err != nil {
			return err
		}
		out = *r
		return tx.Bucket(bucketRoundPolls).Put(pk, chatKey(chat))
	})
	return out, err
}

// CloseQuestion ends the answers to the current question (phase closed)
// and returns the round, whose scores the caller posts. A question closed
// before is ErrNoRound, so that its post goes out once.
func (db *DB) CloseQuestion(chat, id int64, asked int) (Round, error) {
	var out Round
	_, err := db.updateGroup(chat, func(tx *bolt.Tx, g *Group) error {
		r := g.Round
		if r == nil || r.ID != id || r.Asked != asked || r.Phase != PhaseOpen {
			return ErrNoRound
		}
		r.Phase = PhaseClosed
		if pk, err := pollKey(r.Q.PollID); err == nil {
			if err := tx.Bucket(bucketRoundPolls).Delete(pk); err != nil {
				return err
			}
		}
		out = *r
		return nil
	})
	return out, err
}

// EndRound removes the group's round id and returns it as it ended.
func (db *DB) EndRound(chat, id int64) (Round, error) {
	var out Round
	_, err := db.updateGroup(chat, func(tx *bolt.Tx, g *Group) error {
		r := g.Round
		if r == nil || r.ID != id {
			return ErrNoRound
		}
		if pk, err := pollKey(r.Q.PollID); err == nil && r.Phase == PhaseOpen {
			if err := tx.Bucket(bucketRoundPolls).Delete(pk); err != nil {
				return err
			}
		}
		out = *r
		g.Round = nil
		return nil
	})
	return out, err
}

// Rounds returns the running rounds by chat, for the round loop to take
// up after a restart. It reads every group record: call it once at start.
func (db *DB) Rounds() (map[int64]Round, error) {
	out := map[int64]Round{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketGroups).ForEach(func(k, v []byte) error {
			var g Group
			if err := json.Unmarshal(v, &g); err != nil {
				return fmt.Errorf("group %x: %w", k, err)
			}
			if g.Round != nil && len(k) == 8 {
				out[int64(binary.BigEndian.Uint64(k))] = *g.Round
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: rounds: %w", err)
	}
	return out, nil
}

// scoreRound counts userID's answer to the round poll pk, if pk is one
// and the answer came within its open period; called by recordAnswer in
// its transaction, after the user's own record took the answer (so a
// repeat never gets here).
func (db *DB) scoreRound(tx *bolt.Tx, pk []byte, userID int64, name string, right bool, at time.Time) (*GroupAnswer, error) {
	v := tx.Bucket(bucketRoundPolls).Get(pk)
	if len(v) != 8 {
		return nil, nil
	}
	chat := int64(binary.BigEndian.Uint64(v))
	g, err := getGroup(tx, chat)
	if err != nil {
		return nil, err
	}
	ga := &GroupAnswer{ChatID: chat}
	r := g.Round
	if r == nil || r.Phase != PhaseOpen || at.After(r.Q.ClosesAt) {
		return ga, nil
	}
	if pid, err := pollKey(r.Q.PollID); err != nil || !bytes.Equal(pid, pk) {
		return ga, nil
	}
	elapsed := at.Sub(r.Q.SentAt)
	open := r.Q.ClosesAt.Sub(r.Q.SentAt)
	ga.Counted, ga.Points = true, Points(right, elapsed, open)
	name = clipName(name)
	r.Q.Answered++
	i := slices.IndexFunc(r.Scores, func(s Score) bool { return s.UserID == userID })
	if i < 0 && len(r.Scores) < MaxRoundScores {
		r.Scores = append(r.Scores, Score{UserID: userID})
		i = len(r.Scores) - 1
	}
	if i >= 0 {
		s := &r.Scores[i]
		s.Name = name
		s.Answered++
		s.Points += ga.Points
		if right {
			s.Right++
			s.Millis += elapsed.Milliseconds()
		}
	}
	if right {
		r.Q.Right++
	}
	if err := putGroup(tx, chat, g); err != nil {
		return nil, err
	}
	loc, err := db.groupLocation(tx, chat)
	if err != nil {
		return nil, err
	}
	return ga, addTotals(tx, chat, userID, name, ga.Points, right, Week(at, loc))
}

// groupLocation is the group's zone: its daily question's, or DefaultZone.
func (db *DB) groupLocation(tx *bolt.Tx, chat int64) (*time.Location, error) {
	u, err := getUser(tx, chat)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return db.location(u.Reminder.Zone)
}

// Week numbers the week holding t in loc: weeks start on Monday 00:00
// local time, week 1 being the one of Monday 1970-01-05. Boards keep
// period 0 for all time.
func Week(t time.Time, loc *time.Location) uint32 {
	y, m, d := t.In(loc).Date()
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour)
	return uint32(max(days/7+1, 1))
}

// scoreKey is chat|period|user in group_scores.
func scoreKey(chat int64, period uint32, user int64) []byte {
	k := make([]byte, 0, 20)
	k = binary.BigEndian.AppendUint64(k, uint64(chat))
	k = binary.BigEndian.AppendUint32(k, period)
	return binary.BigEndian.AppendUint64(k, uint64(user))
}

func encodeScore(s Score) []byte {
	b := make([]byte, 0, 8+len(s.Name))
	b = append(b, recordV)
	b = binary.AppendUvarint(b, uint64(s.Points))
	b = binary.AppendUvarint(b, uint64(s.Right))
	b = binary.AppendUvarint(b, uint64(s.Answered))
	return append(b, s.Name...)
}

func decodeScore(v []byte, user int64) (Score, error) {
	r := reader{b: v}
	if ver := r.byte(); ver != recordV && r.err == nil {
		return Score{}, fmt.Errorf("score version %d", ver)
	}
	s := Score{UserID: user, Points: r.int(), Right: r.int(), Answered: r.int()}
	if r.err != nil {
		return Score{}, fmt.Errorf("score %x: %w", v, r.err)
	}
	s.Name = string(r.b)
	return s, nil
}

// addTotals adds an answer to the user's week and all-time totals in the
// group, dropping the group's weeks before the last one when a new week
// begins.
func addTotals(tx *bolt.Tx, chat, user int64, name string, points int, right bool, week uint32) error {
	b := tx.Bucket(bucketGroupScores)
	if err := dropOldWeeks(b, chat, week); err != nil {
		return err
	}
	for _, p := range []uint32{0, week} {
		k := scoreKey(chat, p, user)
		var s Score
		if v := b.Get(k); v != nil {
			var err error
			if s, err = decodeScore(v, user); err != nil {
				return err
			}
		}
		s.Name = name
		s.Points += points
		s.Answered++
		if right {
			s.Right++
		}
		if err := b.Put(k, encodeScore(s)); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketUserGroups).Put(append(userKey(user), chatKey(chat)...), nil)
}

// dropOldWeeks deletes the chat's weekly totals of weeks before week−1.
func dropOldWeeks(b *bolt.Bucket, chat int64, week uint32) error {
	if week < 2 {
		return nil
	}
	from, to := scoreKey(chat, 1, 0), scoreKey(chat, week-1, 0)
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(from); k != nil && bytes.Compare(k, to) < 0; k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Board is a group's standings: this week's and all time, best first.
type Board struct {
	Week, All []Score
}

// Board returns the group's standings at now (the week in the group's
// zone), ordered by points, then right answers, then name, then id. It
// reads the group's running totals only: a member's two entries, not
// their answers.
func (db *DB) Board(chat int64, now time.Time) (Board, error) {
	var bd Board
	err := db.bolt.View(func(tx *bolt.Tx) error {
		loc, err := db.groupLocation(tx, chat)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketGroupScores)
		for _, p := range []struct {
			period uint32
			out    *[]Score
		}{{0, &bd.All}, {Week(now, loc), &bd.Week}} {
			prefix := scoreKey(chat, p.period, 0)[:12]
			err := forEachPrefix(b, prefix, func(k, v []byte) error {
				s, err := decodeScore(v, int64(binary.BigEndian.Uint64(k[12:])))
				*p.out = append(*p.out, s)
				return err
			})
			if err != nil {
				return err
			}
			slices.SortFunc(*p.out, compareScores)
		}
		return nil
	})
	if err != nil {
		return Board{}, fmt.Errorf("storage: board of %d: %w", chat, err)
	}
	return bd, nil
}

func compareScores(a, b Score) int {
	switch {
	case a.Points != b.Points:
		return b.Points - a.Points
	case a.Right != b.Right:
		return b.Right - a.Right
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	switch {
	case a.UserID < b.UserID:
		return -1
	case a.UserID > b.UserID:
		return 1
	}
	return 0
}

// forgetScores removes the user from every group's standings and running
// round: called by Forget in its transaction.
func forgetScores(tx *bolt.Tx, user int64) error {
	ug := tx.Bucket(bucketUserGroups)
	scores := tx.Bucket(bucketGroupScores)
	for _, k := range prefixKeys(ug, userKey(user)) {
		chat := int64(binary.BigEndian.Uint64(k[8:]))
		// The chat's periods: all time and at most two weeks.
		c := scores.Cursor()
		for sk, _ := c.Seek(chatKey(chat)); sk != nil && bytes.HasPrefix(sk, chatKey(chat)); {
			period := binary.BigEndian.Uint32(sk[8:12])
			if err := scores.Delete(scoreKey(chat, period, user)); err != nil {
				return err
			}
			if period == ^uint32(0) {
				break
			}
			sk, _ = c.Seek(scoreKey(chat, period+1, 0))
		}
		g, err := getGroup(tx, chat)
		if err == nil && g.Round != nil {
			g.Round.Scores = slices.DeleteFunc(g.Round.Scores, func(s Score) bool { return s.UserID == user })
			if err := putGroup(tx, chat, g); err != nil {
				return err
			}
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := ug.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// MigrateGroup moves a group that became a supergroup (from → to): its
// settings, running round, standings and daily question. It does nothing
// if from is unknown or to already exists, so a repeated migration
// message changes nothing.
func (db *DB) MigrateGroup(from, to int64) (moved bool, err error) {
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		g, err := getGroup(tx, from)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := getGroup(tx, to); err == nil {
			return nil
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		moved = true
		if err := putGroup(tx, to, g); err != nil {
			return err
		}
		if err := tx.Bucket(bucketGroups).Delete(chatKey(from)); err != nil {
			return err
		}
		if g.Round != nil && g.Round.Phase == PhaseOpen {
			if pk, err := pollKey(g.Round.Q.PollID); err == nil {
				if err := tx.Bucket(bucketRoundPolls).Put(pk, chatKey(to)); err != nil {
					return err
				}
			}
		}
		scores, ug := tx.Bucket(bucketGroupScores), tx.Bucket(bucketUserGroups)
		for _, k := range prefixKeys(scores, chatKey(from)) {
			v := bytes.Clone(scores.Get(k))
			nk := append(chatKey(to), k[8:]...)
			if err := scores.Put(nk, v); err != nil {
				return err
			}
			if err := scores.Delete(k); err != nil {
				return err
			}
			user := k[12:]
			if ug.Get(append(bytes.Clone(user), chatKey(from)...)) != nil {
				if err := ug.Delete(append(bytes.Clone(user), chatKey(from)...)); err != nil {
					return err
				}
				if err := ug.Put(append(bytes.Clone(user), chatKey(to)...), nil); err != nil {
					return err
				}
			}
		}
		u, err := getUser(tx, from)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		r := u.Reminder // unindex clears the next time
		if err := unindex(tx, from, &u.Reminder); err != nil {
			return err
		}
		if err := tx.Bucket(bucketUsers).Delete(userKey(from)); err != nil {
			return err
		}
		r.ChatID = to
		u.Reminder = r
		if err := putUser(tx, to, u); err != nil {
			return err
		}
		if r.Next.IsZero() {
			return nil
		}
		return index(tx, to, &r)
	})
	if err != nil {
		return false, fmt.Errorf("storage: migrate group %d to %d: %w", from, to, err)
	}
	return moved, nil
}

func clipName(s string) string {
	if len(s) <= maxNameBytes {
		return s
	}
	s = s[:maxNameBytes]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
