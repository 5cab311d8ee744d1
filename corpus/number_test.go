package corpus

import (
	"testing"
	"testing/fstest"
)

// TestPassageNumbers: a passage's number is its place among Passages, for
// a loaded corpus and one built by hand, and PassageAt and Passage find it.
func TestPassageNumbers(t *testing.T) {
	loaded, err := Load(fstest.MapFS{
		"a.txt": {Data: []byte("One.\n\nTwo.\n\nThree.\n")},
		"b.txt": {Data: []byte("Four.\n\nFive.\n")},
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	byHand := &Corpus{Documents: loaded.Documents}
	for name, c := range map[string]*Corpus{"loaded": loaded, "by hand": byHand} {
		ps := c.Passages()
		if len(ps) != 5 {
			t.Fatalf("%s: %d passages, want 5", name, len(ps))
		}
		for i, p := range ps {
			if n, ok := c.Number(p.ID); !ok || n != i {
				t.Errorf("%s: %s numbered %d, %v; want %d", name, p.ID, n, ok, i)
			}
			if got := c.PassageAt(i); got != p {
				t.Errorf("%s: passage %d is %v, want %s", name, i, got, p.ID)
			}
			if got := c.Passage(p.ID); got != p {
				t.Errorf("%s: passage %s is %v", name, p.ID, got)
			}
		}
		for _, n := range []int{-1, len(ps)} {
			if p := c.PassageAt(n); p != nil {
				t.Errorf("%s: passage %d is %s, want none", name, n, p.ID)
			}
		}
		if _, ok := c.Number("nowhere#1"); ok || c.Passage("nowhere#1") != nil {
			t.Errorf("%s: a passage for an ID no passage has", name)
		}
	}
}
