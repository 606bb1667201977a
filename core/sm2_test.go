package core_test

import (
	"fmt"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"neurotutor/core"
)

// The expected values are worked by hand from the published SM-2 rules
// (Wozniak 1990, super-memory.com/english/ol/sm2.htm): I(1)=1, I(2)=6,
// I(n)=⌈I(n-1)·EF⌉, EF' = EF + (0.1 − (5−q)(0.08 + (5−q)·0.02)) ≥ 1.3,
// and q < 3 restarts the intervals. EF deltas per q: q=5 +0.10, q=4 0,
// q=3 −0.14, q=2 −0.32, q=1 −0.54, q=0 −0.80.
func TestNextReviewSequences(t *testing.T) {
	type step struct {
		q        int
		reps     int
		ef       float64
		interval int
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"always 4: EF stays 2.5", []step{
			{4, 1, 2.5, 1}, {4, 2, 2.5, 6}, {4, 3, 2.5, 15}, // 6·2.5 = 15
			{4, 4, 2.5, 38}, // 15·2.5 = 37.5 → 38
			{4, 5, 2.5, 95}, // 38·2.5 = 95
		}},
		{"always 5: EF grows by 0.1", []step{
			{5, 1, 2.6, 1}, {5, 2, 2.7, 6},
			{5, 3, 2.8, 17}, // 6·2.7 = 16.2 → 17 (EF before the update)
			{5, 4, 2.9, 48}, // 17·2.8 = 47.6 → 48
		}},
		{"always 3: EF falls by 0.14, fractions round up", []step{
			{3, 1, 2.36, 1}, {3, 2, 2.22, 6},
			{3, 3, 2.08, 14}, // 6·2.22 = 13.32 → 14
			{3, 4, 1.94, 30}, // 14·2.08 = 29.12 → 30
		}},
		{"lapse restarts intervals, keeps the lowered EF", []step{
			{4, 1, 2.5, 1}, {4, 2, 2.5, 6}, {4, 3, 2.5, 15},
			{1, 0, 1.96, 1}, // 2.5 − 0.54
			{4, 1, 1.96, 1}, {4, 2, 1.96, 6},
			{4, 3, 1.96, 12}, // 6·1.96 = 11.76 → 12
		}},
		{"EF floor 1.3", []step{
			{0, 0, 1.7, 1}, // 2.5 − 0.8
			{0, 0, 1.3, 1}, // 0.9 → 1.3
			{5, 1, 1.4, 1}, {4, 2, 1.4, 6},
			{4, 3, 1.4, 9}, // 6·1.4 = 8.4 → 9
		}},
		{"q=2 is a lapse", []step{{2, 0, 2.18, 1}, {2, 0, 1.86, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := core.NewReviewState()
			for i, st := range tt.steps {
				s = core.NextReview(s, st.q)
				if s.Repetitions != st.reps || s.IntervalDays != st.interval ||
					!scalar.EqualWithinAbsOrRel(s.EaseFactor, st.ef, 1e-12, 1e-12) {
					t.Fatalf("step %d (q=%d): got %+v; want reps %d, EF %v, interval %d",
						i, st.q, s, st.reps, st.ef, st.interval)
				}
			}
		})
	}
}

func TestNextReviewEFPerQuality(t *testing.T) {
	want := []float64{1.7, 1.96, 2.18, 2.36, 2.5, 2.6} // q = 0..5, from 2.5
	for q, ef := range want {
		got := core.NextReview(core.NewReviewState(), q).EaseFactor
		if !scalar.EqualWithinAbsOrRel(got, ef, 1e-12, 1e-12) {
			t.Errorf("q=%d: EF %v, want %v", q, got, ef)
		}
	}
}

func TestNextReviewLongRunStaysExact(t *testing.T) {
	// 200 alternating answers must leave EF on the 0.01 grid and ≥ 1.3.
	s := core.NewReviewState()
	for i := range 200 {
		s = core.NextReview(s, []int{5, 3, 4, 1, 5}[i%5])
		if s.EaseFactor < core.MinEaseFactor || s.IntervalDays < 1 {
			t.Fatalf("step %d: %+v", i, s)
		}
		if c := s.EaseFactor * 100; !scalar.EqualWithinAbs(c, float64(int(c+0.5)), 1e-9) {
			t.Fatalf("step %d: EF %v off the 0.01 grid", i, s.EaseFactor)
		}
	}
}

func TestNextReviewPanicsOnBadQuality(t *testing.T) {
	for _, q := range []int{-1, 6} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("quality %d: no panic", q)
				}
			}()
			core.NextReview(core.NewReviewState(), q)
		}()
	}
}

func TestQualityOf(t *testing.T) {
	if core.QualityOf(true) != 4 || core.QualityOf(false) != 1 {
		t.Fatalf("QualityOf: %d, %d", core.QualityOf(true), core.QualityOf(false))
	}
}

func TestReviewStateDue(t *testing.T) {
	at := time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)
	s := core.ReviewState{Repetitions: 2, EaseFactor: 2.5, IntervalDays: 6}
	if got, want := s.Due(at), at.Add(144*time.Hour); !got.Equal(want) {
		t.Fatalf("Due = %v, want %v", got, want)
	}
}

func ExampleNextReview() {
	s := core.NewReviewState()
	for _, correct := range []bool{true, true, true, false, true} {
		s = core.NextReview(s, core.QualityOf(correct))
		fmt.Printf("reps=%d EF=%.2f next in %d d\n", s.Repetitions, s.EaseFactor, s.IntervalDays)
	}
	// Output:
	// reps=1 EF=2.50 next in 1 d
	// reps=2 EF=2.50 next in 6 d
	// reps=3 EF=2.50 next in 15 d
	// reps=0 EF=1.96 next in 1 d
	// reps=1 EF=1.96 next in 1 d
}

// Right answers forever: the interval stops at MaxIntervalDays and the due
// date never wraps around.
func TestSM2IntervalBounded(t *testing.T) {
	s := core.NewReviewState()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		s = core.NextReview(s, core.QualityCorrect)
		if s.IntervalDays < 1 || s.IntervalDays > core.MaxIntervalDays || !s.Due(at).After(at) {
			t.Fatalf("answer %d: %+v, due %v", i+1, s, s.Due(at))
		}
	}
	if s.IntervalDays != core.MaxIntervalDays {
		t.Fatalf("after 200 right answers: %+v", s)
	}
}
