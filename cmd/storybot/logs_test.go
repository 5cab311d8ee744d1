package main

import (
	"bytes"
	"context"
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
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	data := t.TempDir()
	t.Setenv("STORYBOT_DATA_DIR", data)
	t.Setenv("STORYBOT_CORPUS", "")
	t.Setenv("STORYBOT_LOG_LEVEL", "warn")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"index", "--corpus", testCorpus}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	zaps, _ := filepath.Glob(filepath.Join(data, "indexes", "*", "idx-*", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment files to remove")
	}
	for _, z := range zaps {
		os.Remove(z)
	}
	errb.Reset()
	if err := run(context.Background(), []string{"ask", "--corpus", testCorpus, "Who kept the light?"}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	logs := errb.String()
	if !strings.Contains(logs, `level=WARN msg="unable to load snapshot`) {
		t.Errorf("bleve's warning is not in the log:\n%s", logs)
	}
	if dated := regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d `); dated.MatchString(logs) {
		t.Errorf("a line bypassed slog:\n%s", logs)
	}
}
