package storage

import (
	"errors"
	"fmt"
	"time"
)

// MarkLessonOpened records that userID opened lesson n (1-based).
// It is idempotent.
func (db *DB) MarkLessonOpened(userID int64, n int) error {
	err := db.updateRecord(userID, func(u *User) (bool, error) {
		var changed bool
		u.LessonsOpened, changed = insertSorted(u.LessonsOpened, n)
		return changed, nil
	})
	if err != nil {
		return fmt.Errorf("storage: mark lesson %d opened by %d: %w", n, userID, err)
	}
	return nil
}

// LessonsOpened returns the lesson numbers userID has opened, ascending.
func (db *DB) LessonsOpened(userID int64) ([]int, error) {
	u, err := db.User(userID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return u.LessonsOpened, err
}

// MarkLessonFinished records that userID finished lesson n (1-based); a
// finished lesson also counts as opened. It is idempotent.
func (db *DB) MarkLessonFinished(userID int64, n int) error {
	err := db.updateRecord(userID, func(u *User) (bool, error) {
		var c1, c2 bool
		u.LessonsOpened, c1 = insertSorted(u.LessonsOpened, n)
		u.LessonsFinished, c2 = insertSorted(u.LessonsFinished, n)
		return c1 || c2, nil
	})
	if err != nil {
		return fmt.Errorf("storage: mark lesson %d finished by %d: %w", n, userID, err)
	}
	return nil
}

// MarkLabTried records that userID tried the lab named lab (a command
// name such as "neuron"). It is idempotent.
func (db *DB) MarkLabTried(userID int64, lab string) error {
	if lab == "" {
		return fmt.Errorf("%w: empty lab name", ErrInvalid)
	}
	err := db.updateRecord(userID, func(u *User) (bool, error) {
		var changed bool
		u.LabsTried, changed = insertSorted(u.LabsTried, lab)
		return changed, nil
	})
	if err != nil {
		return fmt.Errorf("storage: mark lab %q tried by %d: %w", lab, userID, err)
	}
	return nil
}

// Streak counts consecutive local days with activity (a lesson, lab or
// quiz answer the bot reports through Touch or RecordAnswer).
type Streak struct {
	Current  int    `json:"current,omitempty"`   // days in the run ending on LastDate
	Best     int    `json:"best,omitempty"`      // longest run ever
	LastDate string `json:"last_date,omitempty"` // local date "2006-01-02" of the last activity
}

// CurrentAt returns the streak as it stands at now in loc: Current if the
// last activity was today or yesterday (local dates), else 0.
func (s Streak) CurrentAt(now time.Time, loc *time.Location) int {
	today := localDate(now, loc)
	if s.LastDate == today || s.LastDate == dayBefore(today) {
		return s.Current
	}
	return 0
}

// touch records activity at now in loc: the same local day changes
// nothing, the next day extends the run, a later day starts a new run.
// A date before LastDate (the user moved west) changes nothing either.
func (s *Streak) touch(now time.Time, loc *time.Location) bool {
	today := localDate(now, loc)
	switch {
	case today <= s.LastDate:
		return false
	case s.LastDate != "" && s.LastDate == dayBefore(today):
		s.Current++
	default:
		s.Current = 1
	}
	s.LastDate = today
	s.Best = max(s.Best, s.Current)
	return true
}

// Touch records activity of userID at now, with days counted in loc; a
// nil loc means the user's reminder zone, or DefaultZone. It returns the
// updated streak.
func (db *DB) Touch(userID int64, now time.Time, loc *time.Location) (Streak, error) {
	var s Streak
	err := db.updateRecord(userID, func(u *User) (bool, error) {
		l, err := db.userLocation(u, loc)
		if err != nil {
			return false, err
		}
		changed := u.Streak.touch(now, l)
		s = u.Streak
		return changed, nil
	})
	if err != nil {
		return Streak{}, fmt.Errorf("storage: touch %d: %w", userID, err)
	}
	return s, nil
}

// rezone moves the streak from zone from to zone to at now, keeping where
// it stands: activity today stays today, yesterday's stays yesterday's,
// and a lapsed run stays lapsed. Dates alone would not: UTC+14 and UTC−12
// are 26 hours apart, so the same instant can be two dates apart, and a
// move west would make today's activity look like tomorrow's (the streak
// shown as 0 while the learner is active), a move east would make
// yesterday's look older (the streak broken).
func (s *Streak) rezone(now time.Time, from, to *time.Location) {
	if s.LastDate == "" {
		return
	}
	oldToday, newToday := localDate(now, from), localDate(now, to)
	switch {
	case s.LastDate >= oldToday:
		s.LastDate = newToday
	case s.LastDate == dayBefore(oldToday):
		s.LastDate = dayBefore(newToday)
	default:
		s.LastDate = dayBefore(dayBefore(newToday))
	}
}

// localDate is the civil date of t in loc as "2006-01-02".
func localDate(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateOnly)
}

// dayBefore returns the civil date before date ("2006-01-02"), or "" if
// date does not parse.
func dayBefore(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, -1).Format(time.DateOnly)
}
