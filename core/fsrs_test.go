package core_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"neurotutor/core"
)

// The known answers below come from the reference implementations' own
// tests (core/testdata/fsrs_README.md gives files and versions):
//   - py-fsrs tests/test_basic.py, v6.2.0 and later (FSRS-6 defaults);
//   - ts-fsrs packages/fsrs/__tests__/FSRS-6.test.ts;
//   - fsrs-rs src/inference.rs, FSRS-6 version (tests test_memory_state,
//     test_next_interval, test_next_states, test_memo_state,
//     test_memory_from_sm2).
// fsrs-rs computes in float32, so its values are compared to 1e-4, as its
// own test_memory_state does; this code computes in float64 like py-fsrs.

var fsrsT0 = time.Date(2022, 11, 29, 12, 30, 0, 0, time.UTC) // every reference test starts here

// pyFSRS returns FSRS-6 as py-fsrs's Scheduler(enable_fuzzing=False) and
// ts-fsrs's fsrs() configure it: default weights, learning steps 1 and 10
// minutes, one relearning step of 10 minutes.
func pyFSRS() core.FSRSParams {
	p := core.DefaultFSRS()
	p.LearningSteps = []time.Duration{time.Minute, 10 * time.Minute}
	p.RelearningSteps = []time.Duration{10 * time.Minute}
	return p
}

// fsrs5Params are fsrs-rs's test PARAMETERS, 19 FSRS-5 weights, completed
// to 21 as fsrs-rs completes a 19-weight set: w19 = 0, w20 = 0.5 (FSRS-5's
// fixed decay).
func fsrs5Params() core.FSRSParams {
	p := core.DefaultFSRS()
	p.W = [21]float64{
		0.6845422, 1.6790825, 4.7349424, 10.042885, 7.4410233, 0.64219797, 1.071918,
		0.0025195254, 1.432437, 0.1544, 0.8692766, 2.0696752, 0.0953, 0.2975,
		2.4691248, 0.19542035, 3.201072, 0.18046261, 0.121442534, 0, 0.5,
	}
	return p
}

func fsrsClose(got, want, tol float64) bool { return scalar.EqualWithinAbs(got, want, tol) }

// wholeDays is py-fsrs's (card.due - card.last_review).days.
func wholeDays(c core.FSRSCard) int { return int(c.Due.Sub(c.Last) / (24 * time.Hour)) }

func TestFSRSDefaults(t *testing.T) {
	p := core.DefaultFSRS()
	want := [21]float64{ // FSRS-6 defaults: fsrs-rs, ts-fsrs, py-fsrs ≥ 6.2.0
		0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
		0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
		0.1542,
	}
	if p.W != want || p.DesiredRetention != 0.9 || p.MaximumInterval != 36500 ||
		len(p.LearningSteps) != 0 || len(p.RelearningSteps) != 0 {
		t.Fatalf("DefaultFSRS() = %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := pyFSRS().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := fsrs5Params().Validate(); err != nil {
		t.Fatal(err)
	}
}

// ts-fsrs FSRS-6.test.ts "first repeat": a new card's stability, difficulty
// and state per grade; with steps 1m/10m Again, Hard and Good stay in
// learning (py-fsrs test_again/hard/good_learning_steps: due in 1, 5.5 and
// 10 minutes) and Easy is scheduled in 8 days.
func TestFSRSFirstReview(t *testing.T) {
	tests := []struct {
		g         core.Grade
		s, d      float64
		state     core.FSRSState
		wait      time.Duration // with py-fsrs's steps
		noStepIvl int           // without steps: S rounded, at least 1
	}{
		{core.GradeAgain, 0.212, 6.4133, core.FSRSLearning, time.Minute, 1},
		{core.GradeHard, 1.2931, 5.11217071, core.FSRSLearning, 5*time.Minute + 30*time.Second, 1},
		{core.GradeGood, 2.3065, 2.11810397, core.FSRSLearning, 10 * time.Minute, 2},
		{core.GradeEasy, 8.2956, 1, core.FSRSReview, 8 * 24 * time.Hour, 8},
	}
	for _, tt := range tests {
		c := pyFSRS().Review(core.FSRSCard{}, tt.g, fsrsT0)
		if !fsrsClose(c.Stability, tt.s, 1e-12) || !fsrsClose(c.Difficulty, tt.d, 1e-8) ||
			c.State != tt.state || c.Due.Sub(fsrsT0) != tt.wait || c.Reps != 1 || c.Lapses != 0 ||
			!c.Last.Equal(fsrsT0) {
			t.Errorf("grade %d: got %+v; want S %v, D %v, state %d, due in %v",
				tt.g, c, tt.s, tt.d, tt.state, tt.wait)
		}
		c = core.DefaultFSRS().Review(core.FSRSCard{}, tt.g, fsrsT0)
		if c.State != core.FSRSReview || c.Due.Sub(fsrsT0) != time.Duration(tt.noStepIvl)*24*time.Hour {
			t.Errorf("grade %d without steps: got %+v; want review in %d days", tt.g, c, tt.noStepIvl)
		}
	}
}

// py-fsrs test_review_card and test_custom_scheduler_args (v6.2.0+), ts-fsrs
// FSRS-6.test.ts "ivl_history": each review at the previous due date.
func TestFSRSReviewIntervals(t *testing.T) {
	grades := []core.Grade{3, 3, 3, 3, 3, 3, 1, 1, 3, 3, 3, 3, 3}
	want := []int{0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21}
	states := []core.FSRSState{ // py-fsrs's state machine with these steps
		core.FSRSLearning, core.FSRSReview, core.FSRSReview, core.FSRSReview, core.FSRSReview,
		core.FSRSReview, core.FSRSRelearning, core.FSRSRelearning, core.FSRSReview,
		core.FSRSReview, core.FSRSReview, core.FSRSReview, core.FSRSReview,
	}
	p := pyFSRS()
	var c core.FSRSCard
	now := fsrsT0
	for i, g := range grades {
		c = p.Review(c, g, now)
		if got := wholeDays(c); got != want[i] || c.State != states[i] {
			t.Fatalf("review %d (grade %d): interval %d d, state %d; want %d d, state %d (card %+v)",
				i+1, g, got, c.State, want[i], states[i], c)
		}
		now = c.Due
	}
	if c.Reps != 13 || c.Lapses != 1 { // the second Again is in relearning
		t.Errorf("reps %d, lapses %d; want 13, 1", c.Reps, c.Lapses)
	}
}

// fsrs-rs test_memory_state (Again, then Good after 0, 1, 3, 8, 21 days),
// also ts-fsrs FSRS-6.test.ts "memory state" and py-fsrs test_memo_state,
// which runs it with steps 1m/10m: the steps change the dates, not the
// memory. Freezing the same-day weights w17..w19 at 0 is fsrs-rs's second
// case (ts-fsrs's "long-term").
func TestFSRSMemoryState(t *testing.T) {
	frozen := core.DefaultFSRS()
	frozen.W[17], frozen.W[18], frozen.W[19] = 0, 0, 0
	tests := []struct {
		name string
		p    core.FSRSParams
		s, d float64
	}{
		{"defaults", core.DefaultFSRS(), 53.62691, 6.3574867},
		{"py-fsrs steps", pyFSRS(), 53.62691, 6.3574867},
		{"same-day weights 0", frozen, 53.335106, 6.3574867},
	}
	grades := []core.Grade{1, 3, 3, 3, 3, 3}
	gaps := []int{0, 0, 1, 3, 8, 21}
	for _, tt := range tests {
		var c core.FSRSCard
		now := fsrsT0
		for i, g := range grades {
			now = now.AddDate(0, 0, gaps[i])
			c = tt.p.Review(c, g, now)
		}
		if !fsrsClose(c.Stability, tt.s, 1e-4) || !fsrsClose(c.Difficulty, tt.d, 1e-4) {
			t.Errorf("%s: S %v, D %v; want %v, %v", tt.name, c.Stability, c.Difficulty, tt.s, tt.d)
		}
	}
}

// fsrs-rs inference.rs test_memo_state and test_next_states with its
// 19-weight (FSRS-5) PARAMETERS: Hard, Good, Easy and Again 21 days after
// a review, with no same-day reviews.
func TestFSRSNextStatesFSRS5Weights(t *testing.T) {
	p := fsrs5Params()
	var c core.FSRSCard
	now := fsrsT0
	for i, gap := range []int{0, 1, 3, 8} {
		now = now.AddDate(0, 0, gap)
		c = p.Review(c, []core.Grade{1, 3, 3, 3}[i], now)
	}
	at := now.AddDate(0, 0, 21)
	want := []struct{ s, d float64 }{
		{2.9691455, 8.000659},  // Again
		{17.091452, 7.6913934}, // Hard
		{31.722992, 7.382128},  // Good: also test_memo_state's result
		{71.7502, 7.0728626},   // Easy
	}
	for i, w := range want {
		g := core.Grade(i + 1)
		n := p.Review(c, g, at)
		if !fsrsClose(n.Stability, w.s, 1e-4) || !fsrsClose(n.Difficulty, w.d, 1e-4) {
			t.Errorf("grade %d: S %v, D %v; want %v, %v", g, n.Stability, n.Difficulty, w.s, w.d)
		}
	}

	// test_memo_state: from S 20.925528, D 7.005062, Good after 21 days.
	c = core.FSRSCard{State: core.FSRSReview, Stability: 20.925528, Difficulty: 7.005062, Last: fsrsT0}
	n := p.Review(c, core.GradeGood, fsrsT0.AddDate(0, 0, 21))
	if !fsrsClose(n.Stability, 40.87456, 1e-4) || !fsrsClose(n.Difficulty, 6.9913807, 1e-4) {
		t.Errorf("Good after 21 days: S %v, D %v; want 40.87456, 6.9913807", n.Stability, n.Difficulty)
	}
}

// py-fsrs test_repeated_correct_reviews: ten Easy answers a microsecond
// apart drive difficulty to exactly 1.
func TestFSRSRepeatedEasy(t *testing.T) {
	for _, p := range []core.FSRSParams{pyFSRS(), core.DefaultFSRS()} {
		var c core.FSRSCard
		for i := range 10 {
			c = p.Review(c, core.GradeEasy, fsrsT0.Add(time.Duration(i)*time.Microsecond))
		}
		if c.Difficulty != 1 {
			t.Errorf("steps %v: difficulty %v, want 1", p.LearningSteps, c.Difficulty)
		}
	}
}

// ts-fsrs FSRS-6.test.ts "get retrievability": a card answered Easy is due
// in 8 days with R 0.9024733 then; the learning cards are due within
// minutes, R 1. py-fsrs test_retrievability: a new card has R 0.
func TestFSRSRetrievability(t *testing.T) {
	p := pyFSRS()
	created := time.Date(2023, 12, 1, 4, 5, 0, 0, time.UTC)
	want := []float64{1, 1, 1, 0.9024733}
	for i, w := range want {
		c := p.Review(core.FSRSCard{}, core.Grade(i+1), created)
		if got := p.Retrievability(c, c.Due); !fsrsClose(got, w, 1e-7) {
			t.Errorf("grade %d: R at due %v, want %v", i+1, got, w)
		}
	}
	if r := p.Retrievability(core.FSRSCard{}, created); r != 0 {
		t.Errorf("new card: R %v, want 0", r)
	}

	// R(S, S) = 0.9 by the definition of stability, for whole-day S.
	for _, s := range []float64{1, 2, 10, 365, 36500} {
		c := core.FSRSCard{State: core.FSRSReview, Stability: s, Difficulty: 5, Last: fsrsT0}
		at := fsrsT0.Add(time.Duration(s) * 24 * time.Hour)
		if r := p.Retrievability(c, at); !fsrsClose(r, 0.9, 1e-12) {
			t.Errorf("S = %v: R after S days %v, want 0.9", s, r)
		}
		if r := p.Retrievability(c, at.Add(-time.Nanosecond)); !(r > 0.9) {
			t.Errorf("S = %v: R just before S days %v, want > 0.9 (whole days)", s, r)
		}
	}
}

// fsrs-rs test_next_interval: S = 1 at desired retention 0.1 to 1.0. The
// reference's first value, 3 116 766 days at 0.1, is float32 rounding
// (float64 gives 3 116 768.6) and beyond any maximum interval, so it is
// left out.
func TestFSRSInterval(t *testing.T) {
	want := []int{34793, 2508, 387, 90, 27, 9, 3, 1, 1} // r = 0.2 … 1.0
	for i, w := range want {
		p := core.DefaultFSRS()
		p.DesiredRetention = float64(i+2) / 10
		if got := p.Interval(1); got != w {
			t.Errorf("r = %v: interval %d, want %d", p.DesiredRetention, got, w)
		}
	}
	p := core.DefaultFSRS()
	p.MaximumInterval = 100
	for _, tt := range []struct {
		s    float64
		want int
	}{{0.001, 1}, {1.4999, 1}, {1.5, 2}, {2.5, 2}, {42.3, 42}, {99.5, 100}, {1e9, 100}} {
		if got := p.Interval(tt.s); got != tt.want { // half to even, then [1, 100]
			t.Errorf("Interval(%v) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// py-fsrs test_stability_lower_bound: a thousand Again answers, each a day
// after the due date, keep stability at least 0.001.
func TestFSRSStabilityLowerBound(t *testing.T) {
	p := pyFSRS()
	var c core.FSRSCard
	due := fsrsT0
	for i := range 1000 {
		c = p.Review(c, core.GradeAgain, due.Add(24*time.Hour))
		if c.Stability < 0.001 {
			t.Fatalf("review %d: stability %v", i, c.Stability)
		}
		due = c.Due
	}
}

// py-fsrs's step tests (test_learning_card_rate_hard_one_learning_step,
// ..._second_learning_step, test_relearning_card_rate_hard_*,
// test_no_learning_steps, test_no_relearning_steps,
// test_long_term_stability_learning_state).
func TestFSRSLearningSteps(t *testing.T) {
	m := time.Minute
	type step struct {
		g     core.Grade
		state core.FSRSState
		step  int
		wait  time.Duration // 0: at least a day
	}
	tests := []struct {
		name           string
		learn, relearn []time.Duration
		steps          []step
	}{
		{"Hard with one learning step waits 1.5 steps", []time.Duration{10 * m}, nil,
			[]step{{core.GradeHard, core.FSRSLearning, 0, 15 * m}}},
		{"Hard on the second learning step repeats it", []time.Duration{m, 10 * m}, nil, []step{
			{core.GradeGood, core.FSRSLearning, 1, 10 * m},
			{core.GradeHard, core.FSRSLearning, 1, 10 * m},
			{core.GradeAgain, core.FSRSLearning, 0, m},
			{core.GradeEasy, core.FSRSReview, 0, 0},
		}},
		{"Hard with one relearning step", nil, []time.Duration{10 * m}, []step{
			{core.GradeEasy, core.FSRSReview, 0, 0},
			{core.GradeAgain, core.FSRSRelearning, 0, 10 * m},
			{core.GradeHard, core.FSRSRelearning, 0, 15 * m},
		}},
		{"relearning with two steps", nil, []time.Duration{m, 10 * m}, []step{
			{core.GradeEasy, core.FSRSReview, 0, 0},
			{core.GradeAgain, core.FSRSRelearning, 0, m},
			{core.GradeHard, core.FSRSRelearning, 0, 5*m + 30*time.Second},
			{core.GradeGood, core.FSRSRelearning, 1, 10 * m},
			{core.GradeHard, core.FSRSRelearning, 1, 10 * m},
			{core.GradeEasy, core.FSRSReview, 0, 0},
		}},
		{"no learning steps: Again goes to review", nil, []time.Duration{10 * m}, []step{
			{core.GradeAgain, core.FSRSReview, 0, 0},
		}},
		{"no relearning steps: Again stays in review", []time.Duration{m, 10 * m}, nil, []step{
			{core.GradeGood, core.FSRSLearning, 1, 10 * m},
			{core.GradeGood, core.FSRSReview, 0, 0},
			{core.GradeAgain, core.FSRSReview, 0, 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := core.DefaultFSRS()
			p.LearningSteps, p.RelearningSteps = tt.learn, tt.relearn
			var c core.FSRSCard
			now := fsrsT0
			for i, st := range tt.steps {
				c = p.Review(c, st.g, now)
				wait := c.Due.Sub(now)
				if c.State != st.state || c.Step != st.step ||
					(st.wait != 0 && wait != st.wait) || (st.wait == 0 && wait < 24*time.Hour) {
					t.Fatalf("answer %d (grade %d): state %d, step %d, due in %v; want %d, %d, %v",
						i+1, st.g, c.State, c.Step, wait, st.state, st.step, st.wait)
				}
				now = c.Due
			}
		})
	}

	// A relearning card answered a day late uses the long-term formula and
	// goes back to review (test_long_term_stability_learning_state).
	p := pyFSRS()
	c := p.Review(core.FSRSCard{}, core.GradeEasy, fsrsT0)
	c = p.Review(c, core.GradeAgain, c.Due)
	late := c.Due.Add(24 * time.Hour)
	n := p.Review(c, core.GradeGood, late)
	if n.State != core.FSRSReview || !(n.Stability > c.Stability) {
		t.Errorf("relearning card a day late: %+v after %+v", n, c)
	}

	// A card left on a step a changed configuration no longer has goes to
	// review on a pass and back to the first step on Again (py-fsrs's
	// step >= len(steps) branch).
	lost := core.FSRSCard{State: core.FSRSLearning, Step: 5, Stability: 2, Difficulty: 5, Last: fsrsT0}
	if n := p.Review(lost, core.GradeHard, fsrsT0.Add(time.Hour)); n.State != core.FSRSReview {
		t.Errorf("Hard on a lost step: %+v", n)
	}
	if n := p.Review(lost, core.GradeAgain, fsrsT0.Add(time.Hour)); n.State != core.FSRSLearning || n.Step != 0 {
		t.Errorf("Again on a lost step: %+v", n)
	}
}

func TestFSRSLapsesAndReps(t *testing.T) {
	p := core.DefaultFSRS() // no relearning steps: both Agains are lapses
	var c core.FSRSCard
	now := fsrsT0
	for _, g := range []core.Grade{3, 2, 3, 1, 1, 4, 3} {
		c = p.Review(c, g, now)
		now = c.Due
	}
	if c.Reps != 7 || c.Lapses != 2 {
		t.Errorf("reps %d, lapses %d; want 7, 2", c.Reps, c.Lapses)
	}
	// Again on a new card is no lapse: nothing was learned yet.
	if c := p.Review(core.FSRSCard{}, core.GradeAgain, fsrsT0); c.Lapses != 0 {
		t.Errorf("Again on a new card: lapses %d", c.Lapses)
	}
}

// Properties over random answers at random times, with and without steps.
func TestFSRSProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range []core.FSRSParams{core.DefaultFSRS(), pyFSRS(), fsrs5Params()} {
		for range 200 {
			var c core.FSRSCard
			now := fsrsT0
			for i := range 30 {
				// From well before the due date to twice as late.
				wait := c.Due.Sub(c.Last)
				now = now.Add(time.Duration(rng.Float64() * 2 * float64(wait+time.Hour)))
				g := core.Grade(1 + rng.IntN(4))
				n := p.Review(c, g, now)
				if !(n.Stability >= 0.001) || math.IsInf(n.Stability, 0) ||
					!(n.Difficulty >= 1 && n.Difficulty <= 10) || n.State == core.FSRSNew ||
					!n.Last.Equal(now) || !n.Due.After(now) || n.Reps != c.Reps+1 ||
					n.Due.Sub(now) > time.Duration(p.MaximumInterval)*24*time.Hour {
					t.Fatalf("answer %d (grade %d at %v) to %+v gave %+v", i, g, now, c, n)
				}
				if r := p.Retrievability(n, now); r != 1 {
					t.Fatalf("R right after a review %v", r)
				}
				r1, r2 := p.Retrievability(n, n.Due), p.Retrievability(n, n.Due.Add(400*24*time.Hour))
				if !(r1 > 0 && r1 <= 1 && r2 > 0 && r2 <= r1) {
					t.Fatalf("R at due %v, 400 days later %v for %+v", r1, r2, n)
				}
				if c.State != core.FSRSNew {
					var s [5]float64
					for gg := core.GradeAgain; gg <= core.GradeEasy; gg++ {
						s[gg] = p.Review(c, gg, now).Stability
					}
					if now.Sub(c.Last) >= 24*time.Hour {
						// A pass never lowers stability, a lapse never raises
						// it, and Easy ≥ Good ≥ Hard (w15 < 1 < w16).
						if !(s[1] <= c.Stability && c.Stability <= s[2] && s[2] <= s[3] && s[3] <= s[4]) {
							t.Fatalf("stabilities by grade %v from %v after %v", s[1:], c.Stability, now.Sub(c.Last))
						}
					} else if !(s[1] <= s[2] && s[2] <= s[3] && c.Stability <= s[3] && s[3] <= s[4]) {
						// The same day, Good and Easy never lower stability.
						t.Fatalf("same-day stabilities by grade %v from %v", s[1:], c.Stability)
					}
				}
				c = n
			}
		}
	}
}

// py-fsrs test_scheduler_parameter_validation, and the other fields.
func TestFSRSValidate(t *testing.T) {
	bad := []func(*core.FSRSParams){
		func(p *core.FSRSParams) { p.W[6] = 100 },
		func(p *core.FSRSParams) { p.W[10] = -42 },
		func(p *core.FSRSParams) { p.W[0], p.W[3] = 0, 101 },
		func(p *core.FSRSParams) { p.W[20] = math.NaN() },
		func(p *core.FSRSParams) { p.W = [21]float64{} },
		func(p *core.FSRSParams) { p.DesiredRetention = 0 },
		func(p *core.FSRSParams) { p.DesiredRetention = 1.01 },
		func(p *core.FSRSParams) { p.MaximumInterval = 0 },
		func(p *core.FSRSParams) { p.MaximumInterval = 1_000_000 },
		func(p *core.FSRSParams) { p.LearningSteps = []time.Duration{time.Minute, 0} },
		func(p *core.FSRSParams) { p.RelearningSteps = []time.Duration{-time.Minute} },
	}
	for i, f := range bad {
		p := core.DefaultFSRS()
		f(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("case %d: %+v valid", i, p)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("case %d: Review did not panic", i)
				}
			}()
			p.Review(core.FSRSCard{}, core.GradeGood, fsrsT0)
		}()
	}
}

func TestFSRSPanicsOnBadInput(t *testing.T) {
	p := core.DefaultFSRS()
	good := p.Review(core.FSRSCard{}, core.GradeGood, fsrsT0)
	cases := map[string]func(){
		"grade 0":           func() { p.Review(good, 0, fsrsT0) },
		"grade 5":           func() { p.Review(good, 5, fsrsT0) },
		"unknown state":     func() { p.Review(core.FSRSCard{State: 7}, core.GradeGood, fsrsT0) },
		"zero stability":    func() { c := good; c.Stability = 0; p.Review(c, core.GradeGood, fsrsT0) },
		"NaN difficulty":    func() { c := good; c.Difficulty = math.NaN(); p.Review(c, core.GradeGood, fsrsT0) },
		"no last review":    func() { c := good; c.Last = time.Time{}; p.Retrievability(c, fsrsT0) },
		"negative step":     func() { c := good; c.Step = -1; p.Review(c, core.GradeGood, fsrsT0) },
		"interval of 0":     func() { p.Interval(0) },
		"SM-2 EF below 1.3": func() { p.FromSM2(core.ReviewState{EaseFactor: 1.2, IntervalDays: 3}, fsrsT0) },
	}
	for name, f := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// fsrs-rs test_memory_from_sm2 at SM-2 retention 0.9: EF 2.5 and 10 days
// give S 10, D 6.9140563; EF 1.3 and 20 days give S 20, D 10 (clamped);
// and after 15 days at EF 2.0 a Good grows stability by EF (fsrs-rs checks
// to 0.01; without clamping it is exact).
func TestFSRSFromSM2KnownValues(t *testing.T) {
	p := core.DefaultFSRS()
	for _, tt := range []struct {
		ef       float64
		interval int
		s, d     float64
	}{{2.5, 10, 10, 6.9140563}, {1.3, 20, 20, 10}} {
		c := p.FromSM2(core.ReviewState{Repetitions: 3, EaseFactor: tt.ef, IntervalDays: tt.interval}, fsrsT0)
		if !fsrsClose(c.Stability, tt.s, 1e-9) || !fsrsClose(c.Difficulty, tt.d, 1e-4) {
			t.Errorf("EF %v, %d d: S %v, D %v; want %v, %v", tt.ef, tt.interval, c.Stability, c.Difficulty, tt.s, tt.d)
		}
	}
	c := p.FromSM2(core.ReviewState{Repetitions: 3, EaseFactor: 2.0, IntervalDays: 15}, fsrsT0)
	n := p.Review(c, core.GradeGood, fsrsT0.AddDate(0, 0, 15))
	if f := n.Stability / 15; !fsrsClose(f, 2.0, 1e-9) {
		t.Errorf("growth after the migrated interval %v, want the ease factor 2", f)
	}
}

// The migration keeps what SM-2 promised, for states SM-2 itself produced:
// the due date, R = 0.9 at it, the interval FSRS would give, and, where D
// is not clamped, SM-2's growth factor on the next success.
func TestFSRSFromSM2Properties(t *testing.T) {
	p := core.DefaultFSRS()
	last := time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)
	for _, qs := range [][]int{
		{4}, {4, 4}, {4, 4, 4, 4, 4}, {4, 4, 4, 1}, {4, 4, 4, 1, 4, 4, 4},
		{5, 5, 5, 5}, {3, 3, 3, 3}, {0, 0, 5, 4, 4}, {4, 4, 4, 4, 4, 4, 4, 4, 4, 4},
	} {
		s := core.NewReviewState()
		for _, q := range qs {
			s = core.NextReview(s, q)
		}
		c := p.FromSM2(s, last)
		due := s.Due(last)
		if c.State != core.FSRSReview || !c.Due.Equal(due) || !c.Last.Equal(last) ||
			c.Reps != s.Repetitions || c.Lapses != 0 ||
			c.Stability != float64(s.IntervalDays) || p.Interval(c.Stability) != s.IntervalDays ||
			!(c.Difficulty >= 1 && c.Difficulty <= 10) {
			t.Errorf("%v → %+v gave %+v (SM-2 due %v)", qs, s, c, due)
			continue
		}
		if r := p.Retrievability(c, due); !fsrsClose(r, 0.9, 1e-12) {
			t.Errorf("%v: R at the SM-2 due %v, want 0.9", qs, r)
		}
		n := p.Review(c, core.GradeGood, due)
		if c.Difficulty > 1 && c.Difficulty < 10 {
			if got := n.Stability / c.Stability; !fsrsClose(got, s.EaseFactor, 1e-9) {
				t.Errorf("%v: Good at due grows S by %v, want EF %v", qs, got, s.EaseFactor)
			}
		} else if got := n.Stability / c.Stability; got > s.EaseFactor+1e-9 && c.Difficulty == 1 {
			t.Errorf("%v: D clamped to 1 yet growth %v above EF %v", qs, got, s.EaseFactor)
		}
	}

	// EF 2.5 over the range of intervals: D falls with S and is clamped to
	// 1 for very long intervals.
	prev := 11.0
	for _, days := range []int{1, 6, 15, 38, 95, 500, 2000, 3000, 36500} {
		c := p.FromSM2(core.ReviewState{Repetitions: 5, EaseFactor: 2.5, IntervalDays: days}, last)
		if !(c.Difficulty <= prev) {
			t.Errorf("%d d: D %v above %v at a shorter interval", days, c.Difficulty, prev)
		}
		prev = c.Difficulty
	}
	if prev != 1 {
		t.Errorf("36 500 d: D %v, want 1 (clamped)", prev)
	}

	// Never reviewed: a new card.
	if c := p.FromSM2(core.NewReviewState(), last); c != (core.FSRSCard{}) {
		t.Errorf("new SM-2 state: %+v", c)
	}
	if c := p.FromSM2(core.ReviewState{Repetitions: 1, EaseFactor: 2.5, IntervalDays: 1}, time.Time{}); c != (core.FSRSCard{}) {
		t.Errorf("no last review: %+v", c)
	}
}

func TestSchedulerSM2(t *testing.T) {
	var sched core.Scheduler = core.SM2{}
	var c core.CardState
	s := core.NewReviewState()
	now := fsrsT0
	for _, right := range []bool{true, true, true, false, true} {
		c = sched.Answer(c, right, now)
		s = core.NextReview(s, core.QualityOf(right))
		if c.SM2 != s || !c.Last.Equal(now) || !c.Due.Equal(s.Due(now)) || c.FSRS != (core.FSRSCard{}) {
			t.Fatalf("answer %v at %v: %+v; want SM-2 %+v due %v", right, now, c, s, s.Due(now))
		}
		now = c.Due
	}
}

func TestSchedulerFSRS(t *testing.T) {
	p := core.DefaultFSRS()
	var sched core.Scheduler = p

	// A new item: GradeOf(true) is Good, GradeOf(false) Again.
	for _, right := range []bool{true, false} {
		c := sched.Answer(core.CardState{}, right, fsrsT0)
		want := p.Review(core.FSRSCard{}, core.GradeOf(right), fsrsT0)
		if c.FSRS != want || !c.Last.Equal(want.Last) || !c.Due.Equal(want.Due) || c.SM2 != (core.ReviewState{}) {
			t.Errorf("right=%v: %+v; want FSRS %+v", right, c, want)
		}
	}
	if core.GradeOf(true) != core.GradeGood || core.GradeOf(false) != core.GradeAgain {
		t.Errorf("GradeOf: %d, %d", core.GradeOf(true), core.GradeOf(false))
	}

	// An item SM-2 scheduled moves to FSRS at its next answer.
	var c core.CardState
	now := fsrsT0
	for range 3 {
		c = core.SM2{}.Answer(c, true, now)
		now = c.Due
	}
	sm2 := c.SM2
	got := sched.Answer(c, true, now)
	want := p.Review(p.FromSM2(sm2, c.Last), core.GradeGood, now)
	if got.FSRS != want || got.SM2 != sm2 || !got.Due.Equal(want.Due) || !got.Last.Equal(now) {
		t.Errorf("migrated answer: %+v; want FSRS %+v and SM-2 kept", got, want)
	}
	// 15 days at EF 2.5 (D unclamped): the next stability is 37.5 days.
	if !fsrsClose(got.FSRS.Stability, 37.5, 1e-9) || got.Due.Sub(now) != 38*24*time.Hour {
		t.Errorf("after 15 d at EF 2.5: S %v, due in %v; want 37.5, 38 d", got.FSRS.Stability, got.Due.Sub(now))
	}
	// Its FSRS part is now in use: a second answer does not migrate again.
	again := sched.Answer(got, true, got.Due)
	if want := p.Review(got.FSRS, core.GradeGood, got.Due); again.FSRS != want {
		t.Errorf("second FSRS answer: %+v; want %+v", again.FSRS, want)
	}
}

// ExampleFSRSParams_Review shows a daily quiz's schedule: right answers
// stretch the interval, a wrong one shortens it.
func ExampleFSRSParams_Review() {
	p := core.DefaultFSRS()
	var c core.FSRSCard
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, right := range []bool{true, true, true, false, true, true} {
		c = p.Review(c, core.GradeOf(right), now)
		fmt.Printf("right=%-5v S=%6.2f D=%.2f next in %d d\n",
			right, c.Stability, c.Difficulty, int(c.Due.Sub(now).Hours()/24))
		now = c.Due
	}
	// Output:
	// right=true  S=  2.31 D=2.12 next in 2 d
	// right=true  S= 10.96 D=2.11 next in 11 d
	// right=true  S= 46.28 D=2.10 next in 46 d
	// right=false S=  2.93 D=7.39 next in 3 d
	// right=true  S=  7.78 D=7.38 next in 8 d
	// right=true  S= 18.78 D=7.37 next in 19 d
}

// ExampleFSRSParams_FromSM2 converts a card SM-2 scheduled 15 days ahead.
func ExampleFSRSParams_FromSM2() {
	p := core.DefaultFSRS()
	last := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	s := core.ReviewState{Repetitions: 3, EaseFactor: 2.5, IntervalDays: 15}
	c := p.FromSM2(s, last)
	fmt.Printf("S=%.1f D=%.2f due %s R then %.2f\n",
		c.Stability, c.Difficulty, c.Due.Format("2006-01-02"), p.Retrievability(c, c.Due))
	// Output:
	// S=15.0 D=6.63 due 2026-01-16 R then 0.90
}
