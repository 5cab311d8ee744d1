package answer

import (
	"fmt"
	"testing"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// TestPassageCacheIsBounded fills the engine's passage cache with many
// times what it holds: it keeps at most two generations, and the passages
// asked for last.
func TestPassageCacheIsBounded(t *testing.T) {
	c := passageCache{Size: cachedPassages}
	const n = 5 * cachedPassages
	ps := make([]corpus.Passage, n)
	for i := range n {
		ps[i].ID = fmt.Sprint("p#", i)
		id := ps[i].ID
		if _, ok := c.Get(&ps[i]); ok {
			t.Fatalf("%s cached before it was put", id)
		}
		c.Put(&ps[i], []sentenceTerms{{words: sentenceWords{ids: []index.WordID{0}, vocab: []string{id}}}})
		// One passage asked for again and again stays.
		if v, ok := c.Get(&ps[0]); !ok || v[0].words.at(0) != "p#0" {
			t.Fatalf("after %d passages, p#0 is no longer cached", i+1)
		}
	}
	if held := c.Len(); held > 2*cachedPassages {
		t.Errorf("cache holds %d passages, want at most %d", held, 2*cachedPassages)
	}
	for i := n - cachedPassages; i < n; i++ {
		if _, ok := c.Get(&ps[i]); !ok {
			t.Fatalf("recent passage p#%d not cached", i)
		}
	}
}
