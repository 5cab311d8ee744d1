package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot"
)

// fixedInfo is an engine as far as the HTTP server sees one.
type fixedInfo answer.Info

func (f fixedInfo) Info() answer.Info { return answer.Info(f) }

// readyFlag is a bot as far as the HTTP server sees one.
type readyFlag struct{ atomic.Bool }

func (r *readyFlag) Ready() bool { return r.Load() }

// get GETs path on the server at base and returns the status and body.
func get(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	return resp.StatusCode, string(b)
}

// newOpsServer serves the handler of a serve's HTTP server on loopback.
func newOpsServer(t *testing.T, interactions http.Handler) (*status, *metrics, string) {
	t.Helper()
	st := new(status)
	m := newMetrics(st, "test")
	srv := httptest.NewServer(newHTTPHandler(st, m.handler(), interactions))
	t.Cleanup(srv.Close)
	return st, m, srv.URL
}

func TestReadyOnlyOnceIndexAndBotAre(t *testing.T) {
	st, _, base := newOpsServer(t, nil)
	check := func(wantCode int, wantBody string) {
		t.Helper()
		if code, body := get(t, base, readyzPath); code != wantCode || body != wantBody {
			t.Errorf("/readyz: %d %q, want %d %q", code, body, wantCode, wantBody)
		}
		if code, body := get(t, base, healthzPath); code != http.StatusOK || body != "ok\n" {
			t.Errorf("/healthz: %d %q, want 200 whatever the readiness", code, body)
		}
	}
	check(http.StatusServiceUnavailable, "not ready: loading the index\n")
	st.setEngine(fixedInfo{Passages: 10})
	check(http.StatusServiceUnavailable, "not ready: starting the bot\n")
	var b readyFlag
	st.setBot(&b)
	check(http.StatusServiceUnavailable, "not ready: not connected to Discord\n")
	b.Store(true)
	check(http.StatusOK, "ready\n")
	b.Store(false) // the gateway dropped
	check(http.StatusServiceUnavailable, "not ready: not connected to Discord\n")
}

func TestHTTPPathsAndMethods(t *testing.T) {
	var late lateHandler
	_, _, base := newOpsServer(t, &late)
	post := func(path string) int {
		t.Helper()
		resp, err := http.Post(base+path, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(interactionsPath); code != http.StatusServiceUnavailable {
		t.Errorf("/interactions before the bot is made: %d, want 503", code)
	}
	late.set(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	if code := post(interactionsPath); code != http.StatusTeapot {
		t.Errorf("/interactions once set: %d, want the bot's handler", code)
	}
	if code, _ := get(t, base, interactionsPath); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /interactions: %d, want 405", code)
	}
	if code := post(healthzPath); code != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz: %d, want 405", code)
	}
	if code, _ := get(t, base, "/nothing"); code != http.StatusNotFound {
		t.Errorf("GET /nothing: %d, want 404", code)
	}
	// Gateway mode has no /interactions.
	_, _, gw := newOpsServer(t, nil)
	resp, err := http.Post(gw+interactionsPath, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/interactions in gateway mode: %d, want 404", resp.StatusCode)
	}
}

func TestMetricsAfterActivity(t *testing.T) {
	st, m, base := newOpsServer(t, nil)
	built := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	st.setEngine(fixedInfo{Documents: 3, Passages: 10, Indexed: built})
	var b readyFlag
	b.Store(true)
	st.setBot(&b)

	m.Question(bot.SourceSlash, bot.OutcomeAnswered, 2*time.Millisecond)
	m.Question(bot.SourceSlash, bot.OutcomeAnswered, 40*time.Millisecond)
	m.Question(bot.SourceDM, bot.OutcomeNotFound, time.Millisecond)
	m.Question(bot.SourceHTTP, bot.OutcomeRateLimited, 0)
	m.Vote(true)
	m.Vote(true)
	m.Vote(false)
	m.Reconnect()
	m.corpusChanged("reindex", true, built.Add(time.Hour))
	m.corpusChanged("reindex", false, built.Add(2*time.Hour))

	code, body := get(t, base, metricsPath)
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{
		`storybot_questions_total{outcome="answered",source="slash"} 2`,
		`storybot_questions_total{outcome="not_found",source="dm"} 1`,
		`storybot_questions_total{outcome="rate_limited",source="http"} 1`,
		`storybot_questions_total{outcome="busy",source="context_menu"} 0`, // counted from zero
		`storybot_question_duration_seconds_bucket{outcome="answered",source="slash",le="0.0025"} 1`,
		`storybot_question_duration_seconds_bucket{outcome="answered",source="slash",le="0.05"} 2`,
		`storybot_question_duration_seconds_count{outcome="answered",source="slash"} 2`,
		`storybot_feedback_votes_total{vote="up"} 2`,
		`storybot_feedback_votes_total{vote="down"} 1`,
		`storybot_gateway_reconnects_total 1`,
		`storybot_corpus_changes_total{action="reindex",result="ok"} 1`,
		`storybot_corpus_changes_total{action="reindex",result="failed"} 1`,
		`storybot_corpus_change_last_success_timestamp_seconds ` + promFloat(built.Add(time.Hour).Unix()) + "\n",
		`storybot_index_documents 3`,
		`storybot_index_passages 10`,
		`storybot_index_built_timestamp_seconds ` + promFloat(built.Unix()) + "\n",
		`storybot_ready 1`,
		`storybot_build_info{goversion="` + runtime.Version() + `",version="test"} 1`,
		`go_goroutines `,
		`process_start_time_seconds `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", body)
	}
}

// promFloat is a whole number as Prometheus's text format writes it.
func promFloat(n int64) string { return strconv.FormatFloat(float64(n), 'g', -1, 64) }

func TestMetricsBeforeTheIndex(t *testing.T) {
	_, _, base := newOpsServer(t, nil)
	_, body := get(t, base, metricsPath)
	for _, want := range []string{"storybot_index_passages 0\n", "storybot_ready 0\n", "storybot_corpus_change_last_success_timestamp_seconds 0\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestHTTPShutdownWaitsForRequests checks that once the serve's context is
// done the server stops taking connections but lets a request in flight
// finish.
func TestHTTPShutdownWaitsForRequests(t *testing.T) {
	inside, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(inside)
		<-release
		io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	failed := make(chan error, 1)
	wait := startHTTP(ctx, ln, h, slog.New(slog.DiscardHandler), func(err error) { failed <- err })

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-inside
	cancel()
	// New connections are refused once the listener is closed.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections 10 s after the context was done")
		}
		runtime.Gosched()
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "finished" {
		t.Errorf("the request in flight: %q, %v; want it finished", r.body, r.err)
	}
	if err := wait(); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
	select {
	case err := <-failed:
		t.Errorf("shutdown reported as a failure: %v", err)
	default:
	}
}

func TestListenErrorNamesTheAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, _, err = startOps(context.Background(), ln.Addr().String(), false, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Errorf("listening on a taken address: %v, want an error naming it", err)
	}
	var u usageError
	if errors.As(err, &u) {
		t.Errorf("a taken address is not a usage error: %v", err)
	}
}

func TestParsePublicKey(t *testing.T) {
	good := strings.Repeat("ab", 32)
	if k, err := parsePublicKey(good); err != nil || len(k) != 32 || k[0] != 0xab {
		t.Errorf("parsePublicKey(%q) = %x, %v", good, k, err)
	}
	for _, bad := range []string{"abc", good[:62], good + "00", strings.Repeat("zz", 32), " " + good[1:]} {
		_, err := parsePublicKey(bad)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "64 hex digits") {
			t.Errorf("parsePublicKey(%q): %v, want a usage error asking for 64 hex digits", bad, err)
		}
	}
}
