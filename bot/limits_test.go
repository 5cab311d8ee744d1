package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot/internal/fakediscord"
)

// Autocomplete has a per-user limit of its own, apart from the questions'.
func TestAutocompleteRateLimit(t *testing.T) {
	h := start(t, newTestEngine(), Config{AutocompleteLimit: 2, AutocompletePer: time.Hour, RateLimit: 1, RatePer: time.Hour})
	complete := func(user string) sentResponse {
		i := autocompleteOf("passage", focused("id", "story"))
		i["member"] = map[string]any{"user": map[string]any{"id": user, "username": "u"}}
		i["guild_id"] = testGuild
		id, token := h.interact(t, i)
		r := h.callback(t, id, token)
		if r.Type != 8 || r.Data == nil {
			t.Fatalf("autocomplete response %+v", r)
		}
		return r
	}
	for n := 1; n <= 2; n++ {
		if r := complete(testUser); len(r.Data.Choices) == 0 {
			t.Fatalf("autocomplete %d: no choices", n)
		}
	}
	if r := complete(testUser); len(r.Data.Choices) != 0 {
		t.Errorf("over the limit: %d choices, want none", len(r.Data.Choices))
	}
	if r := complete(otherUser); len(r.Data.Choices) == 0 {
		t.Errorf("another user gets no choices")
	}
	// Autocompleting does not use up the user's questions.
	id, token := h.interact(t, slash("ask", opt("question", "who is Mara?")))
	if r := h.callback(t, id, token); r.Type != 5 {
		t.Errorf("question after autocompletes: %+v", r)
	}
}

// blockingCompleteEngine blocks every autocomplete until release is closed.
type blockingCompleteEngine struct {
	*testEngine
	started chan struct{}
	release chan struct{}
}

func (e *blockingCompleteEngine) Complete(prefix string, max int) []answer.Choice {
	e.started <- struct{}{}
	<-e.release
	return e.testEngine.Complete(prefix, max)
}

// Autocompletes worked on at once are bounded apart from the questions': when
// none is free a request gets no choices at once, and questions still get
// their slots.
func TestAutocompleteSlots(t *testing.T) {
	eng := &blockingCompleteEngine{testEngine: newTestEngine(), started: make(chan struct{}, 4), release: make(chan struct{})}
	h := start(t, eng, Config{MaxConcurrentAutocomplete: 1, MaxConcurrent: 1})
	released := false
	release := func() {
		if !released {
			released = true
			close(eng.release)
		}
	}
	t.Cleanup(release)

	id1, token1 := h.interact(t, autocompleteOf("passage", focused("id", "story")))
	<-eng.started // the first autocomplete holds the only slot

	id2, token2 := h.interact(t, autocompleteOf("passage", focused("id", "story")))
	if r := h.callback(t, id2, token2); r.Type != 8 || r.Data == nil || len(r.Data.Choices) != 0 {
		t.Errorf("autocomplete while another is worked on: %+v, want no choices", r)
	}
	id, token := h.interact(t, slash("ask", opt("question", "who is Mara?")))
	if r := h.callback(t, id, token); r.Type != 5 {
		t.Errorf("question while an autocomplete is worked on: %+v", r)
	}
	if m := h.edit(t, token, 1); len(m.Embeds) != 1 {
		t.Errorf("answer while an autocomplete is worked on: %+v", m)
	}

	release()
	if r := h.callback(t, id1, token1); len(r.Data.Choices) == 0 {
		t.Errorf("blocked autocomplete: no choices")
	}
	// The slot is free again.
	id, token = h.interact(t, autocompleteOf("passage", focused("id", "story")))
	<-eng.started
	if r := h.callback(t, id, token); len(r.Data.Choices) == 0 {
		t.Errorf("autocomplete after the slot was freed: no choices")
	}
}

// Turning a page counts against the user's rate limit and needs a work slot.
func TestPagingLimits(t *testing.T) {
	h := start(t, newTestEngine(), Config{RateLimit: 2, RatePer: time.Hour, PageSize: 2})
	id, token := h.interact(t, slash("search", opt("query", "Mara sailors lamp compass story")))
	h.callback(t, id, token)
	page1 := h.edit(t, token, 1)
	next := "pg:2:Mara sailors lamp compass story"
	id, token = h.interact(t, button(next, &page1))
	if r := h.callback(t, id, token); r.Type != 6 {
		t.Fatalf("second page: %+v", r)
	}
	h.edit(t, token, 1)
	id, token = h.interact(t, button(next, &page1))
	if r := h.callback(t, id, token); r.Type != 4 || r.Data.Flags != 64 || !strings.Contains(r.Data.text(), "<t:") {
		t.Errorf("third page over the rate limit: %+v", r)
	}

	h.shutdown(t)
	eng := newSlowEngine()
	h.run(t, eng, Config{MaxConcurrent: 1, RateLimit: 100})
	t.Cleanup(eng.Release) // before the bot's shutdown, which waits for it
	id, token = h.interact(t, slash("ask", opt("question", "who is Mara?")))
	h.callback(t, id, token)
	<-eng.started // the only slot is taken
	id, token = h.interact(t, button(next, &page1))
	if r := h.callback(t, id, token); r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != msgBusy {
		t.Errorf("page while busy: %+v", r)
	}
	eng.Release()
}

// When the bot is busy, each user asking by message is told once per rate
// window; the channel is not filled with notices.
func TestBusyToldOnce(t *testing.T) {
	eng := newSlowEngine()
	h := start(t, eng, Config{MaxConcurrent: 1, RateLimit: 100, RatePer: time.Hour})
	t.Cleanup(eng.Release)
	mention := "<@" + fakediscord.BotID + ">"
	userA, userB := "700000000000000011", "700000000000000012"

	id, token := h.interact(t, slash("ask", opt("question", "who is Mara?")))
	h.callback(t, id, token)
	<-eng.started // the only slot is taken

	const each = 4
	sender := map[any]string{} // message ID → author
	for n := 0; n < each; n++ {
		for _, user := range []string{userA, userB} {
			m := chat(testGuild, testChannel, user, false, mention+" who is Ash?", fakediscord.BotID)
			sender[m["id"]] = user
			h.fake.Dispatch(t, "MESSAGE_CREATE", m)
		}
	}
	waitLogs(t, h, `"msg":"busy"`, 2*each)
	if m := h.sent(t, testChannel, 2); m.text() != msgBusy {
		t.Errorf("busy notice: %+v", m)
	}

	eng.Release()
	h.edit(t, token, 1)
	// Once a slot is free, the same user's question is answered.
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, userA, false, mention+" who is Ash?", fakediscord.BotID))
	if m := h.sent(t, testChannel, 3); len(m.Embeds) != 1 {
		t.Errorf("after the flood: %+v", m)
	}
	h.shutdown(t)
	told := map[string]int{}
	for _, r := range h.fake.Requests() {
		if r.Method == "POST" && r.Path == "/channels/"+testChannel+"/messages" && strings.Contains(string(r.Body), msgBusy) {
			var m sentMessage
			r.JSON(t, &m)
			told[sender[m.MessageReference.MessageID]]++
		}
	}
	if told[userA] != 1 || told[userB] != 1 || len(told) != 2 {
		t.Errorf("busy notices per user: %v, want one each", told)
	}
}

// waitLogs polls the bot's log, with a deadline, until it holds what n times.
func waitLogs(t *testing.T, h *harness, what string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for strings.Count(h.logs.String(), what) < n {
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("log holds %q %d times, want %d:\n%s", what, strings.Count(h.logs.String(), what), n, h.logs.String())
		}
	}
}
