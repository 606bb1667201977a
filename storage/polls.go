package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// PollMaxAge is how long a quiz poll can be answered: an answer that
// comes later is ignored (RecordAnswer returns ErrExpired), and
// PrunePolls drops the poll's mapping once it is this old.
//
// Seven days: a learner answers a quiz within minutes, a reminder's poll
// within the day, and one who was away for a weekend or a short holiday
// still finds the last polls answerable. An older question is not lost:
// spaced repetition asks it again. Learners' answers, and the polls
// their askers answered, are kept until Forget; the mapping that lets
// anyone answer a poll goes, so the poll index on disk holds about a
// week of polls, not every poll ever sent.
const PollMaxAge = 7 * 24 * time.Hour

// ErrExpired is returned by RecordAnswer for an answer to a poll sent
// more than PollMaxAge before it. It is an ErrNotFound too: a pruned
// poll is simply unknown.
var ErrExpired = fmt.Errorf("%w: poll expired", ErrNotFound)

// expired reports whether an answer at at to a poll sent at sent comes
// too late.
func expired(sent, at time.Time) bool { return at.Sub(sent) > PollMaxAge }

// PollRecord is what the bot remembers about a quiz poll it sent, so that
// a poll_answer arriving later, even after a restart, can be scored.
// SentAt is kept in whole seconds.
type PollRecord struct {
	V             int       `json:"v"`
	UserID        int64     `json:"user_id"` // who asked for the quiz; Forget(UserID) deletes the record
	ChatID        int64     `json:"chat_id"`
	QuestionID    string    `json:"question_id"`
	CorrectOption int       `json:"correct_option"` // 0-based index of the right option
	SentAt        time.Time `json:"sent_at"`
	// MessageID is the poll's message in ChatID, so that PrunePolls can
	// have it closed; 0 when unknown (polls saved before it was kept).
	MessageID int `json:"message_id,omitempty"`
}

// SavePoll stores the poll id → question mapping, as the asking user's
// record of the poll, the poll's owner and its place in the send-time
// index. Saving the same id again overwrites it. The id must be 1 to 255
// bytes (Telegram's are decimal numbers), the question id at most 255
// bytes and the option non-negative, else ErrInvalid.
func (db *DB) SavePoll(pollID string, p PollRecord) error {
	pk, err := pollKey(pollID)
	if err != nil {
		return err
	}
	if len(p.QuestionID) > maxQuestionID || p.CorrectOption < 0 {
		return fmt.Errorf("%w: poll %s: question id of %d bytes, option %d", ErrInvalid, pollID, len(p.QuestionID), p.CorrectOption)
	}
	err = db.bolt.Batch(func(tx *bolt.Tx) error { return savePoll(tx, pk, p) })
	if err != nil {
		return fmt.Errorf("storage: save poll %s: %w", pollID, err)
	}
	return nil
}

// savePoll is SavePoll in tx, for a valid key.
func savePoll(tx *bolt.Tx, pk []byte, p PollRecord) error {
	p.SentAt = storedTime(p.SentAt)
	if err := unlinkPoll(tx, pk, p.UserID, false); err != nil {
		return err
	}
	quiz, times := tx.Bucket(bucketQuiz), tx.Bucket(bucketPollTimes)
	key := userSubKey(p.UserID, pk)
	var e quizEntry // an answer to this id saved before keeps its fields
	if v := quiz.Get(key); v != nil {
		old, err := decodeQuizEntry(v, p.UserID)
		if err != nil {
			return err
		}
		e = old
	}
	e.Own, e.QuestionID, e.ChatID, e.CorrectOption, e.SentAt, e.MessageID = true, p.QuestionID, p.ChatID, p.CorrectOption, p.SentAt, max(p.MessageID, 0)
	if err := quiz.Put(key, e.encode(p.UserID)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketPollOwners).Put(pk, binary.AppendUvarint(nil, uint64(p.UserID))); err != nil {
		return err
	}
	times.FillPercent = 0.9 // keys grow with time: appends, mostly
	return times.Put(pollTimeKey(p.SentAt, pk), nil)
}

// pollOwner returns the user who asked for the poll with key pk, and
// whether the poll is known.
func pollOwner(tx *bolt.Tx, pk []byte) (int64, bool) {
	v := tx.Bucket(bucketPollOwners).Get(pk)
	if v == nil {
		return 0, false
	}
	uid, n := binary.Uvarint(v)
	return int64(uid), n > 0
}

// getPoll returns the record of the poll with key pk: the owner's entry.
func getPoll(tx *bolt.Tx, pk []byte) (int64, quizEntry, error) {
	owner, ok := pollOwner(tx, pk)
	if !ok {
		return 0, quizEntry{}, ErrNotFound
	}
	v := tx.Bucket(bucketQuiz).Get(userSubKey(owner, pk))
	if v == nil {
		return 0, quizEntry{}, fmt.Errorf("poll owned by %d has no record", owner)
	}
	e, err := decodeQuizEntry(v, owner)
	if err == nil && !e.Own {
		err = fmt.Errorf("poll owned by %d is not its", owner)
	}
	return owner, e, err
}

// unlinkPoll removes the poll with key pk from the owner and time
// indexes, so that nobody can answer it any more, and settles its
// owner's record:
//   - expire (PrunePolls): an answered record stays whole, the answer and
//     the poll it answered are kept for good; an unanswered one goes;
//   - otherwise (SavePoll, Forget): keep, the user about to save the id
//     again, keeps the record; another owner's answered record keeps the
//     answer but no longer holds the poll, now someone else's; an
//     unanswered one goes.
//
// A poll not in the indexes is left alone.
func unlinkPoll(tx *bolt.Tx, pk []byte, keep int64, expire bool) error {
	owner, ok := pollOwner(tx, pk)
	if !ok {
		return nil
	}
	if err := tx.Bucket(bucketPollOwners).Delete(pk); err != nil {
		return err
	}
	quiz := tx.Bucket(bucketQuiz)
	key := userSubKey(owner, pk)
	v := quiz.Get(key)
	if v == nil {
		return nil
	}
	e, err := decodeQuizEntry(v, owner)
	if err != nil {
		return err
	}
	if !e.Own {
		return nil
	}
	if err := tx.Bucket(bucketPollTimes).Delete(pollTimeKey(e.SentAt, pk)); err != nil {
		return err
	}
	switch {
	case !e.Answered:
		if !expire && owner == keep {
			return nil
		}
		return quiz.Delete(key)
	case expire || owner == keep:
		return nil
	default:
		e.Own = false
		return quiz.Put(key, e.encode(owner))
	}
}

// Poll returns the record saved for pollID, or ErrNotFound (never saved,
// forgotten, or pruned).
func (db *DB) Poll(pollID string) (PollRecord, error) {
	var p PollRecord
	err := db.bolt.View(func(tx *bolt.Tx) error {
		pk, err := pollKey(pollID)
		if err != nil {
			return ErrNotFound
		}
		owner, e, err := getPoll(tx, pk)
		p = e.poll(owner)
		return err
	})
	if err != nil {
		return PollRecord{}, fmt.Errorf("storage: poll %s: %w", pollID, err)
	}
	return p, nil
}

// OpenPoll is the message of a poll PrunePolls dropped that may still
// take votes in its chat, for the bot to close with stopPoll.
type OpenPoll struct {
	ChatID    int64
	MessageID int
}

// PrunePolls drops, in one transaction, up to limit polls sent more than
// PollMaxAge before now, oldest first, and returns how many it dropped;
// call it again while it returns limit. It reads only the expired part of
// the send-time index. A dropped poll's record stays where it holds its
// owner's answer (the answer and the poll it answered are kept for good,
// and show in Export); an unanswered one goes.
//
// It also returns the dropped polls that may still be open in their
// chats, so that the bot closes them (a vote there would no longer
// count): every one with a known message id except those answered in
// their owner's private chat, where the owner is the only voter and a
// quiz answer is final.
func (db *DB) PrunePolls(now time.Time, limit int) (int, []OpenPoll, error) {
	if limit <= 0 {
		return 0, nil, nil
	}
	var (
		n    int
		open []OpenPoll
	)
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		open = open[:0] // Update may not run twice, but stay correct if it did
		// A poll sent at second s is expired once s < now − PollMaxAge.
		cutoff := now.Add(-PollMaxAge)
		last := cutoff.Unix() // the last expired second
		if cutoff.Nanosecond() == 0 {
			last--
		}
		if last < 0 {
			return nil
		}
		end := pollTimeKey(unixTime(last), nil)
		var keys [][]byte
		times := tx.Bucket(bucketPollTimes)
		c := times.Cursor()
		for k, _ := c.First(); k != nil && len(keys) < limit && bytes.Compare(k[:4], end) <= 0; k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			pk := k[4:]
			// Unlink the poll only if this entry is its current one; drop
			// the owner entry of a poll whose record is missing or bad.
			owner, e, err := getPoll(tx, pk)
			switch {
			case err == nil && bytes.Equal(pollTimeKey(e.SentAt, pk), k):
				if e.MessageID > 0 && !(e.Answered && e.ChatID == owner) {
					open = append(open, OpenPoll{ChatID: e.ChatID, MessageID: e.MessageID})
				}
				if err := unlinkPoll(tx, pk, 0, true); err != nil {
					return err
				}
			case err != nil && !errors.Is(err, ErrNotFound):
				if err := tx.Bucket(bucketPollOwners).Delete(pk); err != nil {
					return err
				}
			}
			if err := times.Delete(k); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("storage: prune polls: %w", err)
	}
	return n, open, nil
}
