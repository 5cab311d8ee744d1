package answer

import (
	"slices"
	"testing"

	"github.com/storybot/storybot/index"
)

// TestLookupSharedMaskBits looks up term IDs that share a bit of the
// question's mask: only the question's own come back, each with its forms.
func TestLookupSharedMaskBits(t *testing.T) {
	var q questionIDs
	for _, f := range []termForm{{id: 7, term: 0}, {id: 64, term: 3}, {id: 7 + maskBits, term: 1}, {id: 7 + maskBits, term: 2}} {
		q.all = append(q.all, f)
		q.mask.set(f.id)
	}
	for _, tt := range []struct {
		id    index.TermID
		terms []int
	}{
		{7, []int{0}}, {7 + maskBits, []int{1, 2}}, {7 + 2*maskBits, nil}, {64, []int{3}}, {64 + maskBits, nil}, {8, nil},
	} {
		var got []int
		for _, f := range q.lookup(tt.id) {
			got = append(got, f.term)
		}
		if !slices.Equal(got, tt.terms) {
			t.Errorf("lookup(%d) = terms %v, want %v", tt.id, got, tt.terms)
		}
	}
}

// TestStopBits checks that a sentence's stop-word bits say which of the
// stop words it holds, each word its own bit.
func TestStopBits(t *testing.T) {
	seen := uint64(0)
	for w := range stopWords {
		b := stopBit[w]
		if b == 0 || b&(b-1) != 0 || seen&b != 0 || stopBitOf(w) != b {
			t.Fatalf("stop word %q has bits %b (%b by its shape)", w, b, stopBitOf(w))
		}
		seen |= b
	}
	ws := wordsOf("Under the bridge, not before dawn, the keeper waited by the café's door with Ünal.")
	var held uint64
	for _, w := range ws {
		held |= stopBitOf(w)
	}
	for _, w := range []string{"", "the", "tower", "überall", "b", "keeper's"} {
		if b := stopBitOf(w); b != 0 {
			t.Errorf("stopBitOf(%q) = %b, want none", w, b)
		}
	}
	for w := range stopWords {
		if got, want := held&stopBit[w] != 0, ws.has(w); got != want {
			t.Errorf("%q: bit %v, word %v", w, got, want)
		}
	}
}
