package storage_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"neurotutor/core"
	"neurotutor/storage"
)

// writeV1 creates a schema-1 file the way the first storage.go wrote it.
func writeV1(t *testing.T, path string, users map[int64]string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		if err := meta.Put([]byte("schema_version"), []byte("1")); err != nil {
			return err
		}
		ub, err := tx.CreateBucket([]byte("users"))
		if err != nil {
			return err
		}
		for id, v := range users {
			if err := ub.Put(binary.BigEndian.AppendUint64(nil, uint64(id)), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	writeV1(t, path, map[int64]string{
		7:  `{"v":1,"lessons_opened":[1,3]}`,
		8:  `{"v":1}`,
		42: `{"v":1,"lessons_opened":[2]}`,
	})
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.SchemaVersion(); err != nil || v != storage.SchemaVersion {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, storage.SchemaVersion)
	}
	u, err := db.User(7)
	if err != nil || u.V != storage.SchemaVersion || !slices.Equal(u.LessonsOpened, []int{1, 3}) {
		t.Fatalf("User(7) = %+v, %v", u, err)
	}
	// The new buckets exist and the migrated user can use them.
	if err := db.MarkLessonFinished(7, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetReminder(42, 42, "09:30", "UTC+3", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePoll("p", storage.PollRecord{UserID: 8, QuestionID: "q"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Every record was rewritten with "v":2 or later.
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("users")).ForEach(func(k, v []byte) error {
			var rec struct{ V int }
			if err := json.Unmarshal(v, &rec); err != nil || rec.V < 2 {
				t.Errorf("user %x: %s", k, v)
			}
			return nil
		})
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}

	// Opening again is a no-op.
	db, err = storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, _ = db.User(7)
	if !slices.Equal(u.LessonsOpened, []int{1, 3}) || !slices.Equal(u.LessonsFinished, []int{3}) {
		t.Fatalf("after reopen: %+v", u)
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error {
		m, _ := tx.CreateBucket([]byte("meta"))
		return m.Put([]byte("schema_version"), []byte(strconv.Itoa(storage.SchemaVersion+1)))
	})
	b.Close()
	if _, err := storage.Open(path); !errors.Is(err, storage.ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
}

// writeV2 creates the schema-2 file that schema 2's code wrote for this
// story (the records are copied from it, byte for byte but the keys):
// user 1 (a reminder) asked for polls …001 (sent at t0+0.5 s, answered
// by 1 right at t0+1m0.25s and by 2 wrong), …002 (unanswered), …003
// (30 days old, answered by 1) and p-old (30 days old, a group,
// unanswered); user 2 asked for …004 and answered it; user 9 asked for
// 77, which 3 and 9 answered, and then was forgotten.
func writeV2(t *testing.T, path string) {
	t.Helper()
	uid := func(id int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(id)) }
	sub := func(id int64, s string) []byte { return append(uid(id), s...) }
	seq := func(id int64, n uint64) []byte { return binary.BigEndian.AppendUint64(uid(id), n) }
	const p1, p2, p3, p4 = "5000000000000000001", "5000000000000000002", "5000000000000000003", "5000000000000000004"
	type kv struct {
		k []byte
		v string
	}
	buckets := map[string][]kv{
		"meta": {{[]byte("schema_version"), "2"}},
		"users": {
			{uid(1), `{"v":2,"lessons_opened":[1],"streak":{"current":1,"best":1,"last_date":"2026-06-01"},"reminder":{"enabled":true,"chat_id":1,"hhmm":"09:30","zone":"UTC+3","next":"2026-06-02T06:30:00Z","next_date":"2026-06-02"}}`},
			{uid(2), `{"v":2,"streak":{"current":1,"best":1,"last_date":"2026-06-01"}}`},
			{uid(3), `{"v":2,"streak":{"current":1,"best":1,"last_date":"2026-06-01"}}`},
		},
		"answers": {
			{seq(1, 1), `{"v":2,"poll_id":"5000000000000000003","question_id":"n1","option":1,"correct":true,"at":"2026-05-02T09:01:00Z"}`},
			{seq(1, 2), `{"v":2,"poll_id":"5000000000000000001","question_id":"n1","option":2,"correct":true,"at":"2026-06-01T09:01:00.25Z"}`},
			{seq(2, 3), `{"v":2,"poll_id":"5000000000000000001","question_id":"n1","option":0,"correct":false,"at":"2026-06-01T09:02:00Z"}`},
			{seq(2, 4), `{"v":2,"poll_id":"5000000000000000004","question_id":"a1","option":3,"correct":true,"at":"2026-06-01T09:03:00Z"}`},
			{seq(3, 5), `{"v":2,"poll_id":"77","question_id":"a2","option":0,"correct":true,"at":"2026-06-01T09:04:00Z"}`},
		},
		"answered": {
			{sub(1, p1), string(seq(1, 2))}, {sub(1, p3), string(seq(1, 1))},
			{sub(2, p1), string(seq(2, 3))}, {sub(2, p4), string(seq(2, 4))},
			{sub(3, "77"), string(seq(3, 5))},
		},
		"cards": {
			{sub(1, "n1"), `{"v":2,"question_id":"n1","sm2":{"Repetitions":2,"EaseFactor":2.5,"IntervalDays":6},"due":"2026-06-07T09:01:00.25Z","last_review":"2026-06-01T09:01:00.25Z","answers":2,"right":2}`},
			{sub(2, "a1"), `{"v":2,"question_id":"a1","sm2":{"Repetitions":1,"EaseFactor":2.5,"IntervalDays":1},"due":"2026-06-02T09:03:00Z","last_review":"2026-06-01T09:03:00Z","answers":1,"right":1}`},
			{sub(2, "n1"), `{"v":2,"question_id":"n1","sm2":{"Repetitions":0,"EaseFactor":1.96,"IntervalDays":1},"due":"2026-06-02T09:02:00Z","last_review":"2026-06-01T09:02:00Z","answers":1,"right":0}`},
			{sub(3, "a2"), `{"v":2,"question_id":"a2","sm2":{"Repetitions":1,"EaseFactor":2.5,"IntervalDays":1},"due":"2026-06-02T09:04:00Z","last_review":"2026-06-01T09:04:00Z","answers":1,"right":1}`},
		},
		"polls": {
			{[]byte(p1), `{"v":2,"user_id":1,"chat_id":1,"question_id":"n1","correct_option":2,"sent_at":"2026-06-01T09:00:00.5Z"}`},
			{[]byte(p2), `{"v":2,"user_id":1,"chat_id":1,"question_id":"n2","correct_option":0,"sent_at":"2026-06-01T10:00:00Z"}`},
			{[]byte(p3), `{"v":2,"user_id":1,"chat_id":1,"question_id":"n1","correct_option":1,"sent_at":"2026-05-02T09:00:00Z"}`},
			{[]byte(p4), `{"v":2,"user_id":2,"chat_id":2,"question_id":"a1","correct_option":3,"sent_at":"2026-06-01T09:02:00Z"}`},
			{[]byte("p-old"), `{"v":2,"user_id":1,"chat_id":-100,"question_id":"gen:neuron","correct_option":1,"sent_at":"2026-05-02T09:00:00Z"}`},
		},
		"user_polls": {
			{sub(1, p1), ""}, {sub(1, p2), ""}, {sub(1, p3), ""}, {sub(1, "p-old"), ""}, {sub(2, p4), ""},
		},
		"reminders_due": {{append(binary.BigEndian.AppendUint64(nil, 1780381800), uid(1)...), string(uid(1))}},
		"chart_files":   nil,
	}
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		for name, kvs := range buckets {
			bk, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			for _, r := range kvs {
				if err := bk.Put(r.k, []byte(r.v)); err != nil {
					return err
				}
			}
		}
		return tx.Bucket([]byte("answers")).SetSequence(6)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

// Every answer, card and poll of schema 2 is in schema 3, times in whole
// seconds; answers stay idempotent and polls answerable until they expire.
func TestMigrateV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	writeV2(t, path)
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if v, err := db.SchemaVersion(); err != nil || v != storage.SchemaVersion {
		t.Fatalf("SchemaVersion = %d, %v", v, err)
	}
	day := 24 * time.Hour
	ans := func(poll, q string, option int, correct bool, at time.Time) storage.Answer {
		return storage.Answer{V: storage.SchemaVersion, PollID: poll, QuestionID: q, Option: option, Correct: correct, At: at}
	}
	// A migrated card: FSRS's state from fsrs-rs's SM-2 mapping, due when
	// SM-2 said, FSRS reps = answers.
	card := func(q string, reps int, ef float64, days, answers, right int, last time.Time) storage.Card {
		f := core.DefaultFSRS().FromSM2(core.ReviewState{Repetitions: reps, EaseFactor: ef, IntervalDays: days}, last)
		f.Reps = answers
		return storage.Card{V: storage.SchemaVersion, QuestionID: q, FSRS: f,
			Due: last.Add(time.Duration(days) * day), LastReview: last, Answers: answers, Right: right}
	}
	// A card answered once since: FSRS's first review.
	fresh := func(q string, right bool, at time.Time) storage.Card {
		f := core.DefaultFSRS().Review(core.FSRSCard{}, core.GradeOf(right), at)
		c := storage.Card{V: storage.SchemaVersion, QuestionID: q, FSRS: f, Due: f.Due, LastReview: at, Answers: 1}
		if right {
			c.Right = 1
		}
		return c
	}
	poll := func(id string, user, chat int64, q string, correct int, sent time.Time) storage.ExportPoll {
		return storage.ExportPoll{PollID: id, PollRecord: storage.PollRecord{V: storage.SchemaVersion, UserID: user, ChatID: chat, QuestionID: q, CorrectOption: correct, SentAt: sent}}
	}
	const p1, p2, p3, p4 = "5000000000000000001", "5000000000000000002", "5000000000000000003", "5000000000000000004"
	month := t0.Add(-30 * day)
	want := map[int64]storage.ExportDoc{
		1: {
			Answers: []storage.Answer{ans(p3, "n1", 1, true, month.Add(time.Minute)), ans(p1, "n1", 2, true, t0.Add(time.Minute))},
			Cards:   []storage.Card{card("n1", 2, 2.5, 6, 2, 2, t0.Add(time.Minute))},
			Polls: []storage.ExportPoll{
				poll(p3, 1, 1, "n1", 1, month), poll("p-old", 1, -100, "gen:neuron", 1, month),
				poll(p1, 1, 1, "n1", 2, t0), poll(p2, 1, 1, "n2", 0, t0.Add(time.Hour)),
			},
		},
		2: {
			Answers: []storage.Answer{ans(p1, "n1", 0, false, t0.Add(2*time.Minute)), ans(p4, "a1", 3, true, t0.Add(3*time.Minute))},
			Cards:   []storage.Card{card("a1", 1, 2.5, 1, 1, 1, t0.Add(3*time.Minute)), card("n1", 0, 1.96, 1, 1, 0, t0.Add(2*time.Minute))},
			Polls:   []storage.ExportPoll{poll(p4, 2, 2, "a1", 3, t0.Add(2*time.Minute))},
		},
		3: {
			Answers: []storage.Answer{ans("77", "a2", 0, true, t0.Add(4*time.Minute))},
			Cards:   []storage.Card{card("a2", 1, 2.5, 1, 1, 1, t0.Add(4*time.Minute))},
			Polls:   []storage.ExportPoll{},
		},
	}
	check := func(when string) {
		t.Helper()
		for uid, w := range want {
			doc := mustExport(t, db, uid)
			if doc.User == nil || !reflect.DeepEqual(doc.Answers, w.Answers) || !reflect.DeepEqual(doc.Cards, w.Cards) || !reflect.DeepEqual(doc.Polls, w.Polls) {
				t.Errorf("%s: user %d:\n got answers %+v\n cards %+v\n polls %+v\nwant answers %+v\n cards %+v\n polls %+v",
					when, uid, doc.Answers, doc.Cards, doc.Polls, w.Answers, w.Cards, w.Polls)
			}
		}
	}
	check("migrated")
	if u, err := db.User(1); err != nil || u.Reminder.HHMM != "09:30" || u.Streak.Best != 1 {
		t.Fatalf("User(1) = %+v, %v", u, err)
	}
	if d := mustDue(t, db, t0.Add(2*day), 10); len(d) != 1 || d[0].UserID != 1 {
		t.Fatalf("due reminders %+v", d)
	}

	// Redeliveries of migrated answers are duplicates, also of expired polls.
	for _, r := range []struct {
		uid  int64
		poll string
	}{{1, p1}, {1, p3}, {2, p1}, {3, "77"}} {
		res, err := db.RecordAnswer(r.uid, r.poll, 3, t0.Add(time.Hour))
		if err != nil || !res.Duplicate {
			t.Errorf("redelivery %d/%s: %+v, %v", r.uid, r.poll, res, err)
		}
	}
	// Open polls stay answerable; the forgotten user's poll is unknown.
	if _, err := db.RecordAnswer(4, "77", 0, t0.Add(time.Hour)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("answer to the forgotten user's poll: %v", err)
	}
	if _, err := db.RecordAnswer(4, "p-old", 1, t0); !errors.Is(err, storage.ErrExpired) {
		t.Errorf("answer to a 30-day-old poll: %v", err)
	}
	check("after refused answers")
	res, err := db.RecordAnswer(2, p2, 0, t0.Add(90*time.Minute))
	if err != nil || res.Duplicate || !res.Answer.Correct || res.Card.Answers != 1 {
		t.Fatalf("answer to a migrated open poll: %+v, %v", res, err)
	}
	w := want[2]
	w.Answers = append(w.Answers, ans(p2, "n2", 0, true, t0.Add(90*time.Minute)))
	w.Cards = append(w.Cards, fresh("n2", true, t0.Add(90*time.Minute)))
	want[2] = w

	// The first prune drops the unanswered old poll; the answered one stays
	// in its owner's export, though nobody can answer it any more.
	if n, _, err := db.PrunePolls(t0.Add(2*time.Hour), 100); err != nil || n != 2 {
		t.Fatalf("PrunePolls = %d, %v; want 2", n, err)
	}
	w = want[1]
	w.Polls = slices.Delete(w.Polls, 1, 2) // p-old
	want[1] = w
	db = reopen(t, db, path)
	check("pruned and reopened")
	for _, id := range []string{"p-old", p3} {
		if _, err := db.Poll(id); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Poll(%s) after prune: %v", id, err)
		}
	}
	if _, err := db.RecordAnswer(2, p3, 1, t0.Add(3*time.Hour)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("answer to a pruned poll: %v", err)
	}
	db.Close()

	// The buckets of schema 2 are gone and the file is sound.
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *bolt.Tx) error {
		for _, name := range []string{"answers", "answered", "polls", "user_polls"} {
			if tx.Bucket([]byte(name)) != nil {
				t.Errorf("bucket %s left", name)
			}
		}
		return nil
	})
	b.Close()
	if v, err := storage.Verify(path); err != nil || v != storage.SchemaVersion {
		t.Fatalf("Verify = %d, %v", v, err)
	}
}

func mustExport(t *testing.T, db *storage.DB, uid int64) storage.ExportDoc {
	t.Helper()
	raw, err := db.Export(uid)
	if err != nil {
		t.Fatalf("Export(%d): %v", uid, err)
	}
	var doc storage.ExportDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
