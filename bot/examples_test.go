package bot

import (
	"context"
	"log/slog"
	"os"
	"regexp"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/corpus"
)

// The example questions the bot's how-to and the README give are answered by
// the story that ships inside the binary, and the example search finds
// passages in it.
func TestExamplesFitTheStory(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := answer.Open(context.Background(), c, t.TempDir(), slog.New(slog.DiscardHandler), answer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	find := func(where, text, pattern string, min int) []string {
		var out []string
		for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(text, -1) {
			out = append(out, m[1])
		}
		if len(out) < min {
			t.Errorf("%s: %d examples matching %s, want at least %d", where, len(out), pattern, min)
		}
		return out
	}
	questions := find("how-to", msgMentionHow, `“@storybot ([^”]+)”`, 1)
	questions = append(questions, find("README", string(readme), "`/ask question: ([^`]+)`", 1)...)
	questions = append(questions, find("README", string(readme), "`@storybot ([^`]+)`", 1)...)
	for _, q := range questions {
		a, err := e.Answer(context.Background(), q)
		if err != nil || !a.Found {
			t.Errorf("example %q: found %v, %v", q, a.Found, err)
		}
	}
	for _, q := range find("README", string(readme), "`/search query: ([^`]+)`", 1) {
		if res, err := e.Search(context.Background(), q, 0, 5); err != nil || len(res.Hits) == 0 {
			t.Errorf("example search %q: %+v, %v", q, res, err)
		}
	}
}
