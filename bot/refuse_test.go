package bot

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/bot/internal/fakediscord"
)

// A question the engine would refuse is refused before anything is deferred:
// its user alone is told why, at once, and the log says it was refused, not
// that something failed.
func TestRefusedQuestion(t *testing.T) {
	h := start(t, realEngine(t), Config{})
	mention := "<@" + fakediscord.BotID + ">"
	long := strings.Repeat("keeper ", 100)

	interactions := []struct {
		name string
		i    map[string]any
		want string
	}{
		{"ask punctuation", slash("ask", opt("question", "?!")), msgNoWords + " " + msgNoQuestion},
		{"ask invisible", slash("ask", opt("question", "\u200b\u00ad\u202e")), msgNoQuestion},
		{"ask too long", slash("ask", opt("question", long)), fmt.Sprintf(msgTooLong, DefaultMaxQuestionLen)},
		{"search punctuation", slash("search", opt("query", "?! …")), msgNoWords + " " + msgNoQuery},
		{"context menu punctuation", messageCommand("?!"), msgNoWords + " " + msgNoText},
		{"context menu too long", messageCommand(long), fmt.Sprintf(msgTooLong, DefaultMaxQuestionLen)},
	}
	var tokens []string
	for _, c := range interactions {
		t.Run(c.name, func(t *testing.T) {
			id, token := h.interact(t, c.i)
			tokens = append(tokens, token)
			r := h.callback(t, id, token)
			if r.Type != 4 || r.Data.Flags != 64 || r.Data.text() != c.want {
				t.Errorf("first response %+v, want the ephemeral refusal %q", r, c.want)
			}
		})
	}

	h.fake.Dispatch(t, "MESSAGE_CREATE", chat(testGuild, testChannel, testUser, false, mention+" ?!", fakediscord.BotID))
	if m := h.sent(t, testChannel, 1); m.text() != msgNoWords+" "+msgMentionHow || m.MessageReference == nil || len(m.Embeds) != 0 {
		t.Errorf("mention: %+v", m)
	}
	h.fake.Dispatch(t, "MESSAGE_CREATE", chat("", dmChannel, testUser, false, long))
	if m := h.sent(t, dmChannel, 1); m.text() != fmt.Sprintf(msgTooLong, DefaultMaxQuestionLen) {
		t.Errorf("DM: %+v", m)
	}

	h.shutdown(t) // waits for any work
	for _, token := range tokens {
		for _, method := range []string{"PATCH", "DELETE"} {
			if n := h.count(method, originalPath(token)); n != 0 {
				t.Errorf("%s of the original response %d times after a refusal", method, n)
			}
		}
		if n := h.count("POST", webhookPath(token)); n != 0 {
			t.Errorf("%d follow-ups after a refusal", n)
		}
	}
	logs := h.logs.String()
	refused := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var l struct{ Level, Msg, Reason string }
		decodeJSON(t, []byte(line), &l)
		if l.Level == "ERROR" || l.Level == "WARN" {
			t.Errorf("a refusal logged as a failure: %s", line)
		}
		if l.Msg == "question refused" && l.Level == "INFO" {
			refused[l.Reason]++
		}
	}
	want := map[string]int{"no words": 4, "empty": 1, "too long": 3}
	if !maps.Equal(refused, want) {
		t.Errorf("refusals logged by reason: %v, want %v", refused, want)
	}
}

func TestRefusalMessages(t *testing.T) {
	seen := map[string]answer.Reason{}
	for _, r := range []answer.Reason{answer.ReasonEmpty, answer.ReasonTooLong, answer.ReasonNotText, answer.ReasonNoWords} {
		msg := refusal(&answer.RefusedError{Reason: r, Max: 500}, msgNoQuestion)
		if msg == "" || textLen(msg) > maxContent {
			t.Errorf("%v: %q", r, msg)
		}
		if other, ok := seen[msg]; ok {
			t.Errorf("%v and %v are told the same: %q", r, other, msg)
		}
		seen[msg] = r
	}
}
