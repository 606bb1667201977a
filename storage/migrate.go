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
	3: migrate3to4,
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
	err := rewrite(tx.Bucket(bucketCards), func(k, v []byte) ([]byte, error) {
		if len(v) > 0 && v[0] != '{' {
			return nil, nil // already binary
		}
		var c cardV2
		if err := json.Unmarshal(v, &c); err != nil {
			return nil, fmt.Errorf("decode v2 card %x: %w", k, err)
		}
		if len(k) < 8 {
			return nil, fmt.Errorf("v2 card key %x", k)
		}
		return encodeCardV3(cardV3{SM2: c.SM2, LastReview: storedTime(c.LastReview), Answers: c.Answers, Right: c.Right}), nil
	})
	if err != nil {
		return err
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

// migrate3to4 moves every card from SM-2 to FSRS-6 (core.DefaultFSRS), in
// place, with fsrs-rs's mapping (core.FSRSParams.FromSM2): SM-2's
// interval becomes the stability (the days until recall falls to 90 %),
// the ease factor becomes a difficulty, and the card stays due when SM-2
// said — except that a due date beyond FSRS's maximum interval (36 500
// days; SM-2's intervals grew without bound) is brought to it. FSRS's
// reps are the card's answers and its lapses 0 (SM-2 kept neither). A
// card SM-2 never scheduled stays FSRS-new and keeps its times. Answers
// and right answers are kept.
func migrate3to4(tx *bolt.Tx) error {
	p := core.DefaultFSRS()
	return rewrite(tx.Bucket(bucketCards), func(k, v []byte) ([]byte, error) {
		if len(v) > 0 && v[0] == cardV {
			return nil, nil // already FSRS
		}
		old, err := decodeCardV3(v)
		if err != nil {
			return nil, fmt.Errorf("card %x: %w", k, err)
		}
		return encodeCard(cardFromSM2(p, old)), nil
	})
}

// rewrite replaces each value of b by fn's result, leaving the values
// for which fn returns nil as they are. The writes come after the scan:
// bbolt forbids them inside ForEach.
func rewrite(b *bolt.Bucket, fn func(k, v []byte) ([]byte, error)) error {
	type rec struct{ k, v []byte }
	var recs []rec
	err := b.ForEach(func(k, v []byte) error {
		nv, err := fn(k, v)
		if nv != nil {
			recs = append(recs, rec{slices.Clone(k), nv})
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := b.Put(r.k, r.v); err != nil {
			return err
		}
	}
	return nil
}

// cardFromSM2 is migrate3to4's mapping of one card.
func cardFromSM2(p core.FSRSParams, old cardV3) Card {
	c := Card{V: SchemaVersion, LastReview: old.LastReview, Answers: old.Answers, Right: old.Right}
	sm2 := old.SM2
	sm2.IntervalDays = min(max(sm2.IntervalDays, 0), p.MaximumInterval)
	if !(sm2.EaseFactor >= core.MinEaseFactor) {
		sm2.EaseFactor = core.MinEaseFactor // a record off SM-2's grid: read as the hardest
	}
	c.Due = sm2.Due(old.LastReview)
	c.FSRS = p.FromSM2(sm2, old.LastReview)
	if c.FSRS.State != core.FSRSNew {
		c.FSRS.Reps, c.FSRS.Lapses = old.Answers, 0
		c.FSRS.Due = c.Due
	}
	return c
}
