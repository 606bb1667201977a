package storage_test

import (
	"errors"
	"testing"

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
	for _, bad := range []string{"", "Local", "UTC+15", "UTC-13", "UTC+3:60", "UTC+", "Mars/Base", "../etc/passwd", "UTC++3", "3"} {
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
