package storage

import (
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Space (test builds only) reports the room the file takes: file is its
// size on disk (bbolt grows it ahead of need: to the next power of two
// up to AllocSize, 16 MiB, then to the pages written plus 16 MiB), pages
// is the high-water mark of pages written (the file as bbolt needs it,
// free pages inside included), and inUse is pages minus the free ones,
// which later writes reuse.
func (db *DB) Space(tb testing.TB) (file, pages, inUse int64) {
	tb.Helper()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		pages = tx.Size()
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	st := db.bolt.Stats()
	inUse = pages - int64(st.FreePageN+st.PendingPageN)*int64(db.bolt.Info().PageSize)
	fi, err := os.Stat(db.bolt.Path())
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Size(), pages, inUse
}

// NoSync (test builds only) skips fsync on commit until cleanup: the
// layout is the same, the writes just do not wait for the disk.
func (db *DB) NoSync(tb testing.TB) {
	db.bolt.NoSync = true
	tb.Cleanup(func() { db.bolt.NoSync = false })
}

// BatchSize (test builds only) sets how many concurrent calls a Batch
// transaction takes before it commits without waiting MaxBatchDelay: a
// workload of n goroutines in step then commits as soon as all n have
// called, with the same transactions, only sooner.
func (db *DB) BatchSize(tb testing.TB, n int) {
	old := db.bolt.MaxBatchSize
	db.bolt.MaxBatchSize = n
	tb.Cleanup(func() { db.bolt.MaxBatchSize = old })
}
