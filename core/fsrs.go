package core

import (
	"fmt"
	"math"
	"time"
)

// FSRS-6 is the Free Spaced Repetition Scheduler, version 6 (J. Ye et al.,
// github.com/open-spaced-repetition; formulas on the fsrs4anki wiki page
// "The Algorithm", FSRS-6 section). A card's memory has a stability S
// (days until recall falls to 90%) and a difficulty D in [1, 10]; w0..w20
// are the model's weights and G is the grade, 1 (Again) to 4 (Easy).
//
//	forgetting curve   R(t, S) = (1 + F·t/S)^(−w20),  F = 0.9^(−1/w20) − 1
//	first review       S0(G) = w[G−1],  D0(G) = w4 − e^(w5·(G−1)) + 1, D0 in [1, 10]
//	difficulty         D' = w7·D0(4) + (1−w7)·(D + ΔD·(10−D)/9),  ΔD = −w6·(G−3);
//	                   D0(4) unclamped (mean reversion), D' clamped to [1, 10]
//	success (G ≥ 2)    S' = S·(1 + e^w8·(11−D)·S^(−w9)·(e^(w10·(1−R)) − 1)·h·b),
//	                   h = w15 if G = 2 else 1,  b = w16 if G = 4 else 1
//	lapse (G = 1)      S' = min(w11·D^(−w12)·((S+1)^w13 − 1)·e^(w14·(1−R)),  S/e^(w17·w18))
//	same day (t < 1 d) S' = S·e^(w17·(G−3+w18))·S^(−w19), the factor at least 1 if G ≥ 3
//	interval           I = S/F·(r^(−1/w20) − 1) days for desired retention r,
//	                   rounded, then clamped to [1, maximum interval]
//
// Every S is at least 0.001. D in the difficulty and stability updates is
// the value before the review.
//
// The code follows py-fsrs fsrs/scheduler.py at commit 805389491466 (v6.x,
// with the 21 default weights of fsrs6Weights, py-fsrs's defaults since
// v6.2.0, PR #133) step for step:
//   - t is in whole days: the elapsed time floored to multiples of 24 h
//     (Python's timedelta.days), both for R and for the same-day test.
//     A clock that went backwards counts as the same day, with t = 0.
//   - Rounding is half to even (Python's round); no fuzz (py-fsrs's
//     enable_fuzzing=False): the same answers always give the same dates.
//   - Learning and relearning steps, when FSRSParams has any, behave as in
//     py-fsrs: a new card steps through LearningSteps (Again back to the
//     first step, Hard repeats the step — 1.5× the only step or the mean of
//     the first two on step 0 —, Good to the next step or the review state
//     after the last, Easy straight to review); Again on a card in review
//     enters RelearningSteps the same way. Without steps a card goes to
//     review at its first answer and stays there, and every interval is
//     whole days: the long-term scheduler a once-a-day quiz wants. The
//     same-day formula still covers a card answered twice within 24 h.
//
// Lapses and Reps are counted as ts-fsrs counts them: every review is a
// rep, and Again on a card in the review state is a lapse.
//
// The tests check this code against the reference implementations' own
// test vectors; core/testdata/fsrs_README.md lists them and where they
// come from.

// Grade is the learner's answer to an FSRS review.
type Grade int

// FSRS grades. A quiz answer only says right or wrong; see GradeOf.
const (
	GradeAgain Grade = 1 // forgotten
	GradeHard  Grade = 2 // recalled with serious difficulty
	GradeGood  Grade = 3 // recalled
	GradeEasy  Grade = 4 // recalled without effort
)

// GradeOf returns GradeGood for a right quiz answer and GradeAgain for a
// wrong one, FSRS's binary variant: a chosen option says whether the learner
// recalled the answer, not how hard the recall was.
func GradeOf(right bool) Grade {
	if right {
		return GradeGood
	}
	return GradeAgain
}

// FSRSState is where a card is in FSRS's life cycle.
type FSRSState int

// FSRS card states. FSRSNew is the zero value: a card never reviewed.
const (
	FSRSNew        FSRSState = iota // never reviewed
	FSRSLearning                    // first seen, going through LearningSteps
	FSRSReview                      // scheduled in days
	FSRSRelearning                  // forgotten in review, going through RelearningSteps
)

// FSRSCard is the FSRS state of one item for one learner. The zero value
// is a new card.
type FSRSCard struct {
	State      FSRSState
	Step       int       // index into the learning or relearning steps; 0 otherwise
	Stability  float64   // days until recall falls to 90%; 0 for a new card, else ≥ 0.001
	Difficulty float64   // 1 (easiest) to 10; 0 for a new card
	Reps       int       // reviews so far
	Lapses     int       // Again answers given in the review state
	Last       time.Time // time of the last review; zero for a new card
	Due        time.Time // when the card should be reviewed next; zero for a new card
}

// FSRSParams configures FSRS-6. Its methods panic if Validate reports an
// error (a programmer error: parameters are constants or are validated when
// loaded).
type FSRSParams struct {
	W                [21]float64     // weights w0..w20
	DesiredRetention float64         // recall probability intervals aim at, in (0, 1]
	MaximumInterval  int             // longest interval in days, 1 to 100 000
	LearningSteps    []time.Duration // steps of a new card; none in DefaultFSRS
	RelearningSteps  []time.Duration // steps after a lapse; none in DefaultFSRS
}

// fsrs6Weights are the FSRS-6 default weights w0..w20: fsrs-rs
// DEFAULT_PARAMETERS (FSRS6_DEFAULT_DECAY = 0.1542), ts-fsrs and py-fsrs
// DEFAULT_PARAMETERS since v6.2.0.
var fsrs6Weights = [21]float64{
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
	0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
	0.1542,
}

// fsrsWeightBounds are py-fsrs's LOWER_BOUNDS_PARAMETERS and
// UPPER_BOUNDS_PARAMETERS.
var fsrsWeightBounds = [21][2]float64{
	{0.001, 100}, {0.001, 100}, {0.001, 100}, {0.001, 100}, {1, 10},
	{0.001, 4}, {0.001, 4}, {0.001, 0.75}, {0, 4.5}, {0, 0.8},
	{0.001, 3.5}, {0.001, 5}, {0.001, 0.25}, {0.001, 0.9}, {0, 4},
	{0, 1}, {1, 6}, {0, 2}, {0, 2}, {0, 0.8},
	{0.1, 0.8},
}

const (
	fsrsMinStability   = 0.001 // py-fsrs STABILITY_MIN
	fsrsMinDifficulty  = 1.0
	fsrsMaxDifficulty  = 10.0
	fsrsMaxIntervalCap = 100_000 // days; a time.Duration holds about 106 751
	fsrsDay            = 24 * time.Hour
)

// DefaultFSRS returns FSRS-6 with its default weights, desired retention
// 0.9, a maximum interval of 36 500 days and no learning or relearning
// steps (see the package's FSRS notes: a daily quiz schedules in days).
func DefaultFSRS() FSRSParams {
	return FSRSParams{W: fsrs6Weights, DesiredRetention: 0.9, MaximumInterval: 36500}
}

// Validate reports weights outside py-fsrs's bounds, a desired retention
// outside (0, 1], a maximum interval outside 1..100 000 days, or a step
// that is not positive.
func (p FSRSParams) Validate() error {
	for i, w := range p.W {
		if b := fsrsWeightBounds[i]; !(w >= b[0] && w <= b[1]) {
			return fmt.Errorf("core: FSRS weight w%d = %v outside [%v, %v]", i, w, b[0], b[1])
		}
	}
	if !(p.DesiredRetention > 0 && p.DesiredRetention <= 1) {
		return fmt.Errorf("core: FSRS desired retention %v outside (0, 1]", p.DesiredRetention)
	}
	if p.MaximumInterval < 1 || p.MaximumInterval > fsrsMaxIntervalCap {
		return fmt.Errorf("core: FSRS maximum interval %d days outside 1..%d", p.MaximumInterval, fsrsMaxIntervalCap)
	}
	for _, s := range p.LearningSteps {
		if s <= 0 {
			return fmt.Errorf("core: FSRS learning step %v not positive", s)
		}
	}
	for _, s := range p.RelearningSteps {
		if s <= 0 {
			return fmt.Errorf("core: FSRS relearning step %v not positive", s)
		}
	}
	return nil
}

func (p FSRSParams) mustValidate() {
	if err := p.Validate(); err != nil {
		panic(err.Error())
	}
}

// checkFSRSCard panics unless c could have come from Review or FromSM2.
func checkFSRSCard(c FSRSCard) {
	switch {
	case c.State < FSRSNew || c.State > FSRSRelearning:
		panic(fmt.Sprintf("core: FSRS card state %d unknown", c.State))
	case c.State == FSRSNew:
		return
	case !(c.Stability >= fsrsMinStability) || math.IsInf(c.Stability, 0):
		panic(fmt.Sprintf("core: FSRS card stability %v below %v or infinite", c.Stability, fsrsMinStability))
	case !(c.Difficulty >= fsrsMinDifficulty && c.Difficulty <= fsrsMaxDifficulty):
		panic(fmt.Sprintf("core: FSRS card difficulty %v outside [1, 10]", c.Difficulty))
	case c.Last.IsZero():
		panic("core: FSRS card reviewed but without a last review time")
	case c.Step < 0:
		panic(fmt.Sprintf("core: FSRS card step %d negative", c.Step))
	}
}

// elapsedDays is now − last in whole days (floored), 0 if now is earlier.
func elapsedDays(last, now time.Time) int {
	d := now.Sub(last)
	if d < 0 {
		return 0
	}
	return int(d / fsrsDay)
}

// factor is F = 0.9^(−1/w20) − 1, so that R(S, S) = 0.9.
func (p FSRSParams) factor() float64 {
	return math.Pow(0.9, -1/p.W[20]) - 1
}

// forgettingCurve is R(t, S) for t ≥ 0 whole days.
func (p FSRSParams) forgettingCurve(t int, s float64) float64 {
	return math.Pow(1+p.factor()*float64(t)/s, -p.W[20])
}

// Retrievability returns the probability, by the model, that the learner
// recalls c at now: R(t, S) with t the whole days since c.Last, as Review
// computes it. It is 0 for a new card and 1 within 24 h of a review. It
// panics if c is inconsistent (a reviewed card without a positive
// stability, a difficulty in [1, 10] or a last review time).
func (p FSRSParams) Retrievability(c FSRSCard, now time.Time) float64 {
	p.mustValidate()
	checkFSRSCard(c)
	if c.State == FSRSNew {
		return 0
	}
	return p.forgettingCurve(elapsedDays(c.Last, now), c.Stability)
}

// Interval returns the days after which the recall of a memory with
// stability s (days) falls to p.DesiredRetention: S/F·(r^(−1/w20) − 1),
// rounded half to even and clamped to [1, p.MaximumInterval]. At r = 0.9
// it is s rounded. It panics unless s > 0.
func (p FSRSParams) Interval(s float64) int {
	p.mustValidate()
	if !(s > 0) {
		panic(fmt.Sprintf("core: FSRS stability %v not positive", s))
	}
	ivl := s / p.factor() * (math.Pow(p.DesiredRetention, -1/p.W[20]) - 1)
	return int(min(max(math.RoundToEven(ivl), 1), float64(p.MaximumInterval)))
}

func (p FSRSParams) initDifficulty(g Grade) float64 {
	return p.W[4] - math.Exp(p.W[5]*float64(g-1)) + 1
}

func clampDifficulty(d float64) float64 {
	return min(max(d, fsrsMinDifficulty), fsrsMaxDifficulty)
}

func (p FSRSParams) nextDifficulty(d float64, g Grade) float64 {
	delta := -p.W[6] * float64(g-3)
	damped := d + delta*(10-d)/9
	return clampDifficulty(p.W[7]*p.initDifficulty(GradeEasy) + (1-p.W[7])*damped)
}

func (p FSRSParams) shortTermStability(s float64, g Grade) float64 {
	inc := math.Exp(p.W[17]*(float64(g)-3+p.W[18])) * math.Pow(s, -p.W[19])
	if g >= GradeGood {
		inc = max(inc, 1)
	}
	return max(s*inc, fsrsMinStability)
}

func (p FSRSParams) nextStability(d, s, r float64, g Grade) float64 {
	w := &p.W
	var next float64
	if g == GradeAgain {
		long := w[11] * math.Pow(d, -w[12]) * (math.Pow(s+1, w[13]) - 1) * math.Exp((1-r)*w[14])
		short := s / math.Exp(w[17]*w[18])
		next = min(long, short)
	} else {
		hard, easy := 1.0, 1.0
		if g == GradeHard {
			hard = w[15]
		}
		if g == GradeEasy {
			easy = w[16]
		}
		next = s * (1 + math.Exp(w[8])*(11-d)*math.Pow(s, -w[9])*(math.Exp((1-r)*w[10])-1)*hard*easy)
	}
	return max(next, fsrsMinStability)
}

// steps moves a card through learning or relearning steps as py-fsrs does
// and returns its new state, step and time to the next review.
func (p FSRSParams) steps(steps []time.Duration, st FSRSState, step int, g Grade, s float64) (FSRSState, int, time.Duration) {
	review := func() (FSRSState, int, time.Duration) {
		return FSRSReview, 0, time.Duration(p.Interval(s)) * fsrsDay
	}
	if len(steps) == 0 || (step >= len(steps) && g != GradeAgain) {
		return review()
	}
	switch g {
	case GradeAgain:
		return st, 0, steps[0]
	case GradeHard:
		switch {
		case step == 0 && len(steps) == 1:
			return st, 0, steps[0] * 3 / 2
		case step == 0:
			return st, 0, (steps[0] + steps[1]) / 2
		default:
			return st, step, steps[step]
		}
	case GradeGood:
		if step+1 == len(steps) {
			return review()
		}
		return st, step + 1, steps[step+1]
	default:
		return review()
	}
}

// Review returns card c after an answer graded g at now: the new memory
// state, Last = now and Due = now plus the next interval (whole days of
// 24 h, or a step). It panics if g is not a Grade, or if c is inconsistent
// (see Retrievability).
func (p FSRSParams) Review(c FSRSCard, g Grade, now time.Time) FSRSCard {
	p.mustValidate()
	if g < GradeAgain || g > GradeEasy {
		panic(fmt.Sprintf("core: FSRS grade %d outside 1..4", g))
	}
	checkFSRSCard(c)

	next := c
	t := elapsedDays(c.Last, now)
	switch {
	case c.State == FSRSNew:
		next.Stability = max(p.W[g-1], fsrsMinStability)
		next.Difficulty = clampDifficulty(p.initDifficulty(g))
	case t < 1:
		next.Stability = p.shortTermStability(c.Stability, g)
		next.Difficulty = p.nextDifficulty(c.Difficulty, g)
	default:
		r := p.forgettingCurve(t, c.Stability)
		next.Stability = p.nextStability(c.Difficulty, c.Stability, r, g)
		next.Difficulty = p.nextDifficulty(c.Difficulty, g)
	}

	var wait time.Duration
	switch c.State {
	case FSRSNew:
		next.State, next.Step, wait = p.steps(p.LearningSteps, FSRSLearning, 0, g, next.Stability)
	case FSRSLearning:
		next.State, next.Step, wait = p.steps(p.LearningSteps, FSRSLearning, c.Step, g, next.Stability)
	case FSRSRelearning:
		next.State, next.Step, wait = p.steps(p.RelearningSteps, FSRSRelearning, c.Step, g, next.Stability)
	case FSRSReview:
		if g == GradeAgain {
			next.Lapses++
		}
		if g == GradeAgain && len(p.RelearningSteps) > 0 {
			next.State, next.Step, wait = FSRSRelearning, 0, p.RelearningSteps[0]
		} else {
			next.State, next.Step, wait = FSRSReview, 0, time.Duration(p.Interval(next.Stability))*fsrsDay
		}
	}
	next.Reps++
	next.Last = now
	next.Due = now.Add(wait)
	return next
}

// sm2Retention is the recall probability SM-2's intervals are taken to aim
// at when a card is migrated (Anki's default "historical retention").
const sm2Retention = 0.9

// FromSM2 converts the SM-2 state s of an item last reviewed at last into
// an FSRS card in the review state, by fsrs-rs's memory_state_from_sm2
// (src/inference.rs, FSRS-6 version; what Anki uses for cards without a full
// review log), which assumes SM-2 schedules at 90% recall:
//
//   - Stability is the SM-2 interval: S = I·F/(0.9^(−1/w20) − 1) = I, so
//     R(I, S) = 0.9 and Interval(S) = I at desired retention 0.9.
//   - Difficulty is the D at which FSRS's stability growth after a success
//     at R = 0.9 equals the ease factor, SM-2's growth of the interval:
//     D = 11 − (EF − 1)/(e^w8·S^(−w9)·(e^(0.1·w10) − 1)), clamped to
//     [1, 10]. D falls as S grows: EF 2.5 gives D ≈ 8.2 at 1 day,
//     6.9 at 10 days and 1 (clamped) beyond about 2 150 days; EF 1.3 at 20
//     days gives 10.
//   - Due is SM-2's due, s.Due(last); Reps is s.Repetitions (SM-2 keeps no
//     count of all reviews) and Lapses 0: a caller that counts answers may
//     overwrite both.
//
// A state never reviewed (IntervalDays 0) or a zero last gives a new card.
// It panics if s.EaseFactor is below MinEaseFactor or IntervalDays is
// negative, as NextReview does.
func (p FSRSParams) FromSM2(s ReviewState, last time.Time) FSRSCard {
	p.mustValidate()
	if !(s.EaseFactor >= MinEaseFactor-1e-9) || s.IntervalDays < 0 {
		panic(fmt.Sprintf("core: SM-2 state %+v invalid", s))
	}
	if s.IntervalDays == 0 || last.IsZero() {
		return FSRSCard{}
	}
	w := &p.W
	f := p.factor()
	stab := float64(s.IntervalDays) * (f / (math.Pow(sm2Retention, -1/w[20]) - 1)) // the ratio is exactly 1
	d := 11 - (s.EaseFactor-1)/(math.Exp(w[8])*math.Pow(stab, -w[9])*math.Expm1((1-sm2Retention)*w[10]))
	return FSRSCard{
		State:      FSRSReview,
		Stability:  max(stab, fsrsMinStability),
		Difficulty: clampDifficulty(d),
		Reps:       s.Repetitions,
		Last:       last,
		Due:        s.Due(last),
	}
}
