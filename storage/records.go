package storage

// Binary records of the quiz buckets (schema 3; cards: schema 4). Each quiz answer is one
// record of a few dozen bytes: the bot writes about one per learner per
// answer, so this is what a million learners cost. Integers are varints
// (zig-zag where they may be negative), times are whole Unix seconds,
// and every value starts with recordV, its format's version.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"neurotutor/core"
)

// recordV is the version byte that starts every binary record. It is
// the record format's, not the file's: a later SchemaVersion that
// leaves these records alone keeps reading them.
const recordV = 3

// Limits of what the quiz records hold.
const (
	maxPollID     = 255 // bytes of a poll id that is not a decimal int64
	maxQuestionID = 255 // bytes
)

// pollKeyOther starts the key of a poll id that is not a canonical
// decimal int64. The key of a decimal id is its 8-byte big-endian value,
// whose first byte is below 0x80, so the two kinds never collide.
const pollKeyOther = 0xFF

// pollKey is the compact key of a Telegram poll id: 8 bytes for the
// decimal ids Telegram sends ("5431995452618391553"), 0xFF|len|id for
// anything else. It is prefix-free, so pollKey can end a composite key.
func pollKey(id string) ([]byte, error) {
	if id == "" || len(id) > maxPollID {
		return nil, fmt.Errorf("%w: poll id of %d bytes", ErrInvalid, len(id))
	}
	if n, err := strconv.ParseInt(id, 10, 64); err == nil && n >= 0 && strconv.FormatInt(n, 10) == id {
		return binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(n)), nil
	}
	k := make([]byte, 0, 2+len(id))
	k = append(k, pollKeyOther, byte(len(id)))
	return append(k, id...), nil
}

// parsePollKey returns the poll id of the key k, or an error if k is not
// exactly one key.
func parsePollKey(k []byte) (string, error) {
	if len(k) == 8 && k[0] < 0x80 {
		return strconv.FormatInt(int64(binary.BigEndian.Uint64(k)), 10), nil
	}
	if len(k) >= 2 && k[0] == pollKeyOther && int(k[1]) == len(k)-2 {
		return string(k[2:]), nil
	}
	return "", fmt.Errorf("bad poll key %x", k)
}

// pollTimeKey is the key of the poll_times index: the send time in Unix
// seconds as 4 bytes (clamped to 1970…2106), then the poll key.
func pollTimeKey(sent time.Time, pk []byte) []byte {
	k := make([]byte, 4, 4+len(pk))
	binary.BigEndian.PutUint32(k, uint32(min(max(sent.Unix(), 0), math.MaxUint32)))
	return append(k, pk...)
}

// quizEntry is the record of one poll for one user in the quiz bucket
// (key uid|poll key). It is the user's answer to the poll, the poll the
// user asked for, or both:
//
//	version   1 byte, recordV
//	flags     1 byte: own, answered, correct, message
//	question  uvarint length, then the id
//	if own:      chat id − user id (varint: 0 in a private chat),
//	             correct option (uvarint), sent at (varint Unix seconds),
//	             if flag message: the poll's message id (uvarint; records
//	             saved before it was kept have no flag and no id)
//	if answered: option (uvarint), answered at (varint Unix seconds;
//	             minus sent at if own, so usually one or two bytes)
//
// The poll's own facts are kept once, in the asker's record; the answer
// of someone else (a group, a forwarded poll) keeps only what its Answer
// needs.
type quizEntry struct {
	QuestionID string

	Own           bool // the poll was sent at this user's request
	ChatID        int64
	CorrectOption int
	SentAt        time.Time
	MessageID     int // the poll's message in ChatID, 0 if not known

	Answered bool // the user answered it
	Option   int
	Correct  bool
	At       time.Time
}

const (
	flagOwn = 1 << iota
	flagAnswered
	flagCorrect
	flagMessage
)

func (e quizEntry) encode(userID int64) []byte {
	var flags byte
	if e.Own {
		flags |= flagOwn
	}
	if e.Answered {
		flags |= flagAnswered
	}
	if e.Correct {
		flags |= flagCorrect
	}
	if e.Own && e.MessageID > 0 {
		flags |= flagMessage
	}
	b := make([]byte, 0, 24+len(e.QuestionID))
	b = append(b, recordV, flags)
	b = binary.AppendUvarint(b, uint64(len(e.QuestionID)))
	b = append(b, e.QuestionID...)
	if e.Own {
		b = binary.AppendVarint(b, e.ChatID-userID)
		b = binary.AppendUvarint(b, uint64(e.CorrectOption))
		b = binary.AppendVarint(b, e.SentAt.Unix())
		if flags&flagMessage != 0 {
			b = binary.AppendUvarint(b, uint64(e.MessageID))
		}
	}
	if e.Answered {
		b = binary.AppendUvarint(b, uint64(e.Option))
		at := e.At.Unix()
		if e.Own {
			at -= e.SentAt.Unix()
		}
		b = binary.AppendVarint(b, at)
	}
	return b
}

func decodeQuizEntry(v []byte, userID int64) (quizEntry, error) {
	var e quizEntry
	r := reader{b: v}
	if ver := r.byte(); ver != recordV && r.err == nil {
		return e, fmt.Errorf("quiz record version %d", ver)
	}
	flags := r.byte()
	e.QuestionID = r.string()
	e.Own, e.Answered, e.Correct = flags&flagOwn != 0, flags&flagAnswered != 0, flags&flagCorrect != 0
	if e.Own {
		e.ChatID = userID + r.varint()
		e.CorrectOption = r.int()
		e.SentAt = unixTime(r.varint())
		if flags&flagMessage != 0 {
			e.MessageID = r.int()
		}
	}
	if e.Answered {
		e.Option = r.int()
		at := r.varint()
		if e.Own {
			at += e.SentAt.Unix()
		}
		e.At = unixTime(at)
	}
	if err := r.done(); err != nil {
		return quizEntry{}, fmt.Errorf("quiz record %x: %w", v, err)
	}
	return e, nil
}

// answer is the Answer the entry holds, if Answered.
func (e quizEntry) answer(pollID string) Answer {
	return Answer{V: SchemaVersion, PollID: pollID, QuestionID: e.QuestionID, Option: e.Option, Correct: e.Correct, At: e.At}
}

// poll is the PollRecord the entry holds, if Own.
func (e quizEntry) poll(userID int64) PollRecord {
	return PollRecord{V: SchemaVersion, UserID: userID, ChatID: e.ChatID, QuestionID: e.QuestionID, CorrectOption: e.CorrectOption, SentAt: e.SentAt, MessageID: e.MessageID}
}

// cardV is the version byte of a card record since schema 4, when cards
// moved from SM-2 to FSRS; recordV cards are SM-2's (schema 3) and are
// read only by the migration.
const cardV = 4

// encodeCard is a Card as stored under uid|question id (the key holds
// the question id):
//
//	version (1 byte, cardV), FSRS state and step (uvarints), stability
//	and difficulty (8-byte IEEE 754 each, so that they come back
//	exactly), FSRS reps and lapses, answers, right (uvarints), last
//	review (varint Unix seconds), due (varint seconds after last review)
//
// FSRS's own Last and Due are the card's LastReview and Due unless the
// card is FSRS-new (a migrated card SM-2 had never scheduled), whose are
// zero.
func encodeCard(c Card) []byte {
	b := make([]byte, 0, 40)
	b = append(b, cardV)
	b = binary.AppendUvarint(b, uint64(c.FSRS.State))
	b = binary.AppendUvarint(b, uint64(c.FSRS.Step))
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.FSRS.Stability))
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.FSRS.Difficulty))
	b = binary.AppendUvarint(b, uint64(c.FSRS.Reps))
	b = binary.AppendUvarint(b, uint64(c.FSRS.Lapses))
	b = binary.AppendUvarint(b, uint64(c.Answers))
	b = binary.AppendUvarint(b, uint64(c.Right))
	b = binary.AppendVarint(b, c.LastReview.Unix())
	return binary.AppendVarint(b, c.Due.Unix()-c.LastReview.Unix())
}

func decodeCard(v []byte, questionID string) (Card, error) {
	c := Card{V: SchemaVersion, QuestionID: questionID}
	r := reader{b: v}
	if ver := r.byte(); ver != cardV && r.err == nil {
		return c, fmt.Errorf("card version %d", ver)
	}
	c.FSRS.State, c.FSRS.Step = core.FSRSState(r.int()), r.int()
	c.FSRS.Stability, c.FSRS.Difficulty = r.float(), r.float()
	c.FSRS.Reps, c.FSRS.Lapses = r.int(), r.int()
	c.Answers, c.Right = r.int(), r.int()
	last := r.varint()
	c.LastReview, c.Due = unixTime(last), unixTime(last+r.varint())
	if c.FSRS.State != core.FSRSNew {
		c.FSRS.Last, c.FSRS.Due = c.LastReview, c.Due
	}
	if err := r.done(); err != nil {
		return Card{}, fmt.Errorf("card %s %x: %w", questionID, v, err)
	}
	return c, nil
}

// cardV3 is a card of schema 3: SM-2's state.
type cardV3 struct {
	SM2        core.ReviewState
	LastReview time.Time
	Answers    int
	Right      int
}

// encodeCardV3 is a schema 3 card (migrate2to3 writes them, migrate3to4
// reads them):
//
//	version (1 byte, recordV), repetitions, ease factor in hundredths
//	(core keeps it on that grid; uvarints), interval days (varint: core
//	did not bound it then, so any int must come back), answers, right
//	(uvarints), last review (varint Unix seconds)
func encodeCardV3(c cardV3) []byte {
	b := make([]byte, 0, 20)
	b = append(b, recordV)
	b = binary.AppendUvarint(b, uint64(c.SM2.Repetitions))
	b = binary.AppendUvarint(b, uint64(math.Round(c.SM2.EaseFactor*100)))
	b = binary.AppendVarint(b, int64(c.SM2.IntervalDays))
	b = binary.AppendUvarint(b, uint64(c.Answers))
	b = binary.AppendUvarint(b, uint64(c.Right))
	return binary.AppendVarint(b, c.LastReview.Unix())
}

func decodeCardV3(v []byte) (cardV3, error) {
	var c cardV3
	r := reader{b: v}
	if ver := r.byte(); ver != recordV && r.err == nil {
		return c, fmt.Errorf("schema 3 card version %d", ver)
	}
	c.SM2 = core.ReviewState{Repetitions: r.int(), EaseFactor: float64(r.int()) / 100, IntervalDays: int(r.varint())}
	c.Answers, c.Right = r.int(), r.int()
	c.LastReview = unixTime(r.varint())
	if err := r.done(); err != nil {
		return cardV3{}, fmt.Errorf("schema 3 card %x: %w", v, err)
	}
	return c, nil
}

// storedTime is t as the quiz records keep it: UTC, whole seconds.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func unixTime(s int64) time.Time { return time.Unix(s, 0).UTC() }

var errShort = errors.New("truncated record")

// reader decodes a record; the first error sticks and later reads
// return zeros.
type reader struct {
	b   []byte
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errShort
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

// float reads an 8-byte big-endian IEEE 754 value.
func (r *reader) float() float64 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 8 {
		r.err = errShort
		return 0
	}
	x := math.Float64frombits(binary.BigEndian.Uint64(r.b))
	r.b = r.b[8:]
	return x
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

// int reads a uvarint that must fit an int (options, counts): every
// non-negative int written comes back.
func (r *reader) int() int {
	x := r.uvarint()
	if x > math.MaxInt && r.err == nil {
		r.err = fmt.Errorf("value %d out of range", x)
		return 0
	}
	return int(x)
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = errShort
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%d trailing bytes", len(r.b))
	}
	return r.err
}
