package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the version of the file layout this code writes.
const SchemaVersion = 1

var (
	bucketMeta  = []byte("meta")
	bucketUsers = []byte("users")
	keySchema   = []byte("schema_version")
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("storage: not found")

// ErrNewerSchema is returned by Open for a file written by a newer neurotutor.
var ErrNewerSchema = errors.New("storage: file has a newer schema than this build")

// DB is the bbolt-backed store. It is safe for concurrent use.
type DB struct {
	bolt *bolt.DB
}

// Open opens (creating if needed) the bbolt file at path, creates the
// buckets and writes or checks the schema version.
func Open(path string) (*DB, error) {
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	db := &DB{bolt: b}
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
		if _, err := tx.CreateBucketIfNotExists(bucketUsers); err != nil {
			return fmt.Errorf("storage: create users: %w", err)
		}
		if v := meta.Get(keySchema); v != nil {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return fmt.Errorf("storage: bad schema version %q: %w", v, err)
			}
			if n > SchemaVersion {
				return fmt.Errorf("%w: %d > %d", ErrNewerSchema, n, SchemaVersion)
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

// User is everything stored about one learner.
type User struct {
	V             int   `json:"v"`
	LessonsOpened []int `json:"lessons_opened,omitempty"` // lesson numbers, ascending
}

func userKey(id int64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, uint64(id))
	return k
}

func getUser(tx *bolt.Tx, id int64) (User, error) {
	var u User
	v := tx.Bucket(bucketUsers).Get(userKey(id))
	if v == nil {
		return User{V: SchemaVersion}, ErrNotFound
	}
	if err := json.Unmarshal(v, &u); err != nil {
		return u, fmt.Errorf("storage: decode user %d: %w", id, err)
	}
	return u, nil
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

// MarkLessonOpened records that userID opened lesson n (1-based).
// It is idempotent.
func (db *DB) MarkLessonOpened(userID int64, n int) error {
	err := db.bolt.Batch(func(tx *bolt.Tx) error {
		u, err := getUser(tx, userID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		i, found := slices.BinarySearch(u.LessonsOpened, n)
		if found {
			return nil
		}
		u.LessonsOpened = slices.Insert(u.LessonsOpened, i, n)
		return putUser(tx, userID, u)
	})
	if err != nil {
		return fmt.Errorf("storage: mark lesson %d opened by %d: %w", n, userID, err)
	}
	return nil
}

// LessonsOpened returns the lesson numbers userID has opened, ascending.
func (db *DB) LessonsOpened(userID int64) ([]int, error) {
	u, err := db.User(userID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return u.LessonsOpened, err
}
