package answer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// sharedEval is where the project's question sets live, beside the
// checkout; the quality tests skip when it is absent.
const sharedEval = "../../shared/eval"

// TestQuality holds the engine to its measured answer quality on the shared
// question sets, so that a change that makes answers worse fails.
func TestQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("quality sets are slow under -short")
	}
	if _, err := os.Stat(sharedEval); err != nil {
		t.Skipf("no question sets at %s", sharedEval)
	}
	tests := []struct {
		set, corpus   string
		answer, cite1 float64 // minimum answer@1 and cite@1, in %
		cite3         float64
		rejected      float64 // minimum share of unanswerable questions rejected
	}{
		{set: "story-dev.jsonl", answer: 95, cite1: 95, cite3: 95, rejected: 100},
		{set: "xquad/questions.jsonl", corpus: "xquad/corpus", answer: 88, cite1: 94, cite3: 97},
		{set: "squad2-a/questions.jsonl", corpus: "squad2-a/corpus", answer: 85, cite1: 88, cite3: 95, rejected: 31},
		{set: "fairytale-val/questions.jsonl", corpus: "fairytale-val/corpus", answer: 55, cite1: 59, cite3: 71},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			var e *Engine
			if tt.corpus == "" {
				e = storyEngine(t)
			} else {
				e = testEngine(t, filepath.Join(sharedEval, tt.corpus))
			}
			r := evaluateFile(t, e, filepath.Join(sharedEval, tt.set))
			t.Logf("answer@1 %.1f%%, cite@1 %.1f%%, cite@3 %.1f%%, rejected %.1f%%",
				Pct(r.Answer, r.Questions), Pct(r.Cite1, r.Questions), Pct(r.Cite3, r.Questions), Pct(r.Rejected, r.Unanswerable))
			for _, c := range []struct {
				name      string
				got, want float64
			}{
				{"answer@1", Pct(r.Answer, r.Questions), tt.answer},
				{"cite@1", Pct(r.Cite1, r.Questions), tt.cite1},
				{"cite@3", Pct(r.Cite3, r.Questions), tt.cite3},
				{"rejected", Pct(r.Rejected, r.Unanswerable), tt.rejected},
			} {
				if c.got < c.want {
					t.Errorf("%s %.1f%%, want at least %.0f%%", c.name, c.got, c.want)
				}
			}
		})
	}
}

// evaluateFile measures e on the question set in file.
func evaluateFile(t *testing.T, e *Engine, file string) Report {
	t.Helper()
	r, err := Evaluate(context.Background(), e, readQuestionFile(t, file))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// readQuestionFile reads the question set in file.
func readQuestionFile(t *testing.T, file string) []EvalQuestion {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := ReadQuestions(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	return qs
}
