package bot

// noun is a Russian noun (or any word that agrees with a number) in the
// three forms a number selects: one for 1, 21, 101…; few for 2–4, 22–24…;
// many for 0, 5–20, 11–14, 111–114, 25…
type noun struct{ one, few, many string }

// form returns the form that agrees with n.
func (w noun) form(n int) string {
	if n < 0 {
		n = -n
	}
	switch n10, n100 := n%10, n%100; {
	case n100 >= 11 && n100 <= 14:
		return w.many
	case n10 == 1:
		return w.one
	case n10 >= 2 && n10 <= 4:
		return w.few
	}
	return w.many
}

// count writes n and the form that agrees with it: "21 слово", "2 дня".
func (w noun) count(n int) string { return whole(n) + " " + w.form(n) }
