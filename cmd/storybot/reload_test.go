//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/answer/live"
)

// waitDeadline bounds how long a test waits for something the code under
// test does in another goroutine.
const waitDeadline = 10 * time.Second

func TestSIGHUPFeedsReload(t *testing.T) {
	reload, stop := notifyReload()
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case sig := <-reload:
		if sig != syscall.SIGHUP {
			t.Errorf("got %v", sig)
		}
	case <-time.After(waitDeadline):
		t.Fatal("SIGHUP did not reach the reload channel")
	}
}

// servedCorpus makes a corpus folder of one document and a library over it.
func servedCorpus(t *testing.T, data string) (dir string, lib *live.Library) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orchard.txt"), []byte("The miller, a stern man called Hobb, chased the children away.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the library's log:\n%s", logs.String())
		}
	})
	lib, err := live.Open(context.Background(), live.Config{CorpusDir: dir, DataDir: data, Logger: slog.New(slog.NewTextHandler(&logs, nil)), PollEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return dir, lib
}

// syncBuffer is a buffer safe for the goroutines of a library to log to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const harbour = "The harbour master was a woman named Ysolde Brannock.\n"

// answeredFrom waits until lib answers q from document doc.
func answeredFrom(t *testing.T, lib *live.Library, q, doc string) {
	t.Helper()
	deadline := time.Now().Add(waitDeadline)
	for {
		a, err := lib.Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found && a.Citations[0].Doc == doc {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q is not answered from %s", q, doc)
		}
		time.Sleep(time.Millisecond)
	}
}

// A signal on the reload channel rebuilds the index while the bot runs, and
// the change is recorded as made by SIGHUP.
func TestServeReindexesOnReload(t *testing.T) {
	data := t.TempDir()
	dir, lib := servedCorpus(t, data)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	reload := make(chan os.Signal, 1)
	err := serve(context.Background(), lib, logger, reload, func(ctx context.Context) error {
		if err := os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte(harbour), 0o644); err != nil {
			return err
		}
		reload <- syscall.SIGHUP
		answeredFrom(t, lib, "Who was the harbour master?", "harbour")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	lc := lib.Info().LastChange
	if lc == nil || lc.Who != sighup || lc.Action != answer.ActionReindex || !lc.OK || len(lc.Report.Added) != 1 {
		t.Errorf("last change = %+v", lc)
	}
	if !strings.Contains(logs.String(), `msg="rebuilding the index" signal=hangup`) {
		t.Errorf("the signal is not logged:\n%s", logs.String())
	}
}

// storybot index from a shell rebuilds the index, records the change and
// prints the report; a running serve swaps to the new index.
func TestServeSwapsToTheShellsIndex(t *testing.T) {
	data := t.TempDir()
	dir, lib := servedCorpus(t, data)
	t.Setenv("STORYBOT_LOG_LEVEL", "warn")
	var out, errb bytes.Buffer
	err := serve(context.Background(), lib, slog.New(slog.DiscardHandler), nil, func(ctx context.Context) error {
		if err := os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte(harbour), 0o644); err != nil {
			return err
		}
		if err := run(ctx, []string{"index", "--corpus", dir, "--data-dir", data}, strings.NewReader(""), &out, &errb); err != nil {
			return err
		}
		answeredFrom(t, lib, "Who was the harbour master?", "harbour")
		// The change log is read again at the next look.
		deadline := time.Now().Add(waitDeadline)
		for {
			lc := lib.Info().LastChange
			if lc != nil && lc.Who == shell && lc.OK {
				return nil
			}
			if time.Now().After(deadline) {
				t.Fatalf("last change = %+v, want the shell's", lc)
			}
			time.Sleep(time.Millisecond)
		}
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if got := out.String(); !strings.HasPrefix(got, "indexed 2 documents, 2 passages in ") || !strings.Contains(got, "\nadded: harbour\ncorpus: "+dir+"\n") {
		t.Errorf("storybot index printed:\n%s", got)
	}

}

// SIGHUP to a running serve rebuilds the index from the corpus folder: the
// change is logged, counted in /metrics and answered from.
func TestSIGHUPToARunningServe(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orchard.txt"), []byte("The miller, a stern man called Hobb, chased the children away.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := startChild(t, map[string]string{
		"STORYBOT_DISCORD_TOKEN":  testToken,
		"STORYBOT_HTTP_ADDR":      "127.0.0.1:0",
		"STORYBOT_PUBLIC_KEY":     hex.EncodeToString(pub),
		"STORYBOT_APPLICATION_ID": "100000000000000001",
		"HTTPS_PROXY":             deadProxy,
	}, "serve", "--http", "--corpus", dir)
	base := "http://" + c.waitFor(t, servingHTTP)[1]
	waitReady(t, base)
	if err := os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte(harbour), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	c.waitFor(t, regexp.MustCompile(`msg="corpus changed" .*who=SIGHUP .*action=reindex .*added=\[harbour\]`))
	// The change is counted once recorded, moments after it is logged:
	// each GET is the pause between two tries.
	deadline := time.Now().Add(childDeadline)
	for {
		_, metrics := get(t, base, metricsPath)
		if strings.Contains(metrics, `storybot_corpus_changes_total{action="reindex",result="ok"} 1`+"\n") &&
			strings.Contains(metrics, "storybot_index_documents 2\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics does not count the change:\n%s", metrics)
		}
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := c.wait(t); code != 0 {
		t.Errorf("exit %d after SIGTERM, want 0:\n%s", code, c.output())
	}
}
