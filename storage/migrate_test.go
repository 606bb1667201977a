package storage_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"neurotutor/storage"
)

// writeV1 creates a schema-1 file the way the first storage.go wrote it.
func writeV1(t *testing.T, path string, users map[int64]string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		if err := meta.Put([]byte("schema_version"), []byte("1")); err != nil {
			return err
		}
		ub, err := tx.CreateBucket([]byte("users"))
		if err != nil {
			return err
		}
		for id, v := range users {
			if err := ub.Put(binary.BigEndian.AppendUint64(nil, uint64(id)), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	writeV1(t, path, map[int64]string{
		7:  `{"v":1,"lessons_opened":[1,3]}`,
		8:  `{"v":1}`,
		42: `{"v":1,"lessons_opened":[2]}`,
	})
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.SchemaVersion(); err != nil || v != 2 {
		t.Fatalf("SchemaVersion = %d, %v; want 2", v, err)
	}
	u, err := db.User(7)
	if err != nil || u.V != 2 || !slices.Equal(u.LessonsOpened, []int{1, 3}) {
		t.Fatalf("User(7) = %+v, %v", u, err)
	}
	// The new buckets exist and the migrated user can use them.
	if err := db.MarkLessonFinished(7, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetReminder(42, 42, "09:30", "UTC+3", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePoll("p", storage.PollRecord{UserID: 8, QuestionID: "q"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Every record was rewritten with "v":2.
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("users")).ForEach(func(k, v []byte) error {
			var rec struct{ V int }
			if err := json.Unmarshal(v, &rec); err != nil || rec.V != 2 {
				t.Errorf("user %x: %s", k, v)
			}
			return nil
		})
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}

	// Opening again is a no-op.
	db, err = storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, _ = db.User(7)
	if !slices.Equal(u.LessonsOpened, []int{1, 3}) || !slices.Equal(u.LessonsFinished, []int{3}) {
		t.Fatalf("after reopen: %+v", u)
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error {
		m, _ := tx.CreateBucket([]byte("meta"))
		return m.Put([]byte("schema_version"), []byte("3"))
	})
	b.Close()
	if _, err := storage.Open(path); !errors.Is(err, storage.ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
}
