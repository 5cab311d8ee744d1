package answer

import (
	"testing"

	"github.com/storybot/storybot/index"
)

// TestPassageOfHit: a hit's passage is found by its number when the
// engine's corpus numbers it so, and by its ID when the number is another
// passage's or none (a hit from an index of another corpus).
func TestPassageOfHit(t *testing.T) {
	e := storyEngine(t)
	ps := e.c.Passages()
	if len(ps) < 3 {
		t.Fatalf("%d passages, want at least 3", len(ps))
	}
	p := ps[2]
	for _, n := range []int{2, 0, -1, len(ps)} {
		if got := e.passageOf(index.Hit{ID: p.ID, N: n}); got != p {
			t.Errorf("hit %s numbered %d: passage %v, want %s", p.ID, n, got, p.ID)
		}
	}
	if got := e.passageOf(index.Hit{ID: "nowhere#1", N: 2}); got != nil {
		t.Errorf("hit of no passage: passage %s, want none", got.ID)
	}
}
