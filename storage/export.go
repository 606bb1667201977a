package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ExportDoc is the document Export produces: everything stored about one
// user. Polls are those sent at the user's request that are not pruned
// yet (see PollMaxAge) or that the user answered.
type ExportDoc struct {
	SchemaVersion int          `json:"schema_version"`
	UserID        int64        `json:"user_id"`
	User          *User        `json:"user,omitempty"`
	Answers       []Answer     `json:"answers"`
	Cards         []Card       `json:"cards"`
	Polls         []ExportPoll `json:"polls"`
}

// ExportPoll is a PollRecord with its poll id.
type ExportPoll struct {
	PollID string `json:"poll_id"`
	PollRecord
}

// Export returns everything stored about userID as an indented JSON
// ExportDoc, read in one transaction, or ErrNotFound if nothing is stored.
// Answers and polls are in time order.
func (db *DB) Export(userID int64) ([]byte, error) {
	doc := ExportDoc{SchemaVersion: SchemaVersion, UserID: userID, Answers: []Answer{}, Cards: []Card{}, Polls: []ExportPoll{}}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		u, err := getUser(tx, userID)
		switch {
		case err == nil:
			doc.User = &u
		case !errors.Is(err, ErrNotFound):
			return err
		}
		err = forEachQuizEntry(tx, userID, func(pollID string, e quizEntry) {
			if e.Answered {
				doc.Answers = append(doc.Answers, e.answer(pollID))
			}
			if e.Own {
				doc.Polls = append(doc.Polls, ExportPoll{PollID: pollID, PollRecord: e.poll(userID)})
			}
		})
		if err != nil {
			return err
		}
		cards, err := userCards(tx, userID)
		doc.Cards = append(doc.Cards, cards...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storage: export %d: %w", userID, err)
	}
	if doc.User == nil && len(doc.Answers) == 0 && len(doc.Cards) == 0 && len(doc.Polls) == 0 {
		return nil, fmt.Errorf("storage: export %d: %w", userID, ErrNotFound)
	}
	sortAnswers(doc.Answers)
	slices.SortFunc(doc.Polls, func(a, b ExportPoll) int {
		if c := a.SentAt.Compare(b.SentAt); c != 0 {
			return c
		}
		return strings.Compare(a.PollID, b.PollID)
	})
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("storage: export %d: %w", userID, err)
	}
	return out, nil
}

// Forget deletes everything stored about userID in one transaction: the
// user record, the reminder and its index entry, the answer log,
// per-question states, and the polls sent at the user's request with
// their index entries (a later answer to one of them is then
// ErrNotFound). Others' answers to those polls are theirs and stay.
// Forgetting an unknown user is not an error.
func (db *DB) Forget(userID int64) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		u, err := getUser(tx, userID)
		switch {
		case err == nil:
			if err := unindex(tx, userID, &u.Reminder); err != nil {
				return err
			}
			if err := tx.Bucket(bucketUsers).Delete(userKey(userID)); err != nil {
				return err
			}
		case !errors.Is(err, ErrNotFound):
			return err
		}
		prefix := userKey(userID)
		quiz := tx.Bucket(bucketQuiz)
		for _, k := range prefixKeys(quiz, prefix) {
			pk := k[len(prefix):]
			if owner, ok := pollOwner(tx, pk); ok && owner == userID {
				if err := unlinkPoll(tx, pk, userID, false); err != nil {
					return err
				}
			}
			if err := quiz.Delete(k); err != nil {
				return err
			}
		}
		cards := tx.Bucket(bucketCards)
		for _, k := range prefixKeys(cards, prefix) {
			if err := cards.Delete(k); err != nil {
				return err
			}
		}
		return forgetScores(tx, userID)
	})
	if err != nil {
		return fmt.Errorf("storage: forget %d: %w", userID, err)
	}
	return nil
}
