package main

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestServeNotReadyBeforeTheIndex holds the data folder's lock, as another
// storybot building the index would, so that serve waits to load it: its
// HTTP server answers meanwhile, alive but not ready.
func TestServeNotReadyBeforeTheIndex(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := runCmd(t, "", "index", "--corpus", testCorpus, "--data-dir", data); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	locks, _ := filepath.Glob(filepath.Join(data, "indexes", "*", "LOCK"))
	if len(locks) != 1 {
		t.Fatalf("lock files %q, want one", locks)
	}
	// Without CURRENT, serve must build the index, under the lock.
	if err := os.Remove(filepath.Join(filepath.Dir(locks[0]), "CURRENT")); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(locks[0], os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}

	c := startChild(t, map[string]string{
		"STORYBOT_DISCORD_TOKEN": testToken,
		"STORYBOT_HTTP_ADDR":     "127.0.0.1:0",
		"HTTPS_PROXY":            deadProxy,
	}, "serve", "--corpus", testCorpus, "--data-dir", data)
	base := "http://" + c.waitFor(t, servingHTTP)[1]
	if code, body := get(t, base, healthzPath); code != http.StatusOK {
		t.Errorf("/healthz while the index is locked: %d %q, want 200", code, body)
	}
	if code, body := get(t, base, readyzPath); code != http.StatusServiceUnavailable || body != "not ready: loading the index\n" {
		t.Errorf("/readyz while the index is locked: %d %q, want 503", code, body)
	}
	if _, body := get(t, base, metricsPath); !strings.Contains(body, "\nstorybot_ready 0\n") || !strings.Contains(body, "\nstorybot_index_passages 0\n") {
		t.Errorf("/metrics while the index is locked:\n%s", body)
	}

	// Released, the index is built and serve goes on to Discord, which it
	// cannot reach here.
	unix.Flock(int(lock.Fd()), unix.LOCK_UN)
	c.waitFor(t, regexp.MustCompile(`msg="corpus ready"`))
	if code := c.wait(t); code != 1 || !strings.Contains(c.output(), "open discord gateway") {
		t.Errorf("exit %d, want 1 for the gateway:\n%s", code, c.output())
	}
}
