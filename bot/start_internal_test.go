package bot

import (
	"testing"

	"neurotutor/storage"
)

func TestContinueLesson(t *testing.T) {
	for _, c := range []struct {
		opened, finished []int
		want             int
	}{
		{[]int{1}, nil, 1},
		{[]int{1, 2}, []int{1}, 2},
		{[]int{1, 2}, []int{1, 2}, 3},
		{[]int{3}, []int{3}, 4},
		{[]int{1, 5}, []int{5}, 1},
		{[]int{1, 2, 3, 4, 5}, []int{1, 2, 3, 4, 5}, 0},
	} {
		if got := continueLesson(storage.User{LessonsOpened: c.opened, LessonsFinished: c.finished}); got != c.want {
			t.Errorf("opened %v finished %v: %d, want %d", c.opened, c.finished, got, c.want)
		}
	}
}
