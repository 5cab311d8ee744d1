package answer

import (
	"context"
	"slices"
	"testing"
)

// TestTellingTable checks each analysed sentence of the test corpus: its
// words named through the stored vocabulary are those stored, and the bits
// it gets through the table of its words' IDs, or from its words when the
// table holds no bits, are those of its words looked at one by one.
func TestTellingTable(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	list, err := e.ix.WordList()
	if err != nil {
		t.Fatal(err)
	}
	tt := e.telling()
	if len(tt.of) != len(list) || len(tt.bits) < 2 {
		t.Fatalf("table of %d words and %d bits, for %d words", len(tt.of), len(tt.bits), len(list))
	}
	plain := tellingTable{words: list}
	stops := 0
	for _, p := range e.c.Passages() {
		stored, err := e.ix.Sentences(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		sents, err := e.analyse(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range sents {
			var want []string
			for _, id := range stored[i].WordIDs {
				want = append(want, list[id])
			}
			if got := s.words.strings(); !slices.Equal(got, want) || s.words.len() != len(want) {
				t.Errorf("%s sentence %d: words %q, stored %q", p.ID, i, got, want)
			}
			ws, wk := wordsBits(want)
			if s.stops != ws || s.kinds != wk {
				t.Errorf("%s sentence %d: bits %x %04b, its words %x %04b", p.ID, i, s.stops, s.kinds, ws, wk)
			}
			if ps, pk := plain.sentenceBits(stored[i].WordIDs); ps != ws || pk != wk {
				t.Errorf("%s sentence %d: bits with none in the table %x %04b, its words %x %04b", p.ID, i, ps, pk, ws, wk)
			}
			if s.stops != 0 {
				stops++
			}
		}
	}
	if stops == 0 {
		t.Error("no sentence holds a stop word")
	}
}

// wordsBits are the stop words and kinds of answer of words ws, each word
// looked at.
func wordsBits(ws []string) (stops uint64, kinds uint8) {
	for _, w := range ws {
		b := wordBitsOf(w)
		stops |= b.stop
		kinds |= b.kinds
	}
	return stops, kinds
}
