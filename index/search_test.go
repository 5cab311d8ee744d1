package index

import (
	"context"
	"math"
	"testing"
)

// TestUnknownTermsLeaveRanks searches with and without terms no passage
// holds: the same passages come back in the same order, each scoring the
// same share of the best one's score.
func TestUnknownTermsLeaveRanks(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), manyPassages())
	ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	own := []Term{{Term: ix.Analyze("keeper")[0].Term}, {Term: ix.Analyze("lantern")[0].Term, Weight: 0.3}}
	for _, tt := range []struct {
		name  string
		terms []Term
	}{
		{"after", append(own[:2:2], Term{Term: "zqxj"}, Term{Term: "vvkw", Weight: 2})},
		{"before", append([]Term{{Term: "zqxj"}}, own...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, wantTotal, err := ix.Search(context.Background(), Query{Terms: own}, 0, 20)
			if err != nil {
				t.Fatal(err)
			}
			got, total, err := ix.Search(context.Background(), Query{Terms: tt.terms}, 0, 20)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < 2 || len(got) != len(want) || total != wantTotal {
				t.Fatalf("%d hits of %d, want %d of %d (and at least 2)", len(got), total, len(want), wantTotal)
			}
			for i := range want {
				if got[i].ID != want[i].ID {
					t.Fatalf("hit %d is %s, want %s", i, got[i].ID, want[i].ID)
				}
				if g, w := got[i].Score/got[0].Score, want[i].Score/want[0].Score; math.Abs(g-w) > 1e-12 {
					t.Errorf("hit %d scores %g of the best, want %g", i, g, w)
				}
			}
		})
	}
	// A query of unknown terms only still searches, and finds nothing.
	if hits, total, err := ix.Search(context.Background(), Query{Terms: []Term{{Term: "zqxj"}}}, 0, 20); err != nil || len(hits) != 0 || total != 0 {
		t.Errorf("unknown terms only: %d hits of %d, %v", len(hits), total, err)
	}
}
