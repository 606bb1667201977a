package core_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the host's zoneinfo

	"neurotutor/core"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

func TestNextFire(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	moscow := mustZone(t, "Europe/Moscow")
	kiritimati := mustZone(t, "Pacific/Kiritimati") // UTC+14
	plus14 := time.FixedZone("UTC+14", 14*3600)
	minus12 := time.FixedZone("UTC-12", -12*3600)
	// Expected instants are worked out from the zones' offsets: Berlin is
	// UTC+1 (CET) in winter and UTC+2 (CEST) from 2026-03-29 01:00 UTC to
	// 2026-10-25 01:00 UTC; Moscow is UTC+3 all year.
	tests := []struct {
		name   string
		now    time.Time
		hh, mm int
		loc    *time.Location
		want   time.Time
	}{
		{"later today", utc(2026, 6, 1, 5, 0), 9, 30, moscow, utc(2026, 6, 1, 6, 30)},
		{"already passed today", utc(2026, 6, 1, 7, 0), 9, 30, moscow, utc(2026, 6, 2, 6, 30)},
		{"exactly now is not next", utc(2026, 6, 1, 6, 30), 9, 30, moscow, utc(2026, 6, 2, 6, 30)},
		{"midnight", utc(2026, 6, 1, 6, 30), 0, 0, moscow, utc(2026, 6, 1, 21, 0)},
		{"Berlin winter", utc(2026, 1, 10, 0, 0), 9, 30, berlin, utc(2026, 1, 10, 8, 30)},
		{"Berlin summer", utc(2026, 7, 10, 0, 0), 9, 30, berlin, utc(2026, 7, 10, 7, 30)},
		// 02:30 does not exist on 2026-03-29 in Berlin: read with CET → 03:30 CEST.
		{"Berlin spring-forward gap", utc(2026, 3, 28, 12, 0), 2, 30, berlin, utc(2026, 3, 29, 1, 30)},
		{"Berlin day after the gap", utc(2026, 3, 29, 1, 30), 2, 30, berlin, utc(2026, 3, 30, 0, 30)},
		{"Berlin 09:30 on the spring day", utc(2026, 3, 28, 12, 0), 9, 30, berlin, utc(2026, 3, 29, 7, 30)},
		// 02:30 happens twice on 2026-10-25: the earlier one, 02:30 CEST.
		{"Berlin fall-back, earlier instant", utc(2026, 10, 24, 12, 0), 2, 30, berlin, utc(2026, 10, 25, 0, 30)},
		// After the first 02:30 the second is skipped: once per local day.
		{"Berlin fall-back, not twice", utc(2026, 10, 25, 0, 30), 2, 30, berlin, utc(2026, 10, 26, 1, 30)},
		// UTC+14: local 2026-06-01 14:00 at 00:00 UTC; 09:30 local on 06-02 is 06-01 19:30 UTC.
		{"UTC+14 fixed", utc(2026, 6, 1, 0, 0), 9, 30, plus14, utc(2026, 6, 1, 19, 30)},
		{"UTC+14 Kiritimati", utc(2026, 6, 1, 0, 0), 9, 30, kiritimati, utc(2026, 6, 1, 19, 30)},
		{"UTC+14 late evening", utc(2026, 6, 1, 9, 59), 23, 59, plus14, utc(2026, 6, 1, 9, 59).Add(24 * time.Hour)},
		// UTC−12: local 2026-05-31 12:00 at 00:00 UTC; 09:30 local on 06-01 is 06-01 21:30 UTC.
		{"UTC-12", utc(2026, 6, 1, 0, 0), 9, 30, minus12, utc(2026, 6, 1, 21, 30)},
		{"UTC-12 same local day", utc(2026, 6, 1, 0, 0), 13, 0, minus12, utc(2026, 6, 1, 1, 0)},
		{"year end", utc(2026, 12, 31, 23, 0), 9, 0, moscow, utc(2027, 1, 1, 6, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := core.NextFire(tt.now, tt.hh, tt.mm, tt.loc)
			if !got.Equal(tt.want) {
				t.Fatalf("NextFire(%v, %02d:%02d, %s) = %v (%v), want %v",
					tt.now, tt.hh, tt.mm, tt.loc, got.UTC(), got, tt.want)
			}
			if got.Location() != tt.loc {
				t.Fatalf("result in %v, want %v", got.Location(), tt.loc)
			}
		})
	}
}

// Chaining NextFire over two years gives exactly one fire per local date,
// every date, for wall times in and out of Berlin's DST gaps and overlaps.
func TestNextFireOncePerLocalDay(t *testing.T) {
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "Etc/GMT+12"} {
		loc := mustZone(t, name)
		for _, hm := range [][2]int{{0, 0}, {1, 30}, {2, 0}, {2, 30}, {9, 30}, {23, 59}} {
			now := time.Date(2025, 1, 1, 12, 0, 0, 0, loc)
			prevDate := ""
			for range 730 {
				next := core.NextFire(now, hm[0], hm[1], loc)
				if !next.After(now) {
					t.Fatalf("%s %v: NextFire(%v) = %v not after", name, hm, now, next)
				}
				date := next.Format(time.DateOnly)
				if date <= prevDate {
					t.Fatalf("%s %v: second fire on %s (%v)", name, hm, date, next)
				}
				if gap := next.Sub(now); prevDate != "" && (gap < 22*time.Hour || gap > 26*time.Hour) {
					t.Fatalf("%s %v: %v between fires at %v", name, hm, gap, next)
				}
				prevDate, now = date, next
			}
		}
	}
}

func TestLocalAtPanics(t *testing.T) {
	for _, hm := range [][2]int{{24, 0}, {-1, 0}, {9, 60}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%v: no panic", hm)
				}
			}()
			core.LocalAt(2026, 1, 1, hm[0], hm[1], time.UTC)
		}()
	}
}
