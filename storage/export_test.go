package storage_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"neurotutor/storage"
)

func TestExportAndForget(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	const me, other = 11, 12
	for _, uid := range []int64{me, other} {
		db.MarkLessonOpened(uid, 1)
		db.MarkLessonFinished(uid, 1)
		db.MarkLabTried(uid, "neuron")
		mustSetReminder(t, db, uid, "09:30", "UTC+3", t0)
	}
	mustSavePoll(t, db, "mine", storage.PollRecord{UserID: me, ChatID: me, QuestionID: "q1", CorrectOption: 1, SentAt: t0})
	mustSavePoll(t, db, "theirs", storage.PollRecord{UserID: other, ChatID: -5, QuestionID: "q2", CorrectOption: 0, SentAt: t0})
	for _, a := range []struct {
		uid  int64
		poll string
	}{{me, "mine"}, {me, "theirs"}, {other, "theirs"}, {other, "mine"}} {
		if _, err := db.RecordAnswer(a.uid, a.poll, 1, t0); err != nil {
			t.Fatal(err)
		}
	}

	raw, err := db.Export(me)
	if err != nil {
		t.Fatal(err)
	}
	var doc storage.ExportDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.UserID != me || doc.SchemaVersion != storage.SchemaVersion || doc.User == nil ||
		len(doc.User.LessonsFinished) != 1 || doc.User.Reminder.HHMM != "09:30" ||
		len(doc.Answers) != 2 || len(doc.Cards) != 2 || len(doc.Polls) != 1 || doc.Polls[0].PollID != "mine" {
		t.Fatalf("export:\n%s", raw)
	}

	if err := db.Forget(me); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, path)
	if _, err := db.Export(me); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Export after Forget = %v, want ErrNotFound", err)
	}
	if _, err := db.User(me); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("User after Forget = %v", err)
	}
	if _, err := db.Poll("mine"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("my poll after Forget = %v", err)
	}
	if a, _ := db.Answers(me); len(a) != 0 {
		t.Fatalf("answers after Forget: %+v", a)
	}
	if c, _ := db.Cards(me); len(c) != 0 {
		t.Fatalf("cards after Forget: %+v", c)
	}
	for _, d := range mustDue(t, db, t0.Add(48*time.Hour), 100) {
		if d.UserID == me {
			t.Fatalf("reminder index entry left: %+v", d)
		}
	}
	// A send confirmed after Forget does not bring the user back.
	if err := db.MarkReminderSent(me, "2026-06-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.User(me); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("User after a late MarkReminderSent = %v", err)
	}
	// A redelivered answer to someone else's poll starts a fresh log: the
	// old idempotency key went with the rest.
	if r, err := db.RecordAnswer(me, "theirs", 1, t0); err != nil || r.Duplicate {
		t.Fatalf("answer after Forget: %+v, %v", r, err)
	}

	// The other user is untouched.
	raw, err = db.Export(other)
	if err != nil {
		t.Fatal(err)
	}
	doc = storage.ExportDoc{}
	json.Unmarshal(raw, &doc)
	if len(doc.Answers) != 2 || len(doc.Cards) != 2 || len(doc.Polls) != 1 || doc.User.Reminder.Next.IsZero() {
		t.Fatalf("other export:\n%s", raw)
	}
	if d := mustDue(t, db, t0.Add(48*time.Hour), 100); len(d) != 1 || d[0].UserID != other {
		t.Fatalf("due = %+v", d)
	}
	if err := db.Forget(999); err != nil {
		t.Fatalf("Forget(unknown) = %v", err)
	}
}
