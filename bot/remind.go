package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"neurotutor/storage"
)

// maxRemindArgs bounds the argument of /remind, in characters (the
// longest IANA zone name is 32).
const maxRemindArgs = 64

// remindArgs is a parsed /remind: show the setting, turn it off, or set
// HH:MM in Zone ("" means storage.DefaultZone).
type remindArgs struct {
	Show, Off bool
	HHMM      string // "09:30"
	Zone      string // canonical zone name
}

// parseRemindArgs reads "" (show), "off" (also "выкл", "нет", "stop"),
// or "HH:MM [zone]" where the time may use ":" or "." and the zone is an
// IANA name or an offset (UTC+3, UTC−12, +5:30), spaces inside allowed.
func parseRemindArgs(s string) (remindArgs, error) {
	if utf8.RuneCountInString(s) > maxRemindArgs {
		return remindArgs{}, userErrorf(msgRemindTooLong)
	}
	f := strings.Fields(normalize.Replace(s))
	if len(f) == 0 {
		return remindArgs{Show: true}, nil
	}
	switch strings.ToLower(f[0]) {
	case "off", "выкл", "нет", "stop", "стоп":
		if len(f) > 1 {
			return remindArgs{}, userErrorf(msgRemindUsage)
		}
		return remindArgs{Off: true}, nil
	}
	if len(f) > 1 && !isClock(f[0]) && isClock(f[len(f)-1]) {
		// "/remind Москва 09:30": the zone first.
		f = append([]string{f[len(f)-1]}, f[:len(f)-1]...)
	}
	clock := strings.Replace(f[0], ".", ":", 1)
	hh, mm, err := storage.ParseClock(clock)
	if err != nil {
		return remindArgs{}, userErrorf(msgRemindBadTime, esc(clip(f[0], 12)))
	}
	a := remindArgs{HHMM: fmt.Sprintf("%02d:%02d", hh, mm), Zone: storage.DefaultZone}
	if len(f) > 1 {
		name, err := remindZone(a.HHMM, f[1:])
		if err != nil {
			return remindArgs{}, err
		}
		a.Zone = name
	}
	return a, nil
}

// remindZone reads the zone words of /remind: an IANA name in any case,
// an offset, "МСК", "МСК+2", or a city as people name it ("по Москве",
// "Екатеринбург", "СПб"). A near miss is answered with the right spelling.
func remindZone(hhmm string, words []string) (string, error) {
	if _, name, err := storage.ParseZone(strings.Join(words, "")); err == nil {
		return name, nil
	}
	typed := strings.Join(words, " ")
	key := zoneKey(words)
	if m := mskRe.FindStringSubmatch(key); m != nil {
		n, _ := strconv.Atoi(m[2])
		if m[1] == "-" {
			n = -n
		}
		if _, name, err := storage.ParseZone(fmt.Sprintf("UTC%+d", 3+n)); err == nil {
			return name, nil
		}
		return "", userErrorf(msgRemindBadZone, esc(clip(typed, 40)))
	}
	key = strings.ReplaceAll(key, "-", "") // "Санкт-Петербург"
	if z, ok := cityZone(key); ok {
		return z, nil
	}
	if g := cityGuess(key); g != "" {
		return "", userErrorf(msgRemindZoneGuess, esc(clip(typed, 40)), hhmm, esc(g))
	}
	return "", userErrorf(msgRemindBadZone+" "+msgRemindZoneCities, esc(clip(typed, 40)))
}

// mskRe reads Moscow time with an offset, as Russian timetables write it:
// "МСК+2" is UTC+5 (Moscow keeps UTC+3 all year since 2014).
var mskRe = regexp.MustCompile(`^(?:мск|msk|москва|moscow)([+-])(\d{1,2})$`)

// zoneKey folds zone words for lookup: lower case, ё as е, no spaces or
// dots, without "по"/"в" before and "время" after ("по
// московскому времени" → "московскому").
func zoneKey(words []string) string {
	w := slices.Clone(words)
	for i := range w {
		w[i] = strings.ToLower(w[i])
	}
	if len(w) > 1 && (w[0] == "по" || w[0] == "в" || w[0] == "во") {
		w = w[1:]
	}
	if n := len(w); n > 1 && (w[n-1] == "время" || w[n-1] == "времени") {
		w = w[:n-1]
	}
	return strings.NewReplacer("ё", "е", ".", "").Replace(strings.Join(w, ""))
}

// cityZones are the names of Russian cities, zones and a few capitals
// near by, as learners type them, with their IANA zones. Each stem takes
// any of cityEndings: "москв" is Москва, Москве, Москву…; Name is how a
// suggestion spells it.
var cityZones = []struct {
	Name  string
	Zone  string
	Stems []string
}{
	{"Москва", "Europe/Moscow", []string{"москв", "мск", "msk", "moscow", "moskva", "московск"}},
	{"Санкт-Петербург", "Europe/Moscow", []string{"санктпетербург", "петербург", "питер", "спб", "spb", "piter", "petersburg", "saintpetersburg", "stpetersburg", "ленинград"}},
	{"Калининград", "Europe/Kaliningrad", []string{"калининград", "kaliningrad"}},
	{"Самара", "Europe/Samara", []string{"самар", "samara", "ижевск", "izhevsk"}},
	{"Казань", "Europe/Moscow", []string{"казан", "kazan", "нижнийновгород", "нижнемновгород", "сочи", "краснодар", "воронеж", "ростов", "ростовнадону", "минводы"}},
	{"Волгоград", "Europe/Volgograd", []string{"волгоград", "volgograd"}},
	{"Саратов", "Europe/Saratov", []string{"саратов", "saratov"}},
	{"Ульяновск", "Europe/Ulyanovsk", []string{"ульяновск", "ulyanovsk"}},
	{"Астрахань", "Europe/Astrakhan", []string{"астрахан", "astrakhan"}},
	{"Екатеринбург", "Asia/Yekaterinburg", []string{"екатеринбург", "екб", "ekb", "yekaterinburg", "ekaterinburg", "челябинск", "уф", "перм", "тюмен", "курган", "оренбург"}},
	{"Омск", "Asia/Omsk", []string{"омск", "omsk"}},
	{"Новосибирск", "Asia/Novosibirsk", []string{"новосибирск", "новосиб", "нск", "novosibirsk"}},
	{"Томск", "Asia/Tomsk", []string{"томск", "tomsk"}},
	{"Барнаул", "Asia/Barnaul", []string{"барнаул", "barnaul"}},
	{"Новокузнецк", "Asia/Novokuznetsk", []string{"новокузнецк", "кемерово", "кемерове", "novokuznetsk"}},
	{"Красноярск", "Asia/Krasnoyarsk", []string{"красноярск", "krasnoyarsk"}},
	{"Иркутск", "Asia/Irkutsk", []string{"иркутск", "irkutsk"}},
	{"Чита", "Asia/Chita", []string{"чит", "chita"}},
	{"Якутск", "Asia/Yakutsk", []string{"якутск", "yakutsk"}},
	{"Владивосток", "Asia/Vladivostok", []string{"владивосток", "vladivostok", "хабаровск", "khabarovsk"}},
	{"Сахалин", "Asia/Sakhalin", []string{"сахалин", "южносахалинск", "sakhalin"}},
	{"Магадан", "Asia/Magadan", []string{"магадан", "magadan"}},
	{"Камчатка", "Asia/Kamchatka", []string{"камчатк", "петропавловсккамчатск", "kamchatka"}},
	{"Минск", "Europe/Minsk", []string{"минск", "minsk"}},
	{"Киев", "Europe/Kyiv", []string{"киев", "київ", "kyiv", "kiev"}},
	{"Алматы", "Asia/Almaty", []string{"алматы", "алмаат", "almaty"}},
	{"Ташкент", "Asia/Tashkent", []string{"ташкент", "tashkent"}},
	{"Тбилиси", "Asia/Tbilisi", []string{"тбилиси", "tbilisi"}},
	{"Ереван", "Asia/Yerevan", []string{"ереван", "yerevan"}},
	{"Баку", "Asia/Baku", []string{"баку", "baku"}},
	{"Лондон", "Europe/London", []string{"лондон"}},
	{"Берлин", "Europe/Berlin", []string{"берлин"}},
	{"Нью-Йорк", "America/New_York", []string{"ньюйорк", "newyork", "nyc"}},
}

// cityEndings are the case endings a stem of cityZones takes.
var cityEndings = []string{"", "а", "е", "у", "ы", "и", "ь", "ом", "ой", "ю", "ью", "ое", "ому", "ий", "ого", "ая", "ую", "ем"}

// cityZone looks a folded key up in cityZones.
func cityZone(key string) (string, bool) {
	for _, c := range cityZones {
		for _, stem := range c.Stems {
			if rest, ok := strings.CutPrefix(key, stem); ok && slices.Contains(cityEndings, rest) {
				return c.Zone, true
			}
		}
	}
	return "", false
}

// cityGuess names the one city whose name is within two typos of key
// ("Масква", "Новосибирк"), or "".
func cityGuess(key string) string {
	if utf8.RuneCountInString(key) < 4 || len(key) > 64 {
		return ""
	}
	best, bestD := "", 3
	for _, c := range cityZones {
		name := strings.ToLower(strings.ReplaceAll(c.Name, "-", ""))
		for _, cand := range append([]string{name}, c.Stems...) {
			limit := min(2, utf8.RuneCountInString(cand)/4)
			if d := editDistance(key, cand); d <= limit && d < bestD {
				best, bestD = c.Name, d
			}
		}
	}
	return best
}

// isClock reports whether s is a time of day, "9:30" or "9.30".
func isClock(s string) bool {
	_, _, err := storage.ParseClock(strings.Replace(s, ".", ":", 1))
	return err == nil
}

// clip shortens s to n characters for quoting it back, invalid UTF-8
// replaced.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "�")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func (s *Service) handleRemind(ctx context.Context, out Outbox, req Request, args string) error {
	if req.group() {
		// A reminder is personal; the group's daily question is /daily.
		return userErrorf(msgRemindGroup)
	}
	a, err := parseRemindArgs(args)
	if err != nil {
		return err
	}
	var text string
	switch {
	case a.Show:
		u, err := s.store.User(req.UserID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		text = s.describeReminder(u.Reminder, req.Private)
	case a.Off:
		if err := s.store.DisableReminder(req.UserID); err != nil {
			return err
		}
		text = msgRemindOff
	default:
		r, err := s.store.SetReminder(req.UserID, req.ChatID, a.HHMM, a.Zone, s.clock.Now())
		if err != nil {
			return err
		}
		text = msgRemindSet + " " + s.describeReminder(r, req.Private)
		if r.Zone == storage.DefaultZone {
			text += "\n" + msgRemindDefaultZone
		}
	}
	_, err = out.Send(ctx, Message{ChatID: req.ChatID, HTML: text})
	return err
}

// describeReminder says when the reminder comes, in its own zone.
func (s *Service) describeReminder(r storage.Reminder, private bool) string {
	if !r.Enabled {
		return msgRemindNone
	}
	t := fmt.Sprintf(msgRemindShow, esc(r.HHMM), esc(r.Zone))
	if loc, _, err := storage.ParseZone(r.Zone); err == nil && !r.Next.IsZero() {
		t += " " + fmt.Sprintf(msgRemindNext, r.Next.In(loc).Format("02.01.2006 15:04"))
	}
	if !private {
		t += " " + msgRemindHere
	}
	return t
}
