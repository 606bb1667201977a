package bot

import (
	"context"
	"net/url"
	"strings"
)

// The Mini App: each lab reply in a private chat carries a button that
// opens the lab in Telegram with the same parameters; in a group, where
// web_app buttons are not allowed, the button is a link to the bot's
// private chat, which answers with the lab's button (/start lab_neuron).

// startLab prefixes the /start parameter that opens a lab ("lab_neuron").
const startLab = "lab_"

// maxLabURL bounds a lab button's address; longer parameters are left
// out (64 inputs of a neuron do not fit in a button).
const maxLabURL = 1024

// appLabs are the labs the Mini App has.
var appLabs = map[string]bool{"neuron": true, "posenc": true, "attention": true, "seed": true}

// LabURL is the address of a lab's page under base (NEUROTUTOR_APP_URL):
// the lab and its argument text in the query, which Telegram keeps when
// it opens the page (it adds its own data after #). An empty lab is the
// start screen.
func LabURL(base, lab, args string) string {
	q := url.Values{}
	if lab != "" {
		q.Set("lab", lab)
	}
	if args = strings.TrimSpace(args); args != "" {
		q.Set("args", args)
	}
	u := strings.TrimRight(base, "/") + "/"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// labButtons is the button under a lab's reply; nil without a Mini App.
func (s *Service) labButtons(req Request, lab, args string) [][]Button {
	if s.appURL == "" || !appLabs[lab] {
		return nil
	}
	if req.Private {
		u := LabURL(s.appURL, lab, args)
		if len(u) > maxLabURL {
			u = LabURL(s.appURL, lab, "") // the lab with its defaults
		}
		return [][]Button{{{Text: btnOpenLab, WebApp: u}}}
	}
	if s.username == "" {
		return nil
	}
	return [][]Button{{{Text: btnOpenLab, URL: "https://t.me/" + s.username + "?start=" + startLab + lab}}}
}

// handleLab opens the Mini App's start screen (or, in a group, links to
// it through the private chat).
func (s *Service) handleLab(ctx context.Context, out Outbox, req Request, _ string) error {
	if s.appURL == "" {
		return userErrorf(msgLabNone)
	}
	b := Button{Text: btnOpenLab, WebApp: LabURL(s.appURL, "", "")}
	if !req.Private {
		if s.username == "" {
			return userErrorf(msgLabNone)
		}
		b = Button{Text: btnOpenLab, URL: "https://t.me/" + s.username + "?start=" + startLab}
	}
	_, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: msgLab, Buttons: [][]Button{{b}}})
	return err
}

// openLab answers /start lab_<name> in a private chat: the lab's button.
func (s *Service) openLab(ctx context.Context, out Outbox, req Request, lab string) error {
	if !appLabs[lab] {
		lab = ""
	}
	if s.appURL == "" {
		return userErrorf(msgLabNone)
	}
	_, err := out.Send(ctx, Message{ChatID: req.ChatID, HTML: msgLab, Buttons: [][]Button{{{Text: btnOpenLab, WebApp: LabURL(s.appURL, lab, "")}}}})
	return err
}
