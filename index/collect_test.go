package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/storybot/storybot/corpus"
)

// TestTopIsBleveSearchRequest: the passages a search keeps, their scores
// and how many matched are those of bleve's own search request sorted by
// score and then ID, for few and many passages asked for, many of them
// scoring the same, more matching than are held before they are cut down.
func TestTopIsBleveSearchRequest(t *testing.T) {
	ctx := context.Background()
	ix, _ := openManyPassages(t)
	if ix.NumPassages() < 2*minCut {
		t.Fatalf("%d passages: too few to cut matches down", ix.NumPassages())
	}
	checkTop(t, ix, "keeper", "keeper lantern", "storm glass ember ferry bell", "zqxj")

	// A thousand passages and more that all score the same: those kept are
	// the first by ID ("same#1000" before "same#101"), wherever they come
	// among the matches.
	var b strings.Builder
	for range 1100 {
		b.WriteString("The keeper rowed out to the lantern at dusk, as the keeper always did.\n\n")
	}
	same, err := Open(ctx, t.TempDir(), writeCorpus(t, t.TempDir(), map[string]string{"same.txt": b.String()}), quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer same.Close()
	if same.NumPassages() <= 1000 {
		t.Fatalf("%d passages, want more than 1000", same.NumPassages())
	}
	checkTop(t, same, "keeper")
}

// checkTop checks ix's searches for each of words, for few and many
// passages asked for, against bleve's own search request.
func checkTop(t *testing.T, ix *Index, words ...string) {
	t.Helper()
	ctx := context.Background()
	bi := ix.cur.Load().bi
	for _, words := range words {
		var q Query
		for i, tok := range ix.Analyze(words) {
			q.Terms = append(q.Terms, Term{Term: tok.Term, Weight: 1 + float64(i%2)})
		}
		bq := textQuery(q)
		req := bleve.NewSearchRequestOptions(bq, ix.NumPassages(), 0, false)
		req.SortBy([]string{"-_score", "_id"})
		res, err := bi.SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 1, 5, 30, minCut, ix.NumPassages()} {
			t.Run(fmt.Sprintf("%s/%d", words, n), func(t *testing.T) {
				hits, total, err := ix.searchQuery(ctx, bq, n, nil)
				if err != nil {
					t.Fatal(err)
				}
				want := res.Hits[:min(n, len(res.Hits))]
				if total != int(res.Total) || len(hits) != len(want) {
					t.Fatalf("%d hits of %d, want %d of %d", len(hits), total, len(want), res.Total)
				}
				for i, h := range hits {
					if h.ID != want[i].ID || h.Score != want[i].Score {
						t.Fatalf("hit %d is %s scoring %v, want %s scoring %v", i, h.ID, h.Score, want[i].ID, want[i].Score)
					}
				}
			})
		}
	}
}

// TestSearchesGiveBackTheirMatches: after searches of every shape, the
// matches kept for the next search are each kept once: no two searches
// could be handed the same one.
func TestSearchesGiveBackTheirMatches(t *testing.T) {
	ctx := context.Background()
	ix, c := openManyPassages(t)
	h := ix.cur.Load()
	checked := 0
	words := []string{"keeper", "keeper lantern storm", "glass ember ferry bell rope salt tide reef mast sail anchor net fish"}
	for _, w := range words {
		var terms []Term
		for _, tok := range ix.Analyze(w) {
			terms = append(terms, Term{Term: tok.Term})
		}
		for _, q := range []Query{{Terms: terms}, {Terms: terms, All: true}, {Terms: terms, Doc: c.Documents[0].ID}} {
			if _, _, err := ix.Search(ctx, q, 0, 10); err != nil {
				t.Fatal(err)
			}
			pool, _ := h.matches.Get().(*bsearch.DocumentMatchPool)
			if pool == nil {
				continue // sync.Pool may drop what it holds (under -race, at random)
			}
			checked++
			seen := map[*bsearch.DocumentMatch]bool{}
			empty := false
			pool.TooSmall = func(*bsearch.DocumentMatchPool) *bsearch.DocumentMatch {
				empty = true
				return &bsearch.DocumentMatch{}
			}
			var taken []*bsearch.DocumentMatch
			for !empty {
				dm := pool.Get()
				if !empty && seen[dm] {
					t.Fatalf("%+v: a match kept twice", q)
				}
				seen[dm] = true
				taken = append(taken, dm)
			}
			if len(seen) < 2 {
				t.Errorf("%+v: %d matches kept", q, len(seen))
			}
			for _, dm := range taken {
				pool.Put(dm)
			}
			h.matches.Put(pool)
		}
	}
	if checked == 0 {
		t.Error("no search kept its matches")
	}
}

// TestSearchesAtOnce: searches running at once on one index, sharing its
// reader, the matches kept between searches and the postings they read
// and keep, each find what a search through bleve's searchers finds
// alone.
func TestSearchesAtOnce(t *testing.T) {
	ctx := context.Background()
	ix, _ := openManyPassages(t)
	var queries []Query
	for _, w := range []string{"keeper", "lantern storm glass", "ember ferry bell rope salt tide reef mast sail"} {
		var q Query
		for _, tok := range ix.Analyze(w) {
			q.Terms = append(q.Terms, Term{Term: tok.Term})
		}
		queries = append(queries, q)
	}
	want := make([][]Hit, len(queries))
	for i, q := range queries {
		var err error
		if want[i], _, err = ix.searchBy(ctx, q, 0, 30, (*handle).topBleve); err != nil {
			t.Fatal(err)
		}
	}
	const searchers, rounds = 8, 20
	errs := make(chan error, searchers)
	for g := range searchers {
		go func() {
			for r := range rounds {
				i := (g + r) % len(queries)
				got, _, err := ix.Search(ctx, queries[i], 0, 30)
				if err == nil && !slices.Equal(got, want[i]) {
					err = fmt.Errorf("query %d found %v, alone %v", i, got, want[i])
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range searchers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// openManyPassages opens an index of manyPassages, closed when the test
// ends, and returns it with its corpus.
func openManyPassages(t *testing.T) (*Index, *corpus.Corpus) {
	t.Helper()
	c := writeCorpus(t, t.TempDir(), manyPassages())
	ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, c
}

// TestCountingHoldsNoMatches: a search for no passages, only for how
// many match, counts them all and holds none of them.
func TestCountingHoldsNoMatches(t *testing.T) {
	ctx := context.Background()
	ix, _ := openManyPassages(t)
	q := textQuery(Query{Terms: []Term{{Term: "keeper"}, {Term: "lantern"}, {Term: "storm"}}})
	hits, total, err := ix.searchQuery(ctx, q, 0, nil)
	if err != nil || len(hits) != 0 || total < minCut {
		t.Fatalf("count = %v, %d, %v; want no hits of more than %d", hits, total, err, minCut)
	}
	held, _ := ix.cur.Load().held.Get().(*[]match)
	if held == nil {
		t.Skip("sync.Pool dropped the buffer (under -race, at random)")
	}
	if cap(*held) != 0 {
		t.Errorf("counting %d matches held a buffer of %d", total, cap(*held))
	}
}
