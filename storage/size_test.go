package storage_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"neurotutor/storage"
)

// questionIDs stands for the quiz bank: 64 ids shaped like the real
// ones ("n1", "a12", "gen:neuron").
var questionIDs = func() []string {
	var ids []string
	for _, p := range []string{"n", "a", "e", "p", "s"} {
		for i := 1; i <= 12; i++ {
			ids = append(ids, fmt.Sprint(p, i))
		}
	}
	return append(ids, "gen:neuron", "gen:softmax", "gen:posenc", "gen:attn")
}()

// workers is how many learners answer at once in a load.
const workers = 256

// load is a day-by-day quiz workload.
type load struct {
	learners int // users 1..learners
	answers  int // answers per learner
	perDay   int // answers per learner per day
}

// run plays the workload on db: each day, every learner is sent perDay
// quiz polls in a private chat, one every 10 minutes, and answers each a
// minute after it came. Learners run concurrently, as many do at once in
// the bot, so bbolt's Batch groups their writes. Poll ids are random
// 19-digit numbers, like Telegram's; a learner's questions cycle through
// questionIDs, so after 64 answers every answer updates a known card.
// endOfDay, if not nil, runs after each simulated day.
func (l load) run(tb testing.TB, db *storage.DB, endOfDay func(now time.Time)) {
	tb.Helper()
	start := time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC)
	days := (l.answers + l.perDay - 1) / l.perDay
	for d := range days {
		day := start.AddDate(0, 0, d)
		users := make(chan int)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for u := range users {
					rng := rand.New(rand.NewPCG(uint64(u), uint64(d)))
					for k := range l.perDay {
						j := d*l.perDay + k
						if j >= l.answers {
							break
						}
						id := fmt.Sprint(5_000_000_000_000_000_000 + rng.Int64N(1_000_000_000_000_000_000))
						q := questionIDs[(u+j)%len(questionIDs)]
						sent := day.Add(time.Duration(k*10)*time.Minute + time.Duration(u)*time.Second)
						err := db.SavePoll(id, storage.PollRecord{UserID: int64(u), ChatID: int64(u), QuestionID: q, CorrectOption: j % 4, SentAt: sent})
						if err == nil {
							_, err = db.RecordAnswer(int64(u), id, (j*7)%4, sent.Add(time.Minute))
						}
						if err != nil {
							tb.Error(err)
							return
						}
					}
				}
			})
		}
		for u := 1; u <= l.learners; u++ {
			users <- u
		}
		close(users)
		wg.Wait()
		if tb.Failed() {
			tb.FailNow()
		}
		if endOfDay != nil {
			endOfDay(day.Add(24 * time.Hour))
		}
	}
}

// space is the room a workload took: file size, bbolt's page high-water
// mark and the pages in use, each minus the empty file's.
type space struct{ file, pages, inUse int64 }

func measure(tb testing.TB, l load, endOfDay func(db *storage.DB, now time.Time)) space {
	tb.Helper()
	db := MustOpen(tb)
	db.NoSync(tb)
	db.BatchSize(tb, min(l.learners, workers))
	f0, p0, u0 := db.Space(tb)
	var eod func(time.Time)
	if endOfDay != nil {
		eod = func(now time.Time) { endOfDay(db, now) }
	}
	l.run(tb, db, eod)
	f, p, u := db.Space(tb)
	return space{f - f0, p - p0, u - u0}
}

// prune is an endOfDay that drops the polls PollMaxAge old, as the bot's
// hourly loop does.
func prune(tb testing.TB) func(db *storage.DB, now time.Time) {
	return func(db *storage.DB, now time.Time) {
		for {
			n, _, err := db.PrunePolls(now, 10_000)
			if err != nil {
				tb.Fatal(err)
			}
			if n < 10_000 {
				return
			}
		}
	}
}

// maxBytesPerAnswer is the bound on the storage a quiz answer
// takes.
const maxBytesPerAnswer = 300

// TestBytesPerAnswer holds a quiz answer (its poll mapping, the answer,
// its share of the card, user record and indexes) under 300 bytes of
// bbolt pages: both the pages in use and the high-water mark of pages
// written, which counts the free pages a copy-on-write commit leaves
// behind (later writes reuse them). The file on disk is larger and not
// asserted: bbolt grows it ahead of need, to the next power of two up to
// its AllocSize (16 MiB) and then to the pages written plus 16 MiB, so a
// small file is up to twice its pages and a large one 16 MiB more. Here
// the 20,000 answers take about 5 MB of pages in an 8 MiB file.
//
// Each learner answers 100 quizzes: all in one day (every poll still
// answerable, nothing to prune), 10 a day (the last week's polls held),
// and 5 a day over 20 days with the daily prune (the steady state: older
// polls' mappings gone). Some 200 learners keep it to about a second each.
func TestBytesPerAnswer(t *testing.T) {
	cases := []struct {
		l     load
		prune bool
	}{
		{load{200, 100, 100}, false},
		{load{200, 100, 10}, false},
		{load{200, 100, 5}, true},
	}
	for _, c := range cases {
		var eod func(*storage.DB, time.Time)
		if c.prune {
			eod = prune(t)
		}
		s := measure(t, c.l, eod)
		n := float64(c.l.learners * c.l.answers)
		file, pages, inUse := float64(s.file)/n, float64(s.pages)/n, float64(s.inUse)/n
		t.Logf("%d learners × %d answers, %d a day, pruned %v: per answer file %.0f B, pages %.0f B, in use %.0f B",
			c.l.learners, c.l.answers, c.l.perDay, c.prune, file, pages, inUse)
		if pages >= maxBytesPerAnswer || inUse >= maxBytesPerAnswer {
			t.Errorf("%+v: %.0f B of pages, %.0f B in use per answer; want both under %d",
				c.l, pages, inUse, maxBytesPerAnswer)
		}
	}
}

// BenchmarkBytesPerLearner reports the room a learner takes after 100
// quiz answers (10 a day), among 1,000: the file, the pages written and
// the pages in use, in bytes per learner; "pruned" runs the daily prune.
// The timings are of the whole workload, not of one answer.
func BenchmarkBytesPerLearner(b *testing.B) {
	for _, pruned := range []bool{false, true} {
		b.Run(fmt.Sprintf("pruned=%v", pruned), func(b *testing.B) {
			l := load{learners: 1000, answers: 100, perDay: 10}
			var eod func(*storage.DB, time.Time)
			if pruned {
				eod = prune(b)
			}
			var s space
			for b.Loop() {
				s = measure(b, l, eod)
			}
			n := float64(l.learners)
			b.ReportMetric(float64(s.file)/n, "file-B/learner")
			b.ReportMetric(float64(s.pages)/n, "pages-B/learner")
			b.ReportMetric(float64(s.inUse)/n, "inuse-B/learner")
		})
	}
}
