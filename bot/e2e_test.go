package bot

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// The real engine is an Engine.
var _ Engine = (*answer.Engine)(nil)

// realEngine builds the real answer engine over testdata/corpus, with an
// on-disk index in a temporary folder.
func realEngine(t testing.TB) *answer.Engine {
	t.Helper()
	c, err := corpus.LoadDir("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	e, err := answer.Open(context.Background(), c, t.TempDir(), slog.New(slog.DiscardHandler), answer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestEndToEnd runs the bot over the real engine against the fake Discord.
func TestEndToEnd(t *testing.T) {
	h := start(t, realEngine(t), Config{})

	id, token := h.interact(t, slash("ask", opt("question", "Who sent bread and oil to the keeper?")))
	if r := h.callback(t, id, token); r.Type != 5 {
		t.Fatalf("first response type %d", r.Type)
	}
	m := h.edit(t, token, 1)
	e := m.Embeds[0]
	if !strings.Contains(e.Description, "Dunmere") || !strings.Contains(e.Description, "**bread**") || !strings.Contains(e.Description, "[1]") {
		t.Errorf("answer: %q", e.Description)
	}
	if len(e.Fields) == 0 || !strings.Contains(e.Fields[0].Name, `The Keeper of \*Gull Rock\*`) {
		t.Errorf("citations: %+v", e.Fields)
	}

	// Corpus text with mentions and Markdown, by mention: escaped, no pings
	// (checked by h.sent).
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, testUser, false,
		"<@100000000000000002> what was scratched into the railing?", "100000000000000002"))
	reply := h.sent(t, testChannel, 1)
	if len(reply.Embeds) != 1 || reply.MessageReference == nil {
		t.Fatalf("reply: %+v", reply)
	}

	id, token = h.interact(t, slash("ask", opt("question", "What did the keeper's cat eat?")))
	h.callback(t, id, token)
	if d := h.edit(t, token, 1).Embeds[0].Description; !strings.Contains(d, notFoundLine) {
		t.Errorf("not found: %q", d)
	}

	id, token = h.interact(t, autocompleteOf("passage", focused("id", "light")))
	if r := h.callback(t, id, token); r.Type != 8 || len(r.Data.Choices) == 0 || len(r.Data.Choices) > 25 {
		t.Errorf("autocomplete: %+v", r)
	} else {
		id, token = h.interact(t, slash("passage", opt("id", r.Data.Choices[0].Value)))
		if r := h.callback(t, id, token); r.Type != 4 || len(r.Data.Embeds) != 1 {
			t.Errorf("passage: %+v", r)
		}
	}

	id, token = h.interact(t, slash("search", opt("query", "lens storm")))
	h.callback(t, id, token)
	if s := h.edit(t, token, 1); len(s.Embeds) != 1 || len(s.Embeds[0].Fields) == 0 {
		t.Errorf("search: %+v", s)
	}
}
