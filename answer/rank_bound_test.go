package answer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestFeatureRangesDeclared checks that every feature declares the range
// the ranker bounds spans by: one that declares none leaves every passage
// scored.
func TestFeatureRangesDeclared(t *testing.T) {
	for f := range NumFeatures {
		r := featureRanges[f]
		if r.kind == rangeUnset {
			t.Errorf("feature %s declares no range in featureRanges", f)
		}
		if r.kind == rangeSpan && (r.lo >= numFacts || r.hi >= numFacts) {
			t.Errorf("feature %s: range from fact %d to %d, of %d", f, r.lo, r.hi, numFacts)
		}
	}
	var none [NumFeatures]featureRange
	pf := passageFacts{best: []channel{chExact}}
	pq := question{terms: []qterm{{vec: -1}}}
	bt := newBoundTable(&Weights{}, &none, false)
	if b := bound(&bt, &pf, &pq, &termWeights{weights: []float64{1}, total: 1}); b < 1e300 {
		t.Errorf("bound without ranges = %v, want +Inf", b)
	}
}

// TestRankBoundSkipsOnlyWhatCannotRank ranks many random questions, made
// of the words of random sentences of a real index's corpus, with the
// passages skipped by their bounds and with every passage scored: the
// ranking's first passages, as many as rankNeed says, must be the same,
// every passage ranked must have the span and score it has when all are,
// the first's passage and those beside it must be there, and every answer
// must be the same. With a feature's range declared wrong, some must
// differ.
func TestRankBoundSkipsOnlyWhatCannotRank(t *testing.T) {
	for _, tt := range []struct {
		name string
		e    *Engine
	}{
		{"story", storyEngine(t)},
		{"test corpus", testEngine(t, "testdata/corpus")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			qs := randomQuestions(tt.e, rand.New(rand.NewPCG(5, 6)), 250)
			if tt.name == "test corpus" {
				qs = append(qs, goldenQuestions(t)...)
			}
			diffs, many, skipped := pruneDiffs(t, tt.e, qs)
			for _, d := range diffs[:min(len(diffs), 5)] {
				t.Error(d)
			}
			if len(diffs) > 0 {
				t.Errorf("%d of %d questions ranked otherwise when passages are skipped", len(diffs), len(qs))
			}
			if skipped < many/2 {
				t.Errorf("%d of the %d questions that retrieve many passages skip some, want half at least", skipped, many)
			}
			// Declared wrong: the spans' length counted as none.
			wrong := featureRanges
			wrong[FeatLength] = featureRange{kind: rangeSpan, lo: factZero, hi: factZero}
			tt.e.ranges = &wrong
			defer func() { tt.e.ranges = nil }()
			if diffs, _, _ := pruneDiffs(t, tt.e, qs); len(diffs) == 0 {
				t.Errorf("with FeatLength's range declared as 0, no question ranks otherwise")
			}
		})
	}
}

// pruneDiffs ranks and answers each of qs with passages skipped and with
// every one scored, and describes the questions where they differ; many
// counts the questions that retrieve more than twice the passages rank
// needs, skipped those of them where some passage was not ranked.
func pruneDiffs(t *testing.T, e *Engine, qs []string) (diffs []string, many, skipped int) {
	t.Helper()
	ctx := context.Background()
	var none [NumFeatures]featureRange
	ranges := e.ranges
	for _, q := range qs {
		pq := e.prepare(q)
		hits, _, err := e.ix.Search(ctx, pq.query(), 0, e.opts.Candidates)
		if err != nil {
			t.Fatal(err)
		}
		pruned, err := e.rank(ctx, pq, hits)
		if err != nil {
			t.Fatal(err)
		}
		all, err := e.rankSpans(ctx, pq, hits, func(candidate) {})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) > 2*e.rankNeed().first {
			many++
			if len(pruned) < len(all) {
				skipped++
			}
		}
		if d := rankDiff(e, pruned, all); d != "" {
			diffs = append(diffs, fmt.Sprintf("%q: %s", q, d))
			continue
		}
		got, err := e.Answer(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		e.ranges = &none
		want, err := e.Answer(ctx, q)
		e.ranges = ranges
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			diffs = append(diffs, fmt.Sprintf("%q: answered %+v, with every passage scored %+v", q, got, want))
		}
	}
	return diffs, many, skipped
}

// rankDiff describes how ranking pruned differs from all, every passage's
// best span, beyond what rank allows; "" if it does not.
func rankDiff(e *Engine, pruned, all []candidate) string {
	need := e.rankNeed()
	k, covered := len(all), 0
	for i, c := range all {
		if c.cover != 0 {
			covered++
		}
		if i+1 >= need.first && covered >= need.covered {
			k = i + 1
			break
		}
	}
	if len(pruned) < k || !reflect.DeepEqual(pruned[:k], all[:k]) {
		return fmt.Sprintf("first %d ranked %s, with every passage scored %s", k, passageIDs(pruned[:min(k, len(pruned))]), passageIDs(all[:k]))
	}
	// The rest must come in the order of all, each as it is there.
	j := 0
	for _, c := range pruned {
		for j < len(all) && !reflect.DeepEqual(all[j], c) {
			j++
		}
		if j == len(all) {
			return fmt.Sprintf("%s ranked as no passage is when every one is scored", c.passage.ID)
		}
	}
	if len(all) == 0 {
		return ""
	}
	prev, next := e.c.Neighbours(all[0].passage)
	for _, c := range all {
		if p := c.passage; p != all[0].passage && p != prev && p != next {
			continue
		}
		if !containsCandidate(pruned, c) {
			return fmt.Sprintf("%s, the first's or beside it, not ranked", c.passage.ID)
		}
	}
	return ""
}

func containsCandidate(cs []candidate, c candidate) bool {
	for _, o := range cs {
		if reflect.DeepEqual(o, c) {
			return true
		}
	}
	return false
}

func passageIDs(cs []candidate) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = fmt.Sprintf("%s(%.4f)", c.passage.ID, c.score)
	}
	return "[" + strings.Join(ids, " ") + "]"
}

// questionOpenings open the random questions, asking for each kind of
// thing.
var questionOpenings = []string{"Who", "What", "When", "Where", "Why", "How many", "How", "Which", "What happened after", "Did"}

// randomQuestions are n questions of a few words each of random sentences
// of e's corpus, a word of another passage now and then, and a telling
// stop word.
func randomQuestions(e *Engine, r *rand.Rand, n int) []string {
	ps := e.c.Passages()
	out := make([]string, 0, n)
	for range n {
		p := ps[r.IntN(len(ps))]
		s := p.Sentences[r.IntN(len(p.Sentences))]
		words := strings.Fields(s.Text)
		var q []string
		q = append(q, questionOpenings[r.IntN(len(questionOpenings))])
		for range 1 + r.IntN(6) {
			q = append(q, strings.Trim(words[r.IntN(len(words))], `.,;:!?"'()`))
			if r.IntN(4) == 0 {
				o := ps[r.IntN(len(ps))]
				ow := strings.Fields(o.Text)
				q = append(q, strings.Trim(ow[r.IntN(len(ow))], `.,;:!?"'()`))
			}
			if r.IntN(6) == 0 {
				q = append(q, []string{"before", "not", "under", "after"}[r.IntN(4)])
			}
		}
		out = append(out, strings.Join(q, " ")+"?")
	}
	return out
}
