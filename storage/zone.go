package storage

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone names must resolve on hosts without /usr/share/zoneinfo
	"unicode"
)

// DefaultZone is the time zone of a user who has not set one.
const DefaultZone = "Europe/Moscow"

// ParseClock parses a local time of day "H:MM" or "HH:MM" (00:00 to 23:59).
func ParseClock(s string) (hh, mm int, err error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if ok && len(h) >= 1 && len(h) <= 2 && len(m) == 2 {
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if err1 == nil && err2 == nil && hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && h[0] != '+' && m[0] != '+' {
			return hh, mm, nil
		}
	}
	return 0, 0, fmt.Errorf("%w: time of day %q, want HH:MM", ErrInvalid, s)
}

// ParseZone parses a time zone: an IANA name ("Europe/Moscow") or a fixed
// offset "UTC+3", "UTC-12", "UTC+05:30", "GMT+3", "+3" (a Unicode minus is
// accepted) from UTC−12 to UTC+14. It returns the location and its
// canonical name, which is what SetReminder stores: the IANA name, or
// "UTC", "UTC+3", "UTC+5:30", "UTC-12".
func ParseZone(s string) (*time.Location, string, error) {
	s = strings.TrimSpace(s)
	if off, name, ok := parseOffset(s); ok {
		if off == 0 {
			return time.UTC, name, nil
		}
		return time.FixedZone(name, off), name, nil
	}
	if s == "" || strings.EqualFold(s, "Local") || strings.HasPrefix(s, "/") || len(s) > maxZoneName {
		return nil, "", fmt.Errorf("%w: time zone %q", ErrInvalid, s)
	}
	for _, name := range zoneSpellings(s) {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, loc.String(), nil
		}
	}
	return nil, "", fmt.Errorf("%w: time zone %q", ErrInvalid, s)
}

// maxZoneName bounds a zone name (the longest IANA name has 32 bytes).
const maxZoneName = 64

// zoneSpellings lists the capitalisations of an IANA name to try, so that
// "europe/moscow", "AMERICA/NEW_YORK" and "us/pacific" are found: IANA
// names are case-sensitive, people's typing is not. A name with mixed case
// is tried as typed first.
func zoneSpellings(s string) []string {
	var out []string
	if s != strings.ToLower(s) && s != strings.ToUpper(s) {
		out = append(out, s)
	}
	segs := strings.Split(strings.ToLower(s), "/")
	for _, style := range []int{0, 1, 2, 3} {
		parts := make([]string, len(segs))
		for i, seg := range segs {
			st := style
			if style == 3 { // "Etc/GMT+3": capitals in the last segment only
				st = 1
				if i == len(segs)-1 {
					st = 2
				}
			}
			parts[i] = capitalise(seg, st)
		}
		if n := strings.Join(parts, "/"); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if !slices.Contains(out, s) {
		out = append(out, s)
	}
	return out
}

// capitalise writes one segment of a zone name: style 0 capitalises every
// word ("Port-Au-Prince"), 1 keeps short inner words lower ("Port-au-Prince",
// "Dar_es_Salaam", "Isle_of_Man"), 2 is 1 with a short one-word segment in
// capitals ("US", "GMT+3", "EST").
func capitalise(seg string, style int) string {
	letters := strings.TrimRight(seg, "+-0123456789")
	if style == 2 && len(letters) <= 3 && !strings.ContainsAny(letters, "_-") {
		return strings.ToUpper(seg)
	}
	b := []byte(seg)
	start, word := true, 0
	for i := range b {
		if b[i] == '_' || b[i] == '-' {
			start = true
			word++
			continue
		}
		if start {
			start = false
			end := i
			for end < len(b) && b[end] != '_' && b[end] != '-' {
				end++
			}
			if style == 0 || word == 0 || end-i > 2 {
				b[i] = byte(unicode.ToUpper(rune(b[i])))
			}
		}
	}
	return string(b)
}

// parseOffset reads "UTC", "UTC±H[H][:MM]" and friends; off is in seconds.
func parseOffset(s string) (off int, name string, ok bool) {
	u := strings.ToUpper(s)
	for _, p := range []string{"UTC", "GMT"} {
		if strings.HasPrefix(u, p) {
			u = strings.TrimSpace(u[len(p):])
			if u == "" {
				return 0, "UTC", true
			}
			break
		}
	}
	u = strings.Replace(u, "−", "-", 1)
	if u == "" || (u[0] != '+' && u[0] != '-') {
		return 0, "", false
	}
	sign := 1
	if u[0] == '-' {
		sign = -1
	}
	h, m, hasMin := strings.Cut(u[1:], ":")
	if len(h) < 1 || len(h) > 2 || (hasMin && len(m) != 2) {
		return 0, "", false
	}
	hh, err := strconv.Atoi(h)
	if err != nil || h[0] == '+' || h[0] == '-' {
		return 0, "", false
	}
	mm := 0
	if hasMin {
		if mm, err = strconv.Atoi(m); err != nil || m[0] == '+' || m[0] == '-' || mm > 59 {
			return 0, "", false
		}
	}
	off = sign * (hh*3600 + mm*60)
	if off < -12*3600 || off > 14*3600 {
		return 0, "", false
	}
	if off == 0 {
		return 0, "UTC", true
	}
	name = fmt.Sprintf("UTC%c%d", "-+"[(sign+1)/2], hh)
	if mm != 0 {
		name += fmt.Sprintf(":%02d", mm)
	}
	return off, name, true
}

// location resolves a stored zone name, caching the result per DB.
func (db *DB) location(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultZone
	}
	if l, ok := db.zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	loc, _, err := ParseZone(name)
	if err != nil {
		return nil, err
	}
	db.zones.Store(name, loc)
	return loc, nil
}

// userLocation returns loc if not nil, else u's reminder zone or DefaultZone.
func (db *DB) userLocation(u *User, loc *time.Location) (*time.Location, error) {
	if loc != nil {
		return loc, nil
	}
	return db.location(u.Reminder.Zone)
}

// Location returns the time zone userID's days are counted in: the zone
// of their reminder setting (kept after DisableReminder), or DefaultZone.
func (db *DB) Location(userID int64) (*time.Location, error) {
	u, err := db.User(userID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return db.userLocation(&u, nil)
}
