package answer

import (
	"context"
	"fmt"
	"strings"
)

// ScoredSpan is one span of sentences the ranker scored for a question.
type ScoredSpan struct {
	// Passage is the span's passage ID, Text the answer it would give.
	Passage string
	Text    string
	// Score is Weights·Features, with the engine's weights.
	Score    float64
	Features Features
	// Right is true when the question set's judge accepts Text as the
	// answer (see Judge).
	Right bool
}

// Spans scores every span of the passages retrieved for q, in the order
// ranked (passage by passage, in the search's order, spans by first
// sentence then length), each labelled by the judge: the rows the ranker's
// weights are fitted on. Features do not depend on the weights. A question
// the engine refuses has none; an unanswerable one's are all wrong.
func (e *Engine) Spans(ctx context.Context, q EvalQuestion) ([]ScoredSpan, error) {
	cq, err := CheckQuestion(q.Q, MaxQuestionLen)
	if err != nil {
		return nil, nil
	}
	pq := e.prepare(cq, nil)
	hits, _, err := e.ix.Search(ctx, pq.query(), 0, e.opts.Candidates)
	if err != nil {
		return nil, fmt.Errorf("spans of %q: %w", q.Q, err)
	}
	var out []ScoredSpan
	_, err = e.rankSpans(ctx, pq, hits, func(c candidate) {
		parts, _ := e.parts(pq, c)
		texts := make([]string, len(parts))
		for i, p := range parts {
			texts[i] = p.Text
		}
		text := strings.Join(texts, " ")
		out = append(out, ScoredSpan{
			Passage:  c.passage.ID,
			Text:     text,
			Score:    c.score,
			Features: c.features,
			Right:    Judge(q, Answer{Found: true, Text: text}).Answer,
		})
	})
	if err != nil {
		return nil, fmt.Errorf("spans of %q: %w", q.Q, err)
	}
	return out, nil
}

// Explanation is what the ranker made of a question: the span it ranked
// first and the best ranked span the judge accepts, if any.
type Explanation struct {
	Given, Right *ScoredSpan
	// Weights are the engine's.
	Weights Weights
}

// Explain scores the spans for q (see Spans) and returns the first and the
// best right one.
func (e *Engine) Explain(ctx context.Context, q EvalQuestion) (Explanation, error) {
	spans, err := e.Spans(ctx, q)
	if err != nil {
		return Explanation{}, err
	}
	x := Explanation{Weights: e.weights}
	for i := range spans {
		s := &spans[i]
		if x.Given == nil || s.Score > x.Given.Score {
			x.Given = s
		}
		if s.Right && (x.Right == nil || s.Score > x.Right.Score) {
			x.Right = s
		}
	}
	return x, nil
}
