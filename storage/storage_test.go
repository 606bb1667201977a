package storage_test

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"neurotutor/storage"
)

// MustOpen opens a fresh bbolt file in a temp dir and closes it at cleanup.
func MustOpen(tb testing.TB) *storage.DB {
	tb.Helper()
	db, err := storage.Open(filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestSchemaVersionWritten(t *testing.T) {
	db := MustOpen(t)
	v, err := db.SchemaVersion()
	if err != nil || v != storage.SchemaVersion {
		t.Fatalf("SchemaVersion() = %d, %v; want %d", v, err, storage.SchemaVersion)
	}
}

func TestLessonsOpenedSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{3, 1, 3, 2} {
		if err := db.MarkLessonOpened(7, n); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db, err = storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.LessonsOpened(7)
	if err != nil || !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("LessonsOpened = %v, %v; want [1 2 3]", got, err)
	}
	other, err := db.LessonsOpened(8)
	if err != nil || len(other) != 0 {
		t.Fatalf("unknown user: %v, %v", other, err)
	}
}

func TestConcurrentMarks(t *testing.T) {
	db := MustOpen(t)
	var wg sync.WaitGroup
	for u := int64(1); u <= 20; u++ {
		for n := 1; n <= 5; n++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := db.MarkLessonOpened(u, n); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	for u := int64(1); u <= 20; u++ {
		got, _ := db.LessonsOpened(u)
		if !slices.Equal(got, []int{1, 2, 3, 4, 5}) {
			t.Fatalf("user %d: %v", u, got)
		}
	}
}
