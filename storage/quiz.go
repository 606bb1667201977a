package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"neurotutor/core"
)

// PollRecord is what the bot remembers about a quiz poll it sent, so that
// a poll_answer arriving later, even after a restart, can be scored.
type PollRecord struct {
	V             int       `json:"v"`
	UserID        int64     `json:"user_id"` // who asked for the quiz; Forget(UserID) deletes the record
	ChatID        int64     `json:"chat_id"`
	QuestionID    string    `json:"question_id"`
	CorrectOption int       `json:"correct_option"` // 0-based index of the right option
	SentAt        time.Time `json:"sent_at"`
}

// Answer is one quiz answer in a user's log.
type Answer struct {
	V          int       `json:"v"`
	PollID     string    `json:"poll_id,omitempty"`
	QuestionID string    `json:"question_id"`
	Option     int       `json:"option"` // 0-based index chosen
	Correct    bool      `json:"correct"`
	At         time.Time `json:"at"`
}

// Card is the spaced-repetition state of one question for one user.
type Card struct {
	V          int              `json:"v"`
	QuestionID string           `json:"question_id"`
	SM2        core.ReviewState `json:"sm2"`
	Due        time.Time        `json:"due"`         // LastReview + SM2.IntervalDays days
	LastReview time.Time        `json:"last_review"` // time of the last answer
	Answers    int              `json:"answers"`     // answers given to this question
	Right      int              `json:"right"`       // of which correct
}

// AnswerResult is what RecordAnswer did.
type AnswerResult struct {
	Answer    Answer
	Card      Card   // the question's state after the answer
	Streak    Streak // the user's streak after the answer
	Duplicate bool   // the answer was recorded before; nothing changed
}

// SavePoll stores the poll id → question mapping. Saving the same id
// again overwrites it.
func (db *DB) SavePoll(pollID string, p PollRecord) error {
	if pollID == "" {
		return fmt.Errorf("%w: empty poll id", ErrInvalid)
	}
	p.V = SchemaVersion
	p.SentAt = p.SentAt.UTC()
	v, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("storage: encode poll %s: %w", pollID, err)
	}
	err = db.bolt.Batch(func(tx *bolt.Tx) error {
		polls := tx.Bucket(bucketPolls)
		if old := polls.Get([]byte(pollID)); old != nil {
			var o PollRecord
			if json.Unmarshal(old, &o) == nil && o.UserID != p.UserID {
				if err := tx.Bucket(bucketUserPolls).Delete(userSubKey(o.UserID, []byte(pollID))); err != nil {
					return err
				}
			}
		}
		if err := polls.Put([]byte(pollID), v); err != nil {
			return err
		}
		return tx.Bucket(bucketUserPolls).Put(userSubKey(p.UserID, []byte(pollID)), nil)
	})
	if err != nil {
		return fmt.Errorf("storage: save poll %s: %w", pollID, err)
	}
	return nil
}

func getPoll(tx *bolt.Tx, pollID string) (PollRecord, error) {
	var p PollRecord
	v := tx.Bucket(bucketPolls).Get([]byte(pollID))
	if v == nil {
		return p, ErrNotFound
	}
	if err := json.Unmarshal(v, &p); err != nil {
		return p, fmt.Errorf("decode poll: %w", err)
	}
	return p, nil
}

// Poll returns the record saved for pollID, or ErrNotFound.
func (db *DB) Poll(pollID string) (PollRecord, error) {
	var p PollRecord
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		p, err = getPoll(tx, pollID)
		return err
	})
	if err != nil {
		return p, fmt.Errorf("storage: poll %s: %w", pollID, err)
	}
	return p, nil
}

// RecordAnswer scores userID's answer option (0-based) to the quiz poll
// pollID and, in one transaction, appends it to the answer log, advances
// the question's SM-2 state (core.NextReview with core.QualityOf) and the
// streak (in the user's zone, see Location). at is when the answer came.
//
// It is idempotent per (pollID, userID): Telegram may deliver a
// poll_answer twice, and a repeat returns the first result with Duplicate
// set. It returns ErrNotFound if the poll is unknown (never saved, or
// forgotten), and ErrInvalid for a negative option.
func (db *DB) RecordAnswer(userID int64, pollID string, option int, at time.Time) (AnswerResult, error) {
	if option < 0 {
		return AnswerResult{}, fmt.Errorf("storage: answer %s by %d: %w: option %d", pollID, userID, ErrInvalid, option)
	}
	at = at.UTC()
	var res AnswerResult
	err := db.bolt.Batch(func(tx *bolt.Tx) error {
		r, err := db.recordAnswer(tx, userID, pollID, option, at)
		res = r
		return err
	})
	if err != nil {
		return AnswerResult{}, fmt.Errorf("storage: answer %s by %d: %w", pollID, userID, err)
	}
	return res, nil
}

func (db *DB) recordAnswer(tx *bolt.Tx, userID int64, pollID string, option int, at time.Time) (AnswerResult, error) {
	var res AnswerResult
	p, err := getPoll(tx, pollID)
	if err != nil {
		return res, err
	}
	answers, answered, cards := tx.Bucket(bucketAnswers), tx.Bucket(bucketAnswered), tx.Bucket(bucketCards)
	u, err := getOrNewUser(tx, userID)
	if err != nil {
		return res, err
	}
	cardKey := userSubKey(userID, []byte(p.QuestionID))
	card, err := getCard(cards, cardKey, p.QuestionID)
	if err != nil {
		return res, err
	}
	idemKey := userSubKey(userID, []byte(pollID))
	if ak := answered.Get(idemKey); ak != nil {
		res.Duplicate, res.Card, res.Streak = true, card, u.Streak
		if v := answers.Get(ak); v != nil {
			if err := json.Unmarshal(v, &res.Answer); err != nil {
				return res, fmt.Errorf("decode answer: %w", err)
			}
		}
		return res, nil
	}

	a := Answer{V: SchemaVersion, PollID: pollID, QuestionID: p.QuestionID, Option: option, Correct: option == p.CorrectOption, At: at}
	seq, err := answers.NextSequence()
	if err != nil {
		return res, err
	}
	ak := userSubKey(userID, binary.BigEndian.AppendUint64(nil, seq))
	if err := putJSON(answers, ak, a); err != nil {
		return res, err
	}
	if err := answered.Put(idemKey, ak); err != nil {
		return res, err
	}

	card.SM2 = core.NextReview(card.SM2, core.QualityOf(a.Correct))
	card.Due, card.LastReview = card.SM2.Due(at), at
	card.Answers++
	if a.Correct {
		card.Right++
	}
	if err := putJSON(cards, cardKey, card); err != nil {
		return res, err
	}

	loc, err := db.userLocation(&u, nil)
	if err != nil {
		return res, err
	}
	if u.Streak.touch(at, loc) {
		if err := putUser(tx, userID, u); err != nil {
			return res, err
		}
	}
	return AnswerResult{Answer: a, Card: card, Streak: u.Streak}, nil
}

func getCard(cards *bolt.Bucket, key []byte, questionID string) (Card, error) {
	v := cards.Get(key)
	if v == nil {
		return Card{V: SchemaVersion, QuestionID: questionID, SM2: core.NewReviewState()}, nil
	}
	var c Card
	if err := json.Unmarshal(v, &c); err != nil {
		return c, fmt.Errorf("decode card %s: %w", questionID, err)
	}
	return c, nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// DueQuestions returns the ids of userID's questions due at now (SM-2
// due time ≤ now), most overdue first (ties by id), and the set of all
// questions the user has answered. The bot asks a due question first; if
// none is due it picks an unseen one (not in seen) from lessons the user
// has read.
func (db *DB) DueQuestions(userID int64, now time.Time) (due []string, seen map[string]bool, err error) {
	cards, err := db.Cards(userID)
	if err != nil {
		return nil, nil, err
	}
	seen = make(map[string]bool, len(cards))
	var dc []Card
	for _, c := range cards {
		seen[c.QuestionID] = true
		if !c.Due.After(now) {
			dc = append(dc, c)
		}
	}
	slices.SortFunc(dc, func(a, b Card) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.QuestionID, b.QuestionID)
	})
	for _, c := range dc {
		due = append(due, c.QuestionID)
	}
	return due, seen, nil
}

// Cards returns userID's per-question states, ordered by question id.
func (db *DB) Cards(userID int64) ([]Card, error) {
	var out []Card
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return forEachPrefix(tx.Bucket(bucketCards), userKey(userID), func(_, v []byte) error {
			var c Card
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("decode card: %w", err)
			}
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: cards of %d: %w", userID, err)
	}
	return out, nil
}

// Answers returns userID's answer log, oldest first.
func (db *DB) Answers(userID int64) ([]Answer, error) {
	var out []Answer
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return forEachPrefix(tx.Bucket(bucketAnswers), userKey(userID), func(_, v []byte) error {
			var a Answer
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("decode answer: %w", err)
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: answers of %d: %w", userID, err)
	}
	return out, nil
}

// forEachPrefix calls fn for each key of b starting with prefix, in order.
func forEachPrefix(b *bolt.Bucket, prefix []byte, fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}
