package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// benchConcurrency is how many requests the endpoint benchmark keeps in
// flight, the load target's concurrency.
const benchConcurrency = 32

// benchQuestions are asked of the story in turn.
var benchQuestions = []string{
	"who signed the security pact?",
	"what did Putin warn South Korea about?",
	"Why might South Korea send weapons to Ukraine?",
	"what is in the treaty?",
	"who visited Pyongyang?",
	"what did the United States say?",
	"sanctions",
	"what happened in June?",
}

// storyEngine is the real engine over the story built into the binary.
func storyEngine(tb testing.TB) *answer.Engine {
	tb.Helper()
	c, err := corpus.Default()
	if err != nil {
		tb.Fatal(err)
	}
	e, err := answer.Open(context.Background(), c, tb.TempDir(), slog.New(slog.DiscardHandler), answer.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.Close() })
	return e
}

// BenchmarkInteractionsAsk sends signed /ask requests for the story to the
// endpoint over loopback, benchConcurrency at a time, and reports answers a
// second and the latency percentiles (the load target: at least 2,000
// answers/s with p99 at most 25 ms). Every response must be an answer.
//
//	go test ./bot/ -run '^$' -bench InteractionsAsk -benchtime 10s
func BenchmarkInteractionsAsk(b *testing.B) {
	h := startHTTP(b, storyEngine(b), Config{
		// Unlimited: the benchmark measures answering, not refusing.
		RateLimit: 1, RatePer: time.Nanosecond, MaxConcurrent: 2 * benchConcurrency,
	}, nil)
	// Requests signed once: the endpoint's clock stands still, so their
	// timestamps stay fresh.
	type signedReq struct {
		body    []byte
		sig, ts string
	}
	ts := strconv.FormatInt(h.now.Unix(), 10)
	var reqs []signedReq
	for k := range 64 {
		i := from(fmt.Sprintf("7000000000009%05d", k), slash("ask", opt("question", benchQuestions[k%len(benchQuestions)])))
		fillInteraction(i)
		body, err := json.Marshal(i)
		if err != nil {
			b.Fatal(err)
		}
		reqs = append(reqs, signedReq{body, h.sign(ts, body), ts})
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * benchConcurrency}}
	defer client.CloseIdleConnections()
	url := h.srv.URL + InteractionsPath

	var (
		mu        sync.Mutex
		latencies []time.Duration
		next      atomic.Int64
		failures  atomic.Int64
	)
	b.SetParallelism((benchConcurrency + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			r := reqs[next.Add(1)%int64(len(reqs))]
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(r.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Signature-Ed25519", r.sig)
			req.Header.Set("X-Signature-Timestamp", r.ts)
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				failures.Add(1)
				continue
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			mine = append(mine, time.Since(t0))
			if err != nil || resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte(`{"type":4,`)) || !bytes.Contains(body, []byte(`"embeds":[{`)) {
				failures.Add(1)
			}
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failures.Load(); n > 0 {
		b.Errorf("%d of %d requests failed or were not answered", n, b.N)
	}
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "answers/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
