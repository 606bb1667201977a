package charts_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"neurotutor/charts"
)

func TestProgressChart(t *testing.T) {
	r := mustNew(t)
	labels := charts.ProgressLabels{Title: "Верные ответы в квизах, по урокам (зелёные — прочитанные)"}
	cases := map[string][]charts.ProgressLesson{
		"typical": {
			{Label: "1: 100%", Read: true, Accuracy: 1}, {Label: "2: 50%", Read: true, Accuracy: 0.5},
			{Label: "3: —", Accuracy: math.NaN()}, {Label: "4: 0%", Accuracy: 0}, {Label: "5: —", Accuracy: math.NaN()},
		},
		"one lesson":   {{Label: "1", Accuracy: 0.3}},
		"all empty":    {{Label: "1", Accuracy: math.NaN()}, {Label: "2", Accuracy: math.NaN()}},
		"out of range": {{Label: "1", Accuracy: 7}, {Label: "2", Accuracy: -1}, {Label: "3", Accuracy: math.Inf(1)}},
		"long label":   {{Label: strings.Repeat("Позиционные кодировки ", 40), Read: true, Accuracy: 0.7}},
		"long labels":  {{Label: "Позиционные", Accuracy: 0.2}, {Label: "Позиционные"}, {Label: "Позиционные"}, {Label: "Позиционные"}, {Label: "Позиционные"}},
	}
	for name, ls := range cases {
		a, err := r.Progress(ls, labels)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPNG(t, name, a, charts.ProgressWidth, charts.ProgressHeight)
		b, _ := r.Progress(ls, labels)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", name)
		}
	}
	if _, err := r.Progress(nil, labels); !errors.Is(err, charts.ErrNoData) {
		t.Errorf("no lessons: %v", err)
	}
	if _, err := r.Progress(make([]charts.ProgressLesson, charts.MaxProgressBar+1), labels); err == nil {
		t.Error("too many lessons accepted")
	}
}

func BenchmarkProgressChart(b *testing.B) {
	r := mustNew(b)
	ls := []charts.ProgressLesson{{Label: "1: 80%", Read: true, Accuracy: 0.8}, {Label: "2: —", Accuracy: math.NaN()},
		{Label: "3: 40%", Read: true, Accuracy: 0.4}, {Label: "4: —", Accuracy: math.NaN()}, {Label: "5: 100%", Accuracy: 1}}
	for b.Loop() {
		if _, err := r.Progress(ls, charts.ProgressLabels{Title: "Прогресс"}); err != nil {
			b.Fatal(err)
		}
	}
}
