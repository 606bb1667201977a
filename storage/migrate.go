package storage

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"neurotutor/core"
)

// migrations[v] upgrades a file from schema v to v+1 inside Open's
// transaction; the buckets of the current schema already exist.
var migrations = map[int]func(*bolt.Tx) error{
	1: migrate1to2,
	2: migrate2to3,
}

// userV1 is the users record of schema 1.
type userV1 struct {
	V             int   `json:"v"`
	LessonsOpened []int `json:"lessons_opened,omitempty"`
}

// migrate1to2 rewrites every users record in the version 2 format. The
// version 1 fields keep their meaning; the new ones start empty.
func migrate1to2(tx *bolt.Tx) error {
	users := tx.Bucket(bucketUsers)
	type rec struct {
		k []byte
		u User
	}
	var recs []rec
	err := users.ForEach(func(k, v []byte) error {
		var old userV1
		if err := json.Unmarshal(v, &old); err != nil {
			return fmt.Errorf("decode v1 user %x: %w", k, err)
		}
		if old.V > 1 {
			return nil // already rewritten
		}
		opened := slices.Clone(old.LessonsOpened)
		slices.Sort(opened)
		recs = append(recs, rec{slices.Clone(k), User{LessonsOpened: slices.Compact(opened)}})
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range recs { // not inside ForEach: bbolt forbids writes there
		u := r.u
		u.V = 2
		v, err := json.Marshal(u)
		if err != nil {
			return err
		}
		if err := users.Put(r.k, v); err != nil {
			return err
		}
	}
	return nil
}

// Buckets of schema 2 that schema 3 replaces.
var (
	bucketAnswersV2   = []byte("answers")    // uid|seq → answerV2
	bucketAnsweredV2  = []byte("answered")   // uid|poll id → answers key
	bucketPollsV2     = []byte("polls")      // poll id → pollV2
	bucketUserPollsV2 = []byte("user_polls") // uid|poll id → ""
)

// pollV2, answerV2 and cardV2 are the JSON records of schema 2.
type pollV2 struct {
	UserID        int64     `json:"user_id"`
	ChatID        int64     `json:"chat_id"`
	QuestionID    string    `json:"question_id"`
	CorrectOption int       `json:"correct_option"`
	SentAt        time.Time `json:"sent_at"`
}

type answerV2 struct {
	PollID     string    `json:"poll_id"`
	QuestionID string    `json:"question_id"`
	Option     int       `json:"option"`
	Correct    bool      `json:"correct"`
	At         time.Time `json:"at"`
}

type cardV2 struct {
	SM2        core.ReviewState `json:"sm2"`
	LastReview time.Time        `json:"last_review"`
	Answers    int              `json:"answers"`
	Right      int              `json:"right"`
}

// migrate2to3 turns the JSON quiz records of schema 2 into the binary
// ones of schema 3 (records.go) and drops the old buckets:
//   - each poll becomes its asker's quiz record, an owner entry and a
//     send-time entry; the first prune drops those older than PollMaxAge,
//     unless answered;
//   - each answer is merged into the user's record of its poll, or
//     becomes one (an answer to someone else's poll);
//   - the answered index goes: the quiz record is the idempotency key;
//   - cards are rewritten in place.
//
// Times lose their sub-second part; nothing else changes, so Export
// gives the same answers, cards and polls. All of it happens in Open's
// one transaction, which holds the rewritten pages in memory until it
// commits: about the size of the new buckets.
func migrate2to3(tx *bolt.Tx) error {
	quiz, owners, times := tx.Bucket(bucketQuiz), tx.Bucket(bucketPollOwners), tx.Bucket(bucketPollTimes)
	if polls := tx.Bucket(bucketPollsV2); polls != nil {
		err := polls.ForEach(func(k, v []byte) error { // writes go to other buckets only
			var p pollV2
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode v2 poll %q: %w", k, err)
			}
			pk, err := pollKey(string(k))
			if err != nil {
				return fmt.Errorf("v2 poll %q: %w", k, err)
			}
			p.SentAt = storedTime(p.SentAt)
			e := quizEntry{QuestionID: p.QuestionID, Own: true, ChatID: p.ChatID, CorrectOption: p.CorrectOption, SentAt: p.SentAt}
			if err := quiz.Put(userSubKey(p.UserID, pk), e.encode(p.UserID)); err != nil {
				return err
			}
			if err := owners.Put(pk, binary.AppendUvarint(nil, uint64(p.UserID))); err != nil {
				return err
			}
			return times.Put(pollTimeKey(p.SentAt, pk), nil)
		})
		if err != nil {
			return err
		}
	}
	if answers := tx.Bucket(bucketAnswersV2); answers != nil {
		err := answers.ForEach(func(k, v []byte) error { // in log order per user
			var a answerV2
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("decode v2 answer %x: %w", k, err)
			}
			if len(k) != 16 {
				return fmt.Errorf("v2 answer key %x", k)
			}
			uid := int64(binary.BigEndian.Uint64(k))
			pk, err := pollKey(a.PollID)
			if err != nil {
				return fmt.Errorf("v2 answer %x: %w", k, err)
			}
			key := userSubKey(uid, pk)
			var e quizEntry
			if old := quiz.Get(key); old != nil {
				if e, err = decodeQuizEntry(old, uid); err != nil {
					return err
				}
			}
			if e.Answered {
				return nil // cannot happen (answered kept one per poll and user); the first stays
			}
			e.QuestionID = a.QuestionID
			e.Answered, e.Option, e.Correct, e.At = true, a.Option, a.Correct, storedTime(a.At)
			return quiz.Put(key, e.encode(uid))
		})
		if err != nil {
			return err
		}
	}
	cards := tx.Bucket(bucketCards)
	type rec struct{ k, v []byte }
	var recs []rec
	err := cards.ForEach(func(k, v []byte) error {
		if len(v) > 0 && v[0] != '{' {
			return nil // already binary
		}
		var c cardV2
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("decode v2 card %x: %w", k, err)
		}
		if len(k) < 8 {
			return fmt.Errorf("v2 card key %x", k)
		}
		recs = append(recs, rec{slices.Clone(k), encodeCard(Card{
			SM2: c.SM2, LastReview: storedTime(c.LastReview), Answers: c.Answers, Right: c.Right,
		})})
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range recs { // not inside ForEach: bbolt forbids writes there
		if err := cards.Put(r.k, r.v); err != nil {
			return err
		}
	}
	for _, name := range [][]byte{bucketAnswersV2, bucketAnsweredV2, bucketPollsV2, bucketUserPollsV2} {
		if tx.Bucket(name) == nil {
			continue // a file migrated from schema 1 never had it
		}
		if err := tx.DeleteBucket(name); err != nil {
			return fmt.Errorf("drop %s: %w", name, err)
		}
	}
	return nil
}

// decodeUser reads a users record of any known version.
func decodeUser(v []byte) (User, error) {
	var u User
	if err := json.Unmarshal(v, &u); err != nil {
		return u, err
	}
	if u.V > SchemaVersion {
		return u, fmt.Errorf("record version %d > %d", u.V, SchemaVersion)
	}
	// A version 1 record decodes as version 2 with empty new fields; Open
	// has normally rewritten it already.
	u.V = SchemaVersion
	return u, nil
}
