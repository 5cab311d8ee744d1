package bot

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot/internal/fakediscord"
)

func TestGatewayHandshakeAndGlobalCommands(t *testing.T) {
	h := start(t, newTestEngine(), Config{})

	ids := h.fake.Identifies()
	if len(ids) != 1 {
		t.Fatalf("%d IDENTIFY payloads, want 1", len(ids))
	}
	var ident struct {
		Token   string `json:"token"`
		Intents int    `json:"intents"`
	}
	decodeJSON(t, ids[0], &ident)
	if ident.Token != "Bot test-token" {
		t.Errorf("IDENTIFY token = %q", ident.Token)
	}
	want := 1<<0 | 1<<9 | 1<<12 // guilds, guild messages, direct messages
	if ident.Intents != want {
		t.Errorf("IDENTIFY intents = %d, want %d (guilds, guild messages, direct messages)", ident.Intents, want)
	}
	if ident.Intents&(1<<15|1<<1|1<<8) != 0 {
		t.Errorf("IDENTIFY asks for a privileged intent: %d", ident.Intents)
	}
	h.fake.WaitFor(t, "a heartbeat", 10*time.Second, func([]fakediscord.Request) bool { return h.fake.Heartbeats() > 0 })

	puts := h.commandPuts()
	if len(puts) != 1 || puts[0].Path != "/applications/"+fakediscord.AppID+"/commands" {
		t.Fatalf("command registration: %+v", puts)
	}
	checkBody(t, "bulk_set_application_commands", puts[0].Body)
	var cmds []struct {
		Name    string `json:"name"`
		Type    int    `json:"type"`
		Options []struct {
			Name         string `json:"name"`
			Type         int    `json:"type"`
			Required     bool   `json:"required"`
			MaxLength    int    `json:"max_length"`
			Autocomplete bool   `json:"autocomplete"`
		} `json:"options"`
		Contexts []int `json:"contexts"`
	}
	puts[0].JSON(t, &cmds)
	got := map[string]int{}
	for _, c := range cmds {
		got[c.Name] = c.Type
		switch c.Name {
		case "ask":
			if len(c.Options) != 2 || c.Options[0].Name != "question" || c.Options[0].MaxLength != 500 || !c.Options[0].Required ||
				c.Options[1].Name != "private" || c.Options[1].Type != 5 {
				t.Errorf("/ask options: %+v", c.Options)
			}
		case "passage":
			if len(c.Options) != 1 || !c.Options[0].Autocomplete {
				t.Errorf("/passage options: %+v", c.Options)
			}
		}
		if !slices.Equal(c.Contexts, []int{0, 1}) {
			t.Errorf("%s contexts = %v, want guilds and bot DMs", c.Name, c.Contexts)
		}
	}
	wantCmds := map[string]int{"ask": 1, "search": 1, "passage": 1, "about": 1, "Ask the story": 3}
	if !maps.Equal(got, wantCmds) {
		t.Errorf("commands = %v, want %v", got, wantCmds)
	}
}

func TestGuildCommandsIdempotentOnRestart(t *testing.T) {
	h := start(t, newTestEngine(), Config{GuildID: testGuild})
	h.shutdown(t)
	h.run(t, newTestEngine(), Config{GuildID: testGuild})
	puts := h.commandPuts()
	if len(puts) != 2 {
		t.Fatalf("%d registrations, want 2", len(puts))
	}
	for _, p := range puts {
		if p.Path != "/applications/"+fakediscord.AppID+"/guilds/"+testGuild+"/commands" {
			t.Errorf("registered at %s, want the guild", p.Path)
		}
		checkBody(t, "bulk_set_guild_application_commands", p.Body)
	}
	if string(puts[0].Body) != string(puts[1].Body) {
		t.Errorf("registration differs across restarts:\n%s\n%s", puts[0].Body, puts[1].Body)
	}
	if len(h.fake.Identifies()) != 2 {
		t.Errorf("%d IDENTIFY, want one per run", len(h.fake.Identifies()))
	}
}

func TestAsk(t *testing.T) {
	h := start(t, newTestEngine(), Config{})
	for _, private := range []bool{false, true} {
		opts := []map[string]any{opt("question", "Who saved the sailors from the Albatross?")}
		if private {
			opts = append(opts, opt("private", true))
		}
		id, token := h.interact(t, slash("ask", opts...))
		resp := h.callback(t, id, token)
		if resp.Type != 5 {
			t.Fatalf("first response type %d, want 5 (deferred)", resp.Type)
		}
		wantFlags := 0
		if private {
			wantFlags = 64
		}
		if resp.Data.Flags != wantFlags {
			t.Errorf("private=%v: flags %d, want %d", private, resp.Data.Flags, wantFlags)
		}
		m := h.edit(t, token, 1)
		if len(m.Embeds) != 1 {
			t.Fatalf("edit has %d embeds", len(m.Embeds))
		}
		e := m.Embeds[0]
		if !strings.Contains(e.Description, "**saved**") || !strings.Contains(e.Description, "**sailors**") || !strings.Contains(e.Description, "[1]") {
			t.Errorf("description lacks bold matches or a citation marker: %q", e.Description)
		}
		if len(e.Fields) == 0 || e.Fields[0].Name != "[1] The Lighthouse Keeper · story#3" {
			t.Errorf("first field: %+v", e.Fields)
		}
		if e.Footer == nil || !strings.Contains(e.Footer.Text, "test corpus") || !strings.Contains(e.Footer.Text, "indexed 18 Jul 2026") {
			t.Errorf("footer: %+v", e.Footer)
		}
		ids := m.buttons()
		if !slices.Contains(ids, "ctx:story#3") || !slices.ContainsFunc(ids, func(s string) bool { return strings.HasPrefix(s, "fb:up:story#3") }) ||
			!slices.ContainsFunc(ids, func(s string) bool { return strings.HasPrefix(s, "fb:down:") }) {
			t.Errorf("buttons: %v", ids)
		}
	}
}

func TestAskNotFoundAndDidYouMean(t *testing.T) {
	h := start(t, newTestEngine(), Config{})
	id, token := h.interact(t, slash("ask", opt("question", "What colour was the author's lighthuose door?")))
	h.callback(t, id, token)
	m := h.edit(t, token, 1)
	e := m.Embeds[0]
	if !strings.Contains(e.Description, "The story doesn't say.") {
		t.Errorf("description: %q", e.Description)
	}
	if !strings.Contains(e.Description, "Did you mean: *what colour was the author's lighthouse door?*") {
		t.Errorf("no did-you-mean line: %q", e.Description)
	}
	if len(e.Fields) == 0 || len(e.Fields) > 3 {
		t.Errorf("%d suggested passages, want 1 to 3", len(e.Fields))
	}
}

func TestSearchPaging(t *testing.T) {
	h := start(t, newTestEngine(), Config{PageSize: 2})
	id, token := h.interact(t, slash("search", opt("query", "Mara sailors lamp compass story")))
	if r := h.callback(t, id, token); r.Type != 5 {
		t.Fatalf("first response type %d, want 5", r.Type)
	}
	page1 := h.edit(t, token, 1)
	e := page1.Embeds[0]
	if len(e.Fields) != 2 || !strings.HasPrefix(e.Description, "Results 1–2 of ") {
		t.Fatalf("page 1: %q with %d fields", e.Description, len(e.Fields))
	}
	ids := page1.buttons()
	if len(ids) != 2 || !page1.Components[0].Components[0].Disabled || page1.Components[0].Components[1].Disabled {
		t.Fatalf("page 1 buttons: %+v", page1.Components)
	}
	next := ids[1]
	if next != "pg:2:Mara sailors lamp compass story" {
		t.Errorf("next custom_id = %q", next)
	}

	id, token = h.interact(t, button(next, &page1))
	if r := h.callback(t, id, token); r.Type != 6 {
		t.Fatalf("paging response type %d, want 6 (deferred update)", r.Type)
	}
	page2 := h.edit(t, token, 1)
	if d := page2.Embeds[0].Description; !strings.HasPrefix(d, "Results 3–4 of ") {
		t.Errorf("page 2: %q", d)
	}
	if page2.Components[0].Components[0].Disabled {
		t.Errorf("page 2: Previous disabled")
	}
	if page1.Embeds[0].Fields[0].Name == page2.Embeds[0].Fields[0].Name {
		t.Errorf("page 2 repeats page 1")
	}

	// A search that finds nothing says so, with no buttons.
	id, token = h.interact(t, slash("search", opt("query", "zebra")))
	h.callback(t, id, token)
	none := h.edit(t, token, 1)
	if !strings.Contains(none.Embeds[0].Description, "Nothing") || len(none.buttons()) != 0 {
		t.Errorf("empty search: %+v", none)
	}
}

func TestPassageAndAutocomplete(t *testing.T) {
	h := start(t, newTestEngine(), Config{})

	id, token := h.interact(t, autocompleteOf("passage", focused("id", "story")))
	r := h.callback(t, id, token)
	if r.Type != 8 || r.Data == nil {
		t.Fatalf("autocomplete response type %d, want 8", r.Type)
	}
	if n := len(r.Data.Choices); n == 0 || n > 25 {
		t.Fatalf("%d choices", n)
	}
	if r.Data.Choices[0].Value != "story#1" {
		t.Errorf("first choice %+v", r.Data.Choices[0])
	}
	// Autocomplete over titles, with a hostile title.
	id, token = h.interact(t, autocompleteOf("passage", focused("id", "notes on")))
	r = h.callback(t, id, token)
	if len(r.Data.Choices) != 1 || r.Data.Choices[0].Value != "notes#1" {
		t.Errorf("title choices: %+v", r.Data.Choices)
	}

	id, token = h.interact(t, slash("passage", opt("id", "story#2")))
	r = h.callback(t, id, token)
	if r.Type != 4 || r.Data.Flags != 0 {
		t.Fatalf("passage response type %d flags %d, want 4 and public", r.Type, r.Data.Flags)
	}
	e := r.Data.Embeds[0]
	if !strings.Contains(e.Title, "story#2") || !strings.Contains(e.Description, "hundred and twelve steps") ||
		len(e.Fields) != 2 || !strings.HasPrefix(e.Fields[0].Name, "Before") || !strings.HasPrefix(e.Fields[1].Name, "After") {
		t.Errorf("passage embed: %+v", e)
	}

	id, token = h.interact(t, slash("passage", opt("id", "<@123> nowhere#9")))
	r = h.callback(t, id, token)
	if r.Type != 4 || r.Data.Flags != 64 || !strings.Contains(r.Data.text(), "nowhere") {
		t.Errorf("unknown passage: %+v", r)
	}
}

func TestAbout(t *testing.T) {
	h := start(t, newTestEngine(), Config{})
	id, token := h.interact(t, slash("about"))
	r := h.callback(t, id, token)
	if r.Type != 4 || r.Data.Flags != 64 || len(r.Data.Embeds) != 1 {
		t.Fatalf("about: %+v", r)
	}
	d := r.Data.Embeds[0].Description
	for _, want := range []string{"**Documents:** 2", "**Passages:** 5", "<t:1784376000:f>", "/ask"} {
		if !strings.Contains(d, want) {
			t.Errorf("about lacks %q: %q", want, d)
		}
	}
}

func TestContextMenu(t *testing.T) {
	h := start(t, newTestEngine(), Config{})
	id, token := h.interact(t, messageCommand("how many steps did Mara climb to light the lamp"))
	if r := h.callback(t, id, token); r.Type != 5 || r.Data.Flags != 0 {
		t.Fatalf("context menu first response %+v", r)
	}
	m := h.edit(t, token, 1)
	if !strings.Contains(m.Embeds[0].Description, "**steps**") {
		t.Errorf("context menu answer: %q", m.Embeds[0].Description)
	}
	// A message without text gets a how-to.
	id, token = h.interact(t, messageCommand("   "))
	if r := h.callback(t, id, token); r.Type != 4 || r.Data.Flags != 64 {
		t.Errorf("empty target: %+v", r)
	}
}

func TestButtons(t *testing.T) {
	h := start(t, newTestEngine(), Config{})
	id, token := h.interact(t, slash("ask", opt("question", "What did the sailors give her as thanks?")))
	h.callback(t, id, token)
	m := h.edit(t, token, 1)
	var ctxID, up, down string
	for _, b := range m.buttons() {
		switch {
		case strings.HasPrefix(b, "ctx:"):
			ctxID = b
		case strings.HasPrefix(b, "fb:up:"):
			up = b
		case strings.HasPrefix(b, "fb:down:"):
			down = b
		}
	}
	if ctxID != "ctx:story#4" || up == "" || down == "" {
		t.Fatalf("buttons %v", m.buttons())
	}

	id, token = h.interact(t, button(ctxID, &m))
	r := h.callback(t, id, token)
	if r.Type != 4 || r.Data.Flags != 64 || len(r.Data.Embeds) != 1 {
		t.Fatalf("More context: %+v", r)
	}
	if e := r.Data.Embeds[0]; !strings.Contains(e.Description, "brass compass") || len(e.Fields) != 1 || !strings.HasPrefix(e.Fields[0].Name, "Before") {
		t.Errorf("More context embed: %+v", e)
	}

	for _, fb := range []string{up, down} {
		id, token = h.interact(t, button(fb, &m))
		r = h.callback(t, id, token)
		if r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != msgThanks {
			t.Errorf("feedback %s: %+v", fb, r)
		}
	}
	logs := h.logs.String()
	for _, want := range []string{`"vote":"up"`, `"vote":"down"`, `"question":"What did the sailors give her as thanks?"`, `"passages":["story#4"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("feedback log lacks %s:\n%s", want, logs)
		}
	}
}

func TestMessages(t *testing.T) {
	h := start(t, newTestEngine(), Config{})
	mention := "<@" + fakediscord.BotID + ">"

	// A mention in a channel: a reply referencing the message.
	msg := chat(testGuild, testChannel, testUser, false, mention+" who saved the nine sailors?", fakediscord.BotID)
	h.fake.Dispatch(t, "MESSAGE_CREATE", msg)
	m := h.sent(t, testChannel, 1)
	if m.MessageReference == nil || m.MessageReference.MessageID != msg["id"] || m.MessageReference.ChannelID != testChannel {
		t.Errorf("reply reference: %+v", m.MessageReference)
	}
	if len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Description, "**saved**") {
		t.Errorf("reply: %+v", m)
	}

	// A mention with no question: a how-to.
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, testUser, false, " "+mention+" \u200b ", fakediscord.BotID))
	if m := h.sent(t, testChannel, 2); !strings.Contains(m.text(), "mention me") || m.MessageReference == nil {
		t.Errorf("how-to: %+v", m)
	}

	// A mention of the bot's own role, which has the bot's name, is a
	// mention of the bot; another role's is not.
	botRole, otherRole := "510000000000000001", "510000000000000002"
	h.fake.Dispatch(t, "GUILD_CREATE", map[string]any{
		"id": testGuild, "name": "Readers", "owner_id": testUser,
		"roles": []any{
			map[string]any{"id": testGuild, "name": "@everyone", "managed": false},
			map[string]any{"id": botRole, "name": fakediscord.BotName, "managed": true},
			map[string]any{"id": otherRole, "name": "mods", "managed": false},
			map[string]any{"id": "510000000000000003", "name": "Other Bot", "managed": true},
		},
		"members": []any{
			map[string]any{"user": map[string]any{"id": fakediscord.BotID, "username": fakediscord.BotName, "bot": true}, "roles": []any{botRole}},
		},
		"channels": []any{}, "members_count": 2,
	})
	byRole := chat(testGuild, testChannel, testUser, false, "<@&"+botRole+"> who saved the nine sailors?")
	byRole["mention_roles"] = []any{botRole}
	h.fake.Dispatch(t, "MESSAGE_CREATE", byRole)
	if m := h.sent(t, testChannel, 3); len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Description, "**saved**") {
		t.Errorf("reply to a role mention: %+v", m)
	}
	other := chat(testGuild, testChannel, testUser, false, "<@&"+otherRole+"> who is Mara?")
	other["mention_roles"] = []any{otherRole}
	h.fake.Dispatch(t, "MESSAGE_CREATE", other)

	// Messages from bots, the bot itself and without a mention are ignored;
	// they are dispatched before a DM, which is answered, so once the DM's
	// reply is there the others have been handled.
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, "700000000000000077", true, mention+" who is Mara?", fakediscord.BotID))
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, fakediscord.BotID, true, mention+" who is Mara?", fakediscord.BotID))
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, testUser, false, "who is Mara?"))
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, testUser, false, "what was the grey cat called?"))
	dm := h.sent(t, dmChannel, 1)
	if len(dm.Embeds) != 1 || !strings.Contains(dm.Embeds[0].Description, "**cat**") {
		t.Errorf("DM reply: %+v", dm)
	}
	if n := h.count("POST", "/channels/"+testChannel+"/messages"); n != 3 {
		t.Errorf("%d replies in the channel, want 3 (bots and unmentioned messages ignored)", n)
	}
}

func TestHostileInput(t *testing.T) {
	eng := newTestEngine()
	h := start(t, eng, Config{RateLimit: 100})

	cases := []struct {
		name, question string
		engine         bool   // whether the engine is asked
		refusal        string // else what the user is told
	}{
		{"everyone", "@everyone @here who is **Mara** <@123456789012345678> <@&223456789012345678> <#323456789012345678> ||x|| `y`", true, ""},
		{"markdown", "# > - 1. [x](https://e.com) ~~who~~ __kept__ the *lighthouse*?", true, ""},
		{"at the limit", strings.Repeat("lighthouse ", 60)[:500], true, ""},
		{"long", strings.Repeat("lighthouse ", 600)[:6000], false, "at most 500 characters"},
		{"whitespace", " \t\n  \u3000 ", false, "/ask"},
		{"zero width", "\u200b\u200c\u200d\u2060\ufeff", false, "/ask"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := eng.calls.Load()
			id, token := h.interact(t, slash("ask", opt("question", c.question)))
			r := h.callback(t, id, token)
			if !c.engine {
				if r.Type != 4 || r.Data.Flags != 64 || !strings.Contains(r.Data.text(), c.refusal) {
					t.Errorf("refused question: %+v", r)
				}
				if eng.calls.Load() != before {
					t.Errorf("engine asked a refused question")
				}
				return
			}
			if r.Type != 5 {
				t.Fatalf("response type %d", r.Type)
			}
			m := h.edit(t, token, 1)
			if title := m.Embeds[0].Title; textLen(title) > maxTitle || strings.Contains(title, "@everyone") {
				t.Errorf("title %q", title)
			}
		})
	}

	// Hostile corpus text, by DM: escaped, within limits, no pings.
	h.shutdown(t)
	h.run(t, hostileEngine{newTestEngine()}, Config{})
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, testUser, false, "@everyone tell me <@&1> **now** "+strings.Repeat("x", 400)))
	m := h.sent(t, dmChannel, 1)
	e := m.Embeds[0]
	if !strings.Contains(e.Description, `\*\*Bold\*\*`) && !strings.Contains(e.Description, `**\*\*`) {
		t.Errorf("Markdown not escaped: %q", e.Description)
	}
	if !strings.Contains(e.Fields[0].Value, "…") {
		t.Errorf("long excerpt not cut: %q", e.Fields[0].Value)
	}
}

func TestPanicRecovered(t *testing.T) {
	h := start(t, panicEngine{newTestEngine()}, Config{})

	// A panic in the deferred work of a public answer: the public "thinking…"
	// message is deleted and the user alone gets an apology.
	id, token := h.interact(t, slash("ask", opt("question", "who is Mara?")))
	if r := h.callback(t, id, token); r.Type != 5 || r.Data.Flags != 0 {
		t.Fatalf("first response %+v", r)
	}
	if m := h.followup(t, token, 1); m.text() != msgApology || m.Flags != 64 || len(m.Embeds) != 0 {
		t.Errorf("after panic: %+v", m)
	}
	original := originalPath(token)
	if n := h.count("DELETE", original); n != 1 {
		t.Errorf("original response deleted %d times, want 1", n)
	}
	if n := h.count("PATCH", original); n != 0 {
		t.Errorf("original response edited %d times, want 0", n)
	}
	// A private answer: its own response becomes the apology.
	id, token = h.interact(t, slash("ask", opt("question", "who is Mara?"), opt("private", true)))
	if r := h.callback(t, id, token); r.Type != 5 || r.Data.Flags != 64 {
		t.Fatalf("private first response %+v", r)
	}
	if m := h.edit(t, token, 1); m.text() != msgApology || len(m.Embeds) != 0 {
		t.Errorf("private, after panic: %+v", m)
	}
	// A page button: the message with the results stays as it was.
	id, token = h.interact(t, button("pg:2:Mara", withButtons("pg:0:Mara", "pg:2:Mara")))
	if r := h.callback(t, id, token); r.Type != 6 {
		t.Fatalf("paging response type %d", r.Type)
	}
	if m := h.followup(t, token, 1); m.text() != msgApology || m.Flags != 64 {
		t.Errorf("paging, after panic: %+v", m)
	}
	original = originalPath(token)
	if n := h.count("DELETE", original) + h.count("PATCH", original); n != 0 {
		t.Errorf("results message changed %d times, want 0", n)
	}
	// A panic answering a message: an apology reply.
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, testUser, false, "who is Mara?"))
	if m := h.sent(t, dmChannel, 1); m.text() != msgApology {
		t.Errorf("message after panic: %+v", m)
	}
	h.shutdown(t)

	// A panic before the first response: an ephemeral apology.
	h.run(t, panicWindowEngine{newTestEngine()}, Config{})
	id, token = h.interact(t, slash("passage", opt("id", "story#1")))
	if r := h.callback(t, id, token); r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != msgApology {
		t.Errorf("first response after panic: %+v", r)
	}
	// The bot keeps running.
	id, token = h.interact(t, slash("about"))
	if r := h.callback(t, id, token); r.Type != 4 {
		t.Errorf("after a panic /about gives %+v", r)
	}
	logs := h.logs.String()
	for _, want := range []string{"engine exploded", "search exploded", "window exploded", `"stack":"goroutine`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q", want)
		}
	}
}

func TestRateLimit(t *testing.T) {
	h := start(t, newTestEngine(), Config{RateLimit: 2, RatePer: time.Hour})
	ask := func(user string) sentResponse {
		i := slash("ask", opt("question", "who is Mara?"))
		i["member"] = map[string]any{"user": map[string]any{"id": user, "username": "u"}}
		i["guild_id"] = testGuild
		id, token := h.interact(t, i)
		return h.callback(t, id, token)
	}
	for n := 1; n <= 2; n++ {
		if r := ask(testUser); r.Type != 5 {
			t.Fatalf("question %d: type %d", n, r.Type)
		}
	}
	r := ask(testUser)
	if r.Type != 4 || r.Data.Flags != 64 || !strings.Contains(r.Data.text(), "<t:") || !strings.Contains(r.Data.text(), ":R>") {
		t.Errorf("third question: %+v", r)
	}
	if r := ask(otherUser); r.Type != 5 {
		t.Errorf("another user is limited too: %+v", r)
	}

	// By message: one notice, then silence.
	for n := 0; n < 4; n++ {
		h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, "700000000000000055", false, "who is Mara?"))
	}
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, otherUser, false, "who is Ash?"))
	h.fake.WaitFor(t, "other user's answer", 10*time.Second, func(reqs []fakediscord.Request) bool {
		for _, r := range reqs {
			if strings.Contains(string(r.Body), "who is Ash") {
				return true
			}
		}
		return false
	})
	h.shutdown(t) // waits for all work
	notices := 0
	for _, r := range h.fake.Requests() {
		if r.Method == "POST" && strings.HasPrefix(r.Path, "/channels/") && strings.Contains(string(r.Body), "faster than I can answer") {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("%d rate-limit notices by message, want 1", notices)
	}
}

func TestConcurrencyCapAndSlowEngine(t *testing.T) {
	eng := newSlowEngine()
	h := start(t, eng, Config{MaxConcurrent: 1})
	t.Cleanup(eng.Release)

	id1, token1 := h.interact(t, slash("ask", opt("question", "who is Mara?")))
	if r := h.callback(t, id1, token1); r.Type != 5 {
		t.Fatalf("first: type %d", r.Type)
	}
	<-eng.started // the first question is being worked on, and blocks

	id2, token2 := h.interact(t, slash("ask", opt("question", "who is Ash?")))
	r := h.callback(t, id2, token2)
	if r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != msgBusy {
		t.Errorf("second while busy: %+v", r)
	}

	// Shutting down waits for the work in flight.
	go h.shutdown(t)
	select {
	case err := <-h.done:
		t.Fatalf("Run returned %v with work in flight", err)
	default:
	}
	eng.Release()
	if m := h.edit(t, token1, 1); len(m.Embeds) != 1 {
		t.Errorf("slow answer: %+v", m)
	}
}

func TestEngineTimeout(t *testing.T) {
	eng := newSlowEngine()
	h := start(t, eng, Config{Timeout: time.Millisecond})
	id, token := h.interact(t, slash("ask", opt("question", "who is Mara?")))
	h.callback(t, id, token)
	if m := h.followup(t, token, 1); m.text() != msgTimeout || m.Flags != 64 {
		t.Errorf("after timeout: %+v", m)
	}
	if n := h.count("DELETE", originalPath(token)); n != 1 {
		t.Errorf("public thinking message deleted %d times, want 1", n)
	}
}

// TestResponsesSerialise checks bodies the bot computes but the tests above
// do not send, such as the PONG an HTTP endpoint would return.
func TestResponsesSerialise(t *testing.T) {
	b := New(nil, newTestEngine(), nil, nil, Config{})
	r := b.respond(&discordgo.Interaction{Type: discordgo.InteractionPing})
	body, err := json.Marshal(r.first)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"type":1}` {
		t.Errorf("PONG = %s", body)
	}
	checkBody(t, "create_interaction_response", body)
}

// Compile-time check that the test engines are Engines.
var _ = []Engine{panicEngine{}, panicWindowEngine{}, (*slowEngine)(nil), hostileEngine{}}

var _ = answer.NotFoundText
