package answer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/storybot/storybot/index"
)

// TestKindNear checks, over an index on disk, that of two sentences that
// both hold a number and the words of a question asking how many, the one
// whose number stands beside the question's words gets the higher
// FeatKindNear and FeatKindFocus, and that a question asking for no kind
// gets neither.
func TestKindNear(t *testing.T) {
	dir := t.TempDir()
	const (
		far    = "The keeper wrote of the gulls in his log, and that spring 12 boats came to the rock."
		beside = "At dawn the keeper counted gulls (40) on the ledge below the lamp."
	)
	text := far + " " + beside + "\n"
	if err := os.WriteFile(filepath.Join(dir, "log.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := testEngine(t, dir)
	ctx := context.Background()

	spans, err := e.Spans(ctx, EvalQuestion{Q: "How many gulls did the keeper count?", Keys: []string{"40"}})
	if err != nil {
		t.Fatal(err)
	}
	f, b := spanOf(t, spans, far), spanOf(t, spans, beside)
	if f.Features[FeatKind] != 1 || b.Features[FeatKind] != 1 {
		t.Fatalf("both sentences hold a number: kind %v and %v", f.Features[FeatKind], b.Features[FeatKind])
	}
	if !(b.Features[FeatKindNear] > f.Features[FeatKindNear]) {
		t.Errorf("kind_near %v beside the question's words, %v far from them: want the first higher",
			b.Features[FeatKindNear], f.Features[FeatKindNear])
	}
	// The gulls are what the question counts: the number beside them.
	if b.Features[FeatKindFocus] != 1 || !(f.Features[FeatKindFocus] < 1) {
		t.Errorf("kind_focus %v beside the gulls, %v far from them: want 1 and less",
			b.Features[FeatKindFocus], f.Features[FeatKindFocus])
	}

	spans, err = e.Spans(ctx, EvalQuestion{Q: "What did the keeper write of the gulls?", Keys: []string{"log"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range spans {
		if s.Features[FeatKindNear] != 0 || s.Features[FeatKindFocus] != 0 {
			t.Errorf("%q: kind_near %v, kind_focus %v for a question of no kind", s.Text, s.Features[FeatKindNear], s.Features[FeatKindFocus])
		}
	}
}

// TestKindSpots checks where the words of the kind asked for stand among a
// sentence's tokens: a token at its index, a stop word between the tokens
// around it, the question's own words not at all.
func TestKindSpots(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	tests := []struct {
		q, sentence string
		want        []float64
	}{
		// Tokens: keeper(0) counted(1) 40(2) gulls(3) 1887(4).
		{"How many gulls were there?", "The keeper counted 40 gulls in 1887.", []float64{2, 4}},
		// The year the question names is not its answer.
		{"How many gulls were there in 1887?", "The keeper counted 40 gulls in 1887.", []float64{2}},
		// "because" is a stop word: between fled(1) and storm(2).
		{"Why did the keeper leave?", "The keeper fled because a storm came.", []float64{1.5}},
	}
	for _, tt := range tests {
		var toks []index.IDToken
		for _, tk := range e.ix.Analyze(tt.sentence) {
			toks = append(toks, index.IDToken{Start: int32(tk.Start), End: int32(tk.End)})
		}
		got := kindOf(tt.q).spots(nil, tt.sentence, toks, cuesOf(tt.sentence))
		if len(got) != len(tt.want) {
			t.Errorf("%q in %q: spots %v, want %v", tt.q, tt.sentence, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%q in %q: spots %v, want %v", tt.q, tt.sentence, got, tt.want)
				break
			}
		}
	}
}
