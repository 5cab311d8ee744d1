// Package fakediscord is a fake Discord for tests: an HTTP server on loopback
// that serves the REST endpoints a bot calls, recording every request, and a
// gateway websocket that says HELLO, takes IDENTIFY, sends READY, answers
// RESUME with RESUMED and heartbeats with acknowledgements, and lets the test
// push dispatches and drop the connection.
//
// discordgo reaches Discord through package-level endpoint variables;
// Redirect points them at the fake. Because they are globals, tests that use
// a fake must not run in parallel with each other.
//
// The fake is also the CDN that serves attachments (Attach): a file, a 404,
// a redirect elsewhere, or one that stalls until the request is abandoned.
package fakediscord

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// IDs the fake uses.
const (
	AppID   = "100000000000000001"
	BotID   = "100000000000000002"
	BotName = "storybot"
)

// Request is one REST request the fake received.
type Request struct {
	Method string
	// Path is the URL path without the /api/v{N} prefix:
	// "/interactions/1/tok/callback".
	Path string
	Body []byte
}

// JSON decodes the request body into v.
func (r Request) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s %s: decode body %s: %v", r.Method, r.Path, r.Body, err)
	}
}

// Server is a fake Discord.
type Server struct {
	t    testing.TB
	http *httptest.Server

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced whenever something is recorded
	requests   []Request
	identifies []json.RawMessage
	heartbeats int
	resumes    int
	conn       *websocket.Conn
	writeMu    sync.Mutex // guards writes to conn
	seq        int
	readers    sync.WaitGroup
	// failCommands is how many command registrations still fail (-1: all),
	// with failStatus.
	failCommands int
	failStatus   int
	// attachments are the files the CDN serves, by path.
	attachments map[string]Attachment
	// stalled is closed when the server stops, to free stalled downloads.
	stalled chan struct{}
}

// Start starts a fake Discord, points discordgo at it and registers cleanups
// that restore discordgo's endpoints and stop the server.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, changed: make(chan struct{}), attachments: map[string]Attachment{}, stalled: make(chan struct{})}
	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	restore := Redirect(s.http.URL + "/")
	t.Cleanup(func() {
		s.mu.Lock()
		c := s.conn
		s.mu.Unlock()
		if c != nil {
			c.Close()
		}
		close(s.stalled)
		s.http.Close()
		s.readers.Wait()
		restore()
	})
	return s
}

// Redirect points discordgo's REST and gateway endpoints at base (ending in
// "/") and returns a function that restores them.
func Redirect(base string) (restore func()) {
	vars := []*string{
		&discordgo.EndpointDiscord, &discordgo.EndpointAPI, &discordgo.EndpointGuilds,
		&discordgo.EndpointChannels, &discordgo.EndpointUsers, &discordgo.EndpointGateway,
		&discordgo.EndpointGatewayBot, &discordgo.EndpointWebhooks, &discordgo.EndpointApplications,
		&discordgo.EndpointOAuth2, &discordgo.EndpointOAuth2Applications,
	}
	saved := make([]string, len(vars))
	for i, v := range vars {
		saved[i] = *v
	}
	api := base + "api/v" + discordgo.APIVersion + "/"
	discordgo.EndpointDiscord = base
	discordgo.EndpointAPI = api
	discordgo.EndpointGuilds = api + "guilds/"
	discordgo.EndpointChannels = api + "channels/"
	discordgo.EndpointUsers = api + "users/"
	discordgo.EndpointGateway = api + "gateway"
	discordgo.EndpointGatewayBot = discordgo.EndpointGateway + "/bot"
	discordgo.EndpointWebhooks = api + "webhooks/"
	discordgo.EndpointApplications = api + "applications"
	discordgo.EndpointOAuth2 = api + "oauth2/"
	discordgo.EndpointOAuth2Applications = discordgo.EndpointOAuth2 + "applications"
	return func() {
		for i, v := range vars {
			*v = saved[i]
		}
	}
}

// URL is the fake's base URL.
func (s *Server) URL() string { return s.http.URL }

// record appends to the log under s.mu and wakes waiters.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.TrimSuffix(r.URL.Path, "/") == "/ws" {
		s.serveGateway(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	path := r.URL.Path
	prefix := "/api/v" + discordgo.APIVersion
	path = strings.TrimPrefix(path, prefix)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, Body: body})
	s.notifyLocked()
	s.mu.Unlock()

	if strings.HasPrefix(path, cdnPrefix) {
		s.serveAttachment(w, r, path)
		return
	}
	seg := strings.Split(strings.Trim(path, "/"), "/")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && path == "/gateway":
		fmt.Fprintf(w, `{"url":%q}`, "ws"+strings.TrimPrefix(s.http.URL, "http")+"/ws")
	case r.Method == http.MethodGet && path == "/gateway/bot":
		fmt.Fprintf(w, `{"url":%q,"shards":1,"session_start_limit":{"total":1000,"remaining":1000,"reset_after":0,"max_concurrency":1}}`,
			"ws"+strings.TrimPrefix(s.http.URL, "http")+"/ws")
	case r.Method == http.MethodGet && path == "/oauth2/applications/@me":
		fmt.Fprintf(w, `{"id":%q,"name":%q,"bot_public":true,"bot_require_code_grant":false,"verify_key":"","flags":0}`, AppID, BotName)
	case r.Method == http.MethodPut && seg[0] == "applications" && seg[len(seg)-1] == "commands":
		if status := s.commandFailure(); status != 0 {
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"message":"registration refused by the fake Discord","code":%d}`, status)
			return
		}
		// Echo the commands with IDs, as Discord does.
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			http.Error(w, `{"message":"bad json","code":50109}`, http.StatusBadRequest)
			return
		}
		for i, c := range cmds {
			c["id"] = fmt.Sprintf("2000000000000000%02d", i)
			c["application_id"] = seg[1]
			c["version"] = "1"
		}
		json.NewEncoder(w).Encode(cmds)
	case r.Method == http.MethodPost && seg[0] == "interactions" && len(seg) == 4 && seg[3] == "callback":
		w.WriteHeader(http.StatusNoContent)
	case seg[0] == "webhooks" && r.Method == http.MethodDelete:
		w.WriteHeader(http.StatusNoContent)
	case seg[0] == "webhooks" && (r.Method == http.MethodPatch || r.Method == http.MethodPost):
		fmt.Fprintf(w, `{"id":"300000000000000001","channel_id":"400000000000000001","type":0,"content":""}`)
	case r.Method == http.MethodPost && seg[0] == "channels" && len(seg) == 3 && seg[2] == "messages":
		fmt.Fprintf(w, `{"id":"300000000000000002","channel_id":%q,"type":19,"content":""}`, seg[1])
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Unknown route (fake Discord)","code":0}`)
	}
}

// FailCommands makes the next n command registrations (bulk overwrites)
// fail with an HTTP status; n < 0 makes every one fail.
func (s *Server) FailCommands(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failCommands, s.failStatus = n, status
}

// commandFailure is the status a command registration fails with, or 0.
func (s *Server) commandFailure() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failCommands == 0 {
		return 0
	}
	if s.failCommands > 0 {
		s.failCommands--
	}
	return s.failStatus
}

// Requests returns a copy of the REST requests so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Reset forgets the requests recorded so far.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Identifies returns the IDENTIFY payloads (the "d" of op 2) received.
func (s *Server) Identifies() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.identifies...)
}

// Resumes returns how many RESUME payloads (op 6) the fake answered.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumes
}

// Drop closes the current gateway connection as a network failure would,
// without a close frame.
func (s *Server) Drop(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c == nil {
		t.Fatalf("fake Discord: drop: no gateway connection")
	}
	c.Close()
}

// Heartbeats returns how many heartbeats (op 1) the fake acknowledged.
func (s *Server) Heartbeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.heartbeats
}

// WaitFor waits until cond, called with the requests recorded so far each
// time something is recorded, returns true, or fails the test after timeout.
func (s *Server) WaitFor(t testing.TB, what string, timeout time.Duration, cond func(reqs []Request) bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		reqs := append([]Request(nil), s.requests...)
		changed := s.changed
		s.mu.Unlock()
		if cond(reqs) {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("fake Discord: timed out after %v waiting for %s; requests:\n%s", timeout, what, s.dump())
		}
	}
}

// WaitRequest waits for the n-th (from 1) request with the method whose path
// matches (path segments "*" match anything) and returns it.
func (s *Server) WaitRequest(t testing.TB, method, pattern string, n int) Request {
	t.Helper()
	var found Request
	s.WaitFor(t, fmt.Sprintf("request #%d %s %s", n, method, pattern), 10*time.Second, func(reqs []Request) bool {
		k := 0
		for _, r := range reqs {
			if r.Method == method && Match(pattern, r.Path) {
				k++
				if k == n {
					found = r
					return true
				}
			}
		}
		return false
	})
	return found
}

// Match reports whether path matches pattern, whose "*" segments match any
// one segment.
func Match(pattern, path string) bool {
	p := strings.Split(strings.Trim(pattern, "/"), "/")
	q := strings.Split(strings.Trim(path, "/"), "/")
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i] != "*" && p[i] != q[i] {
			return false
		}
	}
	return true
}

func (s *Server) dump() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, r := range s.requests {
		body := string(r.Body)
		if len(body) > 300 {
			body = body[:300] + "…"
		}
		fmt.Fprintf(&b, "  %s %s %s\n", r.Method, r.Path, body)
	}
	return b.String()
}

var upgrader = websocket.Upgrader{}

// serveGateway runs one gateway connection: HELLO, IDENTIFY, READY, then
// heartbeat acknowledgements until the connection closes.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.conn = c
	s.seq = 0
	s.readers.Add(1)
	s.mu.Unlock()
	defer s.readers.Done()
	defer c.Close()

	if err := s.write(c, map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}); err != nil {
		return
	}
	for {
		_, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(msg, &p) != nil {
			continue
		}
		switch p.Op {
		case 1:
			s.mu.Lock()
			s.heartbeats++
			s.notifyLocked()
			s.mu.Unlock()
			s.write(c, map[string]any{"op": 11})
		case 2:
			s.mu.Lock()
			s.identifies = append(s.identifies, p.D)
			s.notifyLocked()
			s.mu.Unlock()
			s.dispatch(c, "READY", map[string]any{
				"v":                9,
				"session_id":       "fake-session",
				"user":             map[string]any{"id": BotID, "username": BotName, "discriminator": "0", "bot": true},
				"application":      map[string]any{"id": AppID, "flags": 0},
				"guilds":           []any{},
				"private_channels": []any{},
			})
		case 6:
			s.mu.Lock()
			s.resumes++
			s.notifyLocked()
			s.mu.Unlock()
			s.dispatch(c, "RESUMED", map[string]any{})
		}
	}
}

func (s *Server) write(c *websocket.Conn, v any) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return c.WriteJSON(v)
}

func (s *Server) dispatch(c *websocket.Conn, event string, data any) error {
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	return s.write(c, map[string]any{"op": 0, "t": event, "s": seq, "d": data})
}

// Dispatch sends an event (op 0) over the current gateway connection.
func (s *Server) Dispatch(t testing.TB, event string, data any) {
	t.Helper()
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c == nil {
		t.Fatalf("fake Discord: dispatch %s: no gateway connection", event)
	}
	if err := s.dispatch(c, event, data); err != nil {
		t.Fatalf("fake Discord: dispatch %s: %v", event, err)
	}
}

// cdnPrefix is where the fake's CDN serves attachments, as Discord's CDN
// does: /attachments/{channel}/{attachment}/{file name}.
const cdnPrefix = "/attachments/"

// Attachment is a file the fake's CDN serves.
type Attachment struct {
	// Name is the file name, the last element of its URL.
	Name string
	// Data is the file's content.
	Data []byte
	// Status, when not 0, is answered instead of the file (404, say).
	Status int
	// RedirectTo, when set, is where the CDN redirects the download (302).
	RedirectTo string
	// Stall makes the CDN send the headers and then nothing more until the
	// request is abandoned, or the server stops.
	Stall bool
	// Endless makes the CDN send Data over and over until the request is
	// abandoned, or the server stops.
	Endless bool
}

// Attach serves a on the fake's CDN and returns its URL.
func (s *Server) Attach(a Attachment) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := fmt.Sprintf("%s400000000000000001/11000000000000%04d/%s", cdnPrefix, len(s.attachments)+1, url.PathEscape(a.Name))
	s.attachments[path] = a
	return s.http.URL + path
}

// CDNOrigin is the scheme and host of the fake's CDN: "http://127.0.0.1:port".
func (s *Server) CDNOrigin() string { return s.http.URL }

// serveAttachment serves a file attached with Attach; any other path is a
// 404, as on Discord's CDN.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request, path string) {
	s.mu.Lock()
	a, ok := s.attachments[r.URL.EscapedPath()]
	if !ok {
		a, ok = s.attachments[path]
	}
	s.mu.Unlock()
	switch {
	case !ok:
		http.Error(w, "no such attachment (fake CDN)", http.StatusNotFound)
	case a.Status != 0:
		http.Error(w, http.StatusText(a.Status), a.Status)
	case a.RedirectTo != "":
		http.Redirect(w, r, a.RedirectTo, http.StatusFound)
	case a.Stall:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case <-r.Context().Done():
		case <-s.stalled:
		}
	case a.Endless:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for {
			select {
			case <-r.Context().Done():
				return
			case <-s.stalled:
				return
			default:
			}
			if _, err := w.Write(a.Data); err != nil {
				return
			}
		}
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(a.Data)
	}
}

// Downloads counts the requests for an attachment's URL so far.
func (s *Server) Downloads(rawURL string) int {
	u, err := url.Parse(rawURL)
	if err != nil {
		return 0
	}
	n := 0
	for _, r := range s.Requests() {
		if r.Method == http.MethodGet && (r.Path == u.Path || r.Path == u.EscapedPath()) {
			n++
		}
	}
	return n
}
