package storage_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"neurotutor/storage"
)

func mustSetReminder(t testing.TB, db *storage.DB, uid int64, hhmm, zone string, now time.Time) storage.Reminder {
	t.Helper()
	r, err := db.SetReminder(uid, uid*10, hhmm, zone, now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustDue(t testing.TB, db *storage.DB, now time.Time, limit int) []storage.DueReminder {
	t.Helper()
	d, err := db.DueReminders(now, limit)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustClaim(t testing.TB, db *storage.DB, uid int64, now time.Time) (storage.Claim, bool) {
	t.Helper()
	c, ok, err := db.ClaimReminder(uid, now)
	if err != nil {
		t.Fatal(err)
	}
	return c, ok
}

func reopen(t *testing.T, db *storage.DB, path string) *storage.DB {
	t.Helper()
	db.Close()
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// msk returns a time given as Moscow (UTC+3) wall clock on June d 2026.
func msk(d, h, m int) time.Time {
	return time.Date(2026, 6, d, h-3, m, 0, 0, time.UTC)
}

func TestSetAndDisableReminder(t *testing.T) {
	db := MustOpen(t)
	if _, err := db.Reminder(1); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Reminder(unknown) = %v", err)
	}
	r := mustSetReminder(t, db, 1, "9:30", "", msk(1, 8, 0))
	if !r.Enabled || r.HHMM != "09:30" || r.Zone != "Europe/Moscow" || r.ChatID != 10 ||
		!r.Next.Equal(msk(1, 9, 30)) || r.NextDate != "2026-06-01" {
		t.Fatalf("SetReminder = %+v", r)
	}
	for _, bad := range [][2]string{{"25:00", ""}, {"9", ""}, {"09:30", "Mars/Base"}, {"09:30", "UTC+15"}} {
		if _, err := db.SetReminder(1, 10, bad[0], bad[1], msk(1, 8, 0)); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("SetReminder(%q, %q) = %v, want ErrInvalid", bad[0], bad[1], err)
		}
	}
	if err := db.DisableReminder(1); err != nil {
		t.Fatal(err)
	}
	if d := mustDue(t, db, msk(30, 0, 0), 10); len(d) != 0 {
		t.Fatalf("due after disable: %+v", d)
	}
	if r, _ := db.Reminder(1); r.Enabled || r.HHMM != "09:30" || !r.Next.IsZero() {
		t.Fatalf("after disable: %+v", r)
	}
	if _, ok := mustClaim(t, db, 1, msk(1, 9, 30)); ok {
		t.Fatal("claimed a disabled reminder")
	}
	// Changing the time moves the index entry, it does not add one.
	mustSetReminder(t, db, 1, "10:00", "", msk(1, 8, 0))
	mustSetReminder(t, db, 1, "11:00", "", msk(1, 8, 0))
	if d := mustDue(t, db, msk(1, 23, 0), 10); len(d) != 1 || !d[0].At.Equal(msk(1, 11, 0)) {
		t.Fatalf("due = %+v", d)
	}
}

func TestDueRemindersOrderAndLimit(t *testing.T) {
	db := MustOpen(t)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	mustSetReminder(t, db, 1, "09:30", "UTC+3", now)  // 06:30 UTC
	mustSetReminder(t, db, 2, "09:30", "UTC+14", now) // 19:30 UTC
	mustSetReminder(t, db, 3, "09:30", "UTC-12", now) // 21:30 UTC
	mustSetReminder(t, db, 4, "02:00", "UTC", now)    // 02:00 UTC
	mustSetReminder(t, db, 5, "06:30", "UTC", now)    // 06:30 UTC, same second as user 1
	got := mustDue(t, db, time.Date(2026, 6, 1, 20, 0, 0, 0, time.UTC), 100)
	wantUsers := []int64{4, 1, 5, 2}
	if len(got) != len(wantUsers) {
		t.Fatalf("due = %+v", got)
	}
	for i, d := range got {
		if d.UserID != wantUsers[i] || d.ChatID != d.UserID*10 {
			t.Fatalf("due[%d] = %+v; want user %d", i, d, wantUsers[i])
		}
	}
	if got := mustDue(t, db, time.Date(2026, 6, 1, 20, 0, 0, 0, time.UTC), 2); len(got) != 2 || got[1].UserID != 1 {
		t.Fatalf("limit 2: %+v", got)
	}
	if got := mustDue(t, db, time.Date(2026, 6, 1, 1, 59, 59, 0, time.UTC), 10); len(got) != 0 {
		t.Fatalf("nothing due yet: %+v", got)
	}
}

func TestReminderAtMostOncePerLocalDay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustSetReminder(t, db, 1, "09:30", "Europe/Moscow", msk(1, 8, 0))

	fire := msk(1, 9, 30)
	if d := mustDue(t, db, fire, 10); len(d) != 1 || d[0].UserID != 1 {
		t.Fatalf("due = %+v", d)
	}
	c, ok := mustClaim(t, db, 1, fire)
	if !ok || c.LocalDate != "2026-06-01" || c.ChatID != 10 || !c.FireAt.Equal(fire) {
		t.Fatalf("claim = %+v, %v", c, ok)
	}
	if _, ok := mustClaim(t, db, 1, fire); ok {
		t.Fatal("claimed twice")
	}
	// Crash before MarkReminderSent: after the restart the day's reminder is
	// neither due nor claimable again (at most once).
	db = reopen(t, db, path)
	if d := mustDue(t, db, msk(1, 23, 59), 10); len(d) != 0 {
		t.Fatalf("due again after restart: %+v", d)
	}
	if _, ok := mustClaim(t, db, 1, msk(1, 12, 0)); ok {
		t.Fatal("claimed again after restart")
	}
	// Re-setting the reminder the same day does not send a second one.
	r := mustSetReminder(t, db, 1, "20:00", "Europe/Moscow", msk(1, 12, 0))
	if r.NextDate != "2026-06-02" || !r.Next.Equal(msk(2, 20, 0)) {
		t.Fatalf("re-set on a claimed day: %+v", r)
	}
	mustSetReminder(t, db, 1, "09:30", "Europe/Moscow", msk(1, 12, 0))

	// The next day works normally and MarkReminderSent confirms it.
	c, ok = mustClaim(t, db, 1, msk(2, 9, 30))
	if !ok || c.LocalDate != "2026-06-02" {
		t.Fatalf("day 2 claim = %+v, %v", c, ok)
	}
	if err := db.MarkReminderSent(1, c.LocalDate); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, path)
	r, _ = db.Reminder(1)
	if r.LastSent != "2026-06-02" || r.Claimed != "" || !r.Next.Equal(msk(3, 9, 30)) {
		t.Fatalf("after sent: %+v", r)
	}
	if d := mustDue(t, db, msk(2, 23, 59), 10); len(d) != 0 {
		t.Fatalf("due after sent: %+v", d)
	}
}

func TestReminderReleaseRetries(t *testing.T) {
	db := MustOpen(t)
	mustSetReminder(t, db, 1, "09:30", "", msk(1, 8, 0))
	c, ok := mustClaim(t, db, 1, msk(1, 9, 30))
	if !ok {
		t.Fatal("no claim")
	}
	// A 429 with retry_after 30 s.
	retry := msk(1, 9, 30).Add(30 * time.Second)
	if err := db.ReleaseReminderClaim(1, c.LocalDate, retry); err != nil {
		t.Fatal(err)
	}
	if d := mustDue(t, db, retry.Add(-time.Second), 10); len(d) != 0 {
		t.Fatalf("due before retry: %+v", d)
	}
	if d := mustDue(t, db, retry, 10); len(d) != 1 || !d[0].At.Equal(retry) {
		t.Fatalf("due at retry: %+v", d)
	}
	c2, ok := mustClaim(t, db, 1, retry)
	if !ok || c2.LocalDate != c.LocalDate {
		t.Fatalf("reclaim = %+v, %v", c2, ok)
	}
	if err := db.MarkReminderSent(1, c2.LocalDate); err != nil {
		t.Fatal(err)
	}
	// A stale release after the send does nothing.
	if err := db.ReleaseReminderClaim(1, c.LocalDate, retry); err != nil {
		t.Fatal(err)
	}
	if d := mustDue(t, db, msk(1, 23, 59), 10); len(d) != 0 {
		t.Fatalf("due after a stale release: %+v", d)
	}

	// A retry that lands after local midnight: that day is over, the
	// entry moves to the next day's 09:30.
	c, ok = mustClaim(t, db, 1, msk(2, 9, 30))
	if !ok {
		t.Fatal("no day-2 claim")
	}
	late := msk(3, 0, 5)
	if err := db.ReleaseReminderClaim(1, c.LocalDate, late); err != nil {
		t.Fatal(err)
	}
	if _, ok := mustClaim(t, db, 1, late); ok {
		t.Fatal("claimed day 2 on day 3")
	}
	if r, _ := db.Reminder(1); !r.Next.Equal(msk(3, 9, 30)) {
		t.Fatalf("after the day ended: %+v", r)
	}
}

func TestReminderMissedWhileDown(t *testing.T) {
	db := MustOpen(t)
	mustSetReminder(t, db, 1, "09:30", "", msk(1, 8, 0))
	// Back at 12:00 the same local day: sent once, late.
	c, ok := mustClaim(t, db, 1, msk(1, 12, 0))
	if !ok || c.LocalDate != "2026-06-01" {
		t.Fatalf("same-day catch-up: %+v, %v", c, ok)
	}
	db.MarkReminderSent(1, c.LocalDate)
	// Down from before 09:30 on 06-02 until 08:00 on 06-03: 06-02 is
	// skipped, 06-03 fires at 09:30.
	if d := mustDue(t, db, msk(3, 8, 0), 10); len(d) != 1 {
		t.Fatalf("stale entry: %+v", d)
	}
	if _, ok := mustClaim(t, db, 1, msk(3, 8, 0)); ok {
		t.Fatal("sent a reminder for a day that is over")
	}
	if d := mustDue(t, db, msk(3, 8, 0), 10); len(d) != 0 {
		t.Fatalf("after skipping: %+v", d)
	}
	// Down from 06-03 09:00 until 06-05 12:00: 06-05's time has passed, so
	// it is sent once now; 06-03 and 06-04 are skipped.
	c, ok = mustClaim(t, db, 1, msk(5, 12, 0))
	if !ok || c.LocalDate != "2026-06-05" {
		t.Fatalf("catch-up on 06-05: %+v, %v", c, ok)
	}
	if _, ok := mustClaim(t, db, 1, msk(5, 12, 1)); ok {
		t.Fatal("twice on 06-05")
	}
}

func TestReminderZones(t *testing.T) {
	db := MustOpen(t)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		uid      int64
		zone     string
		hhmm     string
		fire     time.Time
		date     string
		nextFire time.Time
	}{
		// UTC+14: 09:30 on 06-02 local is 19:30 UTC on 06-01.
		{1, "UTC+14", "09:30", time.Date(2026, 6, 1, 19, 30, 0, 0, time.UTC), "2026-06-02", time.Date(2026, 6, 2, 19, 30, 0, 0, time.UTC)},
		{2, "Pacific/Kiritimati", "09:30", time.Date(2026, 6, 1, 19, 30, 0, 0, time.UTC), "2026-06-02", time.Date(2026, 6, 2, 19, 30, 0, 0, time.UTC)},
		// UTC−12: 09:30 on 06-01 local is 21:30 UTC on 06-01.
		{3, "UTC−12", "09:30", time.Date(2026, 6, 1, 21, 30, 0, 0, time.UTC), "2026-06-01", time.Date(2026, 6, 2, 21, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		r := mustSetReminder(t, db, tt.uid, tt.hhmm, tt.zone, now)
		if !r.Next.Equal(tt.fire) || r.NextDate != tt.date {
			t.Errorf("%s: Next %v %s; want %v %s", tt.zone, r.Next, r.NextDate, tt.fire, tt.date)
			continue
		}
		c, ok := mustClaim(t, db, tt.uid, tt.fire)
		if !ok || c.LocalDate != tt.date {
			t.Errorf("%s: claim %+v %v", tt.zone, c, ok)
		}
		if r, _ := db.Reminder(tt.uid); !r.Next.Equal(tt.nextFire) {
			t.Errorf("%s: after claim Next %v, want %v", tt.zone, r.Next, tt.nextFire)
		}
	}
}

func TestReminderDST(t *testing.T) {
	db := MustOpen(t)
	// Spring forward: 02:30 does not exist on 2026-03-29 in Berlin; it fires
	// at 03:30 CEST (01:30 UTC), then at 02:30 CEST (00:30 UTC) next day.
	r := mustSetReminder(t, db, 1, "02:30", "Europe/Berlin", time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC); !r.Next.Equal(want) || r.NextDate != "2026-03-29" {
		t.Fatalf("spring: %+v, want %v", r, want)
	}
	if _, ok := mustClaim(t, db, 1, r.Next); !ok {
		t.Fatal("spring: no claim")
	}
	if r, _ = db.Reminder(1); !r.Next.Equal(time.Date(2026, 3, 30, 0, 30, 0, 0, time.UTC)) {
		t.Fatalf("spring next: %+v", r)
	}
	// Fall back: 02:30 happens twice on 2026-10-25; only the first fires.
	r = mustSetReminder(t, db, 2, "02:30", "Europe/Berlin", time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC))
	first := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)
	if !r.Next.Equal(first) {
		t.Fatalf("fall: %+v", r)
	}
	c, ok := mustClaim(t, db, 2, first)
	if !ok {
		t.Fatal("fall: no claim")
	}
	db.MarkReminderSent(2, c.LocalDate)
	second := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)
	for _, d := range mustDue(t, db, second, 10) {
		if d.UserID == 2 {
			t.Fatalf("second 02:30 is due: %+v", d)
		}
	}
	if _, ok := mustClaim(t, db, 2, second); ok {
		t.Fatal("fall: claimed at the second 02:30")
	}
	if r, _ = db.Reminder(2); !r.Next.Equal(time.Date(2026, 10, 26, 1, 30, 0, 0, time.UTC)) {
		t.Fatalf("fall next: %+v", r)
	}
}

// 10,000 users due in the same minute, claimed by 50 concurrent workers
// that each take what DueReminders returns: every user exactly once.
func TestManyDueTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 users")
	}
	db := MustOpen(t)
	const n = 10000
	set := msk(1, 8, 0)
	var wg sync.WaitGroup
	for uid := int64(1); uid <= n; uid++ {
		wg.Go(func() {
			if _, err := db.SetReminder(uid, uid, "09:30", "", set); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	now := msk(1, 9, 30).Add(20 * time.Second)
	var mu sync.Mutex
	claimed := make(map[int64]int)
	for {
		due := mustDue(t, db, now, 1000)
		if len(due) == 0 {
			break
		}
		for _, d := range due {
			// Two workers race for every entry.
			for range 2 {
				wg.Go(func() {
					c, ok, err := db.ClaimReminder(d.UserID, now)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						mu.Lock()
						claimed[c.UserID]++
						mu.Unlock()
					}
				})
			}
		}
		wg.Wait()
	}
	if len(claimed) != n {
		t.Fatalf("claimed %d users, want %d", len(claimed), n)
	}
	for uid, k := range claimed {
		if k != 1 {
			t.Fatalf("user %d claimed %d times", uid, k)
		}
	}
}
