package answer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestLeansOnPronoun(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"She ran home.", true},
		{"When he came home, the door was shut.", true},
		{"And so they went down to the sea together.", true},
		{"The cat looked at the dog and then at her.", false},
		{"Odo rowed the boat across the river.", false},
		{"Their boat was grey.", true},
		{"The ferryman, who was old and tired, rowed him over.", false},
	} {
		if got := leansOnPronoun(tt.s); got != tt.want {
			t.Errorf("leansOnPronoun(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// writeTale writes the documents of files into a new folder and returns
// an engine over them.
func writeTale(t *testing.T, files map[string]string) *Engine {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return testEngine(t, dir)
}

// spansOf ranks every span of the passages retrieved for q on e, by
// passage ID and first sentence, and returns them with the best span of
// each passage.
func spansOf(t *testing.T, e *Engine, q string) (map[string]map[int]candidate, []candidate) {
	t.Helper()
	ctx := context.Background()
	pq := e.prepare(q)
	hits, _, err := e.ix.Search(ctx, pq.query(), 0, e.opts.Candidates)
	if err != nil {
		t.Fatal(err)
	}
	spans := map[string]map[int]candidate{}
	ranked, err := e.rankSpans(ctx, pq, hits, func(c candidate) {
		if spans[c.passage.ID] == nil {
			spans[c.passage.ID] = map[int]candidate{}
		}
		if _, ok := spans[c.passage.ID][c.first]; !ok || c.last == c.first {
			spans[c.passage.ID][c.first] = c
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return spans, ranked
}

// TestCarriedNamesBeforePronoun checks FeatCarried: a span whose first
// sentence speaks of someone as "he" counts the question's words that the
// sentence before it holds (the passage before, for the first sentence of
// a passage, when it was retrieved) and the span lacks; a span that names
// its people counts none.
func TestCarriedNamesBeforePronoun(t *testing.T) {
	e := writeTale(t, map[string]string{
		"mill.txt": "Old Odo the miller ground the corn at the mill by the river.\n\n" +
			"When he had done, he carried the sacks of flour to the market. The baker in the square bought every sack before noon.\n\n" +
			"Odo the miller went home at dusk. Then he slept by the fire until morning.\n",
		"farm.txt": "The farmer carried sacks of eggs to the market every week.\n",
	})
	spans, _ := spansOf(t, e, "Where did Odo the miller carry the sacks?")
	for _, tt := range []struct {
		passage string
		first   int
		carried bool
	}{
		{"mill#2", 0, true},  // "When he had done": Odo and the miller are in mill#1
		{"mill#2", 1, false}, // "The baker in the square": no pronoun in its first words
		{"mill#3", 0, false}, // names Odo the miller itself
		{"mill#3", 1, true},  // "Then he slept": the sentence before names him
		{"farm#1", 0, false},
	} {
		c, ok := spans[tt.passage][tt.first]
		if !ok {
			t.Errorf("%s, sentence %d: no span ranked", tt.passage, tt.first)
			continue
		}
		if got := c.features[FeatCarried] > 0; got != tt.carried {
			t.Errorf("%s, sentence %d: carried %.3f, want above 0: %v", tt.passage, tt.first, c.features[FeatCarried], tt.carried)
		}
	}
}
