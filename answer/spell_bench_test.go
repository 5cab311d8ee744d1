package answer

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/corpusgen"
)

// BenchmarkNearest corrects misspelt words against the vocabulary of a
// generated corpus of a million words (and ten million with
// STORYBOT_BENCH_10M=1): three of its words with two letters swapped, as a
// question with typos has them.
func BenchmarkNearest(b *testing.B) {
	sizes := []int{1_000_000}
	if os.Getenv("STORYBOT_BENCH_10M") == "1" {
		sizes = append(sizes, 10_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("words=%dM", n/1_000_000), func(b *testing.B) { benchmarkNearest(b, n) })
	}
}

func benchmarkNearest(b *testing.B, words int) {
	dir, err := corpusgen.Cached(filepath.Join(os.TempDir(), "storybot-bench", "corpora"), corpusgen.Config{Words: words, Seed: 1, Questions: 300})
	if err != nil {
		b.Fatal(err)
	}
	c, err := corpus.LoadDir(filepath.Join(dir, corpusgen.CorpusDir))
	if err != nil {
		b.Fatal(err)
	}
	v := newVocabulary(c, nil)
	var typos []string
	for w := range v.count {
		if len(w) >= 7 && len(typos) < 30 {
			r := []rune(w)
			r[2], r[3] = r[3], r[2]
			if t := string(r); v.count[t] == 0 {
				typos = append(typos, t)
			}
		}
	}
	yes := func(string) bool { return true }
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		for j := range 3 {
			v.nearest(typos[(3*i+j)%len(typos)], false, yes)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/3-typos")
	b.ReportMetric(float64(len(v.count)), "words")
}
