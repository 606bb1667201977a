package core

import "time"

// CardState is one learner's spaced-repetition state of one quiz item, as
// a Scheduler keeps it. The zero value is an item never answered.
//
// Each algorithm keeps its own part; a Scheduler moves its part and Last
// and Due, and leaves the other part as it was.
type CardState struct {
	SM2  ReviewState // SM-2's state; the zero value stands for NewReviewState()
	FSRS FSRSCard    // FSRS's state; FSRSNew until FSRS answers the item
	Last time.Time   // time of the last answer; zero if none
	Due  time.Time   // when to ask again; zero if never answered
}

// Scheduler is a spaced-repetition algorithm as the quiz uses it: Answer
// returns c after a right or wrong answer given at now, and the result's
// Due says when to ask again. SM2 and FSRSParams are Schedulers.
type Scheduler interface {
	Answer(c CardState, right bool, now time.Time) CardState
}

var (
	_ Scheduler = SM2{}
	_ Scheduler = FSRSParams{}
)

// SM2 is SM-2 (NextReview) as a Scheduler: QualityOf grades the answer and
// the item is due IntervalDays·24 h after it.
type SM2 struct{}

// Answer moves c.SM2 by NextReview(c.SM2, QualityOf(right)) and sets Last
// to now and Due to c.SM2.Due(now). A zero c.SM2 is NewReviewState().
func (SM2) Answer(c CardState, right bool, now time.Time) CardState {
	s := c.SM2
	if s == (ReviewState{}) {
		s = NewReviewState()
	}
	c.SM2 = NextReview(s, QualityOf(right))
	c.Last, c.Due = now, c.SM2.Due(now)
	return c
}

// Answer moves c.FSRS by p.Review with GradeOf(right) and copies its Last
// and Due to c.
//
// An item SM-2 has scheduled but FSRS has not (c.FSRS new, c.SM2 with an
// interval, c.Last set) is first converted with p.FromSM2(c.SM2, c.Last),
// so stored SM-2 cards move to FSRS at their next answer with the memory
// SM-2 built up.
func (p FSRSParams) Answer(c CardState, right bool, now time.Time) CardState {
	f := c.FSRS
	if f.State == FSRSNew && c.SM2.IntervalDays > 0 && !c.Last.IsZero() {
		f = p.FromSM2(c.SM2, c.Last)
	}
	c.FSRS = p.Review(f, GradeOf(right), now)
	c.Last, c.Due = c.FSRS.Last, c.FSRS.Due
	return c
}
