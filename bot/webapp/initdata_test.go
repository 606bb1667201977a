package webapp_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"neurotutor/bot/webapp"
)

// vectorFile holds known answers computed outside Go, by
// testdata/make_initdata_vectors.py (Python's hmac, hashlib and
// urllib.parse), from the Bot API's description of the check.
type vectorFile struct {
	Vectors []struct {
		Name     string      `json:"name"`
		BotToken string      `json:"bot_token"`
		Fields   [][2]string `json:"fields"`
		InitData string      `json:"init_data"`
		Hash     string      `json:"hash"`
		Want     struct {
			UserID       int64  `json:"user_id"`
			FirstName    string `json:"first_name"`
			LastName     string `json:"last_name"`
			Username     string `json:"username"`
			LanguageCode string `json:"language_code"`
			AuthDate     int64  `json:"auth_date"`
			QueryID      string `json:"query_id"`
			StartParam   string `json:"start_param"`
		} `json:"want"`
	} `json:"vectors"`
}

func readVectors(tb testing.TB) vectorFile {
	tb.Helper()
	b, err := os.ReadFile("testdata/initdata_vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(b, &vf); err != nil {
		tb.Fatal(err)
	}
	if len(vf.Vectors) == 0 {
		tb.Fatal("no vectors")
	}
	return vf
}

// hashOf returns the hash field of an initData.
func hashOf(tb testing.TB, initData string) string {
	tb.Helper()
	q, err := url.ParseQuery(initData)
	if err != nil {
		tb.Fatal(err)
	}
	return q.Get("hash")
}

func TestVectors(t *testing.T) {
	for _, v := range readVectors(t).Vectors {
		t.Run(v.Name, func(t *testing.T) {
			authDate := time.Unix(v.Want.AuthDate, 0)
			got, err := webapp.ValidateInitData(v.InitData, v.BotToken, authDate.Add(time.Minute))
			if err != nil {
				t.Fatalf("ValidateInitData: %v", err)
			}
			want := webapp.InitData{
				User: webapp.WebAppUser{
					ID:           v.Want.UserID,
					FirstName:    v.Want.FirstName,
					LastName:     v.Want.LastName,
					Username:     v.Want.Username,
					LanguageCode: v.Want.LanguageCode,
				},
				AuthDate:   authDate.UTC(),
				QueryID:    v.Want.QueryID,
				StartParam: v.Want.StartParam,
			}
			if got != want {
				t.Errorf("ValidateInitData = %+v, want %+v", got, want)
			}

			fields := url.Values{}
			for _, kv := range v.Fields {
				fields.Add(kv[0], kv[1])
			}
			signed := webapp.Sign(fields, v.BotToken)
			if h := hashOf(t, signed); h != v.Hash {
				t.Errorf("Sign's hash = %s, Python's %s", h, v.Hash)
			}
			if _, err := webapp.ValidateInitData(signed, v.BotToken, authDate); err != nil {
				t.Errorf("Sign's initData: %v", err)
			}
			if _, err := webapp.ValidateInitData(v.InitData, v.BotToken+"x", authDate); !errors.Is(err, webapp.ErrBadInitData) {
				t.Errorf("another token: err = %v, want ErrBadInitData", err)
			}
		})
	}
}

const (
	testToken = "123456:TEST-token"
	testUser  = `{"id":279058397,"first_name":"Иван","language_code":"ru"}`
)

// testAuthDate is when the test initData is signed; tests validate it a
// minute later.
var testAuthDate = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// testFields returns the fields of a valid initData signed at authDate,
// changed by edit (key → value; "" deletes the key).
func testFields(authDate time.Time, edit map[string]string) url.Values {
	f := url.Values{
		"query_id":  {"AAHdF6IQAAAAAN0XohDhrOrc"},
		"user":      {testUser},
		"auth_date": {strconv.FormatInt(authDate.Unix(), 10)},
		"signature": {"FAKEsignature_-0123456789"},
	}
	for k, v := range edit {
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
	}
	return f
}

// signed returns a valid initData for testFields(authDate, edit).
func signed(authDate time.Time, edit map[string]string) string {
	return webapp.Sign(testFields(authDate, edit), testToken)
}

// flipHexDigit changes the first digit of initData's hash.
func flipHexDigit(initData string) string {
	i := strings.Index(initData, "hash=") + len("hash=")
	d := byte('0')
	if initData[i] == '0' {
		d = '1'
	}
	return initData[:i] + string(d) + initData[i+1:]
}

// replaceField replaces the raw (encoded) value of key in initData,
// keeping the hash.
func replaceField(tb testing.TB, initData, key, raw string) string {
	tb.Helper()
	parts := strings.Split(initData, "&")
	for i, p := range parts {
		if strings.HasPrefix(p, key+"=") {
			parts[i] = key + "=" + raw
			return strings.Join(parts, "&")
		}
	}
	tb.Fatalf("no %s in %s", key, initData)
	return ""
}

// sizedInitData returns a valid initData of exactly n bytes, padded with a
// signed field.
func sizedInitData(tb testing.TB, n int) string {
	tb.Helper()
	base := len(signed(testAuthDate, map[string]string{"pad": "a"})) - 1
	if n <= base {
		tb.Fatalf("cannot make %d bytes, the smallest is %d", n, base+1)
	}
	s := signed(testAuthDate, map[string]string{"pad": strings.Repeat("a", n-base)})
	if len(s) != n {
		tb.Fatalf("made %d bytes, want %d", len(s), n)
	}
	return s
}

func TestValidateInitData(t *testing.T) {
	now := testAuthDate.Add(time.Minute)
	valid := signed(testAuthDate, nil)
	dup := testFields(testAuthDate, nil)
	dup.Add("query_id", "AAHdF6IQAAAAAN0XohDhrOrd")
	unixOf := func(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

	tests := []struct {
		name     string
		initData string
		token    string // "" for testToken
		want     error  // nil: valid
	}{
		{"valid", valid, "", nil},
		{"valid, fields in another order", "user=" + url.QueryEscape(testUser) + "&signature=FAKEsignature_-0123456789&hash=" + hashOf(t, valid) + "&auth_date=" + unixOf(testAuthDate) + "&query_id=AAHdF6IQAAAAAN0XohDhrOrc", "", nil},
		{"valid, a space as +", signed(testAuthDate, map[string]string{"start_param": "a b"}), "", nil},
		{"valid, a space as %20", strings.ReplaceAll(signed(testAuthDate, map[string]string{"start_param": "a b"}), "+", "%20"), "", nil},
		{"valid, user only", signed(testAuthDate, map[string]string{"query_id": "", "signature": ""}), "", nil},
		{"valid, 24 h old exactly", signed(now.Add(-webapp.MaxInitDataAge), nil), "", nil},
		{"valid, 5 min ahead", signed(now.Add(webapp.MaxClockSkew), nil), "", nil},
		{"valid, MaxInitDataLen bytes", sizedInitData(t, webapp.MaxInitDataLen), "", nil},

		{"tampered hash, one hex digit", flipHexDigit(valid), "", webapp.ErrBadInitData},
		{"valid, hash in upper case (the same bytes)", strings.Replace(valid, "hash="+hashOf(t, valid), "hash="+strings.ToUpper(hashOf(t, valid)), 1), "", nil},
		{"tampered user id", replaceField(t, valid, "user", url.QueryEscape(strings.Replace(testUser, "279058397", "279058398", 1))), "", webapp.ErrBadInitData},
		{"tampered user name", replaceField(t, valid, "user", url.QueryEscape(strings.Replace(testUser, "Иван", "Пётр", 1))), "", webapp.ErrBadInitData},
		{"tampered auth_date", replaceField(t, valid, "auth_date", unixOf(now)), "", webapp.ErrBadInitData},
		{"tampered signature", replaceField(t, valid, "signature", "FAKEsignature_-0123456780"), "", webapp.ErrBadInitData},
		{"field added", valid + "&start_param=lab_seed", "", webapp.ErrBadInitData},
		{"field removed", strings.Replace(valid, "query_id=AAHdF6IQAAAAAN0XohDhrOrc&", "", 1), "", webapp.ErrBadInitData},
		{"wrong token", valid, "654321:TEST-token", webapp.ErrBadInitData},

		{"expired, 24 h + 1 s", signed(now.Add(-webapp.MaxInitDataAge-time.Second), nil), "", webapp.ErrExpired},
		{"expired, a year", signed(now.AddDate(-1, 0, 0), nil), "", webapp.ErrExpired},
		{"future, 5 min + 1 s", signed(now.Add(webapp.MaxClockSkew+time.Second), nil), "", webapp.ErrBadInitData},
		{"future, year 9999", signed(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), nil), "", webapp.ErrBadInitData},

		{"empty", "", "", webapp.ErrNoInitData},
		{"no hash", strings.Split(valid, "&hash=")[0], "", webapp.ErrBadInitData},
		{"empty hash", strings.Split(valid, "&hash=")[0] + "&hash=", "", webapp.ErrBadInitData},
		{"short hash", valid[:len(valid)-2], "", webapp.ErrBadInitData},
		{"hash not hex", valid[:len(valid)-1] + "g", "", webapp.ErrBadInitData},
		{"no auth_date", signed(testAuthDate, map[string]string{"auth_date": ""}), "", webapp.ErrBadInitData},
		{"auth_date empty", webapp.Sign(url.Values{"user": {testUser}, "auth_date": {""}}, testToken), "", webapp.ErrBadInitData},
		{"auth_date not a number", signed(testAuthDate, map[string]string{"auth_date": "yesterday"}), "", webapp.ErrBadInitData},
		{"auth_date with a sign", signed(testAuthDate, map[string]string{"auth_date": "+" + unixOf(testAuthDate)}), "", webapp.ErrBadInitData},
		{"auth_date zero", signed(testAuthDate, map[string]string{"auth_date": "0"}), "", webapp.ErrBadInitData},
		{"auth_date huge", signed(testAuthDate, map[string]string{"auth_date": "9223372036854775807"}), "", webapp.ErrBadInitData},
		{"auth_date fractional", signed(testAuthDate, map[string]string{"auth_date": unixOf(testAuthDate) + ".5"}), "", webapp.ErrBadInitData},

		{"no user", signed(testAuthDate, map[string]string{"user": ""}), "", webapp.ErrBadInitData},
		{"user not JSON", signed(testAuthDate, map[string]string{"user": "{id:1}"}), "", webapp.ErrBadInitData},
		{"user null", signed(testAuthDate, map[string]string{"user": "null"}), "", webapp.ErrBadInitData},
		{"user an array", signed(testAuthDate, map[string]string{"user": "[1]"}), "", webapp.ErrBadInitData},
		{"user with trailing data", signed(testAuthDate, map[string]string{"user": testUser + "x"}), "", webapp.ErrBadInitData},
		{"user without id", signed(testAuthDate, map[string]string{"user": `{"first_name":"Иван"}`}), "", webapp.ErrBadInitData},
		{"user id 0", signed(testAuthDate, map[string]string{"user": `{"id":0}`}), "", webapp.ErrBadInitData},
		{"user id negative", signed(testAuthDate, map[string]string{"user": `{"id":-5}`}), "", webapp.ErrBadInitData},
		{"user id a string", signed(testAuthDate, map[string]string{"user": `{"id":"5"}`}), "", webapp.ErrBadInitData},
		{"user id fractional", signed(testAuthDate, map[string]string{"user": `{"id":5.5}`}), "", webapp.ErrBadInitData},
		{"user id beyond int64", signed(testAuthDate, map[string]string{"user": `{"id":9223372036854775808}`}), "", webapp.ErrBadInitData},

		{"duplicate key, signed", webapp.Sign(dup, testToken), "", webapp.ErrBadInitData},
		{"duplicate key, copied", valid + "&user=" + url.QueryEscape(testUser), "", webapp.ErrBadInitData},
		{"duplicate hash", valid + "&hash=" + hashOf(t, valid), "", webapp.ErrBadInitData},
		{"duplicate key, escaped differently", strings.Replace(valid, "query_id=", "query%5Fid=", 1) + "&query_id=x", "", webapp.ErrBadInitData},

		{"oversized, MaxInitDataLen + 1", sizedInitData(t, webapp.MaxInitDataLen+1), "", webapp.ErrBadInitData},
		{"oversized, 1 MB", valid + "&pad=" + strings.Repeat("a", 1<<20), "", webapp.ErrBadInitData},

		{"bad escape in a value", replaceField(t, valid, "query_id", "%zz"), "", webapp.ErrBadInitData},
		{"bad escape in a key", "%zz=1&" + valid, "", webapp.ErrBadInitData},
		{"empty piece", strings.Replace(valid, "&", "&&", 1), "", webapp.ErrBadInitData},
		{"trailing &", valid + "&", "", webapp.ErrBadInitData},
		{"piece without =", "user&" + valid, "", webapp.ErrBadInitData},
		{"empty key", signed(testAuthDate, map[string]string{"": "x"}), "", webapp.ErrBadInitData},
		{"= in a key", signed(testAuthDate, map[string]string{"a=b": "c"}), "", webapp.ErrBadInitData},
		{"line break in a value", signed(testAuthDate, map[string]string{"start_param": "a\nuser=x"}), "", webapp.ErrBadInitData},
		{"line break in a key", signed(testAuthDate, map[string]string{"a\nb": "c"}), "", webapp.ErrBadInitData},
		{"not a query", "{\"user\":1}", "", webapp.ErrBadInitData},
		{"empty token", valid, "-", webapp.ErrBadInitData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tt.token
			switch token {
			case "":
				token = testToken
			case "-":
				token = ""
			}
			got, err := webapp.ValidateInitData(tt.initData, token, now)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want valid", err)
				}
				if got.User.ID != 279058397 || got.User.FirstName != "Иван" || got.User.LanguageCode != "ru" {
					t.Errorf("user = %+v", got.User)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if got != (webapp.InitData{}) {
				t.Errorf("refused initData returned %+v, want the zero InitData", got)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestValidateInitDataFields(t *testing.T) {
	s := signed(testAuthDate, map[string]string{"start_param": "lab_attention-3", "chat_type": "private", "photo_url": "x"})
	got, err := webapp.ValidateInitData(s, testToken, testAuthDate.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := webapp.InitData{
		User:       webapp.WebAppUser{ID: 279058397, FirstName: "Иван", LanguageCode: "ru"},
		AuthDate:   testAuthDate,
		QueryID:    "AAHdF6IQAAAAAN0XohDhrOrc",
		StartParam: "lab_attention-3",
	}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got.AuthDate.Location() != time.UTC {
		t.Errorf("AuthDate in %v, want UTC", got.AuthDate.Location())
	}
}

func TestSign(t *testing.T) {
	fields := testFields(testAuthDate, map[string]string{"hash": "0000"})
	before := fmt.Sprint(fields)
	s := webapp.Sign(fields, testToken)
	if fmt.Sprint(fields) != before {
		t.Errorf("Sign modified its fields: %v, was %v", fields, before)
	}
	if strings.Contains(s, "0000") || strings.Count(s, "hash=") != 1 || !strings.Contains(s, "&hash=") {
		t.Errorf("Sign = %s, want its own hash, last", s)
	}
	if _, err := webapp.ValidateInitData(s, testToken, testAuthDate); err != nil {
		t.Errorf("Sign's initData: %v", err)
	}
	if s2 := webapp.Sign(fields, testToken); s2 != s {
		t.Errorf("Sign is not deterministic: %s, then %s", s, s2)
	}
	if h := hashOf(t, webapp.Sign(url.Values{}, testToken)); len(h) != 64 {
		t.Errorf("Sign of no fields: hash %q", h)
	}
}

func ExampleValidateInitData() {
	const token = "123456:TEST-token"
	signedAt := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	initData := webapp.Sign(url.Values{
		"user":      {`{"id":42,"first_name":"Аня"}`},
		"auth_date": {strconv.FormatInt(signedAt.Unix(), 10)},
	}, token)

	d, err := webapp.ValidateInitData(initData, token, signedAt.Add(time.Minute))
	fmt.Println(d.User.ID, d.User.FirstName, d.AuthDate, err)

	_, err = webapp.ValidateInitData(initData, token, signedAt.Add(25*time.Hour))
	fmt.Println(errors.Is(err, webapp.ErrExpired))

	_, err = webapp.ValidateInitData(initData, "654321:other-bot", signedAt)
	fmt.Println(errors.Is(err, webapp.ErrBadInitData))
	// Output:
	// 42 Аня 2025-01-01 00:00:00 +0000 UTC <nil>
	// true
	// true
}

// FuzzValidateInitData checks that ValidateInitData never panics, refuses
// with one of its three sentinels without echoing the token, and accepts
// only a bounded, fresh initData naming a user with a positive id (a
// missing user is refused) that another token refuses. Each input is also
// re-signed, so that random fields reach the checks after the hash.
func FuzzValidateInitData(f *testing.F) {
	const token = "987654:FUZZ-token"
	for _, v := range readVectors(f).Vectors {
		f.Add(v.InitData)
	}
	for _, s := range []string{
		"", "hash=", "&", "=", "a=1&a=2", "%zz=1", "user=null&auth_date=1",
		"user=%7B%22id%22%3A1%7D&auth_date=1740830400",
		"user=%7B%22id%22%3A-1%7D&auth_date=1740830400",
		"user=%7B%22id%22%3A1%7D&auth_date=99999999999999",
		"user=%7B%22id%22%3A1%7D&auth_date=1740830400&start_param=a%0Ab",
		signed(testAuthDate, nil),
	} {
		f.Add(s)
	}
	now := testAuthDate.Add(time.Minute)
	check := func(t *testing.T, s string) {
		got, err := webapp.ValidateInitData(s, token, now)
		if err != nil {
			if !errors.Is(err, webapp.ErrNoInitData) && !errors.Is(err, webapp.ErrBadInitData) && !errors.Is(err, webapp.ErrExpired) {
				t.Fatalf("%q: err = %v, not a sentinel", s, err)
			}
			if strings.Contains(err.Error(), token) && !strings.Contains(s, token) {
				t.Fatalf("%q: error %q contains the token", s, err)
			}
			return
		}
		switch {
		case got.User.ID <= 0:
			t.Fatalf("%q: accepted with user id %d", s, got.User.ID)
		case len(s) > webapp.MaxInitDataLen:
			t.Fatalf("accepted %d bytes", len(s))
		case now.Sub(got.AuthDate) > webapp.MaxInitDataAge || got.AuthDate.After(now.Add(webapp.MaxClockSkew)):
			t.Fatalf("%q: accepted auth_date %v at %v", s, got.AuthDate, now)
		}
		if _, err := webapp.ValidateInitData(s, token+"x", now); !errors.Is(err, webapp.ErrBadInitData) {
			t.Fatalf("%q: another token: err = %v", s, err)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		check(t, s)
		if q, err := url.ParseQuery(s); err == nil {
			check(t, webapp.Sign(q, token))
		}
	})
}
