package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// TestTermsScoreAsBleve: a search that scores its terms from the postings
// finds the passages bleve's disjunction of term queries finds, with the
// same scores and the same count, on an index of one segment and of
// several: to the bit for up to searcher.DisjunctionHeapTakeover terms,
// which bleve adds up in an order of its own, to rounding for more; with
// terms weighed 1 and less, repeated, unknown and common, titles raising
// some passages, few and many passages asked for.
func TestTermsScoreAsBleve(t *testing.T) {
	files, vocab := titledDocuments()
	c := writeCorpus(t, t.TempDir(), files)
	t.Run("one segment", func(t *testing.T) {
		ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if n := len(ix.cur.Load().reader.(*scorch.IndexSnapshot).Segments()); n != 1 {
			t.Fatalf("%d segments, want 1", n)
		}
		checkTermsScoreAsBleve(t, ix, vocab)
	})
	// The postings of some terms, or of none, kept: the others read from
	// the segments at every search.
	for _, limit := range []int{0, 4096} {
		t.Run(fmt.Sprintf("%d bytes kept", limit), func(t *testing.T) {
			ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			segs := ix.cur.Load().segs
			segs.keepLimit = limit
			checkTermsScoreAsBleve(t, ix, vocab)
			if segs.keptBytes > limit || limit == 0 && len(segs.kept) != 0 || limit > 0 && len(segs.kept) == 0 {
				t.Errorf("%d terms' postings kept in %d bytes, limit %d", len(segs.kept), segs.keptBytes, limit)
			}
		})
	}
	t.Run("several segments", func(t *testing.T) {
		ix, _ := openUnmerged(t, c)
		defer ix.Close()
		checkTermsScoreAsBleve(t, ix, vocab)
	})
}

// checkTermsScoreAsBleve compares Search with the same search through
// bleve's searchers on ix, for random queries of the words of vocab.
func checkTermsScoreAsBleve(t *testing.T, ix *Index, vocab []string) {
	t.Helper()
	ctx := context.Background()
	if ix.cur.Load().segs == nil {
		t.Fatal("the index reads no postings itself: Search would compare bleve with bleve")
	}
	r := rand.New(rand.NewPCG(45, 11))
	var few, many, partial int
	for i := range 300 {
		var q Query
		nterms := 1 + r.IntN(searcher.DisjunctionHeapTakeover)
		if i%3 == 0 {
			nterms = searcher.DisjunctionHeapTakeover + 1 + r.IntN(30)
		}
		for range nterms {
			term := vocab[zipf(r, len(vocab))]
			if r.IntN(15) == 0 {
				term = "zq" + term // no passage holds it
			}
			w := []float64{1, 1, 0.45, 0.3, 0}[r.IntN(5)]
			q.Terms = append(q.Terms, Term{Term: term, Weight: w})
		}
		exact := len(ix.telling(q).Terms) <= searcher.DisjunctionHeapTakeover
		if exact {
			few++
		} else {
			many++
		}
		for _, page := range []struct{ from, size int }{{0, 1}, {0, 10}, {0, 30}, {3, 8}, {0, 400}} {
			got, gotTotal, err := ix.Search(ctx, q, page.from, page.size)
			if err != nil {
				t.Fatal(err)
			}
			want, wantTotal, err := ix.searchBy(ctx, q, page.from, page.size, (*handle).topBleve)
			if err != nil {
				t.Fatal(err)
			}
			if gotTotal != wantTotal || len(got) != len(want) {
				t.Fatalf("query %d %+v, from %d size %d: %d hits of %d, want %d of %d",
					i, q.Terms, page.from, page.size, len(got), gotTotal, len(want), wantTotal)
			}
			if exact {
				if !slices.Equal(got, want) {
					t.Fatalf("query %d %+v, from %d size %d:\n got %v\nwant %v", i, q.Terms, page.from, page.size, got, want)
				}
				continue
			}
			checkNearly(t, ix, q, got, want)
		}
		if hits, total, _ := ix.Search(ctx, q, 0, 1); len(hits) == 1 && total > 1 {
			partial++
		}
	}
	if few < 100 || many < 50 || partial < 100 {
		t.Errorf("%d queries of few terms, %d of many, %d matching several passages; want more", few, many, partial)
	}
}

// checkNearly checks that got scores as want to rounding, hit by hit, and
// that each hit of got scores what bleve scores that passage, so that got
// and want differ at most in the order of passages scoring the same to
// rounding.
func checkNearly(t *testing.T, ix *Index, q Query, got, want []Hit) {
	t.Helper()
	all, _, err := ix.searchBy(context.Background(), q, 0, ix.NumPassages(), (*handle).topBleve)
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]float64{}
	for _, h := range all {
		score[h.ID] = h.Score
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }
	for i := range got {
		s, ok := score[got[i].ID]
		if !near(got[i].Score, want[i].Score) || !ok || !near(got[i].Score, s) {
			t.Fatalf("query %+v: hit %d is %s scoring %v (bleve: %v, %v); want %s scoring %v",
				q.Terms, i, got[i].ID, got[i].Score, s, ok, want[i].ID, want[i].Score)
		}
	}
}

// TestSearchCancelled: a search whose context is done stops with the
// context's error, says nothing of damage and starts no rebuild, and the
// next search answers: through the postings, read for the first time and
// kept, and through bleve's searchers.
func TestSearchCancelled(t *testing.T) {
	ix, _ := openManyPassages(t)
	terms := []Term{{Term: ix.Analyze("keeper")[0].Term}, {Term: ix.Analyze("lantern")[0].Term}}
	for _, q := range []Query{{Terms: terms}, {Terms: terms}, {Terms: terms, All: true}} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, _, err := ix.Search(ctx, q, 0, 10); !errors.Is(err, context.Canceled) || errors.Is(err, ErrCorrupt) {
			t.Errorf("search all=%v cancelled: %v, want context.Canceled and no damage", q.All, err)
		}
		if ix.healing.Load() {
			t.Fatalf("search all=%v cancelled: the index is being rebuilt", q.All)
		}
		if hits, _, err := ix.Search(context.Background(), q, 0, 10); err != nil || len(hits) == 0 {
			t.Errorf("search all=%v after a cancelled one: %v, %v", q.All, hits, err)
		}
	}
}

// TestSelectBestKeepsWhatBestKeeps: selectBest keeps the matches best
// keeps, the n best and those that score the same as the n-th, for lists
// of few and many matches, many of them scoring the same.
func TestSelectBestKeepsWhatBestKeeps(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 45))
	for i := range 2000 {
		all := make([]match, r.IntN(300))
		levels := 1 + r.IntN(40)
		for j := range all {
			all[j] = match{score: float64(r.IntN(levels)) / 7, num: uint64(j)}
		}
		n := r.IntN(len(all) + 3)
		want := slices.Clone(best(slices.Clone(all), max(n, 1)))
		if n == 0 || len(all) == 0 {
			want = nil
		}
		got := slices.Clone(selectBest(slices.Clone(all), n))
		byNum := func(a, b match) int { return int(a.num) - int(b.num) }
		slices.SortFunc(got, byNum)
		slices.SortFunc(want, byNum)
		if !slices.Equal(got, want) {
			t.Fatalf("case %d: %d matches of %d scores, n %d: kept %d, want %d", i, len(all), levels, n, len(got), len(want))
		}
	}
}
