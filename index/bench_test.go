package index

import (
	"context"
	"testing"

	"github.com/storybot/storybot/corpus"
)

func benchmarkBuild(b *testing.B, c *corpus.Corpus) {
	ctx := context.Background()
	for b.Loop() {
		ix, err := Build(ctx, b.TempDir(), c, quiet, Options{})
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
	b.ReportMetric(float64(c.NumPassages()*b.N)/b.Elapsed().Seconds(), "passages/s")
}

// BenchmarkBuildStory indexes the embedded story.
func BenchmarkBuildStory(b *testing.B) {
	c, err := corpus.Default()
	if err != nil {
		b.Fatal(err)
	}
	benchmarkBuild(b, c)
}

// BenchmarkBuildFairytales indexes 23 long hard-wrapped stories.
func BenchmarkBuildFairytales(b *testing.B) {
	c, err := corpus.LoadDir("../../shared/eval/fairytale-val/corpus")
	if err != nil {
		b.Skipf("no fairy tales: %v", err)
	}
	benchmarkBuild(b, c)
}
