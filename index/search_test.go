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

// TestGroupedTermsCountOnce: the terms of one group stand for one word of
// the question, so a passage holding three of them counts, in the share of
// the query's terms it holds, as holding one, and loses to a passage that
// holds two of the question's words; ungrouped, it wins. Terms each in a
// group of their own score as they do ungrouped.
func TestGroupedTermsCountOnce(t *testing.T) {
	ctx := context.Background()
	files := map[string]string{
		"harbour.md": "# Harbour\n\nThe warden Jang Ho-jin spoke at noon.\n\nThe keeper lit the lantern at dusk.\n\n" +
			"The boats came home.\n\nGulls cried over the water.\n\nNets dried on the quay.\n\nThe tide turned late.\n",
	}
	c := writeCorpus(t, t.TempDir(), files)
	ix, err := Open(ctx, t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	term := func(w string, group int) Term { return Term{Term: ix.Analyze(w)[0].Term, Group: group} }
	grouped := []Term{term("keeper", 1), term("jang", 1), term("ho", 1), term("jin", 1), term("lantern", 2)}
	first := func(terms []Term) string {
		t.Helper()
		hits, _, err := ix.Search(ctx, Query{Terms: terms}, 0, 10)
		if err != nil || len(hits) < 2 {
			t.Fatalf("search %v: %v, %v", terms, hits, err)
		}
		return hits[0].ID
	}
	if got := first(grouped); got != "harbour#2" {
		t.Errorf("grouped: first %s, want harbour#2 (keeper and lantern)", got)
	}
	ungrouped := make([]Term, len(grouped))
	own := make([]Term, len(grouped))
	for i, tm := range grouped {
		ungrouped[i] = Term{Term: tm.Term}
		own[i] = Term{Term: tm.Term, Group: i + 1}
	}
	if got := first(ungrouped); got != "harbour#1" {
		t.Errorf("ungrouped: first %s, want harbour#1 (three of the terms)", got)
	}
	want, _, err := ix.Search(ctx, Query{Terms: ungrouped}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := ix.Search(ctx, Query{Terms: own}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("a group each: %d hits, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > 1e-12*want[i].Score {
			t.Errorf("a group each: hit %d is %s %g, want %s %g", i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
		}
	}
}
