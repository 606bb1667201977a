package storage_test

import (
	"errors"
	"fmt"
	"maps"
	"neurotutor/core"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"neurotutor/storage"
)

var t0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

func mustSavePoll(t testing.TB, db *storage.DB, id string, p storage.PollRecord) {
	t.Helper()
	if err := db.SavePoll(id, p); err != nil {
		t.Fatal(err)
	}
}

func TestPollSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want := storage.PollRecord{UserID: 7, ChatID: -100, QuestionID: "l1q3", CorrectOption: 2, SentAt: t0}
	mustSavePoll(t, db, "5432101", want)
	db.Close()

	db, err = storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Poll("5432101")
	want.V = storage.SchemaVersion
	if err != nil || got != want {
		t.Fatalf("Poll = %+v, %v; want %+v", got, err, want)
	}
	if _, err := db.Poll("nope"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Poll(unknown) err = %v", err)
	}
	// The answer after the restart is scored against the stored option.
	res, err := db.RecordAnswer(8, "5432101", 2, t0.Add(time.Minute))
	if err != nil || !res.Answer.Correct || res.Answer.QuestionID != "l1q3" || res.Duplicate {
		t.Fatalf("RecordAnswer = %+v, %v", res, err)
	}
}

func TestRecordAnswerIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustSavePoll(t, db, "p1", storage.PollRecord{UserID: 1, ChatID: 1, QuestionID: "q1", CorrectOption: 0, SentAt: t0})
	first, err := db.RecordAnswer(1, "p1", 1, t0)
	if err != nil || first.Duplicate || first.Answer.Correct || first.Card.FSRS.State != core.FSRSReview || !first.Card.Due.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("first = %+v, %v", first, err)
	}
	again, err := db.RecordAnswer(1, "p1", 0, t0.Add(time.Hour)) // a redelivery, even with other data
	if err != nil || !again.Duplicate || again.Answer != first.Answer || again.Card != first.Card {
		t.Fatalf("again = %+v, %v; want duplicate of %+v", again, err, first)
	}
	db.Close()
	db, err = storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Redeliveries after a restart, concurrently: still one answer.
	var fresh atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			r, err := db.RecordAnswer(1, "p1", 1, t0)
			if err != nil {
				t.Error(err)
			}
			if !r.Duplicate {
				fresh.Add(1)
			}
		})
	}
	wg.Wait()
	answers, _ := db.Answers(1)
	cards, _ := db.Cards(1)
	if fresh.Load() != 0 || len(answers) != 1 || len(cards) != 1 || cards[0].Answers != 1 {
		t.Fatalf("fresh %d, answers %+v, cards %+v", fresh.Load(), answers, cards)
	}
	// The same poll answered by another user (a group) is that user's answer.
	r, err := db.RecordAnswer(2, "p1", 0, t0)
	if err != nil || r.Duplicate || !r.Answer.Correct {
		t.Fatalf("other user: %+v, %v", r, err)
	}
	if _, err := db.RecordAnswer(1, "missing", 0, t0); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown poll: %v", err)
	}
}

func TestRecordAnswerSchedulesAndStreak(t *testing.T) {
	db := MustOpen(t)
	// FSRS-6 with default weights: q1 right twice, q2 wrong (again in a
	// day), q3 right once (in two days: the first Good's stability is w2 =
	// 2.3065 days), answered later.
	answers := []struct {
		poll, q string
		option  int
		at      time.Time
	}{
		{"a", "q1", 0, t0},
		{"b", "q2", 1, t0.Add(time.Hour)},
		{"c", "q1", 0, t0.Add(25 * time.Hour)},
		{"d", "q3", 0, t0.Add(26 * time.Hour)},
	}
	var last storage.AnswerResult
	for _, a := range answers {
		mustSavePoll(t, db, a.poll, storage.PollRecord{UserID: 3, ChatID: 3, QuestionID: a.q, CorrectOption: 0, SentAt: a.at})
		var err error
		if last, err = db.RecordAnswer(3, a.poll, a.option, a.at); err != nil {
			t.Fatal(err)
		}
	}
	// Days in Moscow (DefaultZone): 2026-06-01 and 2026-06-02.
	if last.Streak.Current != 2 || last.Streak.LastDate != "2026-06-02" {
		t.Fatalf("streak %+v", last.Streak)
	}
	cards, err := db.Cards(3)
	if err != nil || len(cards) != 3 {
		t.Fatalf("Cards = %+v, %v", cards, err)
	}
	// The scheduler itself is tested against the reference vectors in
	// core; here, that the store keeps its state between answers.
	p := core.DefaultFSRS()
	q1 := p.Review(p.Review(core.FSRSCard{}, core.GradeGood, t0), core.GradeGood, t0.Add(25*time.Hour))
	if c := cards[0]; c.QuestionID != "q1" || c.FSRS != q1 || c.FSRS.Reps != 2 || !c.Due.Equal(q1.Due) ||
		!c.LastReview.Equal(t0.Add(25*time.Hour)) || c.Answers != 2 || c.Right != 2 {
		t.Fatalf("q1 card %+v, want FSRS %+v", c, q1)
	}
	if q1.Due.Before(t0.Add(25*time.Hour + 4*24*time.Hour)) {
		t.Fatalf("a second right answer a day later schedules q1 only at %v", q1.Due)
	}
	if c := cards[1]; c.FSRS.Stability != p.W[0] || c.Right != 0 || !c.Due.Equal(t0.Add(25*time.Hour)) {
		t.Fatalf("q2 card %+v", c)
	}
	if c := cards[2]; c.FSRS.Stability != p.W[2] || !c.Due.Equal(t0.Add(26*time.Hour+48*time.Hour)) {
		t.Fatalf("q3 card %+v", c)
	}

	for _, tc := range []struct {
		now  time.Time
		want []string
	}{
		{t0.Add(24 * time.Hour), nil},
		{t0.Add(25 * time.Hour), []string{"q2"}},
		{t0.Add(73 * time.Hour), []string{"q2"}},
		{t0.Add(74 * time.Hour), []string{"q2", "q3"}}, // q2 is the more overdue
		{t0.Add(40 * 24 * time.Hour), []string{"q2", "q3", "q1"}},
	} {
		due, seen, err := db.DueQuestions(3, tc.now)
		if err != nil || !slices.Equal(due, tc.want) {
			t.Errorf("DueQuestions(%v) = %v, %v; want %v", tc.now, due, err, tc.want)
		}
		if ids := slices.Sorted(maps.Keys(seen)); !slices.Equal(ids, []string{"q1", "q2", "q3"}) {
			t.Errorf("seen = %v", ids)
		}
	}
	due, seen, err := db.DueQuestions(99, t0)
	if err != nil || len(due) != 0 || len(seen) != 0 {
		t.Fatalf("unknown user: %v %v %v", due, seen, err)
	}
}

func TestConcurrentAnswers(t *testing.T) {
	db := MustOpen(t)
	const users, polls = 20, 10
	for p := range polls {
		mustSavePoll(t, db, fmt.Sprint("p", p), storage.PollRecord{UserID: 1, QuestionID: fmt.Sprint("q", p%3), SentAt: t0})
	}
	var wg sync.WaitGroup
	for u := int64(1); u <= users; u++ {
		for p := range polls {
			wg.Go(func() {
				if _, err := db.RecordAnswer(u, fmt.Sprint("p", p), p%2, t0.Add(time.Duration(p)*time.Minute)); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	for u := int64(1); u <= users; u++ {
		a, _ := db.Answers(u)
		c, _ := db.Cards(u)
		if len(a) != polls || len(c) != 3 {
			t.Fatalf("user %d: %d answers, %d cards", u, len(a), len(c))
		}
	}
}
