package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"neurotutor/charts"
	"neurotutor/core"
	"neurotutor/internal/fakeapi"
	"neurotutor/lessons"
)

// reply is what the learner sees after one command: the photo (if any)
// and all text, caption and follow-up messages joined.
type reply struct {
	photo []byte // nil when the photo was sent again by its file_id
	sent  bool   // a photo was sent
	text  string
	calls []fakeapi.Call
}

func (e *env) ask(t *testing.T, text string) reply {
	t.Helper()
	e.api.Reset()
	e.command(userID, text)
	var r reply
	r.calls = e.api.Calls("sendPhoto", "sendMessage")
	for _, c := range r.calls {
		if c.Method == "sendPhoto" {
			if r.sent {
				t.Fatalf("%s: two photos", text)
			}
			r.sent, r.photo = true, c.Files["photo"]
			r.text += c.Fields["caption"] + "\n"
		} else {
			r.text += c.Fields["text"] + "\n"
		}
		if c.Fields["parse_mode"] != "HTML" && c.Fields["caption"]+c.Fields["text"] != "" {
			t.Errorf("%s: parse mode %q", text, c.Fields["parse_mode"])
		}
		if len([]rune(c.Fields["caption"])) > 1024 || len([]rune(c.Fields["text"])) > 4096 {
			t.Errorf("%s: over Telegram's limits", text)
		}
	}
	if !r.sent {
		t.Fatalf("%s: no photo; %d calls", text, len(r.calls))
	}
	return r
}

func (r reply) has(t *testing.T, what string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.text, w) {
			t.Errorf("%s: reply lacks %q:\n%s", what, w, r.text)
		}
	}
}

// The numbers are CPython 3.11's random.random() and numpy 1.24's legacy
// np.random.rand() after seeding (core/testdata/mt19937.json has longer
// vectors from the same sources).
func TestSeedLab(t *testing.T) {
	e := newEnv(t)
	r := e.ask(t, "/seed 42")
	r.has(t, "/seed 42",
		"Seed 42", "0.6394267984578837, 0.025010755222666936, 0.27502931836911926",
		"0.3745401188473625, 0.9507143064099162, 0.7319939418114051",
		"random.seed(42)", "np.random.seed(42)", "range(5)", "np.random.rand(5).tolist()",
		"1 0.639427 0.639427", "1 0.374540 0.374540", "C (43)", "5 из 5")
	if w, h := decodePNG(t, r.photo); w < charts.HeatmapWidth || h < charts.HeatmapHeight {
		t.Errorf("photo %dx%d", w, h)
	}

	r = e.ask(t, "/seed")
	r.has(t, "/seed", "Без аргумента беру seed 42", "0.6394267984578837")

	r = e.ask(t, "/seed 0 n=20")
	r.has(t, "/seed 0", "range(20)", " 20 0.")

	// numpy stops at 2³²−1; run C steps down at the top of the range.
	r = e.ask(t, "/seed 4294967295 n=3")
	r.has(t, "/seed 2^32-1", "np.random.seed(4294967295)", "seed 4294967294")
	r = e.ask(t, "/seed 99999999999")
	r.has(t, "/seed 1e11", "random.seed(99999999999)", "только random")
	if strings.Contains(r.text, "np.random.seed(99999999999)") {
		t.Error("numpy line for a seed numpy refuses")
	}
	r = e.ask(t, "/seed 18446744073709551615 n=1")
	r.has(t, "/seed 2^64-1", "random.seed(18446744073709551615)", "seed 18446744073709551614")
	r = e.ask(t, "/seed seed=+7 n = 2")
	r.has(t, "/seed seed=+7", "random.seed(7)", "range(2)")
}

func TestAttentionLab(t *testing.T) {
	e := newEnv(t)
	r := e.ask(t, "/attention кошка сидит на ковре")
	res, err := core.Attention([]string{"кошка", "сидит", "на", "ковре"}, core.DefaultAttentionDim)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"«<b>ковре</b>» (4-й, последний)", "сумма = 1", "взвешенная сумма", "cur=1"}
	for j, w := range res.Weights[3] {
		want = append(want, fmt.Sprintf("%d %-5s %.3f", j+1, res.Tokens[j], w))
	}
	r.has(t, "attention", want...)
	if w, h := decodePNG(t, r.photo); w < charts.HeatmapWidth || h < charts.HeatmapHeight {
		t.Errorf("photo %dx%d", w, h)
	}

	r = e.ask(t, "/attention cur=2 кошка сидит на ковре")
	r.has(t, "cur=2", "«<b>сидит</b>» (2-й)", fmt.Sprintf("%.3f", res.Weights[1][0]))

	// Punctuation at the edges of words is dropped; lone symbols are tokens.
	r = e.ask(t, "/attention «Кошка», сидит — на ковре! 🐱")
	r.has(t, "punctuation", "1 Кошка", "3 —", "5 ковре ", "6 🐱", "(6-й, последний)")
	r = e.ask(t, "/attention <b>&amp;</b>")
	r.has(t, "html", "&lt;b&gt;&amp;amp;&lt;/b&gt;")

	// Bounds: 32 tokens of 32 characters.
	words := make([]string, core.MaxAttentionTokens)
	for i := range words {
		words[i] = strings.Repeat(string(rune('а'+i)), core.MaxTokenRunes)
	}
	r = e.ask(t, "/attention "+strings.Join(words, " ")+" cur=16")
	r.has(t, "32 tokens", "(16-й)", "сумма = 1", "Цвета на картинке растянуты от самого малого веса")
	if _, h := decodePNG(t, r.photo); h <= 640 {
		t.Errorf("32 rows squeezed into %d pixels", h)
	}
	// 32 tokens' weights are all small: on a fixed 0..1 scale every cell
	// was dark. The colours span the weights, so the cells (left of the
	// colour bar) hold the palette's brightest yellow as well as its
	// darkest purple.
	img, err := png.Decode(bytes.NewReader(r.photo))
	if err != nil {
		t.Fatal(err)
	}
	bright, dark := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X-140; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			switch {
			case c.R > 240 && c.G > 220 && c.B < 60:
				bright++
			case c.R < 80 && c.G < 15 && c.B > 70 && c.B < 100:
				dark++
			}
		}
	}
	if bright < 100 || dark < 100 {
		t.Errorf("the cells use only part of the colour scale: %d bright and %d dark pixels", bright, dark)
	}
	r = e.ask(t, "/attention кошка 😀 сидит")
	r.has(t, "emoji", "Эмодзи на картинке подписаны")
	if r = e.ask(t, "/attention кошка сидит"); strings.Contains(r.text, "Эмодзи") {
		t.Error("an emoji note without emoji")
	}
	r = e.ask(t, "/attention я")
	r.has(t, "one token", "1.000", "сумма = 1")
}

// embedWords are corpus words frequent enough to be in the vocabulary;
// stop words are left out of it.
func embedWords() []string {
	count := map[string]int{}
	for _, s := range lessons.Corpus() {
		for _, w := range core.Tokenize(s) {
			count[w]++
		}
	}
	for _, w := range lessons.StopWords() {
		delete(count, w)
	}
	var out []string
	for w, n := range count {
		if n >= 3 {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}

// neighbourWords returns the words an /embed reply lists as neighbours:
// the lines of its tables and the "dim = k: word 0.9, …" comparisons.
func neighbourWords(text string) []string {
	var out []string
	for _, block := range strings.Split(text, "<pre>")[1:] {
		block, _, _ = strings.Cut(block, "</pre>")
		for _, l := range strings.Split(block, "\n") {
			if f := strings.Fields(l); len(f) > 0 {
				out = append(out, f[0])
			}
		}
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "dim = ") || strings.HasPrefix(l, "Для сравнения, dim = ") {
			_, list, _ := strings.Cut(l, ": ")
			for _, item := range strings.Split(list, ", ") {
				if f := strings.Fields(item); len(f) > 0 {
					out = append(out, f[0])
				}
			}
		}
	}
	return out
}

func TestEmbedLab(t *testing.T) {
	e := newEnv(t)
	ask := func(cmd string) string { return e.ask(t, cmd).text }
	r := e.ask(t, "/embed нейрон")
	r.has(t, "/embed нейрон", "dim = 20", "Ближайшие к «<b>нейрон</b>» при dim = 20", "dim = 2:", "dim = 50:", "слишком малая", "слишком большая", "/embed нейрон dim=2")
	if w, h := decodePNG(t, r.photo); w != 960 || h < 900 {
		t.Errorf("photo %dx%d", w, h)
	}
	neighbours := strings.Count(r.text[strings.Index(r.text, "<pre>"):strings.Index(r.text, "</pre>")], "\n")
	if neighbours != 8 {
		t.Errorf("%d neighbours listed", neighbours)
	}

	// At k = 2 nearly every word points the same way.
	r = e.ask(t, "/embed Нейрон dim=2")
	r.has(t, "dim=2", "при dim = 2", "1.000", "dim = 50:")
	if strings.Contains(r.text, "dim = 2: ") {
		t.Error("k = 2 compared with itself")
	}
	r = e.ask(t, "/embed нейрон dim=50")
	r.has(t, "dim=50", "при dim = 50", "dim = 2:")

	r = e.ask(t, "/embed")
	r.has(t, "showcase", "Слово не указано", "«<b>нейрон</b>»", "«<b>кошка</b>»", "«<b>seed</b>»")

	// Stop words are neither neighbours nor words to ask about.
	stop := map[string]bool{}
	for _, w := range lessons.StopWords() {
		stop[w] = true
	}
	for _, cmd := range []string{"/embed", "/embed нейрон dim=2", "/embed нейрон dim=50", "/embed вес", "/embed seed dim=2", "/embed кошка dim=1"} {
		for _, w := range neighbourWords(ask(cmd)) {
			if stop[w] {
				t.Errorf("%s: stop word %q among the neighbours", cmd, w)
			}
		}
	}
	// A word whose few contexts are linked to nothing else has a zero
	// vector (in this corpus, "пространство"): no neighbours, all at
	// cosine 0, are made up for it.
	for _, w := range []string{"пространство", "нейрон", "вес"} {
		text := ask("/embed " + w)
		if strings.Contains(text, "все координаты — нули") {
			continue
		}
		table, _, _ := strings.Cut(text[strings.Index(text, "<pre>")+5:], "</pre>")
		if !strings.ContainsAny(strings.ReplaceAll(table, "0.000", ""), "123456789") {
			t.Errorf("/embed %s: neighbours all at cosine 0:\n%s", w, table)
		}
	}
	e.api.Reset()
	e.command(userID, "/embed как")
	if m := only(t, e.api.Calls(), "stop word"); m.Method != "sendMessage" || !strings.Contains(m.Fields["text"], "служебное слово") {
		t.Errorf("stop word: %s %q", m.Method, m.Fields["text"])
	}

	// Unknown words get the closest spellings.
	e.api.Reset()
	e.command(userID, "/embed нейрно")
	m := only(t, e.api.Calls(), "unknown word")
	if m.Method != "sendMessage" || !strings.Contains(m.Fields["text"], "нет в словаре") || !strings.Contains(m.Fields["text"], "/embed нейрон") {
		t.Errorf("unknown word: %s %q", m.Method, m.Fields["text"])
	}
}

func TestLabsInMenuHelpAndLessons(t *testing.T) {
	e := newEnv(t)
	if err := e.tg.SetCommands(context.Background()); err != nil {
		t.Fatal(err)
	}
	menu := only(t, e.api.Calls("setMyCommands"), "menu").Fields["commands"]
	for _, c := range []string{`"seed"`, `"embed"`, `"attention"`} {
		if !strings.Contains(menu, c) {
			t.Errorf("menu lacks %s", c)
		}
	}
	e.api.Reset()
	e.command(userID, "/help")
	help := only(t, e.api.Calls(), "/help").Fields["text"]
	for _, want := range []string{"/seed 42", "2⁶⁴−1", "/embed нейрон dim=2", "от 1 до 50", "/attention кошка сидит на ковре", "до 32 символов"} {
		if !strings.Contains(help, want) {
			t.Errorf("/help lacks %q", want)
		}
	}
	// Every lab button of every lesson runs and answers with a chart.
	for _, l := range lessons.All() {
		for i := range l.Labs {
			data := fmt.Sprintf("run:%d:%d", l.N, i)
			e.api.Reset()
			e.press(data, 7)
			if n := len(e.api.Calls("sendPhoto")); n != 1 {
				t.Errorf("%s (%s %s): %d photos: %+v", data, l.Labs[i].Command, l.Labs[i].Example, n, e.api.Calls())
			}
		}
	}
}

// Every bad argument gets one short Russian message with an example.
func TestLabsBadInput(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("я", core.MaxTokenRunes+1)
	many := strings.TrimSpace(strings.Repeat("слово ", core.MaxAttentionTokens+1))
	for _, c := range []struct{ text, want string }{
		{"/seed -5", "не бывает отрицательным"},
		{"/seed -5", "random.seed(-5)"},
		{"/seed 18446744073709551616", "Слишком большой seed"},
		{"/seed " + strings.Repeat("9", 500), "Слишком большой seed"},
		{"/seed 4.2", "«4.2» — дробное"},
		{"/seed 1e3", "<code>/seed 1000</code>"},
		{"/seed сорок", "не число"},
		{"/seed 1 2", "<code>/seed 1 n=2</code>"},
		{"/seed 1 2 3", "одно целое число"},
		{"/seed 1 seed=2", "одно целое число"},
		{"/seed 42 n=0", "от 1 до 20"},
		{"/seed 42 n=21", "от 1 до 20"},
		{"/seed 42 n=2.5", "от 1 до 20"},
		{"/seed 42 n=", "нет значения"},
		{"/seed 42 n=1 n=2", "указан дважды"},
		{"/seed 42 k=3", "Не знаю параметр «k»"},
		{"/seed <b>", "&lt;b&gt;"},
		{"/attention", "Напишите предложение"},
		{"/attention cur=1", "Напишите предложение"},
		{"/attention " + many, "Слов (токенов) — 33"},
		{"/attention кошка " + long, "слишком длинное"},
		{"/attention кошка сидит cur=3", "от 1 до 2"},
		{"/attention кошка сидит cur=0", "от 1 до 2"},
		{"/attention кошка сидит cur=-1", "от 1 до 2"},
		{"/attention кошка сидит cur=один", "от 1 до 2"},
		{"/attention кошка сидит cur=", "нет значения"},
		{"/attention кошка cur=1 сидит cur=2", "указан дважды"},
		{"/attention " + strings.Repeat("я ", 3000), "Слишком длинная команда"},
		{"/embed нейрон dim=0", "от 1 до 50"},
		{"/embed нейрон dim=51", "от 1 до 50"},
		{"/embed нейрон dim=2.5", "от 1 до 50"},
		{"/embed нейрон dim=много", "от 1 до 50"},
		{"/embed нейрон dim=", "нет значения"},
		{"/embed нейрон dim=2 dim=3", "указан дважды"},
		{"/embed нейрон k=3", "Не знаю параметр «k»"},
		{"/embed кошка сидит", "Нужно одно слово"},
		{"/embed кто-то", "Нужно одно слово"},
		{"/embed ...", "Нужно одно слово"},
		{"/embed " + long, "Слишком длинное слово"},
		{"/embed абырвалг", "нет в словаре"},
		{"/embed <абырвалг>", "«абырвалг» нет в словаре"},
		{"/embed x", "«x» нет в словаре"},
	} {
		e.api.Reset()
		e.command(userID, c.text)
		m := only(t, e.api.Calls(), c.text)
		if m.Method != "sendMessage" || !strings.Contains(m.Fields["text"], c.want) {
			t.Errorf("%.60q: %s %q, want %q", c.text, m.Method, m.Fields["text"], c.want)
		}
		if n := len([]rune(m.Fields["text"])); n > 400 {
			t.Errorf("%.60q: message is not short: %d characters", c.text, n)
		}
	}
}

// benchUpdate handles text(i) for each iteration; each text names a new
// chart, so every iteration computes, renders and uploads.
func benchUpdate(b *testing.B, text func(i int) string) {
	e := newEnv(b)
	e.command(userID, text(-1)) // warm up: the embedding space is built once
	e.api.Reset()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t := text(i)
		i++
		cmd := t
		if k := strings.IndexByte(t, ' '); k > 0 {
			cmd = t[:k]
		}
		e.tg.HandleUpdate(context.Background(), &models.Update{ID: int64(i), Message: &models.Message{ID: 1,
			Chat: models.Chat{ID: userID, Type: models.ChatTypePrivate}, From: &models.User{ID: userID}, Text: t,
			Entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: len(cmd)}}}})
	}
	b.StopTimer()
	if n := len(e.api.Calls("sendPhoto")); n < i {
		b.Fatalf("%d photos for %d updates", n, i)
	}
}

func BenchmarkSeedUpdate(b *testing.B) {
	benchUpdate(b, func(i int) string { return fmt.Sprintf("/seed %d", 1000+i) })
}

func BenchmarkAttentionUpdate(b *testing.B) {
	benchUpdate(b, func(i int) string {
		return fmt.Sprintf("/attention кошка сидит на ковре номер%d", i)
	})
}

func BenchmarkEmbedUpdate(b *testing.B) {
	words := embedWords()
	benchUpdate(b, func(i int) string {
		if i < 0 {
			return "/embed нейрон"
		}
		return fmt.Sprintf("/embed %s dim=%d", words[i%len(words)], 1+(i/len(words))%50)
	})
}
