package webapp

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// asset is a file the page needs, prepared once: its bytes, their gzip
// (nil when it would not be smaller) and a validator, so a returning
// learner's Telegram revalidates with one small request (304) instead
// of downloading the script again, and a first one downloads a third.
type asset struct {
	body, gz []byte
	etag     string // weak: the same for both encodings of one content
	ctype    string
}

func newAsset(name string, body []byte) (asset, error) {
	sum := sha256.Sum256(body)
	a := asset{body: body, etag: `W/"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
	a.ctype = mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) { // the system's MIME table may lack or differ
	case ".js":
		a.ctype = "text/javascript; charset=utf-8"
	case ".css":
		a.ctype = "text/css; charset=utf-8"
	case ".html":
		a.ctype = "text/html; charset=utf-8"
	}
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return asset{}, err
	}
	if _, err := zw.Write(body); err != nil {
		return asset{}, err
	}
	if err := zw.Close(); err != nil {
		return asset{}, err
	}
	if b.Len() < len(body) {
		a.gz = b.Bytes()
	}
	return a, nil
}

// gzipMin is the smallest answer worth compressing: below it the gzip
// header and a round of CPU buy nothing.
const gzipMin = 1024

// fastWriters are gzip writers at BestSpeed for the labs' answers (a
// neuron answer, sent on every move of a slider: 5.0 KB → 2.0 KB).
var fastWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// gzipFast compresses b for one answer.
func gzipFast(b []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(b) / 2)
	zw := fastWriters.Get().(*gzip.Writer)
	defer fastWriters.Put(zw)
	zw.Reset(&out)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// loadAssets prepares every embedded file under static/ but the page's
// template, by its name relative to static/.
func loadAssets() (map[string]asset, error) {
	out := map[string]asset{}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "static/index.html" {
			return err
		}
		body, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		a, err := newAsset(p, body)
		out[strings.TrimPrefix(p, "static/")] = a
		return err
	})
	return out, err
}

// serve writes a to w: 304 when the client's copy is current, else the
// gzip when the client takes it. Files have no version in their names,
// so clients revalidate every time (no-cache) rather than keep a stale
// script after an upgrade.
func (a asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	if etagListed(r.Header.Get("If-None-Match"), a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if a.gz != nil && acceptsGzip(r.Header.Values("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// etagListed reports whether an If-None-Match header names etag, by the
// weak comparison RFC 9110 prescribes for it.
func etagListed(header, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether Accept-Encoding allows gzip: named with a
// q above 0, or not named while "*" is, with a q above 0 (RFC 9110).
func acceptsGzip(headers []string) bool {
	star := false
	for _, h := range headers {
		for item := range strings.SplitSeq(h, ",") {
			name, params, _ := strings.Cut(item, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "gzip" && name != "*" {
				continue
			}
			q := 1.0
			for p := range strings.SplitSeq(params, ";") {
				if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						q = f
					}
				}
			}
			if name == "gzip" {
				return q > 0
			}
			star = q > 0
		}
	}
	return star
}
