package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"neurotutor/core"
)

// SchemaVersion is the version of the file layout this code writes.
// Version 1: users → {"v":1,"lessons_opened":[…]}. Version 2: the User
// fields below and the answers, answered, cards, polls, user_polls and
// reminders_due buckets. Version 3: the quiz log, polls and cards in
// compact binary records (records.go): the quiz, poll_owners and
// poll_times buckets replace answers, answered, polls and user_polls.
// Version 4: cards hold FSRS-6 state instead of SM-2's (migrate3to4);
// group study's buckets (groups.go), which Open creates.
const SchemaVersion = 4

var (
	bucketMeta        = []byte("meta")
	bucketUsers       = []byte("users")
	bucketQuiz        = []byte("quiz")
	bucketCards       = []byte("cards")
	bucketPollOwners  = []byte("poll_owners")
	bucketPollTimes   = []byte("poll_times")
	bucketDue         = []byte("reminders_due")
	bucketCharts      = []byte("chart_files")
	bucketGroups      = []byte("groups")
	bucketGroupScores = []byte("group_scores")
	bucketRoundPolls  = []byte("round_polls")
	bucketUserGroups  = []byte("user_groups")
	keySchema         = []byte("schema_version")
)

// allBuckets are the buckets of the current schema, created by Open.
var allBuckets = [][]byte{
	bucketMeta, bucketUsers, bucketQuiz, bucketCards,
	bucketPollOwners, bucketPollTimes, bucketDue, bucketCharts,
	bucketGroups, bucketGroupScores, bucketRoundPolls, bucketUserGroups,
}

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("storage: not found")

// ErrNewerSchema is returned by Open for a file written by a newer neurotutor.
var ErrNewerSchema = errors.New("storage: file has a newer schema than this build")

// ErrInvalid is returned for arguments that cannot be stored: a bad HH:MM,
// an unknown time zone, an empty poll id. Check it with errors.Is.
var ErrInvalid = errors.New("storage: invalid value")

// DB is the bbolt-backed store. It is safe for concurrent use.
type DB struct {
	bolt  *bolt.DB
	zones sync.Map        // zone name → *time.Location, so LoadLocation runs once per name
	fsrs  core.FSRSParams // the scheduler of every card: core.DefaultFSRS
}

// Open opens (creating if needed) the bbolt file at path, creates the
// buckets, and writes the schema version or migrates an older file to it,
// all in one transaction.
func Open(path string) (*DB, error) {
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	db := &DB{bolt: b, fsrs: core.DefaultFSRS()}
	if err := db.init(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) init() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return fmt.Errorf("storage: create meta: %w", err)
		}
		from := SchemaVersion // a new file
		if v := meta.Get(keySchema); v != nil {
			from, err = strconv.Atoi(string(v))
			if err != nil {
				return fmt.Errorf("storage: bad schema version %q: %w", v, err)
			}
			if from > SchemaVersion {
				return fmt.Errorf("%w: %d > %d", ErrNewerSchema, from, SchemaVersion)
			}
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("storage: create %s: %w", name, err)
			}
		}
		for v := from; v < SchemaVersion; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("storage: migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		return meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
}

// Close closes the file.
func (db *DB) Close() error { return db.bolt.Close() }

// SchemaVersion reports the schema version stored in the file.
func (db *DB) SchemaVersion() (int, error) {
	var n int
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keySchema)
		if v == nil {
			return ErrNotFound
		}
		var err error
		n, err = strconv.Atoi(string(v))
		return err
	})
	return n, err
}

// User is the per-user record: progress, streak and reminder settings.
// The quiz answer log and per-question state are separate (Answers, Cards).
type User struct {
	V               int      `json:"v"`
	LessonsOpened   []int    `json:"lessons_opened,omitempty"`   // lesson numbers, ascending
	LessonsFinished []int    `json:"lessons_finished,omitempty"` // lesson numbers, ascending
	LabsTried       []string `json:"labs_tried,omitempty"`       // lab names, ascending
	Streak          Streak   `json:"streak,omitzero"`
	Reminder        Reminder `json:"reminder,omitzero"`
}

func userKey(id int64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, uint64(id))
	return k
}

// userSubKey returns uid|suffix, the key of a per-user record in a shared bucket.
func userSubKey(id int64, suffix []byte) []byte {
	k := make([]byte, 8, 8+len(suffix))
	binary.BigEndian.PutUint64(k, uint64(id))
	return append(k, suffix...)
}

func getUser(tx *bolt.Tx, id int64) (User, error) {
	v := tx.Bucket(bucketUsers).Get(userKey(id))
	if v == nil {
		return User{V: SchemaVersion}, ErrNotFound
	}
	u, err := decodeUser(v)
	if err != nil {
		return u, fmt.Errorf("storage: decode user %d: %w", id, err)
	}
	return u, nil
}

// getOrNewUser is getUser with a missing record read as an empty one.
func getOrNewUser(tx *bolt.Tx, id int64) (User, error) {
	u, err := getUser(tx, id)
	if errors.Is(err, ErrNotFound) {
		return u, nil
	}
	return u, err
}

func putUser(tx *bolt.Tx, id int64, u User) error {
	u.V = SchemaVersion
	v, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("storage: encode user %d: %w", id, err)
	}
	return tx.Bucket(bucketUsers).Put(userKey(id), v)
}

// User returns the record of userID, or ErrNotFound.
func (db *DB) User(userID int64) (User, error) {
	var u User
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		u, err = getUser(tx, userID)
		return err
	})
	return u, err
}

// updateUser runs fn on userID's record (empty if missing) in a batched
// write transaction and stores the result unless fn reports no change.
func (db *DB) updateUser(userID int64, fn func(tx *bolt.Tx, u *User) (changed bool, err error)) error {
	return db.bolt.Batch(func(tx *bolt.Tx) error {
		u, err := getOrNewUser(tx, userID)
		if err != nil {
			return err
		}
		changed, err := fn(tx, &u)
		if err != nil || !changed {
			return err
		}
		return putUser(tx, userID, u)
	})
}

// updateRecord is updateUser for changes that touch only the user record
// (progress, streak). Most such calls change nothing — the streak already
// counted today, a lesson opened before — so a read-only transaction
// decides that first, without waiting for a batch (bbolt's Batch holds a
// lone writer up to MaxBatchDelay, 10 ms).
func (db *DB) updateRecord(userID int64, fn func(u *User) (changed bool, err error)) error {
	var changed bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		u, err := getOrNewUser(tx, userID)
		if err != nil {
			return err
		}
		changed, err = fn(&u)
		return err
	})
	if err != nil || !changed {
		return err
	}
	return db.updateUser(userID, func(_ *bolt.Tx, u *User) (bool, error) { return fn(u) })
}

// insertSorted inserts x into the ascending slice s unless present.
func insertSorted[T int | string](s []T, x T) ([]T, bool) {
	i, found := slices.BinarySearch(s, x)
	if found {
		return s, false
	}
	return slices.Insert(s, i, x), true
}

// prefixKeys returns copies of the keys of b that start with prefix.
func prefixKeys(b *bolt.Bucket, prefix []byte) [][]byte {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	return keys
}
