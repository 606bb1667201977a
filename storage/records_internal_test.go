package storage

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"neurotutor/core"
)

// Every record the quiz buckets can hold decodes to what was encoded,
// at the extremes too: a card must stay readable however long its SM-2
// interval grows (core does not bound it).
func TestRecordsRoundTrip(t *testing.T) {
	at := time.Date(2026, 6, 1, 9, 0, 7, 0, time.UTC)
	for _, e := range []quizEntry{
		{QuestionID: "n1", Own: true, ChatID: 42, CorrectOption: 3, SentAt: at},
		{QuestionID: "gen:neuron", Own: true, ChatID: -1001234567890, SentAt: at, Answered: true, Option: 2, Correct: true, At: at.Add(time.Minute)},
		{QuestionID: "a1", Own: true, ChatID: 42, SentAt: at, Answered: true, At: at.Add(-time.Hour)}, // a clock that went back
		{QuestionID: "a1", Answered: true, Option: math.MaxInt, At: at},
		{QuestionID: strings.Repeat("я", maxQuestionID/2), Own: true, SentAt: time.Unix(0, 0).UTC()},
		{QuestionID: "", Own: true, SentAt: time.Time{}},
		{QuestionID: "n2", Own: true, ChatID: 42, SentAt: at, MessageID: 1 << 40, Answered: true, Option: 1, At: at},
		{QuestionID: "n2", Own: true, ChatID: -7, SentAt: at, MessageID: 1},
	} {
		got, err := decodeQuizEntry(e.encode(42), 42)
		if err != nil || got != e {
			t.Errorf("quiz entry %+v: got %+v, %v", e, got, err)
		}
	}
	for _, c := range []Card{
		{LastReview: at, Due: at}, // FSRS-new: a migrated card SM-2 never scheduled
		{FSRS: core.FSRSCard{State: core.FSRSReview, Stability: 3.1730244, Difficulty: 5.28243, Reps: 3, Lapses: 1}, LastReview: at, Due: at.Add(3 * 24 * time.Hour), Answers: 3, Right: 2},
		{FSRS: core.FSRSCard{State: core.FSRSRelearning, Step: 2, Stability: math.SmallestNonzeroFloat64, Difficulty: 10, Reps: 1 << 40}, LastReview: at, Due: at.Add(10 * time.Minute), Answers: 1 << 40, Right: 1 << 40},
		{FSRS: core.FSRSCard{State: core.FSRSReview, Stability: math.MaxFloat64, Difficulty: 1}, LastReview: time.Unix(0, 0).UTC(), Due: at.AddDate(100, 0, 0)},
	} {
		c.V, c.QuestionID = SchemaVersion, "q"
		if c.FSRS.State != core.FSRSNew {
			c.FSRS.Last, c.FSRS.Due = c.LastReview, c.Due
		}
		got, err := decodeCard(encodeCard(c), "q")
		if err != nil || got != c {
			t.Errorf("card %+v: got %+v, %v", c, got, err)
		}
	}
	// Schema 3's SM-2 cards, which the migration reads, at the extremes:
	// SM-2's interval was unbounded then.
	for _, c := range []cardV3{
		{SM2: core.NewReviewState(), LastReview: at},
		{SM2: core.ReviewState{Repetitions: 30, EaseFactor: 1.3, IntervalDays: math.MaxInt}, Answers: 1 << 40, Right: 1 << 40, LastReview: at},
		{SM2: core.ReviewState{Repetitions: 70, EaseFactor: 2.96, IntervalDays: math.MinInt}, LastReview: at},
	} {
		got, err := decodeCardV3(encodeCardV3(c))
		if err != nil || got != c {
			t.Errorf("schema 3 card %+v: got %+v, %v", c, got, err)
		}
	}
	// A later schema reads these records as long as their format stands.
	if v := encodeCard(Card{}); v[0] != cardV {
		t.Errorf("card starts with %d", v[0])
	}
	if _, err := decodeCard(encodeCardV3(cardV3{SM2: core.NewReviewState()}), "q"); err == nil {
		t.Error("an SM-2 card read as an FSRS one")
	}
	// A record saved before message ids were kept (no flag) reads with
	// MessageID 0; one that is not the user's own poll keeps none.
	old := []byte{recordV, flagOwn, 2, 'n', '1', 0, 3}
	old = binary.AppendVarint(old, at.Unix())
	if got, err := decodeQuizEntry(old, 42); err != nil || got != (quizEntry{QuestionID: "n1", Own: true, ChatID: 42, CorrectOption: 3, SentAt: at}) {
		t.Errorf("a record without a message id: %+v, %v", got, err)
	}
	if v := (quizEntry{QuestionID: "n1", MessageID: 9, Answered: true, At: at}).encode(42); v[1]&flagMessage != 0 {
		t.Errorf("an answer to another's poll keeps a message id: %x", v)
	}
	// Truncated and padded records are errors, not zeros.
	v := quizEntry{QuestionID: "n1", Own: true, SentAt: at, Answered: true, At: at}.encode(1)
	for _, bad := range [][]byte{nil, v[:1], v[:len(v)-1], append(v[:len(v):len(v)], 0)} {
		if _, err := decodeQuizEntry(bad, 1); err == nil {
			t.Errorf("decoded %x", bad)
		}
	}
}

// Poll keys: 8 bytes for canonical non-negative decimal ids, the id
// itself after a marker for anything else; never two ids one key.
func TestPollKey(t *testing.T) {
	seen := map[string]string{}
	for _, id := range []string{"0", "1", "5431995452618391553", "9223372036854775807", "9223372036854775808",
		"01", "-1", "+1", "p1", "poll-404", strings.Repeat("x", maxPollID)} {
		k, err := pollKey(id)
		if err != nil {
			t.Fatalf("pollKey(%q): %v", id, err)
		}
		if other, dup := seen[string(k)]; dup {
			t.Errorf("%q and %q share key %x", id, other, k)
		}
		seen[string(k)] = id
		if back, err := parsePollKey(k); err != nil || back != id {
			t.Errorf("parsePollKey(pollKey(%q)) = %q, %v", id, back, err)
		}
	}
	if k, _ := pollKey("5431995452618391553"); len(k) != 8 {
		t.Errorf("a Telegram id takes %d bytes", len(k))
	}
	for _, bad := range []string{"", strings.Repeat("x", maxPollID+1)} {
		if _, err := pollKey(bad); err == nil {
			t.Errorf("pollKey accepted %d bytes", len(bad))
		}
	}
}

// The schema 4 migration of SM-2 cards: fsrs-rs's mapping, the due date
// SM-2 gave (brought within FSRS's maximum interval when SM-2's grew past
// it), reps from the answers; a card SM-2 never scheduled stays new; and
// the next answer goes on from the migrated memory.
func TestCardFromSM2(t *testing.T) {
	p := core.DefaultFSRS()
	last := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := cardFromSM2(p, cardV3{SM2: core.ReviewState{Repetitions: 4, EaseFactor: 2.6, IntervalDays: 40}, LastReview: last, Answers: 5, Right: 4})
	want := p.FromSM2(core.ReviewState{Repetitions: 4, EaseFactor: 2.6, IntervalDays: 40}, last)
	if c.FSRS.Stability != want.Stability || c.FSRS.Difficulty != want.Difficulty || c.FSRS.State != core.FSRSReview ||
		c.FSRS.Reps != 5 || !c.Due.Equal(last.AddDate(0, 0, 40)) || !c.FSRS.Due.Equal(c.Due) || c.Answers != 5 || c.Right != 4 {
		t.Errorf("migrated card %+v, mapping %+v", c, want)
	}
	if c.FSRS.Stability != 40 { // the ratio in fsrs-rs's mapping is exactly 1 at FSRS-6's defaults
		t.Errorf("stability %v, want SM-2's 40 days", c.FSRS.Stability)
	}
	next := p.Answer(core.CardState{FSRS: c.FSRS, Last: c.LastReview, Due: c.Due}, true, c.Due)
	if next.Due.Sub(c.Due) < 40*24*time.Hour {
		t.Errorf("a right answer on time after 40 days schedules only %v ahead", next.Due.Sub(c.Due))
	}

	huge := cardFromSM2(p, cardV3{SM2: core.ReviewState{Repetitions: 30, EaseFactor: 1.3, IntervalDays: math.MaxInt}, LastReview: last, Answers: 30, Right: 30})
	if !huge.Due.Equal(last.AddDate(0, 0, p.MaximumInterval)) || math.IsInf(huge.FSRS.Stability, 0) || huge.FSRS.Difficulty > 10 {
		t.Errorf("an overgrown SM-2 interval: %+v", huge)
	}
	if v, err := decodeCard(encodeCard(huge), "q"); err != nil || v.Due != huge.Due {
		t.Errorf("round trip of %+v: %+v, %v", huge, v, err)
	}

	never := cardFromSM2(p, cardV3{SM2: core.NewReviewState(), LastReview: last})
	if never.FSRS != (core.FSRSCard{}) || !never.Due.Equal(last) {
		t.Errorf("a card SM-2 never scheduled: %+v", never)
	}
	odd := cardFromSM2(p, cardV3{SM2: core.ReviewState{EaseFactor: 0.5, IntervalDays: -3}, LastReview: last, Answers: 1})
	if odd.FSRS != (core.FSRSCard{}) || !odd.Due.Equal(last) {
		t.Errorf("a card off SM-2's grid: %+v", odd)
	}
}
