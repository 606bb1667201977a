package core

import (
	"fmt"
	"time"
)

// LocalAt returns the instant at which the wall clock in loc reads hh:mm on
// the civil date (year, month, day) (out-of-range days normalise as in
// time.Date).
//
// Around a daylight-saving change the wall time may not exist or exist
// twice; Go's time.Date does not promise which instant it picks, so this
// function decides:
//   - A time that exists twice (autumn, clocks go back) is the earlier
//     instant: 02:30 on 2026-10-25 in Europe/Berlin is 02:30 CEST (00:30 UTC).
//   - A time in a spring-forward gap is read with the offset in force before
//     the change, which lands as far past the gap as hh:mm was into it:
//     02:30 on 2026-03-29 in Europe/Berlin is 03:30 CEST (01:30 UTC). The
//     reminder comes an hour late on that one day rather than not at all.
//
// It panics unless 0 ≤ hh ≤ 23 and 0 ≤ mm ≤ 59, or if loc is nil.
func LocalAt(year int, month time.Month, day, hh, mm int, loc *time.Location) time.Time {
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		panic(fmt.Sprintf("core: local time %02d:%02d out of range", hh, mm))
	}
	if loc == nil {
		panic("core: nil location")
	}
	// wall is the wanted wall-clock reading as if it were UTC.
	wall := time.Date(year, month, day, hh, mm, 0, 0, time.UTC)
	y, mo, d := wall.Date()
	offsetAt := func(t time.Time) time.Duration {
		_, off := t.In(loc).Zone()
		return time.Duration(off) * time.Second
	}
	// Offsets change at most once around any one day in real zones, and
	// no offset exceeds 14 h, so the offsets a day before and a day after
	// are the only candidates.
	before, after := offsetAt(wall.Add(-24*time.Hour)), offsetAt(wall.Add(24*time.Hour))
	reads := func(t time.Time) bool {
		l := t.In(loc)
		ly, lmo, ld := l.Date()
		return ly == y && lmo == mo && ld == d && l.Hour() == hh && l.Minute() == mm
	}
	c1, c2 := wall.Add(-before), wall.Add(-after)
	switch ok1, ok2 := reads(c1), reads(c2); {
	case ok1 && ok2:
		if c2.Before(c1) {
			return c2.In(loc)
		}
		return c1.In(loc)
	case ok1:
		return c1.In(loc)
	case ok2:
		return c2.In(loc)
	default: // in a gap
		return c1.In(loc)
	}
}

// NextFire returns the first instant strictly after now at which a daily
// event set for hh:mm local time in loc fires: LocalAt for now's local date,
// or for the following dates if that one is not after now. There is exactly
// one candidate per local date, so an event fires at most once per local
// day, even on the day a wall time occurs twice. The result is in loc.
//
// It panics under the same conditions as LocalAt.
func NextFire(now time.Time, hh, mm int, loc *time.Location) time.Time {
	if loc == nil {
		panic("core: nil location")
	}
	y, m, d := now.In(loc).Date()
	for i := 0; ; i++ {
		if t := LocalAt(y, m, d+i, hh, mm, loc); t.After(now) {
			return t
		}
	}
}
