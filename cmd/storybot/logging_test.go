package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestJSONLogs checks that with STORYBOT_LOG_FORMAT=json every line on
// standard error is one JSON record, storybot's own and bleve's alike.
func TestJSONLogs(t *testing.T) {
	logs := logsOfDamagedIndex(t, "debug", "json", true)
	var bleves int
	lines := strings.Split(strings.TrimSuffix(logs, "\n"), "\n")
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
		t.Errorf("bleve's warning is not in the log:\n%s", logs)
	}
	if len(lines) < 3 {
		t.Errorf("only %d lines logged at debug", len(lines))
	}
}
