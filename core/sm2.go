package core

import (
	"fmt"
	"math"
	"time"
)

// SM-2 is the SuperMemo 2 spaced-repetition algorithm as P. A. Wozniak
// published it (Optimization of Learning, 1990; "SuperMemo 2: Algorithm",
// super-memory.com/english/ol/sm2.htm):
//
//  1. Every item starts with E-Factor 2.5.
//  2. Intervals: I(1) = 1 day, I(2) = 6 days, I(n) = I(n-1)·EF for n > 2;
//     "if interval is a fraction, round it up to the nearest integer".
//  3. After each repetition the answer gets a quality q from 0 to 5.
//  4. EF' = EF + (0.1 − (5−q)·(0.08 + (5−q)·0.02)); EF' is at least 1.3.
//  5. If q < 3, repetitions start again from I(1) without resetting EF.
//
// Readings this code commits to, where the text leaves room:
//   - Step 4 applies to every answer, failures included: the formula is
//     defined for q = 0..2 and the paper says the E-Factor decreases "in
//     case of recall problems". Step 5 then only restarts the intervals.
//   - I(n) uses the E-Factor from before this answer's update (the order
//     of steps 2 and 4), as most implementations do.
//   - EF changes by multiples of 0.02, so EF is kept rounded to 0.01 to
//     stop float drift; the interval is the ceiling of I·EF computed with
//     that EF, with a 1e-9 guard so that 6·2.5 is 15, not 16.
//   - Step 6 (re-drill items scored below 4 on the same day) is left to
//     the caller: a failed item is due again after 1 day.

// Quality grades of an answer, 0 (blackout) to 5 (perfect), for NextReview.
const (
	QualityMin = 0
	QualityMax = 5
)

// QualityCorrect and QualityWrong map a multiple-choice quiz answer to an
// SM-2 grade. A right answer is 4, "correct response after a hesitation":
// a chosen option tells nothing about how easy the recall was, and 4 leaves
// EF unchanged, so intervals shrink only after lapses. A wrong answer is 1,
// "incorrect response; the correct one remembered": Telegram shows the
// right option and the explanation as soon as the user answers.
const (
	QualityCorrect = 4
	QualityWrong   = 1
)

// Ease-factor limits of SM-2.
const (
	InitialEaseFactor = 2.5
	MinEaseFactor     = 1.3
)

// MaxIntervalDays bounds SM-2's interval: 100 years (FSRS's default
// maximum too). Unbounded, I(n) = I(n-1)·EF passes the int64 nanoseconds of
// a time.Duration after about 13 right answers in a row and the due date
// wraps into the past.
const MaxIntervalDays = 36500

// ReviewState is the SM-2 state of one item for one learner. The zero
// value is not a fresh item; use NewReviewState.
type ReviewState struct {
	Repetitions  int     // successful repetitions in a row (q ≥ 3), 0 after a lapse
	EaseFactor   float64 // E-Factor, ≥ MinEaseFactor
	IntervalDays int     // days from this review to the next one
}

// NewReviewState returns the state of an item never reviewed.
func NewReviewState() ReviewState {
	return ReviewState{EaseFactor: InitialEaseFactor}
}

// QualityOf returns QualityCorrect or QualityWrong.
func QualityOf(correct bool) int {
	if correct {
		return QualityCorrect
	}
	return QualityWrong
}

// NextReview returns the state after an answer of the given quality.
// It panics if quality is outside 0..5 or s.EaseFactor is below 1.3
// (programmer errors: qualities are constants, states come from NextReview).
func NextReview(s ReviewState, quality int) ReviewState {
	if quality < QualityMin || quality > QualityMax {
		panic(fmt.Sprintf("core: SM-2 quality %d outside 0..5", quality))
	}
	if !(s.EaseFactor >= MinEaseFactor-1e-9) {
		panic(fmt.Sprintf("core: SM-2 ease factor %v below %v", s.EaseFactor, MinEaseFactor))
	}
	next := s
	if quality < 3 {
		next.Repetitions = 0
		next.IntervalDays = 1
	} else {
		switch s.Repetitions {
		case 0:
			next.IntervalDays = 1
		case 1:
			next.IntervalDays = 6
		default:
			next.IntervalDays = int(min(math.Ceil(float64(s.IntervalDays)*s.EaseFactor-1e-9), MaxIntervalDays))
		}
		next.Repetitions = s.Repetitions + 1
	}
	d := float64(5 - quality)
	ef := s.EaseFactor + (0.1 - d*(0.08+d*0.02))
	next.EaseFactor = max(math.Round(ef*100)/100, MinEaseFactor)
	return next
}

// Due returns when an item reviewed at reviewed with state s is due again:
// reviewed plus IntervalDays·24 h (absolute time, so DST does not move it).
func (s ReviewState) Due(reviewed time.Time) time.Time {
	return reviewed.Add(time.Duration(s.IntervalDays) * 24 * time.Hour)
}
