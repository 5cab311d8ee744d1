package index

import (
	"context"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// syncBuilder is a strings.Builder safe for the goroutines bleve logs from.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestBleveLogsGoThroughSlog(t *testing.T) {
	var logs syncBuilder
	RouteLogs(slog.NewTextHandler(&logs, nil))
	t.Cleanup(func() {
		RouteLogs(slog.DiscardHandler)
		log.SetOutput(os.Stderr)
		log.SetFlags(log.LstdFlags)
	})

	c := writeCorpus(t, t.TempDir(), tale)
	data := t.TempDir()
	ix, err := Open(context.Background(), data, c, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := ix.Stats().Dir
	ix.Close()
	// A missing segment makes bleve's scorch log that it cannot load the
	// index's snapshot.
	zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	for _, z := range zaps {
		os.Remove(z)
	}
	ix, err = Open(context.Background(), data, c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// And the mapping's own logger.
	newMapping().AnalyzerNamed("no-such-analyzer")

	got := logs.String()
	for _, want := range []string{
		`level=WARN msg="unable to load snapshot`,
		`level=WARN msg="error using analyzer named: no-such-analyzer"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("logs lack %s:\n%s", want, got)
		}
	}
}
