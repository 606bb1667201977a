package storage_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"neurotutor/storage"
)

// pollIDs returns the ids of the polls in userID's export.
func pollIDs(t *testing.T, db *storage.DB, userID int64) []string {
	t.Helper()
	var ids []string
	for _, p := range mustExport(t, db, userID).Polls {
		ids = append(ids, p.PollID)
	}
	return ids
}

func TestPrunePolls(t *testing.T) {
	db := MustOpen(t)
	const me, friend, groupOwner, member, member2 = 1, 2, 3, 4, 5
	// Sent at t0+offset; now is 90 minutes past t0+PollMaxAge, so the
	// first three are expired.
	for _, p := range []struct {
		id     string
		owner  int64
		chat   int64
		offset time.Duration
	}{
		{"100", me, me, 0},
		{"grp", groupOwner, -7, 30 * time.Minute},
		{"101", me, me, time.Hour},
		{"102", me, me, 2 * time.Hour},
		{"103", me, me, 8 * 24 * time.Hour},
	} {
		msg, _ := strconv.Atoi(p.id) // the group's poll: 0, a poll saved before message ids were kept
		mustSavePoll(t, db, p.id, storage.PollRecord{UserID: p.owner, ChatID: p.chat, QuestionID: "q" + p.id, CorrectOption: 1, SentAt: t0.Add(p.offset), MessageID: msg})
	}
	mustSavePoll(t, db, "grp2", storage.PollRecord{UserID: groupOwner, ChatID: -7, QuestionID: "q", SentAt: t0.Add(50 * time.Minute), MessageID: 77})
	answered := map[[2]any]storage.AnswerResult{}
	for _, a := range []struct {
		uid  int64
		poll string
	}{{me, "100"}, {friend, "100"}, {member, "grp"}, {member2, "grp2"}} {
		res, err := db.RecordAnswer(a.uid, a.poll, 1, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		answered[[2]any{a.uid, a.poll}] = res
	}
	now := t0.Add(storage.PollMaxAge + 90*time.Minute)

	// Expired but not yet pruned: refused, and nothing is counted.
	if _, err := db.RecordAnswer(me, "101", 1, now); !errors.Is(err, storage.ErrExpired) || !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("answer to an expired poll: %v, want ErrExpired (an ErrNotFound)", err)
	}
	if _, err := db.RecordAnswer(member, "100", 1, now); !errors.Is(err, storage.ErrExpired) {
		t.Fatalf("a group member's late answer: %v", err)
	}

	// Oldest first, limit at a time. The polls that may still take votes
	// come back to be closed: not 100, answered in its owner's private
	// chat, nor grp, whose message is unknown; grp2 in a group even
	// though a member answered it, 101 unanswered.
	for _, step := range []struct {
		n    int
		gone []string
		open []storage.OpenPoll
	}{
		{2, []string{"100", "grp"}, nil},
		{2, []string{"grp2", "101"}, []storage.OpenPoll{{ChatID: -7, MessageID: 77}, {ChatID: me, MessageID: 101}}},
		{0, nil, nil},
	} {
		n, open, err := db.PrunePolls(now, 2)
		if err != nil || n != step.n || !slices.Equal(open, step.open) {
			t.Fatalf("PrunePolls = %d, %v, %v; want %d, %v", n, open, err, step.n, step.open)
		}
		for _, id := range step.gone {
			if _, err := db.Poll(id); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("Poll(%s) after prune: %v", id, err)
			}
		}
	}
	for _, id := range []string{"102", "103"} {
		if _, err := db.Poll(id); err != nil {
			t.Errorf("Poll(%s), not expired: %v", id, err)
		}
	}

	// Answers to pruned polls: repeats are duplicates of the first
	// result, new ones are unknown polls; nothing counts twice.
	for k, first := range answered {
		res, err := db.RecordAnswer(k[0].(int64), k[1].(string), 0, now)
		if err != nil || !res.Duplicate || res.Answer != first.Answer || res.Card != first.Card {
			t.Errorf("redelivery %v: %+v, %v; want a duplicate of %+v", k, res, err, first)
		}
	}
	for _, a := range []struct {
		uid  int64
		poll string
	}{{me, "101"}, {friend, "101"}, {member, "100"}, {groupOwner, "grp"}} {
		if _, err := db.RecordAnswer(a.uid, a.poll, 1, now); !errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrExpired) {
			t.Errorf("answer %d to pruned %s: %v, want ErrNotFound", a.uid, a.poll, err)
		}
	}
	for _, uid := range []int64{me, friend, member} {
		doc := mustExport(t, db, uid)
		if len(doc.Answers) != 1 || len(doc.Cards) != 1 || doc.Cards[0].Answers != 1 {
			t.Errorf("user %d after prune: answers %+v, cards %+v", uid, doc.Answers, doc.Cards)
		}
	}
	// The owner's answered poll stays in the export, the unanswered
	// expired one is gone; the group owner, who never answered, has
	// nothing left.
	if ids := pollIDs(t, db, me); !slices.Equal(ids, []string{"100", "102", "103"}) {
		t.Errorf("my polls after prune: %v", ids)
	}
	if _, err := db.Export(groupOwner); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Export(group owner) = %v, want ErrNotFound", err)
	}

	// Forget after pruning takes the rest, index entries included: much
	// later, nothing is left to prune.
	if err := db.Forget(me); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Export(me); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Export after Forget = %v", err)
	}
	if n, _, err := db.PrunePolls(now.Add(365*24*time.Hour), 100); err != nil || n != 0 {
		t.Fatalf("PrunePolls after Forget = %d, %v; want 0", n, err)
	}
	if doc := mustExport(t, db, friend); len(doc.Answers) != 1 {
		t.Fatalf("friend's answer to my poll went with me: %+v", doc.Answers)
	}
}

// A poll can be answered until exactly PollMaxAge after it was sent, and
// is pruned only after that; saving an id again moves its expiry.
func TestPollExpiryBoundary(t *testing.T) {
	db := MustOpen(t)
	sent := t0.Add(400 * time.Millisecond) // kept as t0
	mustSavePoll(t, db, "1", storage.PollRecord{UserID: 1, ChatID: 1, QuestionID: "q", SentAt: sent})
	mustSavePoll(t, db, "2", storage.PollRecord{UserID: 1, ChatID: 1, QuestionID: "q", SentAt: sent})
	edge := t0.Add(storage.PollMaxAge)
	if n, _, err := db.PrunePolls(edge, 10); err != nil || n != 0 {
		t.Fatalf("PrunePolls(sent+PollMaxAge) = %d, %v; want 0", n, err)
	}
	if _, err := db.RecordAnswer(1, "1", 0, edge.Add(999*time.Millisecond)); err != nil {
		t.Fatalf("answer at sent+PollMaxAge: %v", err)
	}
	if _, err := db.RecordAnswer(2, "2", 0, edge.Add(time.Second)); !errors.Is(err, storage.ErrExpired) {
		t.Fatalf("answer a second later: %v, want ErrExpired", err)
	}
	// Sent again a day later (a retry): the old index entry goes with it.
	mustSavePoll(t, db, "2", storage.PollRecord{UserID: 1, ChatID: 1, QuestionID: "q", SentAt: t0.Add(24 * time.Hour)})
	if n, _, err := db.PrunePolls(edge.Add(time.Nanosecond), 10); err != nil || n != 1 {
		t.Fatalf("PrunePolls just after = %d, %v; want 1 (poll 1)", n, err)
	}
	if _, err := db.Poll("2"); err != nil {
		t.Fatalf("re-saved poll pruned early: %v", err)
	}
	if n, _, err := db.PrunePolls(edge.Add(24*time.Hour+time.Second), 10); err != nil || n != 1 {
		t.Fatalf("PrunePolls a day later = %d, %v; want 1", n, err)
	}
	if n, _, err := db.PrunePolls(edge.Add(1000*time.Hour), 10); err != nil || n != 0 || len(pollIDs(t, db, 1)) != 1 {
		t.Fatalf("PrunePolls at the end = %d, %v; polls %v", n, err, pollIDs(t, db, 1))
	}
	if n, _, err := db.PrunePolls(edge.Add(1000*time.Hour), 0); err != nil || n != 0 {
		t.Fatalf("PrunePolls(limit 0) = %d, %v", n, err)
	}
}
