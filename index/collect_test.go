package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestTopIsBleveSearchRequest: the passages a search keeps, their scores
// and how many matched are those of bleve's own search request sorted by
// score and then ID, for few and many passages asked for, many of them
// scoring the same, more matching than are held before they are cut down.
func TestTopIsBleveSearchRequest(t *testing.T) {
	ctx := context.Background()
	c := writeCorpus(t, t.TempDir(), manyPassages())
	ix, err := Open(ctx, t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.NumPassages() < 2*minCut {
		t.Fatalf("%d passages: too few to cut matches down", ix.NumPassages())
	}
	bi := ix.cur.Load().bi
	for _, words := range []string{"keeper", "keeper lantern", "storm glass ember ferry bell", "zqxj"} {
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
				hits, total, err := ix.search(ctx, bq, n)
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
