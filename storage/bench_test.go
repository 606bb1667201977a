package storage_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"neurotutor/storage"
)

// BenchmarkDueReminders finds the due reminders among n stored. Half of
// them are due; each call returns the 100 most overdue. It is a seek, so
// ns/op must stay flat as n grows.
func BenchmarkDueReminders(b *testing.B) {
	base := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("stored=%d", n), func(b *testing.B) {
			if n > 100_000 && testing.Short() {
				b.Skip("populating 1,000,000 reminders takes seconds")
			}
			db := MustOpen(b)
			start := time.Now()
			db.BulkReminders(b, n, base, false)
			b.Logf("populated %d in %v", n, time.Since(start).Round(time.Millisecond))
			now := base.Add(12 * time.Hour)
			b.ReportAllocs()
			for b.Loop() {
				due, err := db.DueReminders(now, 100)
				if err != nil || len(due) != 100 {
					b.Fatal(len(due), err)
				}
			}
		})
	}
}

// BenchmarkRecordAnswer measures answers per second with p·GOMAXPROCS
// goroutines writing at once; db.Batch groups concurrent calls into shared
// transactions (one fsync each), so throughput grows with concurrency.
// Each answer is a new (poll, user) pair: 1,000 polls answered by ever
// more users.
func BenchmarkRecordAnswer(b *testing.B) {
	for _, p := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("p=%d", p), func(b *testing.B) {
			db := MustOpen(b)
			const polls = 1000
			var wg sync.WaitGroup // concurrent, so Batch stores them in one transaction
			for i := range polls {
				wg.Go(func() {
					mustSavePoll(b, db, fmt.Sprint("p", i), storage.PollRecord{UserID: 1, ChatID: 1, QuestionID: fmt.Sprint("q", i%60), CorrectOption: i % 4, SentAt: t0})
				})
			}
			wg.Wait()
			var next atomic.Int64
			b.SetParallelism(p)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1)
					_, err := db.RecordAnswer(1+i/polls, fmt.Sprint("p", i%polls), int(i%4), t0.Add(time.Duration(i)*time.Millisecond)) // well within PollMaxAge
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
		})
	}
}

// BenchmarkBoard reads the standings of a group of 10,000 players who
// each answered every week for a year: the board reads the running
// totals (all time and this week: two entries a player), never the
// answers, so its cost depends on the players, not on the year.
func BenchmarkBoard(b *testing.B) {
	const chat, members = -100777, 10_000
	end := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	db := MustOpen(b)
	start := time.Now()
	db.BulkGroupYear(b, chat, members, 52, end)
	b.Logf("a year of %d players in %v", members, time.Since(start).Round(time.Millisecond))
	b.ReportAllocs()
	for b.Loop() {
		bd, err := db.Board(chat, end)
		if err != nil || len(bd.All) != members || len(bd.Week) != members {
			b.Fatal(len(bd.All), len(bd.Week), err)
		}
	}
}

// BenchmarkRoundAnswer scores answers to one round question in a group
// with a year of standings: each is the member's own answer (card,
// streak) and the round's and the group's totals, in one transaction.
func BenchmarkRoundAnswer(b *testing.B) {
	const chat, members = -100778, 10_000
	end := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	db := MustOpen(b)
	db.BulkGroupYear(b, chat, members, 52, end)
	var round int64
	uid := int64(0)
	b.ReportAllocs()
	for b.Loop() {
		if uid%storage.MaxRoundScores == 0 { // a round keeps at most that many players
			round++
			if round > 1 {
				if _, err := db.EndRound(chat, round-1); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := db.StartRound(chat, storage.Round{ID: round, Total: 1, Started: end}); err != nil {
				b.Fatal(err)
			}
			if _, err := db.BeginQuestion(chat, round, storage.RoundQ{QuestionID: "n1"}, end); err != nil {
				b.Fatal(err)
			}
			if _, err := db.OpenQuestion(chat, round, fmt.Sprint(900000+round), 1, end, end.Add(time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
		uid++
		res, err := db.RecordAnswerAs(uid%members+1, "Участник", fmt.Sprint(900000+round), 1, end.Add(time.Second))
		if err != nil || res.Group == nil || !res.Group.Counted {
			b.Fatal(res, err)
		}
	}
}
