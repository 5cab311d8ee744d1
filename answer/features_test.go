package answer

import (
	"context"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFeatureNames checks that every feature has a name of its own and a
// Go name that is an identifier, as the generated weights file writes it.
func TestFeatureNames(t *testing.T) {
	seen := map[string]bool{}
	for f := range NumFeatures {
		name, goName := f.String(), f.GoName()
		if name == "" || seen[name] {
			t.Errorf("feature %d: name %q empty or used twice", f, name)
		}
		seen[name] = true
		if !token.IsIdentifier(goName) || !strings.HasPrefix(goName, "Feat") {
			t.Errorf("feature %s: Go name %q", name, goName)
		}
	}
	if got := FeatDocPrior.GoName(); got != "FeatDocPrior" {
		t.Errorf("FeatDocPrior.GoName() = %q", got)
	}
	if got := FeatWordNetSynonym.GoName(); got != "FeatWordNetSynonym" {
		t.Errorf("FeatWordNetSynonym.GoName() = %q", got)
	}
}

// TestWeightsScore checks that a score is the dot product of the weights
// and the features, and that Format names the features that are not zero
// with their part of the score.
func TestWeightsScore(t *testing.T) {
	var w Weights
	var f Features
	w[FeatExact], f[FeatExact] = 2, 0.5
	w[FeatEcho], f[FeatEcho] = -0.5, 1
	w[FeatKind] = 3
	if got := w.Score(&f); got != 0.5 {
		t.Errorf("score %v, want 0.5", got)
	}
	if got, want := f.Format(&w), "exact=0.5(+1) echo=1(-0.5)"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}

// spanOf returns the span of q's spans whose text is text.
func spanOf(t *testing.T, spans []ScoredSpan, text string) ScoredSpan {
	t.Helper()
	for _, s := range spans {
		if s.Text == text {
			return s
		}
	}
	t.Fatalf("no span %q among %d", text, len(spans))
	return ScoredSpan{}
}

// TestWordNetRelationsCount checks that a question word the corpus does not
// use counts through the word WordNet relates to it ("tempest", "storm"),
// in its own feature, and that the related word is marked in the answer.
func TestWordNetRelationsCount(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	const q = "In which winter did a tempest come?"
	spans, err := e.Spans(context.Background(), EvalQuestion{Q: q, Keys: []string{"1891"}})
	if err != nil {
		t.Fatal(err)
	}
	s := spanOf(t, spans, "In the winter of 1891 a storm broke three panes of the lantern room.")
	if s.Features[FeatWordNetSynonym] <= 0 {
		t.Errorf("storm for tempest: features %s, want wn_synonym", s.Features.Format(&e.weights))
	}
	// Whether so little of the question makes an answer is not the
	// ranker's to say.
	a, err := New(e.c, e.ix, e.info, Options{MinEvidence: -1}).Answer(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "1891") {
		t.Fatalf("answer %q, want the storm of 1891", a.Text)
	}
	marked := map[string]bool{}
	for _, p := range a.Parts {
		for _, m := range p.Marks {
			marked[p.Text[m.Start:m.End]] = true
		}
	}
	if !marked["storm"] || !marked["winter"] {
		t.Errorf("marked %v, want storm and winter", marked)
	}
}

// TestSynonymOfManyWords checks that a synonym of many words from the
// corpus's synonyms file counts only where a sentence holds all its words:
// "Toby" is "Tobias Penhallow", not any Tobias.
func TestSynonymOfManyWords(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("synonyms.csv", "Tobias Penhallow, Toby\n")
	write("boats.txt", "Tobias Grey sailed to the rock on Monday.\n\nTobias Penhallow went to the rock on Sunday.\n")
	e := testEngine(t, dir)
	spans, err := e.Spans(context.Background(), EvalQuestion{Q: "When did Toby sail to the rock?", Keys: []string{"Sunday"}})
	if err != nil {
		t.Fatal(err)
	}
	if s := spanOf(t, spans, "Tobias Grey sailed to the rock on Monday."); s.Features[FeatSynonym] != 0 {
		t.Errorf("Tobias alone counts as Toby: %s", s.Features.Format(&e.weights))
	}
	if s := spanOf(t, spans, "Tobias Penhallow went to the rock on Sunday."); s.Features[FeatSynonym] <= 0 {
		t.Errorf("Tobias Penhallow does not count as Toby: %s", s.Features.Format(&e.weights))
	}
}

// TestProximityOfOneWord checks that terms one word stands for (a name of
// many words matched by a synonym of one) stand as close as can be, and no
// closer.
func TestProximityOfOneWord(t *testing.T) {
	sc := newSpanScratch(3)
	hits := [][]int{{4}, {4}, {4}}
	if got := proximity(hits, 10, sc); got != 1 {
		t.Errorf("proximity %v, want 1", got)
	}
}
