package storage

import (
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ExportDoc is the document Export produces: everything stored about one
// user. Polls are those sent at the user's request.
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
		prefix := userKey(userID)
		err = forEachPrefix(tx.Bucket(bucketAnswers), prefix, func(_, v []byte) error {
			var a Answer
			doc.Answers = append(doc.Answers, a)
			return json.Unmarshal(v, &doc.Answers[len(doc.Answers)-1])
		})
		if err != nil {
			return fmt.Errorf("decode answer: %w", err)
		}
		err = forEachPrefix(tx.Bucket(bucketCards), prefix, func(_, v []byte) error {
			var c Card
			doc.Cards = append(doc.Cards, c)
			return json.Unmarshal(v, &doc.Cards[len(doc.Cards)-1])
		})
		if err != nil {
			return fmt.Errorf("decode card: %w", err)
		}
		return forEachPrefix(tx.Bucket(bucketUserPolls), prefix, func(k, _ []byte) error {
			id := string(k[len(prefix):])
			p, err := getPoll(tx, id)
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			doc.Polls = append(doc.Polls, ExportPoll{PollID: id, PollRecord: p})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: export %d: %w", userID, err)
	}
	if doc.User == nil && len(doc.Answers) == 0 && len(doc.Cards) == 0 && len(doc.Polls) == 0 {
		return nil, fmt.Errorf("storage: export %d: %w", userID, ErrNotFound)
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("storage: export %d: %w", userID, err)
	}
	return out, nil
}

// Forget deletes everything stored about userID in one transaction: the
// user record, the reminder and its index entry, the answer log and its
// idempotency keys, per-question states, and the polls sent at the user's
// request (a later answer to one of them is then ErrNotFound). Forgetting
// an unknown user is not an error.
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
		polls := tx.Bucket(bucketPolls)
		for _, k := range prefixKeys(tx.Bucket(bucketUserPolls), prefix) {
			if err := polls.Delete(k[len(prefix):]); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{bucketUserPolls, bucketAnswers, bucketAnswered, bucketCards} {
			b := tx.Bucket(name)
			for _, k := range prefixKeys(b, prefix) {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: forget %d: %w", userID, err)
	}
	return nil
}
