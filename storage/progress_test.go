package storage_test

import (
	"slices"
	"testing"
	"time"

	"neurotutor/storage"
)

func TestLessonsFinishedAndLabs(t *testing.T) {
	db := MustOpen(t)
	for _, n := range []int{2, 2, 1} {
		if err := db.MarkLessonFinished(5, n); err != nil {
			t.Fatal(err)
		}
	}
	for _, lab := range []string{"posenc", "neuron", "posenc"} {
		if err := db.MarkLabTried(5, lab); err != nil {
			t.Fatal(err)
		}
	}
	u, err := db.User(5)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(u.LessonsFinished, []int{1, 2}) || !slices.Equal(u.LessonsOpened, []int{1, 2}) ||
		!slices.Equal(u.LabsTried, []string{"neuron", "posenc"}) {
		t.Fatalf("User = %+v", u)
	}
}

func TestStreak(t *testing.T) {
	msk := time.FixedZone("UTC+3", 3*3600)
	plus14 := time.FixedZone("UTC+14", 14*3600)
	minus12 := time.FixedZone("UTC-12", -12*3600)
	at := func(d, h, m int) time.Time { return time.Date(2026, 6, d, h, m, 0, 0, time.UTC) }
	type touch struct {
		now           time.Time
		loc           *time.Location
		current, best int
		date          string
	}
	tests := []struct {
		name    string
		touches []touch
	}{
		{"local midnight, not UTC midnight", []touch{
			{at(1, 20, 30), msk, 1, 1, "2026-06-01"}, // 23:30 local
			{at(1, 21, 10), msk, 2, 2, "2026-06-02"}, // 00:10 local, same UTC day
			{at(2, 8, 0), msk, 2, 2, "2026-06-02"},   // same local day again
			{at(3, 22, 0), msk, 1, 2, "2026-06-04"},  // 06-03 skipped
			{at(4, 22, 0), msk, 2, 2, "2026-06-05"},
			{at(5, 22, 0), msk, 3, 3, "2026-06-06"},
		}},
		{"UTC-12", []touch{
			{at(1, 11, 0), minus12, 1, 1, "2026-05-31"}, // 23:00 local
			{at(1, 13, 0), minus12, 2, 2, "2026-06-01"}, // 01:00 local
			{at(2, 11, 59), minus12, 2, 2, "2026-06-01"},
			{at(2, 12, 0), minus12, 3, 3, "2026-06-02"},
		}},
		{"UTC+14", []touch{
			{at(1, 9, 0), plus14, 1, 1, "2026-06-01"},  // 23:00 local
			{at(1, 11, 0), plus14, 2, 2, "2026-06-02"}, // 01:00 local, same UTC day
			{at(3, 10, 0), plus14, 1, 2, "2026-06-04"}, // 06-03 local skipped
		}},
		{"moving west does not go back", []touch{
			{at(1, 11, 0), plus14, 1, 1, "2026-06-02"},
			{at(1, 12, 0), minus12, 1, 1, "2026-06-02"}, // local 2026-06-01: earlier date, ignored
			{at(2, 12, 0), minus12, 1, 1, "2026-06-02"}, // local 2026-06-02 again: no change
			{at(3, 12, 0), minus12, 2, 2, "2026-06-03"},
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpen(t)
			uid := int64(100 + i)
			for j, tc := range tt.touches {
				s, err := db.Touch(uid, tc.now, tc.loc)
				if err != nil {
					t.Fatal(err)
				}
				if s.Current != tc.current || s.Best != tc.best || s.LastDate != tc.date {
					t.Fatalf("touch %d at %v: %+v; want current %d best %d date %s", j, tc.now, s, tc.current, tc.best, tc.date)
				}
			}
		})
	}
}

func TestStreakCurrentAt(t *testing.T) {
	s := storage.Streak{Current: 4, Best: 6, LastDate: "2026-06-02"}
	msk := time.FixedZone("UTC+3", 3*3600)
	for _, tc := range []struct {
		now  time.Time
		want int
	}{
		{time.Date(2026, 6, 2, 12, 0, 0, 0, time.UTC), 4},
		{time.Date(2026, 6, 3, 20, 59, 0, 0, time.UTC), 4}, // 23:59 on 06-03 local
		{time.Date(2026, 6, 3, 21, 0, 0, 0, time.UTC), 0},  // 00:00 on 06-04 local
	} {
		if got := s.CurrentAt(tc.now, msk); got != tc.want {
			t.Errorf("CurrentAt(%v) = %d, want %d", tc.now, got, tc.want)
		}
	}
}

// Touch with a nil zone counts days in the user's reminder zone.
func TestTouchUsesReminderZone(t *testing.T) {
	db := MustOpen(t)
	if _, err := db.SetReminder(1, 1, "10:00", "UTC-12", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	s, err := db.Touch(1, time.Date(2026, 6, 1, 11, 0, 0, 0, time.UTC), nil)
	if err != nil || s.LastDate != "2026-05-31" {
		t.Fatalf("Touch = %+v, %v; want local date 2026-05-31", s, err)
	}
	loc, err := db.Location(2) // unknown user: DefaultZone
	if err != nil || loc.String() != storage.DefaultZone {
		t.Fatalf("Location(unknown) = %v, %v", loc, err)
	}
}

// Changing the reminder's zone never breaks a streak the learner earned,
// nor revives one that lapsed: the repro (UTC+14, two days, then
// UTC−12, which is 26 hours behind) and the way back east.
func TestStreakSurvivesZoneChange(t *testing.T) {
	db := MustOpen(t)
	const u = 5
	day1 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) // 2 Dec 02:00 at UTC+14
	touch := func(at time.Time) {
		t.Helper()
		if _, err := db.Touch(u, at, nil); err != nil {
			t.Fatal(err)
		}
	}
	current := func(at time.Time) int {
		t.Helper()
		usr, err := db.User(u)
		if err != nil {
			t.Fatal(err)
		}
		loc, err := db.Location(u)
		if err != nil {
			t.Fatal(err)
		}
		return usr.Streak.CurrentAt(at, loc)
	}
	if _, err := db.SetReminder(u, u, "09:30", "UTC+14", day1); err != nil {
		t.Fatal(err)
	}
	touch(day1)
	touch(day1.Add(24 * time.Hour))
	now := day1.Add(24*time.Hour + time.Minute)
	if got := current(now); got != 2 {
		t.Fatalf("streak before the move: %d", got)
	}
	// West by 26 hours: "today" is two dates earlier; the streak stands,
	// and activity now neither breaks nor double-counts it.
	if _, err := db.SetReminder(u, u, "09:30", "UTC-12", now); err != nil {
		t.Fatal(err)
	}
	if got := current(now); got != 2 {
		t.Fatalf("streak after moving west: %d, want 2", got)
	}
	touch(now.Add(time.Minute))
	if got := current(now.Add(time.Minute)); got != 2 {
		t.Fatalf("streak after activity in the new zone: %d, want 2", got)
	}
	// The next local day in the new zone extends it.
	next := now.Add(24 * time.Hour)
	touch(next)
	if got := current(next); got != 3 {
		t.Fatalf("streak the next day: %d, want 3", got)
	}
	// East again, yesterday's activity still counts as yesterday.
	later := next.Add(20 * time.Hour)
	if _, err := db.SetReminder(u, u, "09:30", "UTC+14", later); err != nil {
		t.Fatal(err)
	}
	if got := current(later); got != 3 {
		t.Fatalf("streak after moving east: %d, want 3", got)
	}
	// A lapsed streak stays lapsed across a move west.
	lapsed := later.Add(72 * time.Hour)
	if got := current(lapsed); got != 0 {
		t.Fatalf("streak after three idle days: %d", got)
	}
	if _, err := db.SetReminder(u, u, "09:30", "UTC-12", lapsed); err != nil {
		t.Fatal(err)
	}
	if got := current(lapsed); got != 0 {
		t.Fatalf("a lapsed streak revived by a move west: %d", got)
	}
	usr, _ := db.User(u)
	if usr.Streak.Best != 3 {
		t.Fatalf("best %d, want 3", usr.Streak.Best)
	}
}
