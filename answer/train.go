package answer

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/storybot/storybot/index"
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
	// First and Last are the span's first and last sentences in its
	// passage.
	First, Last int
}

// spareHits is how many passages past Options.Candidates Spans retrieves,
// so that those tied at the cut are cut in the order of their IDs.
const spareHits = 10

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
	pq := e.prepare(cq)
	hits, _, err := e.ix.Search(ctx, pq.query(), 0, e.opts.Candidates+spareHits)
	if err != nil {
		return nil, fmt.Errorf("spans of %q: %w", q.Q, err)
	}
	// The index's scores differ in their last bits from one build to
	// another, and so may the order of passages that score nearly the
	// same: rounded, and ties put in the order of their IDs, they do not.
	for i := range hits {
		hits[i].Score = math.Round(hits[i].Score/retrievalGrain) * retrievalGrain
	}
	slices.SortStableFunc(hits, func(a, b index.Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	hits = hits[:min(len(hits), e.opts.Candidates)]
	var out []ScoredSpan
	_, err = e.rankSpans(ctx, pq, hits, func(c candidate) {
		parts, _ := e.parts(&passageMarks{e: e, pq: &pq}, c)
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
			First:    c.first,
			Last:     c.last,
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
	// Evidence is the answerability model's probability that the answer
	// the engine gives answers the question, MinEvidence the least it must
	// be (Options.MinEvidence; negative: every answer is given). Evidence
	// is 0 when nothing was ranked.
	Evidence, MinEvidence float64
	// NearMiss says why the question is a near miss, turned down whatever
	// the model says (see nearMiss); "" when it is none.
	NearMiss string
}

// Explain scores the spans for q (see Spans) and returns the first and the
// best right one.
func (e *Engine) Explain(ctx context.Context, q EvalQuestion) (Explanation, error) {
	spans, err := e.Spans(ctx, q)
	if err != nil {
		return Explanation{}, err
	}
	x := Explanation{Weights: e.weights, MinEvidence: e.opts.MinEvidence}
	if x.Evidence, x.NearMiss, err = e.verdict(ctx, q.Q); err != nil {
		return Explanation{}, err
	}
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

// PairOptions choose the spans of one question that Pairs pairs.
type PairOptions struct {
	// Right bounds the right spans paired, taken in the order ranked.
	Right int
	// Hard is how many of the wrong spans paired are those the hand-set
	// weights score best: a choice that does not depend on the weights
	// being fitted, of the spans a ranker must learn to tell from the
	// right ones.
	Hard int
	// Wrong bounds the wrong spans paired: after the hard ones, those of
	// the right ones' passages, then others taken evenly through the order
	// ranked.
	Wrong int
}

// DefaultPairs are the pair options the committed weights are fitted with.
//
// Measured with cmd/fit -try on fairytale-val, xquad and the story's
// paraphrases: many wrong spans taken evenly beat many hard ones (16 or 48
// hard ones cost xquad up to 4 points), and a single right span pairs too
// few.
var DefaultPairs = PairOptions{Right: 3, Hard: 4, Wrong: 64}

// Pairs appends to x, y and w the rows of a pairwise fit of the ranker's
// weights from the spans of one question, chosen by o: for each pair of a
// right span and a wrong one, the difference of their features labelled 1
// and its opposite labelled 0, each pair weighed so that every question
// weighs the same. A question without a right or a wrong span gives none.
func Pairs(spans []ScoredSpan, o PairOptions, x [][]float64, y, w []float64) ([][]float64, []float64, []float64) {
	var right, hard, near, far []int
	passages := map[string]bool{}
	for i, s := range spans {
		if s.Right && len(right) < o.Right {
			right = append(right, i)
			passages[s.Passage] = true
		}
	}
	for i, s := range spans {
		if !s.Right {
			hard = append(hard, i)
		}
	}
	hw := handWeights
	slices.SortStableFunc(hard, func(a, b int) int {
		return cmp.Compare(hw.Score(&spans[b].Features), hw.Score(&spans[a].Features))
	})
	hard = hard[:min(len(hard), o.Hard)]
	for i, s := range spans {
		switch {
		case s.Right || slices.Contains(hard, i):
		case passages[s.Passage]:
			near = append(near, i)
		default:
			far = append(far, i)
		}
	}
	wrong := append(hard, near[:max(0, min(len(near), o.Wrong-len(hard)))]...)
	if room := o.Wrong - len(wrong); room > 0 && len(far) > 0 {
		step := max(1, float64(len(far))/float64(room))
		for k := 0.0; int(k) < len(far) && len(wrong) < o.Wrong; k += step {
			wrong = append(wrong, far[int(k)])
		}
	}
	if len(right) == 0 || len(wrong) == 0 {
		return x, y, w
	}
	pw := 1 / float64(len(right)*len(wrong))
	for _, r := range right {
		for _, n := range wrong {
			d := make([]float64, NumFeatures)
			od := make([]float64, NumFeatures)
			for k := range d {
				d[k] = spans[r].Features[k] - spans[n].Features[k]
				od[k] = -d[k]
			}
			x = append(x, d, od)
			y = append(y, 1, 0)
			w = append(w, pw, pw)
		}
	}
	return x, y, w
}

// With returns an engine over e's corpus and index with options opts;
// closing it leaves the index open.
func (e *Engine) With(opts Options) *Engine {
	return New(e.c, e.ix, e.info, opts)
}

// HandWeights are the ranker's weights as set by hand before any fit, a
// baseline to compare fits with.
func HandWeights() Weights { return handWeights }
