package bot

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"neurotutor/core"
	"neurotutor/storage"
)

// Every generated question, over many seeds, is a valid quiz poll: within
// Telegram's limits, distinct options, the right index in range.
func TestGeneratedQuestionsValidate(t *testing.T) {
	for _, g := range generators {
		for seed := range uint64(2000) {
			q := g.make(rand.New(rand.NewPCG(seed, 7)))
			if err := q.Validate(); err != nil && !strings.Contains(err.Error(), "id may hold only") {
				t.Fatalf("%s seed %d: %v\n%+v", g.id, seed, err, q)
			}
			if q.ID != g.id || q.Lesson != g.lesson || len(q.Options) != 4 {
				t.Fatalf("%s seed %d: %+v", g.id, seed, q)
			}
		}
	}
}

// The right option of a generated neuron question is what core computes.
func TestGeneratedNeuronAnswer(t *testing.T) {
	for seed := range uint64(500) {
		q := genNeuron(rand.New(rand.NewPCG(seed, 1)))
		var w1, w2, x1, x2, b float64
		var f string
		text := strings.NewReplacer("−", "-").Replace(q.Text)
		if _, err := fmt.Sscanf(text, "w = (%g, %g), x = (%g, %g), b = %g, f = %s", &w1, &w2, &x1, &x2, &b, &f); err != nil {
			t.Fatalf("%q: %v", q.Text, err)
		}
		f = strings.TrimSuffix(f, ".")
		res, err := core.Neuron([]float64{w1, w2}, []float64{x1, x2}, b, core.Activation(f))
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Options[q.Correct]; got != num(res.Y) {
			t.Fatalf("%q: right option %q, core says %s", q.Text, got, num(res.Y))
		}
	}
}

// The right option of a generated softmax question is core's weight.
func TestGeneratedSoftmaxAnswer(t *testing.T) {
	for seed := range uint64(500) {
		q := genSoftmax(rand.New(rand.NewPCG(seed, 1)))
		var s [3]float64
		var k int
		if _, err := fmt.Sscanf(q.Text, "Оценки внимания трёх токенов: (%g, %g, %g). Какой вес softmax даст токену %d?", &s[0], &s[1], &s[2], &k); err != nil {
			t.Fatalf("%q: %v", q.Text, err)
		}
		w := core.Softmax(nil, s[:])
		got, _ := strconv.ParseFloat(q.Options[q.Correct], 64)
		if math.Abs(got-w[k-1]) > 0.005 {
			t.Fatalf("%q: right option %v, softmax %v", q.Text, got, w[k-1])
		}
	}
}

// The known example of the issue: w = (0.5, 1), x = (2, 3), b = −1, step.
func TestOptionsKeepTheRightAnswer(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	opts, i := options(rng, 1, num, 1, 0, 1, 4, 3, 3)
	if len(opts) != 4 || opts[i] != "1" {
		t.Fatalf("%v %d", opts, i)
	}
	seen := map[string]bool{}
	for _, o := range opts {
		if seen[o] {
			t.Fatalf("duplicate option in %v", opts)
		}
		seen[o] = true
	}
}

func TestParseRemindArgs(t *testing.T) {
	ok := []struct {
		in   string
		want remindArgs
	}{
		{"", remindArgs{Show: true}},
		{"  ", remindArgs{Show: true}},
		{"off", remindArgs{Off: true}},
		{"ВЫКЛ", remindArgs{Off: true}},
		{"09:30", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"9:30", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"9.30", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"00:00 UTC+14", remindArgs{HHMM: "00:00", Zone: "UTC+14"}},
		{"23:59 UTC−12", remindArgs{HHMM: "23:59", Zone: "UTC-12"}},
		{"23:59 UTC -12", remindArgs{HHMM: "23:59", Zone: "UTC-12"}},
		{"07:15 +5:30", remindArgs{HHMM: "07:15", Zone: "UTC+5:30"}},
		{"07:15 utc", remindArgs{HHMM: "07:15", Zone: "UTC"}},
		{"21:00 Asia/Novosibirsk", remindArgs{HHMM: "21:00", Zone: "Asia/Novosibirsk"}},
		{"21:00 America/New_York", remindArgs{HHMM: "21:00", Zone: "America/New_York"}},
		// Zones as people name them.
		{"09:30 europe/moscow", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"9.30 asia/tokyo", remindArgs{HHMM: "09:30", Zone: "Asia/Tokyo"}},
		{"09:30 Москва", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 по Москве", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 по московскому времени", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 МСК", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 мск", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 MSK", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 МСК+2", remindArgs{HHMM: "09:30", Zone: "UTC+5"}},
		{"09:30 мск − 1", remindArgs{HHMM: "09:30", Zone: "UTC+2"}},
		{"09:30 MSK+4", remindArgs{HHMM: "09:30", Zone: "UTC+7"}},
		{"09:30 Санкт-Петербург", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 Петербург", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 СПб", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 Питер", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 Екатеринбург", remindArgs{HHMM: "09:30", Zone: "Asia/Yekaterinburg"}},
		{"09:30 в Екатеринбурге", remindArgs{HHMM: "09:30", Zone: "Asia/Yekaterinburg"}},
		{"09:30 ЕКБ", remindArgs{HHMM: "09:30", Zone: "Asia/Yekaterinburg"}},
		{"09:30 Новосибирск", remindArgs{HHMM: "09:30", Zone: "Asia/Novosibirsk"}},
		{"09:30 по Новосибирску", remindArgs{HHMM: "09:30", Zone: "Asia/Novosibirsk"}},
		{"09:30 Владивосток", remindArgs{HHMM: "09:30", Zone: "Asia/Vladivostok"}},
		{"09:30 Калининград", remindArgs{HHMM: "09:30", Zone: "Europe/Kaliningrad"}},
		{"09:30 Самара", remindArgs{HHMM: "09:30", Zone: "Europe/Samara"}},
		{"09:30 в Самаре", remindArgs{HHMM: "09:30", Zone: "Europe/Samara"}},
		{"09:30 Пермь", remindArgs{HHMM: "09:30", Zone: "Asia/Yekaterinburg"}},
		{"09:30 Нижний Новгород", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 Камчатка", remindArgs{HHMM: "09:30", Zone: "Asia/Kamchatka"}},
		{"09:30 Москва ", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"Москва 09:30", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
		{"09:30 moscow", remindArgs{HHMM: "09:30", Zone: "Europe/Moscow"}},
	}
	for _, c := range ok {
		got, err := parseRemindArgs(c.in)
		if err != nil || got != c.want {
			t.Errorf("parseRemindArgs(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, says string }{
		{"25:00", "не время"},
		{"9", "не время"},
		{"09:60", "не время"},
		{"-1:30", "не время"},
		{"+9:30", "не время"},
		{"9:5", "не время"},
		{"утром", "не время"},
		{"09:30 UTC+15", "часовой пояс"},
		{"09:30 UTC-13", "часовой пояс"},
		{"09:30 Mars/Olympus", "часовой пояс"},
		{"09:30 Local", "часовой пояс"},
		{"09:30 /etc/passwd", "часовой пояс"},
		{"09:30 <b>", "часовой пояс"},
		{"off please", "/remind off"},
		{"09:30 Масква", "Вы имели в виду <code>/remind 09:30 Москва</code>?"},
		{"21:15 Новосибирк", "Вы имели в виду <code>/remind 21:15 Новосибирск</code>?"},
		{"09:30 МСК+12", "часовой пояс"},
		{"09:30 Атлантида", "по-русски"},
		{strings.Repeat("9", 100), "длинно"},
	}
	for _, c := range bad {
		_, err := parseRemindArgs(c.in)
		var ue *userError
		if !errors.As(err, &ue) || !strings.Contains(ue.html, c.says) || !strings.Contains(ue.html, "/remind") {
			t.Errorf("parseRemindArgs(%q) = %v; want a message with %q and an example", c.in, err, c.says)
		}
		if strings.Contains(ue.html, "<b>") {
			t.Errorf("%q: unescaped input in %q", c.in, ue.html)
		}
	}
}

func FuzzParseRemind(f *testing.F) {
	for _, s := range []string{"", "off", "09:30", "9:30 UTC+3", "23:59 UTC−12", "0:00 +14", "25:00", "09:30 Europe/Moscow", "9.30 asia/tokyo", "09:30 UTC+5:30", "1:1", "::", "09:30 UTC+99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := parseRemindArgs(s)
		if err != nil {
			var ue *userError
			if !errors.As(err, &ue) || ue.html == "" {
				t.Fatalf("%q: error not for people: %v", s, err)
			}
			if !utf8.ValidString(ue.html) && utf8.ValidString(s) {
				t.Fatalf("%q: message not UTF-8", s)
			}
			return
		}
		if a.Show || a.Off {
			return
		}
		if _, _, err := storage.ParseClock(a.HHMM); err != nil {
			t.Fatalf("%q: stored time %q: %v", s, a.HHMM, err)
		}
		if _, name, err := storage.ParseZone(a.Zone); err != nil || name != a.Zone {
			t.Fatalf("%q: stored zone %q: %v", s, a.Zone, err)
		}
	})
}

func FuzzParseQuiz(f *testing.F) {
	for _, s := range []string{"", "1", "5", "0", "6", "-1", "один", " 3 ", "1e1", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseQuizArgs(s)
		if err != nil {
			var ue *userError
			if !errors.As(err, &ue) || !strings.Contains(ue.html, "/quiz 1") {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if n < 0 || n > 5 {
			t.Fatalf("%q: lesson %d", s, n)
		}
	})
}
