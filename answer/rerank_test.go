package answer

import (
	"context"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer/learn"
	"github.com/storybot/storybot/corpus"
)

// TestRerankReordersTheFirstSpans ranks the golden questions with a
// reranker of one tree that puts every span the linear score ranks first
// behind the next two: the first three come in the order 2, 3, 1, the rest
// as the linear score has them, and the answer is the new first's.
func TestRerankReordersTheFirstSpans(t *testing.T) {
	linear := testEngine(t, "testdata/corpus").With(Options{Reranker: &Reranker{}})
	behind := &Reranker{K: 3, Forest: learn.Forest{{
		{Feature: rerankRank, Threshold: 0.5, Left: 1, Right: 2}, {Value: 0}, {Value: 1e6},
	}}}
	e := linear.With(Options{Reranker: behind})
	if got := e.rankNeed().first; got < 3 {
		t.Errorf("rankNeed().first = %d with a reranker of 3 spans, want 3 at least", got)
	}
	ctx := context.Background()
	moved := 0
	for _, q := range goldenQuestions(t) {
		_, want, err := linear.retrieve(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		_, got, err := e.retrieve(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d ranked, %d by the linear score", q, len(got), len(want))
		}
		if len(want) < 3 {
			continue
		}
		moved++
		order := []int{1, 2, 0}
		for i := 3; i < len(want); i++ {
			order = append(order, i)
		}
		for i, j := range order {
			if got[i].passage != want[j].passage || got[i].first != want[j].first {
				t.Errorf("%q: ranked %s, the linear score %s; want its %d at %d", q, passageIDs(got), passageIDs(want), j, i)
				break
			}
		}
		a, err := e.Answer(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if a.Found && (len(a.Citations) == 0 || a.Citations[0].Passage != want[1].passage.ID) {
			t.Errorf("%q: answered from %v, want the linear second %s", q, a.Citations, want[1].passage.ID)
		}
	}
	if moved == 0 {
		t.Fatal("no golden question ranks three passages")
	}
	// eval -v's view: the linear order, with the second stage's scores.
	for _, q := range goldenQuestions(t) {
		rs, err := e.Reranked(ctx, EvalQuestion{Q: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 3 && !(rs[0].Score < rs[2].Score && rs[2].Score <= rs[1].Score && rs[0].Linear >= rs[1].Linear) {
			t.Errorf("%q: reranked %+v, want the first scored least, in the linear order", q, rs)
		}
		if rs, _ := linear.Reranked(ctx, EvalQuestion{Q: q}); rs != nil {
			t.Errorf("%q: reranked %+v with no reranker", q, rs)
		}
	}
}

// TestRerankRow checks the reranker's own features of a span against the
// first span: its gap, its place, its passage beside the first's, and the
// question's kind.
func TestRerankRow(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	var d *corpus.Document
	for _, doc := range e.c.Documents {
		if len(doc.Passages) >= 3 {
			d = doc
			break
		}
	}
	if d == nil {
		t.Fatal("no document of three passages")
	}
	ps := d.Passages
	ranked := []candidate{
		{passage: ps[1], score: 2, cover: 0.5},
		{passage: ps[2], score: 1.5},
		{passage: ps[0], score: 1},
	}
	pq := e.prepare("Who did the keeper see?")
	for i, want := range []map[int]float64{
		{rerankGap: 0, rerankRank: 0, rerankCover: 0.5, rerankKinds + kindPerson - 1: 1},
		{rerankGap: -0.5, rerankCoverGap: -0.5, rerankRank: 1, rerankAfter: 1, rerankSameDoc: 1, rerankKinds + kindPerson - 1: 1},
		{rerankGap: -1, rerankCoverGap: -0.5, rerankRank: 2, rerankBefore: 1, rerankSameDoc: 1, rerankKinds + kindPerson - 1: 1},
	} {
		var row [NumRerankFeatures]float64
		e.rerankRow(&row, &pq, ranked, i)
		for f := int(NumFeatures); f < NumRerankFeatures; f++ {
			if row[f] != want[f] {
				t.Errorf("span %d: %s = %v, want %v", i, RerankFeatureName(f), row[f], want[f])
			}
		}
	}
	for f := range NumRerankFeatures {
		if name := RerankFeatureName(f); name == "" || strings.HasPrefix(name, "rerank(") {
			t.Errorf("feature %d has no name", f)
		}
	}
}
