package answer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkAnswerStory answers the story's dev questions in turn.
func BenchmarkAnswerStory(b *testing.B) {
	e := storyEngine(b)
	f, err := os.Open(filepath.Join(sharedEval, "story-dev.jsonl"))
	qs := []string{"Why might South Korea send weapons to Ukraine?", "Who disbanded the UN sanctions committee?", "What is the capital of France?"}
	if err == nil {
		rows, err := ReadQuestions(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		qs = qs[:0]
		for _, r := range rows {
			qs = append(qs, r.Q)
		}
	}
	ctx := context.Background()
	warm(b, e, qs)
	for i := 0; b.Loop(); i++ {
		if _, err := e.Answer(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/answer")
}

// BenchmarkAnswerFairytales answers questions over 23 long stories.
func BenchmarkAnswerFairytales(b *testing.B) {
	dir := filepath.Join(sharedEval, "fairytale-val")
	f, err := os.Open(filepath.Join(dir, "questions.jsonl"))
	if err != nil {
		b.Skipf("no question set: %v", err)
	}
	rows, err := ReadQuestions(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	e := testEngine(b, filepath.Join(dir, "corpus"))
	ctx := context.Background()
	qs := make([]string, len(rows))
	for i, r := range rows {
		qs[i] = r.Q
	}
	warm(b, e, qs)
	for i := 0; b.Loop(); i++ {
		if _, err := e.Answer(ctx, rows[i%len(rows)].Q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/answer")
}

// warm answers every question once, so that what an engine loads on first
// use (WordNet's relations, word vectors) is not timed: the benchmarks
// measure a serving engine.
func warm(b *testing.B, e *Engine, qs []string) {
	b.Helper()
	for _, q := range qs {
		if _, err := e.Answer(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}
