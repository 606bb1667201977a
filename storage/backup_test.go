package storage_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"neurotutor/storage"
)

// A hot backup taken while writers commit opens as a database, passes
// bbolt's consistency check, and holds every write acknowledged before the
// backup began (and none half-written).
func TestBackupUnderWriteLoad(t *testing.T) {
	db := MustOpen(t)
	const writers = 8
	var acked [writers]atomic.Int64 // writes of writer w acknowledged: keys 0..acked-1
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := int64(0); ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := db.SaveChartFileID(fmt.Sprintf("w%d-%d", w, i), fmt.Sprintf("file-%d-%d", w, i)); err != nil {
					t.Error(err)
					return
				}
				acked[w].Store(i + 1)
			}
		})
	}
	// Let the writers get going, then copy while they go on.
	for acked[writers-1].Load() < 50 {
		runtime.Gosched()
	}
	var before [writers]int64
	for w := range writers {
		before[w] = acked[w].Load()
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// The copy's read transaction is held open until the writers have
	// committed more (or a while has passed: a writer that must grow
	// bbolt's mmap waits for read transactions to end).
	gate := &gatedWriter{w: f, open: func() bool {
		var sum int64
		for w := range writers {
			sum += acked[w].Load() - before[w]
		}
		return sum >= 2*writers
	}}
	var announced int64
	n, err := db.Backup(gate, func(size int64) { announced = size })
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	var after int64
	for w := range writers {
		after += acked[w].Load() - before[w]
	}
	close(stop)
	wg.Wait()
	if n != announced {
		t.Fatalf("wrote %d bytes, announced %d", n, announced)
	}
	if after == 0 {
		t.Fatal("no write happened during the backup: not under load")
	}
	if v, err := storage.Verify(path); err != nil || v != storage.SchemaVersion {
		t.Fatalf("Verify = %d, %v", v, err)
	}
	copyDB, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	held := 0
	for w := range writers {
		for i := range before[w] {
			id, err := copyDB.ChartFileID(fmt.Sprintf("w%d-%d", w, i))
			if err != nil || id != fmt.Sprintf("file-%d-%d", w, i) {
				t.Fatalf("write w%d-%d acknowledged before the backup: %q, %v", w, i, id, err)
			}
			held++
		}
	}
	t.Logf("backup of %d bytes holds all %d writes acknowledged before it; %d more were committed while it ran", n, held, after)
}

// A file that is not a neurotutor database does not verify.
func TestVerifyRejectsJunk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(path, []byte("not a database"), 0o600)
	if _, err := storage.Verify(path); err == nil {
		t.Fatal("junk verified")
	}
}

// gatedWriter holds its first Write until open says so, or 10 s passed.
type gatedWriter struct {
	w      io.Writer
	open   func() bool
	opened bool
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if !g.opened {
		g.opened = true
		deadline := time.Now().Add(10 * time.Second)
		for !g.open() && time.Now().Before(deadline) {
			runtime.Gosched()
		}
	}
	return g.w.Write(p)
}
