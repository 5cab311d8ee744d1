package answer

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestShapedSets checks that each set of words answering a kind of
// question holds, through its shapes, what its map holds: every word of
// its own, none of the test corpus's others, nor a word of no shape.
func TestShapedSets(t *testing.T) {
	var corpusWords []string
	files, err := filepath.Glob("testdata/corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		corpusWords = append(corpusWords, wordsOf(string(data))...)
	}
	odd := []string{"", "a", "é", "Monday", "mondays", "ninety-nine", string(make([]byte, 70))}
	for name, s := range map[string]*shapedSet{"number": &numberShapes, "time": &timeShapes, "reason": &reasonShapes, "feeling": &feelingShapes} {
		own := slices.Sorted(maps.Keys(s.words))
		for _, w := range slices.Concat(own, corpusWords, odd) {
			if got, want := s.has(w), s.words[w]; got != want {
				t.Errorf("%s words: has(%q) = %v, the map says %v", name, w, got, want)
			}
		}
	}
}
