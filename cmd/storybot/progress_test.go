package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/corpusgen"
	"github.com/storybot/storybot/index"
)

func TestProgressLine(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := &buildProgress{start: start}
	tests := []struct {
		name string
		pr   answer.Progress
		took time.Duration
		want string
	}{
		{"under way", answer.Progress{Documents: 20, TotalDocuments: 50, Passages: 22740, TotalPassages: 56850}, 2500 * time.Millisecond,
			"indexing [########            ]  40%  20/50 documents  22,740/56,850 passages  9,096/s  4s left"},
		{"done", answer.Progress{Documents: 50, TotalDocuments: 50, Passages: 56842, TotalPassages: 56842}, 6 * time.Second,
			"indexing [####################] 100%  50/50 documents  56,842/56,842 passages  9,473/s  0s left"},
		{"no time yet", answer.Progress{Documents: 1, TotalDocuments: 3, Passages: 9, TotalPassages: 30}, 0,
			"indexing [######              ]  30%  1/3 documents  9/30 passages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.line(tt.pr, start.Add(tt.took)); got != tt.want {
				t.Errorf("line:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestProgressLogLines checks that off a terminal progress is logged, the
// first report at once and then at most once every progressLogEvery.
func TestProgressLogLines(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time { return now }
	p := newBuildProgress(&buf, slog.New(slog.NewTextHandler(&buf, nil)), clock)
	for i := 1; i <= 12; i++ {
		now = now.Add(time.Second)
		p.report(answer.Progress{Documents: i, TotalDocuments: 12, Passages: 10 * i, TotalPassages: 120})
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 { // after 1 s, 6 s and 11 s
		t.Fatalf("%d log lines, want 3:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{"msg=indexing", "documents=1 of_documents=12", "passages=10 of_passages=120", "passages_per_s=10", "left=11s"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("first line %q lacks %q", lines[0], want)
		}
	}
	if strings.Contains(buf.String(), "\r") {
		t.Error("a progress bar was drawn off a terminal")
	}
}

// cancelOn is standard error that cancels a context when a line holding
// what is written to it.
type cancelOn struct {
	what   string
	cancel context.CancelFunc
	mu     sync.Mutex
	buf    bytes.Buffer
}

func (w *cancelOn) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if bytes.Contains(p, []byte(w.what)) {
		w.cancel()
	}
	return w.buf.Write(p)
}

// TestIndexCancelKeepsOldIndex interrupts `storybot index` halfway through
// rebuilding a generated corpus of many documents, as Ctrl-C does: it stops
// with the cancellation, and the index built before stays the one in use
// and answers.
func TestIndexCancelKeepsOldIndex(t *testing.T) {
	gen := t.TempDir()
	if _, err := corpusgen.Write(gen, corpusgen.Config{Words: 40000, Seed: 3, WordsPerDocument: 2000, Questions: 3}); err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(gen, corpusgen.CorpusDir)
	data := t.TempDir()
	t.Setenv("STORYBOT_LOG_LEVEL", "info")
	t.Setenv("STORYBOT_LOG_FORMAT", "text")
	args := []string{"index", "--corpus", docs, "--data-dir", data}
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("first build: %v\n%s", err, errb.String())
	}
	c, err := corpus.LoadDir(docs)
	if err != nil {
		t.Fatal(err)
	}
	before, err := index.Served(data, c)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &cancelOn{what: "msg=indexing", cancel: cancel}
	out.Reset()
	err = run(ctx, args, strings.NewReader(""), &out, stderr)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted build: %v, want cancelled\n%s", err, stderr.buf.String())
	}
	if !strings.Contains(err.Error(), "the index in use is unchanged") {
		t.Errorf("error %q does not say the index in use is unchanged", err)
	}
	if out.Len() > 0 {
		t.Errorf("an interrupted build reports %q", out.String())
	}
	after, err := index.Served(data, c)
	if err != nil {
		t.Fatalf("after the interruption: %v", err)
	}
	if after.Dir != before.Dir || !after.Built.Equal(before.Built) {
		t.Errorf("index in use %s (built %s), was %s (built %s)", after.Dir, after.Built, before.Dir, before.Built)
	}
	folders, _ := filepath.Glob(filepath.Join(filepath.Dir(before.Dir), "*"))
	for _, f := range folders {
		if fi, err := os.Stat(f); err == nil && fi.IsDir() && f != before.Dir {
			t.Errorf("interrupted build left %s", f)
		}
	}

	qs, err := corpusgen.ReadQuestions(gen)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if err := run(context.Background(), []string{"ask", "--corpus", docs, "--data-dir", data, qs[0].Q}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("ask: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), qs[0].Keys[0]) {
		t.Errorf("ask %q: %q, want its key %q", qs[0].Q, out.String(), qs[0].Keys[0])
	}
	if now, err := index.Served(data, c); err != nil || now.Dir != before.Dir {
		t.Errorf("ask rebuilt the index: %s (%v), was %s", now.Dir, err, before.Dir)
	}
}
