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
		{SM2: core.NewReviewState(), LastReview: at},
		{SM2: core.ReviewState{Repetitions: 30, EaseFactor: 1.3, IntervalDays: math.MaxInt}, Answers: 1 << 40, Right: 1 << 40, LastReview: at},
		{SM2: core.ReviewState{Repetitions: 70, EaseFactor: 2.96, IntervalDays: math.MinInt}, LastReview: at},
	} {
		c.V, c.QuestionID, c.Due = SchemaVersion, "q", c.SM2.Due(c.LastReview)
		got, err := decodeCard(encodeCard(c), "q")
		if err != nil || got != c {
			t.Errorf("card %+v: got %+v, %v", c, got, err)
		}
	}
	// A later schema reads these records as long as their format stands.
	if v := encodeCard(Card{SM2: core.NewReviewState()}); v[0] != recordV {
		t.Errorf("card starts with %d", v[0])
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
