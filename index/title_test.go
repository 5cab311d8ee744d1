package index

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestTitleRaisesItsDocument: a question word in a document's title raises
// the passages of that document that match the question, and matches no
// passage by itself.
func TestTitleRaisesItsDocument(t *testing.T) {
	ctx := context.Background()
	c := writeCorpus(t, t.TempDir(), map[string]string{
		"lantern.md": "# The Lantern\n\nThe keeper rowed out.\n\nGulls cried over the rocks.\n\nThe tide turned at dusk.\n",
		"tides.md":   "# Tides\n\nThe keeper rowed out.\n\nSeals slept on the sand.\n",
		"harbour.md": "# Harbour\n\nThe keeper rowed out.\n\nBoats bobbed.\n",
	})
	ix, err := Open(ctx, t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	query := func(words string) Query {
		var q Query
		for _, tok := range ix.Analyze(words) {
			q.Terms = append(q.Terms, Term{Term: tok.Term})
		}
		return q
	}

	// A title word alone: no passage's text holds it.
	if hits, total, err := ix.Search(ctx, query("lantern"), 0, 10); err != nil || total != 0 || len(hits) != 0 {
		t.Errorf("search lantern = %+v, %d matched, %v; want nothing: only a title holds it", hits, total, err)
	}

	hits, total, err := ix.Search(ctx, query("lantern keeper"), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(hits) != 3 {
		t.Fatalf("search lantern keeper = %+v, %d matched; want the 3 passages that say keeper", hits, total)
	}
	if hits[0].ID != "lantern#1" || !(hits[0].Score > hits[1].Score) {
		t.Errorf("search lantern keeper = %+v; want lantern#1 first, raised by its title", hits)
	}
	// The others score the same and come in ID order.
	if hits[1].ID != "harbour#1" || hits[2].ID != "tides#1" || hits[1].Score != hits[2].Score {
		t.Errorf("search lantern keeper = %+v; want harbour#1 then tides#1, scoring the same", hits)
	}
	// The title multiplies the passage's own score, the same with the
	// search restricted to the document or not.
	own, _, err := ix.Search(ctx, Query{Terms: query("lantern keeper").Terms, Doc: "lantern"}, 0, 10)
	if err != nil || len(own) != 1 {
		t.Fatalf("search lantern keeper in lantern = %+v, %v", own, err)
	}
	want := own[0].Score * (1 + titleWeight*0.5)
	if d := hits[0].Score - want; d > 1e-9 || d < -1e-9 {
		t.Errorf("lantern#1 scores %v, want %v (its score in its document × the title's factor)", hits[0].Score, want)
	}

	// Pages: the second page goes on from the first.
	page, _, err := ix.Search(ctx, query("lantern keeper"), 1, 1)
	if err != nil || len(page) != 1 || page[0].ID != "harbour#1" {
		t.Errorf("page 2 = %+v, %v; want harbour#1", page, err)
	}
}

// TestSearchAll: a search for all its terms matches only the passages
// that hold every one.
func TestSearchAll(t *testing.T) {
	ctx := context.Background()
	c := writeCorpus(t, t.TempDir(), tale)
	ix, err := Open(ctx, t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	terms := func(words string) []Term {
		var ts []Term
		for _, tok := range ix.Analyze(words) {
			ts = append(ts, Term{Term: tok.Term})
		}
		return ts
	}
	hits, total, err := ix.Search(ctx, Query{Terms: terms("keeper lantern"), All: true}, 0, 10)
	if err != nil || total != 1 || len(hits) != 1 || hits[0].ID != "tale#1" {
		t.Errorf("search keeper and lantern = %+v, %d matched, %v; want tale#1 alone", hits, total, err)
	}
	if _, total, err := ix.Search(ctx, Query{Terms: terms("keeper storm"), All: true}, 0, 10); err != nil || total != 0 {
		t.Errorf("search keeper and storm: %d matched, %v; want none", total, err)
	}
	if _, total, err := ix.Search(ctx, Query{Terms: terms("keeper storm")}, 0, 10); err != nil || total != 2 {
		t.Errorf("search keeper or storm: %d matched, %v; want 2", total, err)
	}
}

// TestCommonTermsLeftOut: in a corpus of many passages, a question term
// that most passages hold is not searched for while the question has a
// rarer one, so the search matches only what the rarer term picks out.
func TestCommonTermsLeftOut(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("# Harbour\n\n")
	for i := range minCommonPassages + 200 {
		if i%400 == 7 {
			fmt.Fprintf(&b, "The boat carried a lantern, trip %d.\n\n", i)
		} else {
			fmt.Fprintf(&b, "The boat went out, trip %d.\n\n", i)
		}
	}
	c := writeCorpus(t, t.TempDir(), map[string]string{"harbour.md": b.String()})
	ix, err := Open(ctx, t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var q Query
	for _, tok := range ix.Analyze("boat lantern") {
		q.Terms = append(q.Terms, Term{Term: tok.Term})
	}
	hits, total, err := ix.Search(ctx, q, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(hits) != 3 || hits[0].ID != "harbour#408" || hits[2].ID != "harbour#808" {
		t.Errorf("search boat lantern = %+v, %d matched; want the 3 passages with a lantern", hits, total)
	}
	// A term that one passage in eight holds is searched for beside a
	// rarer one: it tells the passages of one part of a corpus apart.
	var mast strings.Builder
	mast.WriteString("# Harbour\n\n")
	for i := range minCommonPassages + 200 {
		switch {
		case i == 8:
			fmt.Fprintf(&mast, "The boat carried a lantern on its mast, trip %d.\n\n", i)
		case i%400 == 7:
			fmt.Fprintf(&mast, "The boat carried a lantern, trip %d.\n\n", i)
		case i%8 == 0:
			fmt.Fprintf(&mast, "The boat lowered its mast, trip %d.\n\n", i)
		default:
			fmt.Fprintf(&mast, "The boat went out, trip %d.\n\n", i)
		}
	}
	mc := writeCorpus(t, t.TempDir(), map[string]string{"harbour.md": mast.String()})
	mix, err := Open(ctx, t.TempDir(), mc, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mix.Close()
	var mq Query
	for _, tok := range mix.Analyze("boat lantern mast") {
		mq.Terms = append(mq.Terms, Term{Term: tok.Term})
	}
	if got := mix.telling(mq); len(got.Terms) != 2 || got.Terms[0] != mq.Terms[1] || got.Terms[1] != mq.Terms[2] {
		t.Errorf("boat lantern mast searched as %v, want lantern and mast", got.Terms)
	}
	if hits, _, err := mix.Search(ctx, mq, 0, 3); err != nil || len(hits) == 0 || hits[0].ID != "harbour#9" {
		t.Errorf("search boat lantern mast = %+v, %v; want harbour#9, which holds both, first", hits, err)
	}
	// The common term alone is searched for.
	if _, total, err := ix.Search(ctx, Query{Terms: q.Terms[:1]}, 0, 10); err != nil || total != ix.NumPassages() {
		t.Errorf("search boat: %d matched, %v; want all %d", total, err, ix.NumPassages())
	}
	// Terms no passage holds, wherever they stand, change nothing: the
	// common term is still left out.
	unknown := Term{Term: "zqxj"}
	for _, terms := range [][]Term{
		{unknown, q.Terms[0], q.Terms[1]},
		{q.Terms[0], unknown, q.Terms[1]},
		{unknown, unknown, q.Terms[1], q.Terms[0]},
	} {
		got := ix.telling(Query{Terms: terms})
		if len(got.Terms) != 1 || got.Terms[0] != q.Terms[1] {
			t.Errorf("%v searched as %v, want only %v", terms, got.Terms, q.Terms[1])
		}
	}
	// The counts of passages a query gives its terms are taken for the
	// index's: given the index's own, the common term is left out as
	// before; given as rare, it is searched for.
	counted := slices.Clone(q.Terms)
	for i := range counted {
		counted[i].DocFreq = ix.DocFreq(counted[i].Term)
	}
	if got := ix.telling(Query{Terms: counted}); len(got.Terms) != 1 || got.Terms[0].Term != q.Terms[1].Term {
		t.Errorf("%v searched as %v, want only %v", counted, got.Terms, q.Terms[1])
	}
	counted[0].DocFreq = 1
	if got := ix.telling(Query{Terms: counted}); len(got.Terms) != 2 {
		t.Errorf("%v searched as %v, want both", counted, got.Terms)
	}
}

// TestTitlesRaiseWhileCollecting: a search that raises each match by its
// document's title as it collects finds the same passages, with the same
// scores to the bit, and the same count, as searching once without titles
// and once more within the documents of each factor the titles give, on
// an index of many documents whose titles share words with the passages.
func TestTitlesRaiseWhileCollecting(t *testing.T) {
	files, vocab := titledDocuments()
	c := writeCorpus(t, t.TempDir(), files)
	t.Run("one segment", func(t *testing.T) {
		ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		checkTitlesRaise(t, ix, vocab)
	})
	// As built before builds merged their segments.
	t.Run("several segments", func(t *testing.T) {
		ix, _ := openUnmerged(t, c)
		defer ix.Close()
		checkTitlesRaise(t, ix, vocab)
	})
}

// checkTitlesRaise compares Search with searchEachFactor on ix, for
// queries of the words of vocab.
func checkTitlesRaise(t *testing.T, ix *Index, vocab []string) {
	t.Helper()
	ctx := context.Background()
	if ix.NumPassages() < minCommonPassages {
		t.Fatalf("%d passages: too few to leave common terms out", ix.NumPassages())
	}
	r := rand.New(rand.NewPCG(11, 12))
	raised := 0
	for i := range 150 {
		var q Query
		for range 1 + r.IntN(6) {
			w := 1.0
			if r.IntN(3) == 0 {
				w = 0.45
			}
			q.Terms = append(q.Terms, Term{Term: vocab[zipf(r, len(vocab))], Weight: w})
		}
		if ix.titles.boosts(q.Terms) != nil {
			raised++
		}
		for _, page := range []struct{ from, size int }{{0, 1}, {0, 3}, {0, 10}, {0, 30}, {2, 8}, {0, 400}, {25, 5}} {
			got, gotTotal, err := ix.Search(ctx, q, page.from, page.size)
			if err != nil {
				t.Fatal(err)
			}
			want, wantTotal, err := searchEachFactor(ctx, ix, q, page.from, page.size)
			if err != nil {
				t.Fatal(err)
			}
			if gotTotal != wantTotal || !slices.Equal(got, want) {
				t.Fatalf("query %d %+v, from %d size %d:\n got %d matched, %v\nwant %d matched, %v",
					i, q.Terms, page.from, page.size, gotTotal, got, wantTotal, want)
			}
		}
	}
	if raised < 50 {
		t.Errorf("%d of 150 queries raised by titles; want most", raised)
	}
}

// searchEachFactor is Search as it was: the best from+size passages
// without titles, then the best from+size of the documents of each factor
// the titles give, each raised by its factor, all sorted by score and ID.
func searchEachFactor(ctx context.Context, ix *Index, q Query, from, size int) ([]Hit, int, error) {
	text := textQuery(ix.telling(q))
	if text == nil {
		return nil, 0, nil
	}
	n := from + size
	hits, total, err := ix.searchQuery(ctx, within(text, []string{q.Doc}), n, nil)
	if err != nil {
		return nil, 0, err
	}
	if boost := ix.titles.boosts(q.Terms); q.Doc == "" && boost != nil {
		seen := map[string]bool{}
		for i, h := range hits {
			seen[h.ID] = true
			if p := ix.corpus.Passage(h.ID); p != nil && boost[p.Doc.ID] > 0 {
				hits[i].Score *= boost[p.Doc.ID]
			}
		}
		groups := map[float64][]string{}
		for id, f := range boost {
			groups[f] = append(groups[f], id)
		}
		for _, f := range slices.Sorted(maps.Keys(groups)) {
			docs := groups[f]
			slices.Sort(docs)
			named, _, err := ix.searchQuery(ctx, within(text, docs), n, nil)
			if err != nil {
				return nil, 0, err
			}
			for _, h := range named {
				if !seen[h.ID] {
					seen[h.ID] = true
					hits = append(hits, Hit{ID: h.ID, N: h.N, Score: h.Score * f})
				}
			}
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if from >= len(hits) {
		return nil, total, nil
	}
	return hits[from:min(len(hits), n)], total, nil
}

// titledDocuments is a corpus of forty documents whose titles and
// passages draw on one vocabulary, its words used with Zipf's law's
// frequencies (some in most passages, most in few), and the vocabulary's
// words as the index holds them.
func titledDocuments() (map[string]string, []string) {
	r := rand.New(rand.NewPCG(3, 4))
	var vocab []string
	for i := range 300 {
		// Letters only, so that each word is a term of its own, unstemmed.
		vocab = append(vocab, "w"+strings.Map(func(d rune) rune { return 'a' + d - '0' }, fmt.Sprint(i))+"z")
	}
	files := map[string]string{}
	for d := range 40 {
		var b strings.Builder
		b.WriteString("#")
		for range 1 + r.IntN(3) {
			b.WriteString(" " + vocab[zipf(r, 60)])
		}
		b.WriteString("\n\n")
		for range 10 + r.IntN(40) {
			for w := range 4 + r.IntN(10) {
				if w > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(vocab[zipf(r, len(vocab))])
			}
			b.WriteString(".\n\n")
		}
		files[fmt.Sprintf("doc%02d.md", d)] = b.String()
	}
	return files, vocab
}

// zipf draws a number below n, k with a probability falling as 1/(k+1).
func zipf(r *rand.Rand, n int) int {
	return int(math.Exp(r.Float64()*math.Log(float64(n+1)))) - 1
}
