package corpus

import (
	"os"
	"testing"
)

// BenchmarkLoadFairytales loads the fairy-tale evaluation corpus, 23
// hard-wrapped Project Gutenberg tales, and reports passages per second.
func BenchmarkLoadFairytales(b *testing.B) {
	const dir = "../../shared/eval/fairytale-val/corpus"
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("no fairy tales: %v", err)
	}
	passages := 0
	for b.Loop() {
		c, err := LoadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		passages += c.NumPassages()
	}
	b.ReportMetric(float64(passages)/b.Elapsed().Seconds(), "passages/s")
}
