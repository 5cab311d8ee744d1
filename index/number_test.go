package index

import (
	"context"
	"testing"
	"unsafe"

	"github.com/storybot/storybot/corpus"
)

// TestHitsNumberTheirPassages: every hit's number is that of its passage,
// and its ID the passage's own string,
// in the corpus the index was opened with, on an index of several
// segments, through both ways of searching, searched again (the names
// kept from the first search), and after a rebuild of the corpus without
// one of its documents, which numbers the passages after it anew.
func TestHitsNumberTheirPassages(t *testing.T) {
	ctx := context.Background()
	files := manyPassages()
	c := writeCorpus(t, t.TempDir(), files)
	ix, data := openUnmerged(t, c)
	if ix.cur.Load().segs == nil {
		t.Fatal("the index reads no postings itself")
	}
	checkNumbers(t, ix, c)
	checkNumbers(t, ix, c)
	ix.Close()

	delete(files, "doc1.txt")
	smaller := writeCorpus(t, t.TempDir(), files)
	ix, err := Build(ctx, data, smaller, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	checkNumbers(t, ix, smaller)
}

// checkNumbers searches ix, over the whole corpus c and within one
// document, and checks each hit's number against c.
func checkNumbers(t *testing.T, ix *Index, c *corpus.Corpus) {
	t.Helper()
	ctx := context.Background()
	seen := 0
	for _, q := range []Query{
		{Terms: []Term{{Term: "lantern"}, {Term: "ferri", Weight: 0.45}, {Term: "ember"}}},
		{Terms: []Term{{Term: "storm"}, {Term: "bell"}}, All: true},
		{Terms: []Term{{Term: "keeper"}, {Term: "gull"}}, Doc: "doc3"},
	} {
		hits, _, err := ix.Search(ctx, q, 0, 400)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if p := c.PassageAt(h.N); p == nil || p.ID != h.ID {
				t.Fatalf("%+v: hit %s numbered %d, the number of %v", q, h.ID, h.N, p)
			}
			if unsafe.StringData(h.ID) != unsafe.StringData(c.PassageAt(h.N).ID) {
				t.Fatalf("%+v: hit %s carries an ID of its own, not its passage's", q, h.ID)
			}
		}
		seen += len(hits)
	}
	if seen < 100 {
		t.Errorf("%d hits in all; want many", seen)
	}
}
