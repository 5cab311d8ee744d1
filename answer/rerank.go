package answer

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/storybot/storybot/answer/learn"
)

// Reranker is the ranker's second stage: it re-orders the first K spans
// the linear score ranks, best span of each passage, by their linear
// scores plus a forest of regression trees over each span's features, its
// place in the ranking and how it stands to the first (see rerankRow): the
// trees can weigh one feature by another as a linear score cannot. Fitted by cmd/fit on the
// training set (see rerank_fitted.go); with no trees it changes nothing.
type Reranker struct {
	// K is how many of the first spans it re-orders.
	K      int
	Forest learn.Forest
}

// The features the reranker reads beyond a span's own Features, at
// NumFeatures and after in its row.
const (
	// rerankGap: the span's linear score less the first span's.
	rerankGap = int(NumFeatures) + iota
	// rerankRank: its place in the linear ranking, from 0.
	rerankRank
	// rerankAfter and rerankBefore: 1 when its passage is the one after,
	// or before, the first span's in their document.
	rerankAfter
	rerankBefore
	// rerankSameDoc: 1 when it is of the first span's document.
	rerankSameDoc
	// rerankCover and rerankEvidence: candidate.cover and evidence.
	rerankCover
	rerankEvidence
	// rerankKinds: one for each kind of thing a question may ask for
	// (kindPerson to kindFeeling), 1 for the question's.
	rerankKinds
	// rerankDeed: 1 when the question asks what someone did (see
	// asksDeed), rerankFollows when it asks what came after.
	rerankDeed    = rerankKinds + kindFeeling
	rerankFollows = rerankDeed + 1
	// rerankExactGap, rerankCoverGap, rerankProximityGap and
	// rerankRetrievalGap: the span's FeatExact, cover, FeatProximity and
	// FeatRetrieval less the first span's.
	rerankExactGap     = rerankFollows + 1
	rerankCoverGap     = rerankFollows + 2
	rerankProximityGap = rerankFollows + 3
	rerankRetrievalGap = rerankFollows + 4
	// NumRerankFeatures counts the reranker's features.
	NumRerankFeatures = rerankRetrievalGap + 1
)

// rerankNames are the names of the reranker's own features.
var rerankNames = [NumRerankFeatures - int(NumFeatures)]string{
	rerankGap - int(NumFeatures):          "gap",
	rerankRank - int(NumFeatures):         "rank",
	rerankAfter - int(NumFeatures):        "after_first",
	rerankBefore - int(NumFeatures):       "before_first",
	rerankSameDoc - int(NumFeatures):      "same_doc",
	rerankCover - int(NumFeatures):        "cover",
	rerankEvidence - int(NumFeatures):     "evidence",
	rerankKinds - int(NumFeatures):        "asks_person",
	rerankKinds + 1 - int(NumFeatures):    "asks_time",
	rerankKinds + 2 - int(NumFeatures):    "asks_number",
	rerankKinds + 3 - int(NumFeatures):    "asks_place",
	rerankKinds + 4 - int(NumFeatures):    "asks_reason",
	rerankKinds + 5 - int(NumFeatures):    "asks_feeling",
	rerankDeed - int(NumFeatures):         "asks_deed",
	rerankFollows - int(NumFeatures):      "asks_after",
	rerankExactGap - int(NumFeatures):     "exact_gap",
	rerankCoverGap - int(NumFeatures):     "cover_gap",
	rerankProximityGap - int(NumFeatures): "proximity_gap",
	rerankRetrievalGap - int(NumFeatures): "retrieval_gap",
}

// RerankFeatureName is the name of the reranker's feature i.
func RerankFeatureName(i int) string {
	if i < int(NumFeatures) {
		return Feature(i).String()
	}
	if i < NumRerankFeatures {
		return rerankNames[i-int(NumFeatures)]
	}
	return fmt.Sprintf("rerank(%d)", i)
}

// rerankRow fills row with the reranker's features of span i of ranked,
// the linear ranker's first spans for question pq, best first.
func (e *Engine) rerankRow(row *[NumRerankFeatures]float64, pq *question, ranked []candidate, i int) {
	c, first := &ranked[i], &ranked[0]
	copy(row[:NumFeatures], c.features[:])
	clear(row[NumFeatures:])
	row[rerankGap] = c.score - first.score
	row[rerankRank] = float64(i)
	if i > 0 {
		prev, next := e.neighbours(first.passage)
		row[rerankAfter] = boolFeature(c.passage == next)
		row[rerankBefore] = boolFeature(c.passage == prev)
		row[rerankSameDoc] = boolFeature(c.passage.Doc == first.passage.Doc)
	}
	row[rerankCover] = c.cover
	row[rerankEvidence] = c.evidence()
	if k := pq.kind.kind; k > kindAny && k <= kindFeeling {
		row[rerankKinds+k-1] = 1
	}
	row[rerankDeed] = boolFeature(asksDeed(*pq))
	row[rerankFollows] = boolFeature(pq.follows)
	row[rerankExactGap] = c.features[FeatExact] - first.features[FeatExact]
	row[rerankCoverGap] = c.cover - first.cover
	row[rerankProximityGap] = c.features[FeatProximity] - first.features[FeatProximity]
	row[rerankRetrievalGap] = c.features[FeatRetrieval] - first.features[FeatRetrieval]
}

// maxRerank bounds Reranker.K: the scores of the spans it re-orders are
// kept on the stack.
const maxRerank = 32

// rerank re-orders the first spans of ranked, the linear ranker's best
// first, by the engine's reranker, ties in the linear order.
func (e *Engine) rerank(pq *question, ranked []candidate) []candidate {
	r := &e.reranker
	k := min(r.K, len(ranked), maxRerank)
	if len(r.Forest) == 0 || k < 2 {
		return ranked
	}
	var scores [maxRerank]float64
	var order [maxRerank]int
	e.rerankScores(pq, ranked[:k], scores[:k])
	for i := range k {
		order[i] = i
	}
	slices.SortStableFunc(order[:k], func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	if slices.IsSorted(order[:k]) {
		return ranked
	}
	var firsts [maxRerank]candidate
	copy(firsts[:k], ranked[:k])
	for i, j := range order[:k] {
		ranked[i] = firsts[j]
	}
	return ranked
}

// rerankScores sets scores[i] to the reranker's score of ranked[i], the
// linear ranker's first spans, best first: its linear score less the
// first's plus its trees'.
func (e *Engine) rerankScores(pq *question, ranked []candidate, scores []float64) {
	var row [NumRerankFeatures]float64
	for i := range ranked {
		e.rerankRow(&row, pq, ranked, i)
		scores[i] = row[rerankGap] + e.reranker.Forest.Score(row[:])
	}
}

// RerankedSpan is one of the first spans the linear score ranks, as the
// reranker scores it.
type RerankedSpan struct {
	Passage     string
	First, Last int
	// Linear is its linear score, Score the reranker's (see rerankScores).
	Linear, Score float64
}

// Reranked returns the first spans the linear score ranks for q, in its
// order, with the reranker's scores; none when the engine has no reranker
// or refuses q.
func (e *Engine) Reranked(ctx context.Context, q EvalQuestion) ([]RerankedSpan, error) {
	k := e.rerankNeed()
	cq, err := CheckQuestion(q.Q, MaxQuestionLen)
	if err != nil || k == 0 {
		return nil, nil
	}
	pq := e.prepare(cq)
	hits, err := e.trainHits(ctx, pq)
	if err != nil {
		return nil, fmt.Errorf("rerank %q: %w", q.Q, err)
	}
	ranked, err := e.rankSpans(ctx, pq, hits, nil)
	if err != nil {
		return nil, fmt.Errorf("rerank %q: %w", q.Q, err)
	}
	ranked = ranked[:min(k, len(ranked))]
	scores := make([]float64, len(ranked))
	e.rerankScores(&pq, ranked, scores)
	out := make([]RerankedSpan, len(ranked))
	for i, c := range ranked {
		out[i] = RerankedSpan{Passage: c.passage.ID, First: c.first, Last: c.last, Linear: c.score, Score: scores[i]}
	}
	return out, nil
}

// rerankNeed is how many of the first spans the reranker reads, which the
// ranker must rank exactly.
func (e *Engine) rerankNeed() int {
	if len(e.reranker.Forest) == 0 {
		return 0
	}
	return min(e.reranker.K, maxRerank)
}

// RerankGroup is what the reranker reads of the first spans the linear
// ranker ranks for a question, the rows a reranker is fitted on.
type RerankGroup struct {
	// Rows are the spans' features (see rerankRow), best first by the
	// linear score; Right whether the judge accepts the answer each
	// would give.
	Rows  [][]float64
	Right []bool
	// Linear are their linear scores less the first's, to which the
	// reranker adds its trees' scores.
	Linear []float64
	// Doc is the document of the first right span, "" when none is right.
	Doc string
}

// RerankGroup ranks the passages retrieved for q by the linear score alone
// and returns the reranker's rows of the first k spans. A question the
// engine refuses has none.
func (e *Engine) RerankGroup(ctx context.Context, q EvalQuestion, k int) (RerankGroup, error) {
	cq, err := CheckQuestion(q.Q, MaxQuestionLen)
	if err != nil {
		return RerankGroup{}, nil
	}
	pq := e.prepare(cq)
	hits, err := e.trainHits(ctx, pq)
	if err != nil {
		return RerankGroup{}, fmt.Errorf("rerank rows of %q: %w", q.Q, err)
	}
	// Given every span, the ranker ranks every passage exactly.
	ranked, err := e.rankSpans(ctx, pq, hits, func(candidate) {})
	if err != nil {
		return RerankGroup{}, fmt.Errorf("rerank rows of %q: %w", q.Q, err)
	}
	var g RerankGroup
	for i := range min(k, len(ranked)) {
		var row [NumRerankFeatures]float64
		e.rerankRow(&row, &pq, ranked, i)
		parts, _ := e.parts(pq, answerSpan(pq, ranked[i]))
		texts := make([]string, len(parts))
		for i, p := range parts {
			texts[i] = p.Text
		}
		right := Judge(q, Answer{Found: true, Text: strings.Join(texts, " ")}).Answer
		if right && g.Doc == "" {
			g.Doc = ranked[i].passage.Doc.ID
		}
		g.Rows = append(g.Rows, row[:])
		g.Linear = append(g.Linear, row[rerankGap])
		g.Right = append(g.Right, right)
	}
	return g, nil
}
