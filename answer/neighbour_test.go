package answer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/storybot/storybot/corpus"
)

// TestNeighbourOrdersPassages checks that the passages ranked for a
// question are ordered by scores that count FeatNeighbour: each passage's
// best span carries the best lexical cover of any span of the retrieved
// passages just before and after it, and the order and the scores
// citations are made from include it.
func TestNeighbourOrdersPassages(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"ferry.txt": "The ferryman Odo rowed the grey boat across the wide river every morning.\n\n" +
			"One winter the river froze solid from bank to bank, and the boat stood still.\n\n" +
			"So Odo walked across the ice with the mail sack on his back.\n",
		"mill.txt": "The miller sold flour at the market beside the river.\n\n" +
			"His wheel turned all summer and stopped when the frost came.\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := testEngine(t, dir)
	ctx := context.Background()
	pq := e.prepare("How did Odo cross the frozen river?")
	hits, _, err := e.ix.Search(ctx, pq.query(), 0, e.opts.Candidates)
	if err != nil {
		t.Fatal(err)
	}
	cover := map[string]float64{}
	ranked, err := e.rankSpans(ctx, pq, hits, func(c candidate) {
		cover[c.passage.ID] = max(cover[c.passage.ID], c.cover)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ranked) < 3 {
		t.Fatalf("%d passages ranked, want at least 3", len(ranked))
	}
	beside := 0
	for i, c := range ranked {
		prev, next := e.c.Neighbours(c.passage)
		want := 0.0
		for _, p := range []*corpus.Passage{prev, next} {
			if p != nil {
				want = max(want, cover[p.ID])
			}
		}
		if got := c.features[FeatNeighbour]; got != want {
			t.Errorf("%s: neighbour %.3f, want %.3f, the best cover beside it", c.passage.ID, got, want)
		}
		if want > 0 {
			beside++
		}
		if s := e.weights.Score(&c.features); c.score != s {
			t.Errorf("%s: score %.3f, want %.3f, its features weighed", c.passage.ID, c.score, s)
		}
		if i > 0 && c.score > ranked[i-1].score {
			t.Errorf("%s (%.3f) ranked below %s (%.3f)", c.passage.ID, c.score, ranked[i-1].passage.ID, ranked[i-1].score)
		}
	}
	if beside == 0 {
		t.Error("no passage ranked stands beside another that matches")
	}
}
