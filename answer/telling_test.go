package answer

import (
	"context"
	"testing"

	"github.com/storybot/storybot/index"
)

// TestTellingTable checks the bits each analysed sentence of the test
// corpus gets through the table of its words' IDs against those of its
// words looked at one by one, and the table's fallbacks: IDs it does not
// hold, or not one for each word.
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
			ids := stored[i].WordIDs
			if len(ids) != len(s.words) {
				t.Fatalf("%s sentence %d: %d word IDs for %d words", p.ID, i, len(ids), len(s.words))
			}
			for j, id := range ids {
				if list[id] != s.words[j] {
					t.Errorf("%s sentence %d: word ID %d is %q, the word %q", p.ID, i, id, list[id], s.words[j])
				}
			}
			ws, wk := wordsBits(s.words)
			if s.stops != ws || s.kinds != wk {
				t.Errorf("%s sentence %d: bits %x %04b, its words %x %04b", p.ID, i, s.stops, s.kinds, ws, wk)
			}
			if s.stops != 0 {
				stops++
			}
		}
	}
	if stops == 0 {
		t.Error("no sentence holds a stop word")
	}
	ws := []string{"the", "why", "lamp"}
	want, wantKinds := wordsBits(ws)
	for name, ids := range map[string][]index.WordID{
		"an ID beyond the table": {0, index.WordID(len(list)), 1},
		"fewer IDs than words":   {0},
	} {
		if got, kinds := tt.sentenceBits(ws, ids); got != want || kinds != wantKinds {
			t.Errorf("%s: bits %x %04b, the words' %x %04b", name, got, kinds, want, wantKinds)
		}
	}
	if got, kinds := (tellingTable{}).sentenceBits(ws, []index.WordID{0, 1, 2}); got != want || kinds != wantKinds {
		t.Errorf("an empty table: bits %x %04b, the words' %x %04b", got, kinds, want, wantKinds)
	}
}
