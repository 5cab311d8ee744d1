package bot

import (
	"bytes"
	"encoding/json"
	"log"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/internal/fakediscord"
)

// logLines decodes the JSON log lines the harness's bot wrote.
func (h *harness) logLines(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(h.logs.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestDiscordgoLogsThroughSlog(t *testing.T) {
	var std bytes.Buffer
	saved, flags := log.Writer(), log.Flags()
	log.SetOutput(&std)
	t.Cleanup(func() { log.SetOutput(saved); log.SetFlags(flags) })

	h := start(t, newTestEngine(), Config{})
	// discordgo cannot decode this event and logs so; events are handled in
	// order, so once the DM after it is answered the line has been logged.
	bad := chat("", dmChannel, testUser, false, "")
	bad["content"] = 5
	h.fake.Dispatch(t, "MESSAGE_CREATE", bad)
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, testUser, false, "who is Mara?"))
	h.sent(t, dmChannel, 1)

	found := false
	for _, l := range h.logLines(t) {
		msg, _ := l["msg"].(string)
		if strings.Contains(msg, "error unmarshalling MESSAGE_CREATE event") {
			found = true
			if src, _ := l[keySource].(string); l["level"] != "ERROR" || l[keyLibrary] != "discordgo" || !strings.HasPrefix(src, "wsapi.go:") {
				t.Errorf("discordgo's line: %v", l)
			}
		}
	}
	if !found {
		t.Errorf("discordgo's line is not in the bot's log:\n%s", h.logs.String())
	}
	if strings.Contains(std.String(), "[DG") {
		t.Errorf("discordgo wrote to the standard log: %s", std.String())
	}
}

// TestMalformedInteractions sends interactions Discord would not send: no
// data, options of the wrong type or shape, missing options, unknown names.
// Each gets a short usage hint only its user sees; the engine is not asked.
func TestMalformedInteractions(t *testing.T) {
	eng := newTestEngine()
	h := start(t, eng, Config{})
	typed := func(name string, typ int, value any) map[string]any {
		return map[string]any{"name": name, "type": typ, "value": value}
	}
	cases := []struct {
		name        string
		interaction map[string]any
		want        string // the hint
	}{
		{"command without data", map[string]any{"type": 2}, msgUnknown},
		{"command with null data", map[string]any{"type": 2, "data": nil}, msgUnknown},
		{"command with data of the wrong shape", map[string]any{"type": 2, "data": []any{"ask"}}, msgUnknown},
		{"unknown command", slash("tell"), msgUnknown},
		{"unknown interaction type", map[string]any{"type": 42, "data": map[string]any{}}, msgUnknown},
		{"button without data", map[string]any{"type": 3}, msgUnknown},
		{"ask without options", slash("ask"), msgNoQuestion},
		{"ask with a number", slash("ask", typed("question", 3, 5)), msgNoQuestion},
		{"ask with an integer option", slash("ask", typed("question", 4, 5)), msgNoQuestion},
		{"ask with a null question", slash("ask", typed("question", 3, nil)), msgNoQuestion},
		{"ask with private as text", slash("ask", opt("question", "who is Mara?"), typed("private", 3, "yes")), msgNoQuestion},
		{"ask with private as a string-typed bool", slash("ask", opt("question", "who is Mara?"), typed("private", 3, true)), msgNoQuestion},
		{"ask as a subcommand", slash("ask", map[string]any{"name": "question", "type": 1, "options": []any{opt("question", "who is Mara?")}}), msgNoQuestion},
		{"ask with a null option", slash("ask", nil), msgNoQuestion},
		{"search with a number", slash("search", typed("query", 3, 7.5)), msgNoQuery},
		{"passage without id", slash("passage"), msgPassageHow},
		{"passage with an empty id", slash("passage", opt("id", "  ")), msgPassageHow},
		{"passage with a number", slash("passage", typed("id", 3, 12)), msgPassageHow},
		{"context menu without the message", map[string]any{"type": 2, "data": map[string]any{"id": "900000000000000005", "name": cmdAskStory, "type": 3, "target_id": "1"}}, msgNoText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := eng.calls.Load()
			id, token := h.interact(t, c.interaction)
			r := h.callback(t, id, token)
			if r.Type != 4 || r.Data == nil || r.Data.Flags != 64 || r.Data.text() != c.want {
				t.Errorf("response type %d, data %+v, want the ephemeral hint %q", r.Type, r.Data, c.want)
			}
			if eng.calls.Load() != before {
				t.Errorf("the engine was asked")
			}
		})
	}

	// Autocomplete without data or with a focused number: no choices.
	for _, i := range []map[string]any{{"type": 4}, autocompleteOf("passage", map[string]any{"name": "id", "type": 3, "value": 5, "focused": true})} {
		id, token := h.interact(t, i)
		if r := h.callback(t, id, token); r.Type != 8 || r.Data == nil || len(r.Data.Choices) != 0 {
			t.Errorf("autocomplete %v: %+v", i, r)
		}
	}
	if logs := h.logs.String(); strings.Contains(logs, "panic") {
		t.Errorf("a malformed interaction panicked:\n%s", logs)
	}
}

// TestForgedPageButton clicks Previous/Next custom IDs a public search's
// message does not have, and a page the corpus no longer has: the results
// stay as they are and the clicker alone is told.
func TestForgedPageButton(t *testing.T) {
	h := start(t, newTestEngine(), Config{PageSize: 2})
	id, token := h.interact(t, slash("search", opt("query", "Mara sailors lamp compass story")))
	h.callback(t, id, token)
	page1 := h.edit(t, token, 1)
	if len(page1.buttons()) != 2 {
		t.Fatalf("page 1 buttons: %v", page1.buttons())
	}

	for _, forged := range []string{"pg:10000:Korea", "pg:2:Korea", "pg:4:Mara sailors lamp compass story", "pg:x", "pg:-2:Mara", "pg:"} {
		t.Run(forged, func(t *testing.T) {
			id, token := h.interact(t, button(forged, &page1))
			r := h.callback(t, id, token)
			if r.Type != 4 || r.Data == nil || r.Data.Flags != 64 || r.Data.text() != msgNoPage {
				t.Errorf("response type %d, data %+v, want the ephemeral %q", r.Type, r.Data, msgNoPage)
			}
			if n := h.count("PATCH", originalPath(token)) + h.count("DELETE", originalPath(token)); n != 0 {
				t.Errorf("the results message was changed %d times", n)
			}
		})
	}

	// A page past the end, on a message that has that button (the corpus
	// shrank since it was shown): the message stays, the clicker is told.
	past := "pg:10000:Mara sailors lamp compass story"
	id, token = h.interact(t, button(past, withButtons(past)))
	if r := h.callback(t, id, token); r.Type != 6 {
		t.Fatalf("response type %d, want 6 (deferred update)", r.Type)
	}
	if m := h.followup(t, token, 1); m.text() != msgNoPage || m.Flags != 64 {
		t.Errorf("follow-up %+v, want the ephemeral %q", m, msgNoPage)
	}
	if n := h.count("PATCH", originalPath(token)) + h.count("DELETE", originalPath(token)); n != 0 {
		t.Errorf("the results message was changed %d times", n)
	}
}

// TestRegistrationRetried fails the command registration twice with a 5xx:
// the bot retries, logging each failure, and answers mentions meanwhile.
func TestRegistrationRetried(t *testing.T) {
	h := newHarness(t)
	h.fake.FailCommands(2, http.StatusInternalServerError)
	h.prepare = func(b *Bot) { b.retry = backoff{first: time.Millisecond, max: 4 * time.Millisecond} }
	h.run(t, newTestEngine(), Config{})
	h.fake.WaitRequest(t, "PUT", "/applications/*/commands", 3)
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, testUser, false, "who is Mara?"))
	if m := h.sent(t, dmChannel, 1); len(m.Embeds) != 1 {
		t.Errorf("DM reply: %+v", m)
	}
	waitLogs(t, h, `"msg":"discord bot ready"`, 1)
	h.shutdown(t)

	if n := len(h.commandPuts()); n != 3 {
		t.Errorf("%d registrations, want 3 (two failures, then the one that worked)", n)
	}
	var failures []map[string]any
	ready := false
	for _, l := range h.logLines(t) {
		msg, _ := l["msg"].(string)
		switch {
		case strings.HasPrefix(msg, "register commands"):
			failures = append(failures, l)
		case msg == "discord bot ready":
			ready = true
		}
	}
	if len(failures) != 2 {
		t.Fatalf("%d failures logged, want 2:\n%s", len(failures), h.logs.String())
	}
	for k, l := range failures {
		if l["level"] != "WARN" || l[keyAttempt] != float64(k+1) || l[keyStatus] != float64(500) || l[keyRetryIn] == nil {
			t.Errorf("failure %d logged as %v", k+1, l)
		}
	}
	if !ready {
		t.Errorf("no %q once registered:\n%s", "discord bot ready", h.logs.String())
	}
}

// TestRegistrationRefused makes Discord reject the commands for good: the
// bot logs it as an error, keeps retrying, answers mentions and DMs, and
// stops retrying when it shuts down.
func TestRegistrationRefused(t *testing.T) {
	h := newHarness(t)
	h.fake.FailCommands(-1, http.StatusBadRequest)
	h.prepare = func(b *Bot) { b.retry = backoff{first: time.Millisecond, max: 2 * time.Millisecond} }
	h.run(t, newTestEngine(), Config{GuildID: testGuild})
	h.fake.WaitRequest(t, "PUT", "/applications/*/guilds/*/commands", 2)

	mention := "<@" + fakediscord.BotID + ">"
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, testUser, false, mention+" who saved the nine sailors?", fakediscord.BotID))
	if m := h.sent(t, testChannel, 1); len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Description, "**saved**") {
		t.Errorf("reply to a mention: %+v", m)
	}
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, testUser, false, "who is Mara?"))
	if m := h.sent(t, dmChannel, 1); len(m.Embeds) != 1 {
		t.Errorf("DM reply: %+v", m)
	}
	// Discord has answered two attempts; wait until the bot has logged both.
	waitLogs(t, h, `"msg":"register commands`, 2)
	h.shutdown(t) // fails the test unless Run returns nil, the retries stopped

	errs := 0
	for _, l := range h.logLines(t) {
		if msg, _ := l["msg"].(string); strings.HasPrefix(msg, "register commands") {
			if l["level"] != "ERROR" || l[keyStatus] != float64(400) {
				t.Errorf("refusal logged as %v", l)
			}
			errs++
		}
		if l["msg"] == "discord bot ready" {
			t.Errorf("ready although the commands were refused: %v", l)
		}
	}
	if errs < 2 {
		t.Errorf("%d refusals logged, want one per attempt (at least 2):\n%s", errs, h.logs.String())
	}
}

func TestBackoff(t *testing.T) {
	bo := backoff{first: time.Second, max: 5 * time.Second}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 5 * time.Second, 60: 5 * time.Second} {
		if got := bo.after(n); got != want {
			t.Errorf("after(%d) = %v, want %v", n, got, want)
		}
	}
}
