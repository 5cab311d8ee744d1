package live

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// logBuffer is a log written to from any goroutine.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestOpenReusesCorpusLayout checks that a library opened on a corpus whose
// index is built cuts the files as the index recorded rather than parsing
// them, and answers as the first one did.
func TestOpenReusesCorpusLayout(t *testing.T) {
	dir := writeCorpus(t, map[string]string{"orchard.txt": orchardText, "harbour.txt": harbourText})
	data := t.TempDir()
	var logs [2]logBuffer
	var answers [2]string
	for i := range logs {
		logger := slog.New(slog.NewTextHandler(&logs[i], &slog.HandlerOptions{Level: slog.LevelDebug}))
		l, err := Open(context.Background(), Config{CorpusDir: dir, DataDir: data, Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		answers[i], _ = mustAnswer(t, l, "Who rang the fog bell?")
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(logs[0].String(), "reused=0") {
		t.Errorf("first open: %s", logs[0].String())
	}
	if !strings.Contains(logs[1].String(), "documents=2 reused=2") {
		t.Errorf("second open did not reuse the layout: %s", logs[1].String())
	}
	if answers[1] == "" || answers[1] != answers[0] {
		t.Errorf("answers %q and %q", answers[0], answers[1])
	}
}
