package answer

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// rewordSet are questions over testdata/corpus with the passage that
// answers each.
var rewordSet = []EvalQuestion{
	{
		Q:    "Who sent the keeper bread and oil?",
		Keys: []string{"Dunmere"},
		Gold: []string{"The fishing village of Dunmere sent her bread and oil by rowing boat every Sunday."},
	},
	{
		Q:    "What did the miller chase the children away with?",
		Keys: []string{"a broom"},
		Gold: []string{"The miller, a stern man called Hobb, chased them away with a broom."},
	},
	{
		Q:    "What stripped every blossom from the trees?",
		Keys: []string{"a hailstorm"},
		Gold: []string{"One spring a hailstorm stripped every blossom from the trees."},
	},
	{
		Q:    "What did the children plant along the wall?",
		Keys: []string{"a row of pear seedlings"},
		Gold: []string{"But the children planted a row of pear seedlings along the wall, and watered them all summer from the millpond."},
	},
}

// relationShare is the share of the question a span holds through WordNet
// relations.
func relationShare(f Features) float64 {
	s := 0.0
	for k := FeatWordNetSynonym; k <= FeatHypernym; k++ {
		s += f[k]
	}
	return s
}

// TestReword rewords questions over a real index and checks that each
// copy differs from its question in one word the gold passage holds,
// replaced by one the corpus never uses, and that the copy's right span
// matches that word only through a WordNet relation: the row a fit needs
// to learn what such a match is worth.
func TestReword(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	reworded := 0
	for _, q := range rewordSet {
		r, ok := e.Reword(q)
		if !ok {
			continue
		}
		reworded++
		t.Run(r.Q, func(t *testing.T) {
			was, now := strings.Fields(q.Q), strings.Fields(r.Q)
			if len(was) != len(now) {
				t.Fatalf("reworded %q as %q: another number of words", q.Q, r.Q)
			}
			var old, word string
			for i := range was {
				if was[i] != now[i] {
					if word != "" {
						t.Fatalf("reworded %q as %q: more than one word replaced", q.Q, r.Q)
					}
					old, word = strings.Trim(was[i], "?"), strings.Trim(now[i], "?")
				}
			}
			if word == "" {
				t.Fatalf("reworded %q as itself", q.Q)
			}
			if !wordsOf(q.Gold[0]).has(old) {
				t.Errorf("replaced %q, which the gold passage does not hold", old)
			}
			for _, tok := range e.ix.Analyze(word) {
				if _, used := e.ix.TermID(tok.Term); used {
					t.Errorf("replaced %q by %q, which the corpus uses", old, word)
				}
			}
			if !slices.Equal(r.Keys, q.Keys) || !slices.Equal(r.Gold, q.Gold) {
				t.Errorf("the copy's keys or gold changed: %v %v", r.Keys, r.Gold)
			}
			before := bestRight(t, e, q)
			after := bestRight(t, e, r)
			if after == nil {
				t.Fatalf("no right span for %q", r.Q)
			}
			if s := relationShare(after.Features); s <= relationShare(before.Features) {
				t.Errorf("right span of %q holds %.3f of it through relations, %q's %.3f: features %s",
					r.Q, s, q.Q, relationShare(before.Features), after.Features.Format(&Weights{}))
			}
			if after.Features[FeatExact] >= before.Features[FeatExact] {
				t.Errorf("right span of %q holds as much of it exactly (%.3f) as of %q (%.3f)",
					r.Q, after.Features[FeatExact], q.Q, before.Features[FeatExact])
			}
		})
	}
	if reworded == 0 {
		t.Fatal("no question reworded")
	}
}

// bestRight is the best ranked right span for q.
func bestRight(t *testing.T, e *Engine, q EvalQuestion) *ScoredSpan {
	t.Helper()
	x, err := e.Explain(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return x.Right
}

// TestReworded checks that Reworded picks questions by their hash, one in
// every so many, the same each time, and none of an unanswerable question.
func TestReworded(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	qs := slices.Clone(rewordSet)
	qs = append(qs, EvalQuestion{Q: "Who kept the lighthouse?", Gold: []string{"Mara Quill became keeper of the Gull Rock lighthouse in 1887."}, Unanswerable: true})
	all := e.Reworded(qs, 1)
	if len(all) == 0 {
		t.Fatal("no question reworded")
	}
	for _, r := range all {
		if r.Unanswerable {
			t.Errorf("reworded the unanswerable %q", r.Q)
		}
	}
	if again := e.Reworded(qs, 1); !slices.EqualFunc(all, again, func(a, b EvalQuestion) bool { return a.Q == b.Q }) {
		t.Errorf("two rewordings differ: %v, %v", all, again)
	}
	for _, every := range []int{2, 3} {
		var want []string
		for _, q := range qs {
			if r, ok := e.Reword(q); ok && !q.Unanswerable && rewordHash(q.Q)%uint64(every) == 0 {
				want = append(want, r.Q)
			}
		}
		var got []string
		for _, r := range e.Reworded(qs, every) {
			got = append(got, r.Q)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Reworded(qs, %d) = %q, want %q", every, got, want)
		}
	}
	if got := e.Reworded(qs, 0); got != nil {
		t.Errorf("Reworded(qs, 0) = %v, want none", got)
	}
}

// TestLemmas checks that an inflected word is traced to the lemmas WordNet
// relates, and a word that is no inflection to none.
func TestLemmas(t *testing.T) {
	tests := []struct {
		word string
		want string // one of the lemmas
	}{
		{"cautioned", "caution"},
		{"travelling", "travel"},
		{"menaced", "menace"},
		{"weakening", "weaken"},
		{"stories", "story"},
		{"stopped", "stop"},
		{"greatest", "great"},
	}
	for _, tt := range tests {
		if got := lemmas(tt.word); !slices.Contains(got, tt.want) {
			t.Errorf("lemmas(%q) = %q, want %q among them", tt.word, got, tt.want)
		}
	}
	for _, w := range []string{"caution", "bed", "xyzzyed"} {
		for _, l := range lemmas(w) {
			if len(l) < minLemma || l == w {
				t.Errorf("lemmas(%q) holds %q", w, l)
			}
		}
	}
}

// TestRelatedThroughLemma checks that a question's inflected word is
// related to the corpus's words through its lemma: "cautioned" finds the
// story's "warned" (caution is a kind of warning).
func TestRelatedThroughLemma(t *testing.T) {
	e := storyEngine(t)
	warn := e.ix.Analyze("warned")[0].Term
	found := false
	for _, r := range e.related("cautioned", []string{e.ix.Analyze("cautioned")[0].Term}) {
		found = found || r.term == warn
	}
	if !found {
		t.Errorf("related(cautioned) = %v, lacks %q", e.related("cautioned", nil), warn)
	}
}
