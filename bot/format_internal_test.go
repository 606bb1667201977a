package bot

import (
	"strings"
	"testing"
)

func TestNumForPeople(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{0.952574126822433, "0.952574"},
		{-1, "−1"},
		{0.5, "0.5"},
		{4, "4"},
		{1000, "1000"},
		{12345, "12\u00a0345"},
		{1e6, "1\u00a0000\u00a0000"},
		{-1e6, "−1\u00a0000\u00a0000"},
		{123456789, "123\u00a0457\u00a0000"},
		{1e9, "1·10⁹"},
		{6.4e13, "6.4·10¹³"},
		{2.319522830243569e-16, "2.31952·10⁻¹⁶"},
		{-2.5e-7, "−2.5·10⁻⁷"},
		{0.0001, "0.0001"},
		{0.00001234, "1.234·10⁻⁵"},
		{0.1 + 0.2, "0.3"},
	} {
		if got := num(c.v); got != c.want {
			t.Errorf("num(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// No reply shows e-notation or a hyphen for minus, whatever the value.
func TestNumNeverENotation(t *testing.T) {
	for _, v := range []float64{1e-300, 3e-5, 1e6, 9.99999e8, 1e15, -7e22, 123.456, 1e308} {
		s := num(v)
		if strings.ContainsAny(s, "eE-") || strings.Contains(s, ",") {
			t.Errorf("num(%v) = %q", v, s)
		}
	}
}

func TestFixedAndPercent(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{fixed(-0.00001, 4), "0.0000"},
		{fixed(-0.5, 3), "−0.500"},
		{fixed(0.8126488966, 4), "0.8126"},
		{fixed(12345.678, 1), "12\u00a0345.7"},
		{percent(0.75), "75\u00a0%"},
		{percent(1), "100\u00a0%"},
		{percent(0.054), "5\u00a0%"},
		{whole(521), "521"},
		{whole(-10000), "−10\u00a0000"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestPlural(t *testing.T) {
	want := map[int]string{
		0: "0 слов", 1: "1 слово", 2: "2 слова", 4: "4 слова", 5: "5 слов", 11: "11 слов", 12: "12 слов",
		14: "14 слов", 21: "21 слово", 22: "22 слова", 25: "25 слов", 101: "101 слово", 111: "111 слов",
		112: "112 слов", 121: "121 слово", 521: "521 слово", 1000: "1000 слов", -1: "−1 слово",
	}
	for n, w := range want {
		if got := nounWord.count(n); got != w {
			t.Errorf("count(%d) = %q, want %q", n, got, w)
		}
	}
	days := map[int]string{1: "1 день", 2: "2 дня", 5: "5 дней", 11: "11 дней", 21: "21 день", 22: "22 дня", 25: "25 дней", 111: "111 дней", 0: "0 дней"}
	for n, w := range days {
		if got := nounDay.count(n); got != w {
			t.Errorf("days %d = %q, want %q", n, got, w)
		}
	}
	terms := map[int]string{21: "21 слагаемое", 9: "9 слагаемых", 22: "22 слагаемых", 64: "64 слагаемых"}
	for n, w := range terms {
		if got := nounTerm.count(n); got != w {
			t.Errorf("terms %d = %q, want %q", n, got, w)
		}
	}
	if nounOccurs.form(521) != "встречается" || nounOccurs.form(522) != "встречаются" || nounOccurs.form(511) != "встречаются" {
		t.Error("verb agreement")
	}
}
