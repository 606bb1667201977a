package bot

import (
	"context"
	"errors"
	"fmt"
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
	clock := strings.Replace(f[0], ".", ":", 1)
	hh, mm, err := storage.ParseClock(clock)
	if err != nil {
		return remindArgs{}, userErrorf(msgRemindBadTime, esc(clip(f[0], 12)))
	}
	a := remindArgs{HHMM: fmt.Sprintf("%02d:%02d", hh, mm), Zone: storage.DefaultZone}
	if len(f) > 1 {
		zone := strings.Join(f[1:], "")
		_, name, err := storage.ParseZone(zone)
		if err != nil {
			return remindArgs{}, userErrorf(msgRemindBadZone, esc(clip(strings.Join(f[1:], " "), 40)))
		}
		a.Zone = name
	}
	return a, nil
}

// clip shortens s to n characters for quoting it back.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func (s *Service) handleRemind(ctx context.Context, out Outbox, req Request, args string) error {
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
