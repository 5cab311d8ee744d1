package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONLogs checks that with STORYBOT_LOG_FORMAT=json every line on
// standard error is one JSON record, storybot's own and bleve's alike.
func TestJSONLogs(t *testing.T) {
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	data := t.TempDir()
	t.Setenv("STORYBOT_DATA_DIR", data)
	t.Setenv("STORYBOT_CORPUS", "")
	t.Setenv("STORYBOT_LOG_LEVEL", "debug")
	t.Setenv("STORYBOT_LOG_FORMAT", "json")
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
	if err := run(context.Background(), []string{"ask", "--corpus", testCorpus, "Who kept the light?"}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	var bleves int
	lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
	for _, line := range lines {
		var rec struct{ Time, Level, Msg string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Time == "" || rec.Level == "" || rec.Msg == "" {
			t.Errorf("not a JSON record: %q (%v)", line, err)
		}
		if strings.HasPrefix(rec.Msg, "unable to load snapshot") {
			bleves++
		}
	}
	if bleves == 0 {
		t.Errorf("bleve's warning is not in the log:\n%s", errb.String())
	}
	if len(lines) < 3 {
		t.Errorf("only %d lines logged at debug", len(lines))
	}
}
