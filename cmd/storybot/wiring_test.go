package main

import (
	"bytes"
	"context"
	"errors"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBleveLogsInOneFormat checks that what bleve logs by itself (here,
// that it cannot load a damaged index) reaches the log as slog lines, not
// as the standard logger's dated ones.
func TestBleveLogsInOneFormat(t *testing.T) {
	logs := logsOfDamagedIndex(t, "warn", "text", false)
	if !strings.Contains(logs, `level=WARN msg="unable to load snapshot`) {
		t.Errorf("bleve's warning is not in the log:\n%s", logs)
	}
	if dated := regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d `); dated.MatchString(logs) {
		t.Errorf("a line bypassed slog:\n%s", logs)
	}
}

// TestIndexErrorsSayEachThingOnce checks that an index error names each
// step once ("build index: build index: context canceled" was one).
func TestIndexErrorsSayEachThingOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	t.Setenv("STORYBOT_DATA_DIR", t.TempDir())
	for _, args := range [][]string{
		{"index", "--corpus", testCorpus},
		{"ask", "--corpus", testCorpus, "Who kept the light?"},
	} {
		var out, errb bytes.Buffer
		err := run(ctx, args, strings.NewReader(""), &out, &errb)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s with a cancelled context: %v, want context.Canceled", args[0], err)
		}
		for _, step := range []string{"build index", "open index", "index passages"} {
			if n := strings.Count(err.Error(), step); n > 1 {
				t.Errorf("%s: %q says %q %d times", args[0], err, step, n)
			}
		}
	}
}

// logsOfDamagedIndex builds the index of testCorpus, removes its segment
// files so that bleve logs that it cannot load them, asks a question over
// it, and returns what storybot logged at level in format: for the question
// alone, or with all the build logged too.
func logsOfDamagedIndex(t *testing.T, level, format string, all bool) string {
	t.Helper()
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	data := t.TempDir()
	t.Setenv("STORYBOT_DATA_DIR", data)
	t.Setenv("STORYBOT_CORPUS", "")
	t.Setenv("STORYBOT_LOG_LEVEL", level)
	t.Setenv("STORYBOT_LOG_FORMAT", format)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"index", "--corpus", testCorpus}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	zaps, _ := filepath.Glob(filepath.Join(data, "indexes", "*", "idx-*", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment files to remove")
	}
	for _, z := range zaps {
		os.Remove(z) // bleve logs that it cannot load the snapshot
	}
	if !all {
		errb.Reset()
	}
	if err := run(context.Background(), []string{"ask", "--corpus", testCorpus, "Who kept the light?"}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	return errb.String()
}
