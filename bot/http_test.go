package bot

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot/internal/fakediscord"
)

// httpHarness runs a Bot in HTTP mode: RunHTTP registering its commands with
// the fake Discord, and its interactions endpoint on a loopback listener.
// Like harness, it redirects discordgo's endpoints: no t.Parallel.
type httpHarness struct {
	fake *fakediscord.Server
	bot  *Bot
	ep   *endpoint
	srv  *httptest.Server
	key  ed25519.PrivateKey
	logs *syncBuffer
	// now is the clock the endpoint checks timestamps against, and
	// requests are signed with.
	now    time.Time
	cancel context.CancelFunc
	done   chan error
}

// startHTTP starts a bot in HTTP mode and waits until it has registered its
// commands; prepare, when not nil, adjusts the endpoint first.
func startHTTP(t testing.TB, eng Engine, cfg Config, prepare func(*endpoint)) *httpHarness {
	t.Helper()
	h := &httpHarness{fake: fakediscord.Start(t), logs: &syncBuffer{}, now: time.Unix(1_790_000_000, 0)}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	h.key = priv
	s, err := NewSession("test-token")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if _, bench := t.(*testing.B); bench {
		logger = slog.New(slog.DiscardHandler) // a benchmark's log would grow without bound
	}
	h.bot = New(s, eng, nil, logger, cfg)
	h.ep = h.bot.InteractionsHandler(pub).(*endpoint)
	h.ep.now = func() time.Time { return h.now }
	if prepare != nil {
		prepare(h.ep)
	}
	mux := http.NewServeMux()
	mux.Handle(InteractionsPath, h.ep)
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)

	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.bot.RunHTTP(ctx) }()
	t.Cleanup(func() { h.stop(t) })
	path := "/applications/" + fakediscord.AppID + "/commands"
	if cfg.GuildID != "" {
		path = "/applications/" + fakediscord.AppID + "/guilds/" + cfg.GuildID + "/commands"
	}
	h.fake.WaitRequest(t, "PUT", path, 1)
	return h
}

// stop cancels RunHTTP and waits for it to return nil.
func (h *httpHarness) stop(t testing.TB) {
	h.cancel()
	select {
	case err, ok := <-h.done:
		if ok && err != nil {
			t.Errorf("RunHTTP returned %v", err)
		}
		if ok {
			close(h.done)
		}
	case <-time.After(20 * time.Second):
		t.Errorf("RunHTTP did not return after its context was cancelled")
	}
}

// sign signs a body with a timestamp as Discord does.
func (h *httpHarness) sign(ts string, body []byte) string {
	return hex.EncodeToString(ed25519.Sign(h.key, append([]byte(ts), body...)))
}

// post sends a request with these headers and returns the status and body.
func (h *httpHarness) post(t testing.TB, body []byte, headers map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+InteractionsPath, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", InteractionsPath, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	return resp.StatusCode, got
}

// signed sends a body signed now.
func (h *httpHarness) signed(t testing.TB, body []byte) (int, []byte) {
	t.Helper()
	ts := strconv.FormatInt(h.now.Unix(), 10)
	return h.post(t, body, map[string]string{"X-Signature-Ed25519": h.sign(ts, body), "X-Signature-Timestamp": ts})
}

// interact posts a signed interaction and checks the response: 200, a
// body Discord's OpenAPI description accepts, and every message in it
// within the limits and parsing no mentions. It returns the interaction's
// token, for its follow-ups.
func (h *httpHarness) interact(t testing.TB, i map[string]any) (resp sentResponse, token string) {
	t.Helper()
	_, token = fillInteraction(i)
	body, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	status, got := h.signed(t, body)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, got)
	}
	checkBody(t, "create_interaction_response", got)
	decodeJSON(t, got, &resp)
	switch resp.Type {
	case 4, 5, 7:
		checkMessage(t, got, resp.Data)
	}
	return resp, token
}

// edit waits for the n-th edit of an interaction's original response.
func (h *httpHarness) edit(t testing.TB, token string, n int) sentMessage {
	t.Helper()
	r := h.fake.WaitRequest(t, "PATCH", originalPath(token), n)
	checkBody(t, "update_original_webhook_message", r.Body)
	var m sentMessage
	r.JSON(t, &m)
	checkMessage(t, r.Body, &m)
	return m
}

// callbacks counts the interaction responses sent over the REST API, which
// the endpoint never sends.
func (h *httpHarness) callbacks() int {
	n := 0
	for _, r := range h.fake.Requests() {
		if strings.HasPrefix(r.Path, "/interactions/") {
			n++
		}
	}
	return n
}

func TestHTTPSignatures(t *testing.T) {
	h := startHTTP(t, newTestEngine(), Config{}, nil)
	ping := []byte(`{"id":"800000000000000001","application_id":"` + fakediscord.AppID + `","type":1,"token":"t","version":1}`)
	now := strconv.FormatInt(h.now.Unix(), 10)
	at := func(d time.Duration) string { return strconv.FormatInt(h.now.Add(d).Unix(), 10) }
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	otherSig := hex.EncodeToString(ed25519.Sign(otherKey, append([]byte(now), ping...)))
	changed := bytes.Replace(ping, []byte(`"type":1`), []byte(`"type":2`), 1)
	for _, c := range []struct {
		name    string
		body    []byte
		headers map[string]string
		status  int
	}{
		{"valid", ping, map[string]string{"X-Signature-Ed25519": h.sign(now, ping), "X-Signature-Timestamp": now}, 200},
		{"4 minutes old", ping, map[string]string{"X-Signature-Ed25519": h.sign(at(-4*time.Minute), ping), "X-Signature-Timestamp": at(-4 * time.Minute)}, 200},
		{"no headers", ping, nil, 401},
		{"no signature", ping, map[string]string{"X-Signature-Timestamp": now}, 401},
		{"no timestamp", ping, map[string]string{"X-Signature-Ed25519": h.sign(now, ping)}, 401},
		{"signature not hex", ping, map[string]string{"X-Signature-Ed25519": "zz" + h.sign(now, ping)[2:], "X-Signature-Timestamp": now}, 401},
		{"signature too short", ping, map[string]string{"X-Signature-Ed25519": h.sign(now, ping)[:64], "X-Signature-Timestamp": now}, 401},
		{"signed by another key", ping, map[string]string{"X-Signature-Ed25519": otherSig, "X-Signature-Timestamp": now}, 401},
		{"body changed after signing", changed, map[string]string{"X-Signature-Ed25519": h.sign(now, ping), "X-Signature-Timestamp": now}, 401},
		{"timestamp changed after signing", ping, map[string]string{"X-Signature-Ed25519": h.sign(now, ping), "X-Signature-Timestamp": at(time.Second)}, 401},
		{"stale", ping, map[string]string{"X-Signature-Ed25519": h.sign(at(-MaxSignatureAge-time.Second), ping), "X-Signature-Timestamp": at(-MaxSignatureAge - time.Second)}, 401},
		{"from the future", ping, map[string]string{"X-Signature-Ed25519": h.sign(at(MaxSignatureAge+time.Second), ping), "X-Signature-Timestamp": at(MaxSignatureAge + time.Second)}, 401},
		{"timestamp not a number", ping, map[string]string{"X-Signature-Ed25519": h.sign("soon", ping), "X-Signature-Timestamp": "soon"}, 401},
		{"signed but not JSON", []byte("{"), map[string]string{"X-Signature-Ed25519": h.sign(now, []byte("{")), "X-Signature-Timestamp": now}, 400},
		{"too large", bytes.Repeat([]byte(" "), MaxInteractionBody+1), map[string]string{"X-Signature-Ed25519": h.sign(now, ping), "X-Signature-Timestamp": now}, 413},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body := h.post(t, c.body, c.headers)
			if status != c.status {
				t.Fatalf("status %d, want %d: %s", status, c.status, body)
			}
			if status == 200 && string(body) != `{"type":1}` {
				t.Errorf("PING answered %s, want PONG", body)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		resp, err := h.srv.Client().Get(h.srv.URL + InteractionsPath)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Errorf("GET: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
	if n := h.callbacks(); n != 0 {
		t.Errorf("%d interaction callbacks over REST, want 0", n)
	}
}

func TestParsePublicKey(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	k, err := ParsePublicKey(" " + hex.EncodeToString(pub) + "\n")
	if err != nil || !bytes.Equal(k, pub) {
		t.Errorf("ParsePublicKey(valid) = %x, %v", k, err)
	}
	for _, bad := range []string{"", "xyz", hex.EncodeToString(pub)[:62], hex.EncodeToString(pub) + "00"} {
		if _, err := ParsePublicKey(bad); !errors.Is(err, ErrPublicKey) {
			t.Errorf("ParsePublicKey(%q) = %v, want ErrPublicKey", bad, err)
		}
	}
}

// TestHTTPAnswers asks, pages, clicks and autocompletes over HTTP: each
// answer is the HTTP response itself, nothing is sent over REST, and each
// question is reported as coming over HTTP.
func TestHTTPAnswers(t *testing.T) {
	rec := newRecorder()
	h := startHTTP(t, newTestEngine(), Config{PageSize: 2, Observer: rec}, nil)
	if !h.bot.Ready() {
		t.Errorf("not ready in HTTP mode")
	}

	r, _ := h.interact(t, slash("ask", opt("question", "Who saved the sailors from the Albatross?")))
	if r.Type != 4 || r.Data.Flags != 0 || len(r.Data.Embeds) != 1 {
		t.Fatalf("/ask: %+v", r)
	}
	e := r.Data.Embeds[0]
	if !strings.Contains(e.Description, "**saved**") || len(e.Fields) == 0 || e.Fields[0].Name != "[1] The Lighthouse Keeper · story#3" {
		t.Errorf("/ask embed: %+v", e)
	}
	answerMsg := *r.Data
	if got := rec.question(t, 1); got.src != SourceHTTP || got.o != OutcomeAnswered {
		t.Errorf("reported %v", got)
	}

	r, _ = h.interact(t, slash("ask", opt("question", "who is Mara?"), opt("private", true)))
	if r.Type != 4 || r.Data.Flags != 64 || len(r.Data.Embeds) != 1 {
		t.Errorf("private /ask: %+v", r)
	}

	// A search, then its next page: the page updates the message (type 7).
	r, _ = h.interact(t, slash("search", opt("query", "Mara sailors lamp compass story")))
	if r.Type != 4 || !strings.HasPrefix(r.Data.Embeds[0].Description, "Results 1–2 of ") {
		t.Fatalf("/search: %+v", r)
	}
	page1 := *r.Data
	ids := page1.buttons()
	r, _ = h.interact(t, button(ids[1], &page1))
	if r.Type != 7 || !strings.HasPrefix(r.Data.Embeds[0].Description, "Results 3–4 of ") || r.Data.Flags != 0 {
		t.Errorf("next page: %+v", r)
	}
	// A forged page is refused to its clicker alone.
	r, _ = h.interact(t, button("pg:9:forged", &page1))
	if r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != msgNoPage {
		t.Errorf("forged page: %+v", r)
	}

	// Buttons on an answer: more context, and a vote.
	for _, id := range answerMsg.buttons() {
		r, _ = h.interact(t, button(id, &answerMsg))
		switch {
		case strings.HasPrefix(id, prefixContext):
			if r.Type != 4 || r.Data.Flags != 64 || len(r.Data.Embeds) != 1 {
				t.Errorf("more context: %+v", r)
			}
		case strings.HasPrefix(id, prefixFeedback):
			if r.Type != 4 || r.Data.text() != msgThanks {
				t.Errorf("feedback: %+v", r)
			}
		}
	}
	rec.waitFor(t, "two votes", func(r *recorder) bool { return len(r.votes) == 2 })

	r, _ = h.interact(t, autocompleteOf("passage", focused("id", "story")))
	if r.Type != 8 || r.Data == nil || len(r.Data.Choices) == 0 || r.Data.Choices[0].Value != "story#1" {
		t.Errorf("autocomplete: %+v", r)
	}
	r, _ = h.interact(t, messageCommand("how many steps did Mara climb to light the lamp"))
	if r.Type != 4 || !strings.Contains(r.Data.Embeds[0].Description, "**steps**") {
		t.Errorf("message command: %+v", r)
	}
	r, _ = h.interact(t, slash("ask", opt("question", " ?! ")))
	if r.Type != 4 || r.Data.Flags != 64 || !strings.Contains(r.Data.text(), msgNoWords) {
		t.Errorf("refused: %+v", r)
	}

	h.stop(t)
	var got []string
	for _, q := range rec.all() {
		got = append(got, q.String())
	}
	want := []string{"http/answered", "http/answered", "http/answered", "http/answered", "http/refused", "http/answered", "http/refused"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("reported %v, want %v", got, want)
	}
	if n := h.callbacks(); n != 0 {
		t.Errorf("%d interaction callbacks over REST, want 0", n)
	}
	if n := len(h.fake.Requests()); n != 2 {
		t.Errorf("%d REST requests, want 2 (the application, the commands):\n%v", n, h.fake.Requests())
	}
}

// TestHTTPDeferred makes the engine slower than the budget: the response
// defers, and the answer follows over REST.
func TestHTTPDeferred(t *testing.T) {
	eng := brittleEngine{newSlowEngine()}
	t.Cleanup(eng.Release)
	rec := newRecorder()
	h := startHTTP(t, eng, Config{PageSize: 2, Observer: rec}, func(e *endpoint) { e.budget = time.Millisecond })

	r, token := h.interact(t, slash("ask", opt("question", "Who saved the sailors from the Albatross?")))
	if r.Type != 5 || r.Data.Flags != 0 {
		t.Fatalf("/ask with a slow engine: %+v, want deferred", r)
	}
	<-eng.started
	eng.Release()
	m := h.edit(t, token, 1)
	if len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Description, "**saved**") {
		t.Errorf("edit: %+v", m)
	}
	if got := rec.question(t, 1); got.src != SourceHTTP || got.o != OutcomeAnswered {
		t.Errorf("reported %v", got)
	}

	// A failure after a deferred public response is told to the user
	// alone, in place of the "thinking…" message.
	r, token = h.interact(t, slash("ask", opt("question", "explode please")))
	if r.Type == 5 {
		m := h.fake.WaitRequest(t, "POST", webhookPath(token), 1)
		checkBody(t, "execute_webhook", m.Body)
		if h.count("DELETE", originalPath(token)) != 1 {
			t.Errorf("thinking message not deleted")
		}
	} else if r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != msgEngineError {
		t.Errorf("engine failure: %+v", r)
	}
	if got := rec.question(t, 2); got.o != OutcomeError {
		t.Errorf("reported %v", got)
	}
	if n := h.callbacks(); n != 0 {
		t.Errorf("%d interaction callbacks over REST, want 0", n)
	}
}

func (h *httpHarness) count(method, pattern string) int {
	n := 0
	for _, r := range h.fake.Requests() {
		if r.Method == method && fakediscord.Match(pattern, r.Path) {
			n++
		}
	}
	return n
}

// TestHTTPLimits: rate limits and work slots apply over HTTP, per process.
func TestHTTPLimits(t *testing.T) {
	eng := newSlowEngine()
	t.Cleanup(eng.Release)
	rec := newRecorder()
	h := startHTTP(t, eng, Config{MaxConcurrent: 1, RateLimit: 1, RatePer: time.Hour, Observer: rec}, func(e *endpoint) { e.budget = time.Millisecond })
	ask := func(user string) sentResponse {
		r, _ := h.interact(t, from(user, slash("ask", opt("question", "who is Mara?"))))
		return r
	}
	if r := ask(testUser); r.Type != 5 {
		t.Fatalf("held question: %+v", r)
	}
	<-eng.started
	if r := ask(otherUser); r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != msgBusy {
		t.Errorf("while busy: %+v", r)
	}
	if r := ask(testUser); r.Type != 4 || r.Data.Flags != 64 || !strings.Contains(r.Data.text(), "faster than I can answer") {
		t.Errorf("over the limit: %+v", r)
	}
	eng.Release()
	rec.waitFor(t, "three questions", func(r *recorder) bool { return len(r.questions) == 3 })
	var got []string
	for _, q := range rec.all() {
		got = append(got, q.o.String())
	}
	if strings.Join(got, " ") != "busy rate_limited answered" {
		t.Errorf("reported %v", got)
	}
}

// TestRunHTTP registers the commands over REST with no gateway, asking
// Discord for the application ID only when the configuration has none, and
// waits for the work in flight when stopped.
func TestRunHTTP(t *testing.T) {
	t.Run("application ID asked", func(t *testing.T) {
		h := startHTTP(t, newTestEngine(), Config{GuildID: testGuild}, nil)
		reqs := h.fake.Requests()
		if len(reqs) != 2 || reqs[0].Method != "GET" || reqs[0].Path != "/oauth2/applications/@me" {
			t.Errorf("requests: %+v", reqs)
		}
		checkBody(t, "bulk_set_guild_application_commands", reqs[len(reqs)-1].Body)
	})
	t.Run("application ID configured", func(t *testing.T) {
		eng := newSlowEngine()
		t.Cleanup(eng.Release)
		h := startHTTP(t, eng, Config{ApplicationID: fakediscord.AppID}, func(e *endpoint) { e.budget = time.Millisecond })
		if n := h.count("GET", "/oauth2/applications/@me"); n != 0 {
			t.Errorf("application looked up %d times with an ID configured", n)
		}
		for _, r := range h.fake.Requests() {
			if strings.HasPrefix(r.Path, "/gateway") {
				t.Errorf("gateway looked up: %s %s", r.Method, r.Path)
			}
		}
		r, token := h.interact(t, slash("ask", opt("question", "who is Mara?")))
		if r.Type != 5 {
			t.Fatalf("slow question: %+v", r)
		}
		<-eng.started
		h.cancel()
		// Once stopping, no new work starts: a question is told the bot
		// is busy.
		deadline := time.Now().Add(10 * time.Second)
		for !h.bot.isClosing() {
			if time.Now().After(deadline) {
				t.Fatalf("not stopping after its context was cancelled")
			}
			runtime.Gosched()
		}
		if r, _ := h.interact(t, from(otherUser, slash("ask", opt("question", "who is Ash?")))); r.Type != 4 || r.Data.text() != msgBusy {
			t.Errorf("question while stopping: %+v", r)
		}
		eng.Release()
		if err := <-h.done; err != nil {
			t.Errorf("RunHTTP: %v", err)
		}
		close(h.done)
		if n := h.count("PATCH", originalPath(token)); n != 1 {
			t.Errorf("answer sent %d times before RunHTTP returned, want 1", n)
		}
	})
}

// isClosing reports whether the bot has stopped taking new work.
func (b *Bot) isClosing() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closing
}

// slowSearchEngine blocks every search, as slowEngine blocks questions.
type slowSearchEngine struct{ *slowEngine }

func (e slowSearchEngine) Search(ctx context.Context, q string, from, size int) (answer.Results, error) {
	e.started <- q
	select {
	case <-e.release:
		return e.testEngine.Search(ctx, q, from, size)
	case <-ctx.Done():
		return answer.Results{}, ctx.Err()
	}
}

// TestHTTPDeferredPage: a page slower than the budget defers the update of
// its message (type 6), and the page follows as an edit over REST.
func TestHTTPDeferredPage(t *testing.T) {
	eng := slowSearchEngine{newSlowEngine()}
	t.Cleanup(eng.Release)
	rec := newRecorder()
	h := startHTTP(t, eng, Config{PageSize: 2, Observer: rec}, func(e *endpoint) { e.budget = time.Millisecond })
	next := "pg:2:Mara sailors lamp compass story"
	r, token := h.interact(t, button(next, withButtons(next)))
	if r.Type != 6 {
		t.Fatalf("slow page: %+v, want a deferred update", r)
	}
	<-eng.started
	eng.Release()
	m := h.edit(t, token, 1)
	if len(m.Embeds) != 1 || !strings.HasPrefix(m.Embeds[0].Description, "Results 3–4 of ") {
		t.Errorf("page: %+v", m)
	}
	if got := rec.question(t, 1); got.src != SourceHTTP || got.o != OutcomeAnswered {
		t.Errorf("reported %v", got)
	}
}

// TestHTTPPanic: a handler's panic is the user's apology and an error
// outcome; the endpoint keeps serving.
func TestHTTPPanic(t *testing.T) {
	rec := newRecorder()
	h := startHTTP(t, panicEngine{newTestEngine()}, Config{Observer: rec}, nil)
	r, _ := h.interact(t, slash("ask", opt("question", "who is Mara?")))
	if r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != msgApology {
		t.Errorf("after a panic: %+v", r)
	}
	if got := rec.question(t, 1); got.o != OutcomeError {
		t.Errorf("reported %v", got)
	}
	if r, _ := h.interact(t, slash("about")); r.Type != 4 || len(r.Data.Embeds) != 1 {
		t.Errorf("after a panic /about gives %+v", r)
	}
	if !strings.Contains(h.logs.String(), "engine exploded") {
		t.Errorf("log lacks the panic")
	}
}
