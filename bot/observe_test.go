package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot/internal/fakediscord"
)

// recorder is an Observer that records what it is told.
type recorder struct {
	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on each call
	questions  []observed
	votes      []bool
	reconnects int
}

type observed struct {
	src  Source
	o    Outcome
	took time.Duration
}

func (o observed) String() string { return o.src.String() + "/" + o.o.String() }

var _ Observer = (*recorder)(nil)

func newRecorder() *recorder { return &recorder{changed: make(chan struct{})} }

func (r *recorder) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *recorder) Question(src Source, o Outcome, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.questions = append(r.questions, observed{src, o, took})
	r.notifyLocked()
}

func (r *recorder) Vote(up bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.votes = append(r.votes, up)
	r.notifyLocked()
}

func (r *recorder) Reconnect() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reconnects++
	r.notifyLocked()
}

// waitFor waits until cond holds of what was recorded, with a deadline.
func (r *recorder) waitFor(t testing.TB, what string, cond func(r *recorder) bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		ok, changed := cond(r), r.changed
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			r.mu.Lock()
			defer r.mu.Unlock()
			t.Fatalf("observer: timed out waiting for %s; questions %v, votes %v, reconnects %d", what, r.questions, r.votes, r.reconnects)
		}
	}
}

// question waits for the n-th question (from 1) and returns it.
func (r *recorder) question(t testing.TB, n int) observed {
	t.Helper()
	r.waitFor(t, fmt.Sprintf("question %d", n), func(r *recorder) bool { return len(r.questions) >= n })
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.questions[n-1]
}

func (r *recorder) all() []observed {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.questions)
}

// brittleEngine is a slow engine (see slowEngine) that fails every question
// containing "explode".
type brittleEngine struct{ *slowEngine }

var errExploded = errors.New("index exploded")

func (e brittleEngine) Answer(ctx context.Context, q string) (answer.Answer, error) {
	if strings.Contains(q, "explode") {
		return answer.Answer{}, errExploded
	}
	return e.slowEngine.Answer(ctx, q)
}

// from makes an interaction come from a user of its own in the test guild.
func from(user string, i map[string]any) map[string]any {
	i["guild_id"] = testGuild
	i["member"] = map[string]any{"user": map[string]any{"id": user, "username": "u"}, "roles": []any{}}
	return i
}

// TestObserverOutcomes asks by every way there is and checks that each
// question is reported once, with its source, its outcome and a latency,
// and that feedback votes are reported.
func TestObserverOutcomes(t *testing.T) {
	eng := brittleEngine{newSlowEngine()}
	t.Cleanup(eng.Release)
	rec := newRecorder()
	h := start(t, eng, Config{MaxConcurrent: 1, RateLimit: 2, RatePer: time.Hour, PageSize: 2, Observer: rec})
	mention := "<@" + fakediscord.BotID + ">"
	var want []string
	n := 0
	// step runs one action and checks the one report it causes.
	step := func(name string, src Source, o Outcome, act func(t *testing.T)) {
		t.Helper()
		n++
		want = append(want, observed{src: src, o: o}.String())
		k := n
		t.Run(name, func(t *testing.T) {
			act(t)
			got := rec.question(t, k)
			if got.src != src || got.o != o {
				t.Errorf("reported %v, want %v", got, observed{src: src, o: o})
			}
			if got.took <= 0 {
				t.Errorf("latency %v", got.took)
			}
		})
	}
	ask := func(user, q string) (id, token string) {
		return h.interact(t, from(user, slash("ask", opt("question", q))))
	}

	// While the only work slot is held, questions find the bot busy.
	id, heldToken := ask("700000000000000101", "who is Mara?")
	h.callback(t, id, heldToken)
	<-eng.started
	step("busy slash", SourceSlash, OutcomeBusy, func(t *testing.T) {
		id, token := ask("700000000000000102", "who is Ash?")
		h.callback(t, id, token)
	})
	step("busy mention", SourceMention, OutcomeBusy, func(t *testing.T) {
		h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, "700000000000000103", false, mention+" who is Ash?", fakediscord.BotID))
		h.sent(t, testChannel, 1)
	})
	step("held question answered", SourceSlash, OutcomeAnswered, func(t *testing.T) {
		eng.Release()
		h.edit(t, heldToken, 1)
	})

	step("slash answered", SourceSlash, OutcomeAnswered, func(t *testing.T) {
		id, token := ask("700000000000000104", "Who saved the sailors from the Albatross?")
		h.callback(t, id, token)
		h.edit(t, token, 1)
	})
	step("slash not found", SourceSlash, OutcomeNotFound, func(t *testing.T) {
		id, token := ask("700000000000000105", "What colour was the author's lighthuose door?")
		h.callback(t, id, token)
		h.edit(t, token, 1)
	})
	step("slash refused", SourceSlash, OutcomeRefused, func(t *testing.T) {
		id, token := ask("700000000000000106", " ?! ")
		h.callback(t, id, token)
	})
	step("slash error", SourceSlash, OutcomeError, func(t *testing.T) {
		id, token := ask("700000000000000107", "explode please")
		h.callback(t, id, token)
		h.followup(t, token, 1)
	})
	var page sentMessage
	step("search answered", SourceSlash, OutcomeAnswered, func(t *testing.T) {
		id, token := h.interact(t, from("700000000000000108", slash("search", opt("query", "Mara sailors lamp compass story"))))
		h.callback(t, id, token)
		page = h.edit(t, token, 1)
	})
	step("search page", SourceSlash, OutcomeAnswered, func(t *testing.T) {
		ids := page.buttons()
		id, token := h.interact(t, from("700000000000000109", button(ids[len(ids)-1], &page)))
		h.callback(t, id, token)
		h.edit(t, token, 1)
	})
	step("search forged page", SourceSlash, OutcomeRefused, func(t *testing.T) {
		id, token := h.interact(t, from("700000000000000109", button("pg:9:forged", &page)))
		h.callback(t, id, token)
	})
	step("search not found", SourceSlash, OutcomeNotFound, func(t *testing.T) {
		id, token := h.interact(t, from("700000000000000110", slash("search", opt("query", "zebra"))))
		h.callback(t, id, token)
		h.edit(t, token, 1)
	})
	step("context menu", SourceContextMenu, OutcomeAnswered, func(t *testing.T) {
		id, token := h.interact(t, from("700000000000000111", messageCommand("how many steps did Mara climb to light the lamp")))
		h.callback(t, id, token)
		h.edit(t, token, 1)
	})
	step("context menu refused", SourceContextMenu, OutcomeRefused, func(t *testing.T) {
		id, token := h.interact(t, from("700000000000000112", messageCommand("   ")))
		h.callback(t, id, token)
	})
	step("mention", SourceMention, OutcomeAnswered, func(t *testing.T) {
		h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, "700000000000000113", false, mention+" who is Ash?", fakediscord.BotID))
		h.sent(t, testChannel, 2)
	})
	const dmUser = "700000000000000114"
	for k := 1; k <= 2; k++ {
		step(fmt.Sprintf("dm %d", k), SourceDM, OutcomeAnswered, func(t *testing.T) {
			h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, dmUser, false, "who is Ash?"))
			h.sent(t, dmChannel, k)
		})
	}
	step("dm rate-limited", SourceDM, OutcomeRateLimited, func(t *testing.T) {
		h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, dmUser, false, "who is Ash?"))
		h.sent(t, dmChannel, 3)
	})
	// Told once; the next is still a question, and reported.
	step("dm rate-limited untold", SourceDM, OutcomeRateLimited, func(t *testing.T) {
		h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, dmUser, false, "who is Ash?"))
	})
	const limitedUser = "700000000000000115"
	for k := 1; k <= 2; k++ {
		step(fmt.Sprintf("slash %d under the limit", k), SourceSlash, OutcomeAnswered, func(t *testing.T) {
			id, token := ask(limitedUser, "who is Mara?")
			h.callback(t, id, token)
			h.edit(t, token, 1)
		})
	}
	step("slash rate-limited", SourceSlash, OutcomeRateLimited, func(t *testing.T) {
		id, token := ask(limitedUser, "who is Mara?")
		h.callback(t, id, token)
	})

	// Not questions: nothing is reported, but votes are.
	id, token := ask("700000000000000116", "What did the sailors give her as thanks?")
	h.callback(t, id, token)
	m := h.edit(t, token, 1)
	want = append(want, "slash/answered")
	for _, b := range m.buttons() {
		if strings.HasPrefix(b, prefixFeedback) || strings.HasPrefix(b, prefixContext) {
			id, token := h.interact(t, from("700000000000000116", button(b, &m)))
			h.callback(t, id, token)
		}
	}
	for _, i := range []map[string]any{slash("about"), slash("passage", opt("id", "story#2")), autocompleteOf("passage", focused("id", "story"))} {
		id, token := h.interact(t, i)
		h.callback(t, id, token)
	}
	rec.waitFor(t, "two votes", func(r *recorder) bool { return len(r.votes) == 2 })

	h.shutdown(t) // waits for all work: every report is in
	var got []string
	for _, q := range rec.all() {
		got = append(got, q.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("reported\n  %v\nwant\n  %v", got, want)
	}
	if !slices.Equal(rec.votes, []bool{true, false}) {
		t.Errorf("votes %v, want up then down", rec.votes)
	}
}

// TestReconnectObserved drops the gateway connection: the bot resumes, the
// Observer is told of one reconnect, and the bot is ready again; it is not
// ready before it runs nor after it stops.
func TestReconnectObserved(t *testing.T) {
	rec := newRecorder()
	h := newHarness(t)
	h.prepare = func(b *Bot) {
		if b.Ready() {
			t.Errorf("ready before running")
		}
		b.session.(*discordgo.Session).ShouldReconnectOnError = true
	}
	h.run(t, newTestEngine(), Config{Observer: rec})
	if !h.bot.Ready() {
		t.Errorf("not ready once connected")
	}
	if rec.reconnects != 0 {
		t.Errorf("%d reconnects reported at the first connection", rec.reconnects)
	}
	h.fake.Drop(t)
	rec.waitFor(t, "a reconnect", func(r *recorder) bool { return r.reconnects >= 1 })
	if n := h.fake.Resumes(); n != 1 {
		t.Errorf("%d resumes, want 1", n)
	}
	if !h.bot.Ready() {
		t.Errorf("not ready after reconnecting")
	}
	// Answers still arrive over the resumed connection.
	id, token := h.interact(t, slash("ask", opt("question", "who is Mara?")))
	h.callback(t, id, token)
	h.edit(t, token, 1)
	h.shutdown(t)
	if h.bot.Ready() {
		t.Errorf("ready after stopping")
	}
	if rec.reconnects != 1 {
		t.Errorf("%d reconnects reported, want 1", rec.reconnects)
	}
}

func TestLabels(t *testing.T) {
	want := map[string]bool{}
	for _, s := range Sources {
		want[s.String()] = true
	}
	for _, o := range Outcomes {
		want[o.String()] = true
	}
	for _, l := range []string{"slash", "mention", "dm", "context_menu", "http", "answered", "not_found", "refused", "rate_limited", "busy", "error"} {
		if !want[l] {
			t.Errorf("no source or outcome labelled %q", l)
		}
		delete(want, l)
	}
	if len(want) != 0 {
		t.Errorf("unexpected labels %v", want)
	}
}
