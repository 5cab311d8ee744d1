package bot

import (
	"bytes"
	"encoding/json"
	"log"
	"strings"
	"testing"
)

// logLines decodes the JSON log lines the harness's bot wrote.
func (h *harness) logLines(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(h.logs.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestDiscordgoLogsThroughSlog(t *testing.T) {
	var std bytes.Buffer
	saved, flags := log.Writer(), log.Flags()
	log.SetOutput(&std)
	t.Cleanup(func() { log.SetOutput(saved); log.SetFlags(flags) })

	h := start(t, newTestEngine(), Config{})
	// discordgo cannot decode this event and logs so; events are handled in
	// order, so once the DM after it is answered the line has been logged.
	bad := chat("", dmChannel, testUser, false, "")
	bad["content"] = 5
	h.fake.Dispatch(t, "MESSAGE_CREATE", bad)
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, testUser, false, "who is Mara?"))
	h.sent(t, dmChannel, 1)

	found := false
	for _, l := range h.logLines(t) {
		msg, _ := l["msg"].(string)
		if strings.Contains(msg, "error unmarshalling MESSAGE_CREATE event") {
			found = true
			if src, _ := l[keySource].(string); l["level"] != "ERROR" || l[keyLibrary] != "discordgo" || !strings.HasPrefix(src, "wsapi.go:") {
				t.Errorf("discordgo's line: %v", l)
			}
		}
	}
	if !found {
		t.Errorf("discordgo's line is not in the bot's log:\n%s", h.logs.String())
	}
	if strings.Contains(std.String(), "[DG") {
		t.Errorf("discordgo wrote to the standard log: %s", std.String())
	}
}
