package storage_test

import (
	"errors"
	"testing"
	"time"

	"neurotutor/storage"
)

func TestParseZone(t *testing.T) {
	tests := []struct {
		in     string
		name   string
		offset int // seconds east of UTC at 2026-01-01, checked for fixed zones
	}{
		{"Europe/Moscow", "Europe/Moscow", 3 * 3600},
		{"UTC+3", "UTC+3", 3 * 3600},
		{"utc+03:00", "UTC+3", 3 * 3600},
		{"GMT+3", "UTC+3", 3 * 3600},
		{"+3", "UTC+3", 3 * 3600},
		{"UTC+5:30", "UTC+5:30", 5*3600 + 1800},
		{"UTC+14", "UTC+14", 14 * 3600},
		{"UTC-12", "UTC-12", -12 * 3600},
		{"UTC−12", "UTC-12", -12 * 3600},
		{"UTC", "UTC", 0},
		{"UTC+0", "UTC", 0},
		// IANA names in any case.
		{"europe/moscow", "Europe/Moscow", 3 * 3600},
		{"EUROPE/MOSCOW", "Europe/Moscow", 3 * 3600},
		{"asia/tokyo", "Asia/Tokyo", 9 * 3600},
		{"america/new_york", "America/New_York", -4 * 3600}, // t0 is in June: daylight time
		{"america/port-au-prince", "America/Port-au-Prince", -4 * 3600},
		{"africa/dar_es_salaam", "Africa/Dar_es_Salaam", 3 * 3600},
		{"asia/ust-nera", "Asia/Ust-Nera", 10 * 3600},
		{"us/pacific", "US/Pacific", -7 * 3600},
		{"etc/gmt+3", "Etc/GMT+3", -3 * 3600}, // POSIX sign: GMT+3 is UTC−3
		{"est", "EST", -5 * 3600},
	}
	for _, tt := range tests {
		loc, name, err := storage.ParseZone(tt.in)
		if err != nil || name != tt.name {
			t.Errorf("ParseZone(%q) = %v, %q, %v; want %q", tt.in, loc, name, err, tt.name)
			continue
		}
		if _, off := t0.In(loc).Zone(); off != tt.offset {
			t.Errorf("ParseZone(%q): offset %d, want %d", tt.in, off, tt.offset)
		}
	}
	for _, bad := range []string{"", "Local", "UTC+15", "UTC-13", "UTC+3:60", "UTC+", "Mars/Base", "../etc/passwd", "UTC++3", "3", "local", "LOCAL", "europe/../etc/passwd"} {
		if _, _, err := storage.ParseZone(bad); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("ParseZone(%q) err = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in     string
		hh, mm int
	}{{"09:30", 9, 30}, {"9:30", 9, 30}, {"00:00", 0, 0}, {"23:59", 23, 59}} {
		hh, mm, err := storage.ParseClock(tc.in)
		if err != nil || hh != tc.hh || mm != tc.mm {
			t.Errorf("ParseClock(%q) = %d, %d, %v", tc.in, hh, mm, err)
		}
	}
	for _, bad := range []string{"24:00", "9", "9:5", "-1:30", "+9:30", "09:60", "0930", "ab:cd"} {
		if _, _, err := storage.ParseClock(bad); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("ParseClock(%q) err = %v", bad, err)
		}
	}
}

// FuzzParseZone: a zone parses to a canonical name that parses to itself,
// never to the host's local zone; anything else is ErrInvalid.
func FuzzParseZone(f *testing.F) {
	for _, s := range []string{"Europe/Moscow", "europe/moscow", "UTC+3", "+5:30", "us/pacific", "etc/gmt-14", "Local", "local", "../x", "Asia/", "UTC−12", "gmt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, name, err := storage.ParseZone(s)
		if err != nil {
			if !errors.Is(err, storage.ErrInvalid) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if loc == nil || loc == time.Local || name == "Local" {
			t.Fatalf("%q: location %v %q", s, loc, name)
		}
		if _, again, err := storage.ParseZone(name); err != nil || again != name {
			t.Fatalf("%q: canonical %q reads as %q, %v", s, name, again, err)
		}
	})
}
