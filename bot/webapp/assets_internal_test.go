package webapp

import (
	"strings"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"br, gzip;q=0.8", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0, identity", false},
		{"identity", false},
		{"*", true},
		{"*;q=0", false},
		{"*;q=0, gzip", true},  // named beats "*"
		{"gzip;q=0, *", false}, // named beats "*"
		{"deflate, br", false},
		{"gzip;q=abc", true}, // an unreadable q is the default 1
		{"x-gzip", false},
	} {
		if got := acceptsGzip([]string{c.header}); got != c.want {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", c.header, got, c.want)
		}
	}
	if !acceptsGzip([]string{"br", "gzip"}) {
		t.Error("gzip in a second Accept-Encoding header not seen")
	}
}

func TestETagListed(t *testing.T) {
	const tag = `W/"abc"`
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{`W/"abc"`, true},
		{`"abc"`, true}, // weak comparison
		{`"x", W/"abc"`, true},
		{`"abcd"`, false},
		{"*", true},
	} {
		if got := etagListed(c.header, tag); got != c.want {
			t.Errorf("If-None-Match %q: %v, want %v", c.header, got, c.want)
		}
	}
}

// The request headers the server reads are the client's: nothing in them
// may panic, and an answer is gzipped only where gzip is named.
func FuzzAcceptEncoding(f *testing.F) {
	for _, s := range []string{"gzip", "br, gzip;q=0.8", "*;q=0, gzip", "gzip;q=", ";;,,", "gzip;q=1e309"} {
		f.Add(s, `W/"abc"`)
	}
	f.Fuzz(func(t *testing.T, accept, inm string) {
		if acceptsGzip([]string{accept}) && !strings.Contains(strings.ToLower(accept), "gzip") && !strings.Contains(accept, "*") {
			t.Errorf("gzip accepted from %q", accept)
		}
		etagListed(inm, `W/"abc"`)
	})
}
