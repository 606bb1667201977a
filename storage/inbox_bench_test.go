package storage_test

import (
	"fmt"
	"sync"
	"testing"

	"neurotutor/storage"
)

// BenchmarkInboxBatch100 is the inbox's cost for one getUpdates batch of
// 100 updates: the batch and the next offset written in one transaction,
// then each update marked done by its handler (concurrently, as the
// workers do, so bbolt's Batch groups them). Real fsyncs: the file is
// durable as in production.
func BenchmarkInboxBatch100(b *testing.B) {
	db := MustOpen(b)
	const n = 100
	raw := func(id int64) []byte {
		return fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":1,"from":{"id":%d,"is_bot":false,"first_name":"Аня"},"chat":{"id":%d,"type":"private","first_name":"Аня"},"date":1764750000,"text":"/neuron w=0.5,1 x=2,3 b=-1","entities":[{"offset":0,"length":7,"type":"bot_command"}]}}`, id, id%200, id%200)
	}
	next := int64(1)
	b.ReportAllocs()
	for b.Loop() {
		batch := make([]storage.InboxUpdate, n)
		for i := range batch {
			batch[i] = storage.InboxUpdate{ID: next + int64(i), Raw: raw(next + int64(i))}
		}
		fresh, err := db.InboxPut(batch, next+n)
		if err != nil || len(fresh) != n {
			b.Fatalf("put: %d fresh, %v", len(fresh), err)
		}
		var wg sync.WaitGroup
		for _, u := range fresh {
			wg.Go(func() {
				if err := db.InboxDone(u.ID); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		next += n
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/n, "µs/update")
}
