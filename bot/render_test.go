package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/answer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the rendering (run go test ./bot -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestRenderAnswerGolden(t *testing.T) {
	eng := newTestEngine()
	ask := func(q string) answer.Answer {
		a, err := eng.Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	hostile, _ := hostileEngine{eng}.Answer(context.Background(), "Is this *safe* @everyone?")
	cases := []struct {
		name string
		a    answer.Answer
	}{
		{"answer", ask("Who saved the sailors from the Albatross?")},
		{"not_found", ask("What colour was the author's lighthuose door?")},
		{"cut", hostile},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, comps := RenderAnswer(c.a, eng.Info())
			checkRendered(t, e, comps)
			var body bytes.Buffer
			enc := json.NewEncoder(&body)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(struct {
				Embed      *discordgo.MessageEmbed      `json:"embed"`
				Components []discordgo.MessageComponent `json:"components"`
			}{e, comps}); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name, body.Bytes())
		})
	}
}

// checkRendered checks a rendered embed and its components against the limits.
func checkRendered(t testing.TB, e *discordgo.MessageEmbed, comps []discordgo.MessageComponent) {
	t.Helper()
	body, err := json.Marshal(&discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{e}, Components: comps, AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	var m sentMessage
	decodeJSON(t, body, &m)
	checkMessage(t, body, &m)
	if n := embedLen(e); n > maxEmbedTotal {
		t.Errorf("embed length %d", n)
	}
}

func TestRenderCutsExcerpts(t *testing.T) {
	hostile, _ := hostileEngine{newTestEngine()}.Answer(context.Background(), strings.Repeat("why ", 200))
	e, _ := RenderAnswer(hostile, newTestEngine().Info())
	if len(e.Fields) != 6 {
		t.Fatalf("%d fields", len(e.Fields))
	}
	for _, f := range e.Fields {
		if !strings.HasSuffix(f.Value, "…") {
			t.Errorf("excerpt not cut with an ellipsis: …%q", f.Value[max(0, len(f.Value)-40):])
		}
		checkNoBrokenEscape(t, f.Value)
	}
	if !strings.HasPrefix(e.Description, `Did you mean: *did @`+zwsp+`everyone \*\*mean\*\* this*`) {
		t.Errorf("did-you-mean line: %q", e.Description[:80])
	}
}

// checkNoBrokenEscape fails when s ends in a lone backslash or has an odd
// number of bold markers outside escapes (a cut inside an escape or a bold
// run).
func checkNoBrokenEscape(t testing.TB, s string) {
	t.Helper()
	bold := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 == len(s):
			t.Errorf("ends inside an escape: %q", s)
		case s[i] == '\\':
			i++ // the escaped character
		case strings.HasPrefix(s[i:], "**"):
			bold++
			i++
		}
	}
	if bold%2 == 1 {
		t.Errorf("unbalanced bold: %q", s)
	}
}

func TestEscapeMarkdown(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain words.", "plain words."},
		{"@everyone and @here", "@" + zwsp + "everyone and @" + zwsp + "here"},
		{"<@123456> <@!123> <@&456> <#789>", `\<@` + zwsp + `123456> \<@` + zwsp + `!123> \<@` + zwsp + `&456> \<\#789>`},
		{"**bold** __u__ ~~s~~ ||spoiler|| `code`", `\*\*bold\*\* \_\_u\_\_ \~\~s\~\~ \|\|spoiler\|\| \` + "`code\\`"},
		{"> quote", `\> quote`},
		{"# heading", `\# heading`},
		{"- item", `\- item`},
		{"well-known > story#3", "well-known > story#3"},
		{"12. item", `12\. item`},
		{"[link](https://e.com)", `\[link\](https://e.com)`},
		{`back\slash`, `back\\slash`},
	}
	for _, c := range cases {
		if got := escapeMarkdown(c.in, true); got != c.want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := unescapeMarkdown(escapeMarkdown(c.in, true)); got != c.in {
			t.Errorf("unescape(escape(%q)) = %q", c.in, got)
		}
	}
}

func TestMarkedCuts(t *testing.T) {
	text := "The first sentence is here. The second one is longer than the first. The third."
	cases := []struct {
		max  int
		want string
	}{
		{200, text},
		{75, "The first sentence is here. The second one is longer than the first. …"},
		{40, "The first sentence is here. …"},
		{20, "The first sentence…"},
		{4, "The…"},
		{1, "…"},
	}
	for _, c := range cases {
		got := marked(text, nil, c.max)
		if got != c.want {
			t.Errorf("marked(…, %d) = %q, want %q", c.max, got, c.want)
		}
		if textLen(got) > c.max {
			t.Errorf("marked(…, %d) has %d characters", c.max, textLen(got))
		}
	}
	// Marks are bold, and cut with the text.
	got := marked("Mara kept the lighthouse.", []answer.Span{{Start: 0, End: 4}, {Start: 14, End: 24}}, 100)
	if got != "**Mara** kept the **lighthouse**." {
		t.Errorf("marks: %q", got)
	}
	got = marked("Mara kept the lighthouse for years.", []answer.Span{{Start: 14, End: 35}}, 24)
	if got != "Mara kept the **light…" && got != "Mara kept the…" {
		checkNoBrokenEscape(t, got)
	}
	// Bad spans are ignored, not trusted.
	got = marked("héllo", []answer.Span{{Start: -3, End: 2}, {Start: 4, End: 99}, {Start: 3, End: 1}}, 100)
	if !utf8.ValidString(got) || strings.Count(got, "**") != 4 {
		t.Errorf("bad spans: %q", got)
	}
}

func TestCustomIDs(t *testing.T) {
	long := strings.Repeat("é", 200)
	id := pageID(15, long)
	if len(id) > maxCustomID || !utf8.ValidString(id) {
		t.Errorf("pageID: %d bytes, valid %v", len(id), utf8.ValidString(id))
	}
	from, q, ok := parsePage(id)
	if !ok || from != 15 || !strings.HasPrefix(long, q) {
		t.Errorf("parsePage(%q) = %d %q %v", id, from, q, ok)
	}
	if _, _, ok := parsePage("pg:x:q"); ok {
		t.Errorf("parsePage accepted a bad offset")
	}
	fb := feedbackID(true, []string{"story#1", "tales/" + strings.Repeat("x", 90) + "#2", "story#3"})
	up, ps, ok := parseFeedback(fb)
	if !ok || !up || len(fb) > maxCustomID || len(ps) != 1 || ps[0] != "story#1" {
		t.Errorf("feedbackID = %q → %v %v %v", fb, up, ps, ok)
	}
	if contextID(strings.Repeat("x", 100)) != "" {
		t.Errorf("contextID accepted an ID too long for a custom_id")
	}
}

func TestRateLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(2, 30*time.Second, func() time.Time { return now })
	for i := range 2 {
		if ok, _, _ := l.allow("u"); !ok {
			t.Fatalf("event %d refused", i)
		}
		now = now.Add(time.Second)
	}
	ok, retry, first := l.allow("u")
	if ok || !first || !retry.Equal(time.Date(2026, 1, 1, 0, 0, 30, 0, time.UTC)) {
		t.Errorf("third event: %v %v %v", ok, retry, first)
	}
	if _, _, first := l.allow("u"); first {
		t.Errorf("second refusal reported as first")
	}
	if ok, _, _ := l.allow("v"); !ok {
		t.Errorf("another user refused")
	}
	now = now.Add(29 * time.Second) // the first event leaves the window
	if ok, _, _ := l.allow("u"); !ok {
		t.Errorf("refused after the window moved")
	}
}

func TestCommandsFitDiscord(t *testing.T) {
	cmds := append(Commands(), modCommands()...)
	body, err := json.Marshal(cmds)
	if err != nil {
		t.Fatal(err)
	}
	checkBody(t, "bulk_set_application_commands", body)
	for _, c := range cmds {
		if len(c.Name) > 32 || len(c.Description) > 100 {
			t.Errorf("command %q: name or description too long", c.Name)
		}
	}
}

func FuzzRenderAnswer(f *testing.F) {
	f.Add("Who is @everyone?", "**Mara** <@123> kept the ||lighthouse||. She `lived` alone.", "Title @here", "story#1", 0, 4, "did <@&1> mean")
	f.Add("", hostileText, "", "", 3, 900, "")
	f.Add(strings.Repeat("q", 6000), strings.Repeat("word ", 300), strings.Repeat("t", 300), strings.Repeat("#", 100), 10, 20, strings.Repeat("@", 2000))
	f.Add("\u200b", "a\\\\*b\\", "\x00\xff", "x", -5, 1<<30, "\n\n")
	f.Fuzz(func(t *testing.T, q, text, title, passage string, ms, me int, dym string) {
		marks := []answer.Span{{Start: ms, End: me}, {Start: me, End: ms + 7}, {Start: 0, End: len(text) / 2}}
		for _, found := range []bool{true, false} {
			a := answer.Answer{Question: q, Found: found, Text: text, DidYouMean: dym}
			for n := 1; n <= 12; n++ {
				a.Citations = append(a.Citations, answer.Citation{N: n, Title: title, Passage: passage, Text: text, Marks: marks})
				a.Parts = append(a.Parts, answer.Part{Text: text, Citation: n, Marks: marks})
			}
			info := answer.Info{Corpus: title + dym, Passages: 3, Indexed: time.Unix(1, 0)}
			e, comps := RenderAnswer(a, info)
			checkRendered(t, e, comps)
			for _, f := range e.Fields {
				checkNoBrokenEscape(t, f.Value)
			}
			r, comps := RenderResults(q, 5, 5, answer.Results{Total: 30, Hits: a.Citations[:5]}, info)
			checkRendered(t, r, comps)
		}
	})
}
