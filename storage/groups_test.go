package storage_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"neurotutor/storage"
)

const grp = -1001234

// startQuestion begins and opens a round's next question with poll id.
func startQuestion(t *testing.T, db *storage.DB, chat, id int64, pollID, q string, sent time.Time, open time.Duration) storage.Round {
	t.Helper()
	if _, err := db.BeginQuestion(chat, id, storage.RoundQ{QuestionID: q, Correct: 1, Answer: "b"}, sent); err != nil {
		t.Fatal(err)
	}
	r, err := db.OpenQuestion(chat, id, pollID, 7, sent, sent.Add(open))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A round: answers score once, faster right answers more, none after the
// open period; a second round waits; every answer also counts for the
// member's own cards.
func TestGroupRound(t *testing.T) {
	db := MustOpen(t)
	r := storage.Round{ID: 1, Starter: 1, StarterName: "Аня", Total: 2, Started: t0}
	if _, err := db.StartRound(grp, r); err != nil {
		t.Fatal(err)
	}
	if g, err := db.StartRound(grp, storage.Round{ID: 2, Total: 3}); !errors.Is(err, storage.ErrRoundRunning) || g.Round == nil || g.Round.ID != 1 {
		t.Fatalf("second round: %+v, %v", g, err)
	}
	startQuestion(t, db, grp, 1, "100", "q1", t0, 30*time.Second)
	if _, err := db.BeginQuestion(grp, 1, storage.RoundQ{QuestionID: "q2"}, t0); !errors.Is(err, storage.ErrNoRound) {
		t.Fatalf("a question begun while one is open: %v", err)
	}
	for _, a := range []struct {
		user    int64
		name    string
		option  int
		after   time.Duration
		counted bool
		points  int
	}{
		{1, "Аня", 1, 0, true, 1000},
		{2, "Борис", 1, 15 * time.Second, true, 750},
		{3, "Вера", 0, 5 * time.Second, true, 0},
		{4, "Гоша", 1, 31 * time.Second, false, 0}, // late
	} {
		res, err := db.RecordAnswerAs(a.user, a.name, "100", a.option, t0.Add(a.after))
		if err != nil || res.Group == nil || res.Group.ChatID != grp || res.Group.Counted != a.counted || res.Group.Points != a.points {
			t.Fatalf("%s: %+v, %v", a.name, res.Group, err)
		}
		if cards, err := db.Cards(a.user); err != nil || len(cards) != 1 || cards[0].QuestionID != "q1" {
			t.Fatalf("%s's own card: %+v, %v", a.name, cards, err)
		}
	}
	if res, err := db.RecordAnswerAs(2, "Борис", "100", 0, t0.Add(time.Second)); err != nil || !res.Duplicate || res.Group != nil {
		t.Fatalf("a repeated answer: %+v, %v", res, err)
	}
	closed, err := db.CloseQuestion(grp, 1, 1)
	if err != nil || closed.Q.Answered != 3 || closed.Q.Right != 2 || len(closed.Scores) != 3 {
		t.Fatalf("closed: %+v, %v", closed, err)
	}
	if _, err := db.CloseQuestion(grp, 1, 1); !errors.Is(err, storage.ErrNoRound) {
		t.Fatalf("closed twice: %v", err)
	}
	// After the close the poll is no longer the round's: the answer counts
	// for the member only.
	if res, err := db.RecordAnswerAs(5, "Даша", "100", 1, t0.Add(10*time.Second)); err != nil || res.Group != nil || res.Card.Answers != 1 {
		t.Fatalf("an answer after the close: %+v, %v", res, err)
	}
	startQuestion(t, db, grp, 1, "101", "q2", t0.Add(time.Minute), 30*time.Second)
	if _, err := db.RecordAnswerAs(2, "Борис", "101", 1, t0.Add(time.Minute+3*time.Second)); err != nil {
		t.Fatal(err)
	}
	end, err := db.EndRound(grp, 1)
	if err != nil || end.Asked != 2 || end.Scores[1].Points != 750+950 || end.Scores[1].Right != 2 {
		t.Fatalf("ended: %+v, %v", end, err)
	}
	if g, err := db.Group(grp); err != nil || g.Round != nil || g.Asked["q1"] != t0.Unix() {
		t.Fatalf("group after the round: %+v, %v", g, err)
	}
	bd, err := db.Board(grp, t0.Add(time.Hour))
	if err != nil || len(bd.All) != 3 || bd.All[0].Name != "Борис" || bd.All[0].Points != 1700 || bd.All[1].Name != "Аня" || bd.All[2].Points != 0 {
		t.Fatalf("board %+v, %v", bd, err)
	}
}

// Points: 1000 at once, 500 at the last moment, 0 when wrong.
func TestPoints(t *testing.T) {
	for _, c := range []struct {
		right   bool
		elapsed time.Duration
		want    int
	}{{true, 0, 1000}, {true, 15 * time.Second, 750}, {true, 30 * time.Second, 500}, {true, time.Hour, 500}, {true, -time.Second, 1000}, {false, 0, 0}} {
		if got := storage.Points(c.right, c.elapsed, 30*time.Second); got != c.want {
			t.Errorf("Points(%v, %v) = %d, want %d", c.right, c.elapsed, got, c.want)
		}
	}
}

// Weeks start on Monday 00:00 in the group's zone; the board of a new
// week starts empty while all time keeps everything; Forget takes a
// member off every board and out of a running round.
func TestBoardWeeksAndForget(t *testing.T) {
	db := MustOpen(t)
	if _, err := db.SetReminder(grp, grp, "19:00", "UTC+3", t0); err != nil {
		t.Fatal(err)
	}
	// Sunday 2026-06-07 23:30 in UTC+3 is 20:30 UTC; Monday begins at 21:00 UTC.
	sunday := time.Date(2026, 6, 7, 20, 30, 0, 0, time.UTC)
	id := int64(1)
	play := func(at time.Time, answers map[int64]int) {
		t.Helper()
		if _, err := db.StartRound(grp, storage.Round{ID: id, Total: 1}); err != nil {
			t.Fatal(err)
		}
		poll := fmt.Sprint(1000 + id)
		startQuestion(t, db, grp, id, poll, "q", at, 30*time.Second)
		for u, opt := range answers {
			if _, err := db.RecordAnswerAs(u, fmt.Sprint("u", u), poll, opt, at); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.EndRound(grp, id); err != nil {
			t.Fatal(err)
		}
		id++
	}
	play(sunday, map[int64]int{1: 1, 2: 1})
	if bd, _ := db.Board(grp, sunday.Add(29*time.Minute)); len(bd.Week) != 2 {
		t.Fatalf("Sunday 23:59: week %+v", bd.Week)
	}
	monday := sunday.Add(31 * time.Minute)
	if bd, _ := db.Board(grp, monday); len(bd.Week) != 0 || len(bd.All) != 2 {
		t.Fatalf("Monday 00:01: %+v", bd)
	}
	play(monday, map[int64]int{2: 1, 3: 0})
	// Two weeks on, the first week's totals are dropped with the next answer.
	play(monday.Add(14*24*time.Hour), map[int64]int{3: 1})
	bd, err := db.Board(grp, monday.Add(14*24*time.Hour))
	if err != nil || len(bd.Week) != 1 || bd.Week[0].UserID != 3 || len(bd.All) != 3 || bd.All[0].UserID != 2 || bd.All[0].Answered != 2 {
		t.Fatalf("two weeks later: %+v, %v", bd, err)
	}
	// A round running with user 2 in it.
	if _, err := db.StartRound(grp, storage.Round{ID: 99, Total: 2}); err != nil {
		t.Fatal(err)
	}
	startQuestion(t, db, grp, 99, "2000", "q", monday.Add(15*24*time.Hour), 30*time.Second)
	if _, err := db.RecordAnswerAs(2, "u2", "2000", 1, monday.Add(15*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.Forget(2); err != nil {
		t.Fatal(err)
	}
	bd, _ = db.Board(grp, monday.Add(15*24*time.Hour))
	for _, s := range append(bd.All, bd.Week...) {
		if s.UserID == 2 {
			t.Fatalf("forgotten member on the board: %+v", bd)
		}
	}
	if g, _ := db.Group(grp); len(g.Round.Scores) != 0 {
		t.Fatalf("forgotten member in the round: %+v", g.Round.Scores)
	}
}

// A group that becomes a supergroup keeps its round, standings and daily
// question; the round's open poll scores under the new id; a repeat does
// nothing.
func TestMigrateGroup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const old, sup = -4321, -1009876
	daily, err := db.SetReminder(old, old, "19:00", "UTC", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartRound(old, storage.Round{ID: 5, Total: 2}); err != nil {
		t.Fatal(err)
	}
	startQuestion(t, db, old, 5, "300", "q", t0, 30*time.Second)
	if _, err := db.RecordAnswerAs(1, "Аня", "300", 1, t0); err != nil {
		t.Fatal(err)
	}
	if moved, err := db.MigrateGroup(old, sup); err != nil || !moved {
		t.Fatalf("MigrateGroup = %v, %v", moved, err)
	}
	if moved, err := db.MigrateGroup(old, sup); err != nil || moved {
		t.Fatalf("again: %v, %v", moved, err)
	}
	res, err := db.RecordAnswerAs(2, "Борис", "300", 1, t0.Add(time.Second))
	if err != nil || res.Group == nil || res.Group.ChatID != sup || !res.Group.Counted {
		t.Fatalf("answer after the move: %+v, %v", res.Group, err)
	}
	if _, err := db.Group(old); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("old group: %v", err)
	}
	g, err := db.Group(sup)
	if err != nil || g.Round == nil || len(g.Round.Scores) != 2 {
		t.Fatalf("new group %+v, %v", g, err)
	}
	bd, _ := db.Board(sup, t0)
	if len(bd.All) != 2 {
		t.Fatalf("board after the move %+v", bd)
	}
	due, err := db.DueReminders(t0.Add(48*time.Hour), 10)
	if err != nil || len(due) != 1 || due[0].UserID != sup || due[0].ChatID != sup || !due[0].At.Equal(daily.Next) {
		t.Fatalf("daily after the move: %+v, %v", due, err)
	}
	// Forget still finds the moved entries.
	if err := db.Forget(1); err != nil {
		t.Fatal(err)
	}
	if bd, _ := db.Board(sup, t0); len(bd.All) != 1 {
		t.Fatalf("after Forget: %+v", bd)
	}
}

// Removing the bot turns the daily question off and ends the round; the
// standings stay.
func TestGroupInactive(t *testing.T) {
	db := MustOpen(t)
	if _, err := db.SetReminder(grp, grp, "19:00", "UTC", t0); err != nil {
		t.Fatal(err)
	}
	if changed, err := db.SetGroupActive(grp, true); err != nil || !changed {
		t.Fatalf("join: %v, %v", changed, err)
	}
	if changed, _ := db.SetGroupActive(grp, true); changed {
		t.Fatal("a repeated join changed something")
	}
	if _, err := db.StartRound(grp, storage.Round{ID: 1, Total: 1}); err != nil {
		t.Fatal(err)
	}
	if changed, err := db.SetGroupActive(grp, false); err != nil || !changed {
		t.Fatalf("leave: %v, %v", changed, err)
	}
	if due, _ := db.DueReminders(t0.Add(72*time.Hour), 10); len(due) != 0 {
		t.Fatalf("daily still due: %+v", due)
	}
	if g, _ := db.Group(grp); g.Round != nil || g.Active {
		t.Fatalf("group %+v", g)
	}
	if err := db.SetOpenPeriod(grp, 9*time.Second); !errors.Is(err, storage.ErrInvalid) {
		t.Fatalf("9 s: %v", err)
	}
	if err := db.SetOpenPeriod(grp, 45*time.Second); err != nil {
		t.Fatal(err)
	}
	if g, _ := db.Group(grp); g.Open() != 45*time.Second {
		t.Fatalf("open %v", g.Open())
	}
}
