package storage

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"neurotutor/core"
)

// Answer is one quiz answer in a user's log. At is in whole seconds.
type Answer struct {
	V          int       `json:"v"`
	PollID     string    `json:"poll_id,omitempty"`
	QuestionID string    `json:"question_id"`
	Option     int       `json:"option"` // 0-based index chosen
	Correct    bool      `json:"correct"`
	At         time.Time `json:"at"`
}

// Card is the spaced-repetition state of one question for one user:
// FSRS-6's (core.FSRSParams, see DB.RecordAnswer). Times are whole seconds.
type Card struct {
	V          int           `json:"v"`
	QuestionID string        `json:"question_id"`
	FSRS       core.FSRSCard `json:"fsrs"`
	Due        time.Time     `json:"due"`         // when to ask again
	LastReview time.Time     `json:"last_review"` // time of the last answer
	Answers    int           `json:"answers"`     // answers given to this question
	Right      int           `json:"right"`       // of which correct
}

// AnswerResult is what RecordAnswer did.
type AnswerResult struct {
	Answer    Answer
	Card      Card         // the question's state after the answer
	Streak    Streak       // the user's streak after the answer
	Duplicate bool         // the answer was recorded before; nothing changed
	Group     *GroupAnswer // the answer was to a group round's poll
}

// RecordAnswer scores userID's answer option (0-based) to the quiz poll
// pollID and, in one transaction, adds it to the answer log, advances
// the question's card (FSRS-6 with default weights and desired retention
// 0.9, core.DefaultFSRS, grading right as Good and wrong as Again) and the
// streak (in the user's zone, see Location). at is when the answer came;
// it is kept in whole seconds.
//
// It is idempotent per (pollID, userID): Telegram may deliver a
// poll_answer twice, and a repeat returns the first result with Duplicate
// set, also after the poll expired. It returns ErrExpired for an answer
// more than PollMaxAge after the poll was sent, ErrNotFound if the poll is
// unknown (never saved, forgotten or pruned), and ErrInvalid for a
// negative option.
func (db *DB) RecordAnswer(userID int64, pollID string, option int, at time.Time) (AnswerResult, error) {
	return db.RecordAnswerAs(userID, "", pollID, option, at)
}

// RecordAnswerAs is RecordAnswer for a user shown as name: an answer to a
// group round's poll also scores in the round and the group's standings
// (once, within the question's open period; AnswerResult.Group), under
// that name.
func (db *DB) RecordAnswerAs(userID int64, name, pollID string, option int, at time.Time) (AnswerResult, error) {
	if option < 0 {
		return AnswerResult{}, fmt.Errorf("storage: answer %s by %d: %w: option %d", pollID, userID, ErrInvalid, option)
	}
	at = storedTime(at)
	var res AnswerResult
	err := db.bolt.Batch(func(tx *bolt.Tx) error {
		r, err := db.recordAnswer(tx, userID, name, pollID, option, at)
		res = r
		return err
	})
	if err != nil {
		return AnswerResult{}, fmt.Errorf("storage: answer %s by %d: %w", pollID, userID, err)
	}
	return res, nil
}

func (db *DB) recordAnswer(tx *bolt.Tx, userID int64, name, pollID string, option int, at time.Time) (AnswerResult, error) {
	var res AnswerResult
	pk, err := pollKey(pollID)
	if err != nil {
		return res, ErrNotFound
	}
	quiz, cards := tx.Bucket(bucketQuiz), tx.Bucket(bucketCards)
	key := userSubKey(userID, pk)
	var e quizEntry // this user's record of the poll, if any
	if v := quiz.Get(key); v != nil {
		if e, err = decodeQuizEntry(v, userID); err != nil {
			return res, err
		}
	}
	u, err := getOrNewUser(tx, userID)
	if err != nil {
		return res, err
	}
	if e.Answered {
		card, err := getCard(cards, userSubKey(userID, []byte(e.QuestionID)), e.QuestionID)
		if err != nil {
			return res, err
		}
		return AnswerResult{Answer: e.answer(pollID), Card: card, Streak: u.Streak, Duplicate: true}, nil
	}
	poll := e
	if !e.Own { // someone else's poll: in a group, or forwarded
		if _, poll, err = getPoll(tx, pk); err != nil {
			return res, err
		}
		e = quizEntry{QuestionID: poll.QuestionID}
	}
	if expired(poll.SentAt, at) {
		return res, ErrExpired
	}
	e.Answered, e.Option, e.Correct, e.At = true, option, option == poll.CorrectOption, at
	if err := quiz.Put(key, e.encode(userID)); err != nil {
		return res, err
	}

	cardKey := userSubKey(userID, []byte(e.QuestionID))
	card, err := getCard(cards, cardKey, e.QuestionID)
	if err != nil {
		return res, err
	}
	st := db.fsrs.Answer(core.CardState{FSRS: card.FSRS, Last: card.LastReview, Due: card.Due}, e.Correct, at)
	card.FSRS, card.LastReview, card.Due = st.FSRS, st.Last, st.Due
	card.Answers++
	if e.Correct {
		card.Right++
	}
	if err := cards.Put(cardKey, encodeCard(card)); err != nil {
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
	ga, err := db.scoreRound(tx, pk, userID, name, e.Correct, at)
	if err != nil {
		return res, err
	}
	return AnswerResult{Answer: e.answer(pollID), Card: card, Streak: u.Streak, Group: ga}, nil
}

func getCard(cards *bolt.Bucket, key []byte, questionID string) (Card, error) {
	v := cards.Get(key)
	if v == nil {
		return Card{V: SchemaVersion, QuestionID: questionID}, nil
	}
	return decodeCard(v, questionID)
}

// DueQuestions returns the ids of userID's questions due at now (due
// time ≤ now), most overdue first (ties by id), and the set of all
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
		var err error
		out, err = userCards(tx, userID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storage: cards of %d: %w", userID, err)
	}
	return out, nil
}

func userCards(tx *bolt.Tx, userID int64) ([]Card, error) {
	var out []Card
	prefix := userKey(userID)
	err := forEachPrefix(tx.Bucket(bucketCards), prefix, func(k, v []byte) error {
		c, err := decodeCard(v, string(k[len(prefix):]))
		out = append(out, c)
		return err
	})
	return out, err
}

// Answers returns userID's answer log, oldest first.
func (db *DB) Answers(userID int64) ([]Answer, error) {
	var out []Answer
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return forEachQuizEntry(tx, userID, func(pollID string, e quizEntry) {
			if e.Answered {
				out = append(out, e.answer(pollID))
			}
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: answers of %d: %w", userID, err)
	}
	sortAnswers(out)
	return out, nil
}

// sortAnswers orders a log by time, then poll id.
func sortAnswers(a []Answer) {
	slices.SortFunc(a, func(x, y Answer) int {
		if c := x.At.Compare(y.At); c != 0 {
			return c
		}
		return strings.Compare(x.PollID, y.PollID)
	})
}

// forEachQuizEntry calls fn with each of userID's quiz records and the
// poll id it is for, in key order.
func forEachQuizEntry(tx *bolt.Tx, userID int64, fn func(pollID string, e quizEntry)) error {
	prefix := userKey(userID)
	return forEachPrefix(tx.Bucket(bucketQuiz), prefix, func(k, v []byte) error {
		id, err := parsePollKey(k[len(prefix):])
		if err != nil {
			return err
		}
		e, err := decodeQuizEntry(v, userID)
		if err != nil {
			return err
		}
		fn(id, e)
		return nil
	})
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
