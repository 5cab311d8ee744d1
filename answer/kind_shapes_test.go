package answer

import (
	"context"
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
	corpusWords := testCorpusWords(t)
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

// TestSentenceKinds checks the bits of the kinds of answer that each
// analysed sentence of the test corpus holds words of against its words,
// and that a kind of question matches a sentence through them as it does
// when every sentence is looked through.
func TestSentenceKinds(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	kinds := []answerKind{}
	for _, q := range []string{"How many panes broke?", "When did the storm come?", "Why did Hobb leave?",
		"How did Mara feel?", "How many years did she keep the light?", "Why was she afraid?", "Who came?", "Where did the lens come from?"} {
		kinds = append(kinds, kindOf(q))
	}
	held := 0
	for _, p := range e.c.Passages() {
		sents, err := e.analyse(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range sents {
			want := uint8(0)
			for _, k := range kindSets {
				for w := range s.words.all {
					if k.set.words[w] {
						want |= k.bit
					}
				}
			}
			if s.kinds != want {
				t.Errorf("%s sentence %d: kinds %04b, its words %04b", p.ID, i, s.kinds, want)
			}
			if s.kinds != 0 {
				held++
			}
			for _, k := range kinds {
				if got, all := k.matches(s.words, s.kinds, s.cues), k.matches(s.words, 0xff, s.cues); got != all {
					t.Errorf("%s sentence %d, kind %d: matches %v through its kinds, %v looking through it", p.ID, i, k.kind, got, all)
				}
			}
		}
	}
	if held == 0 {
		t.Error("no sentence holds a word of a kind of answer")
	}
}

// TestWordBits checks wordBitsOf against stopBitOf and kindsOf on the
// stop words, the words of every kind of answer, the test corpus's words
// and words of no shape.
func TestWordBits(t *testing.T) {
	words := slices.Concat(slices.Collect(maps.Keys(stopWords)), []string{"", "é", "Under", string(make([]byte, 70))})
	for _, k := range kindSets {
		words = slices.AppendSeq(words, maps.Keys(k.set.words))
	}
	words = append(words, testCorpusWords(t)...)
	both := 0
	for _, w := range words {
		want := wordBits{stop: stopBitOf(w), kinds: kindsOf(w)}
		if got := wordBitsOf(w); got != want {
			t.Errorf("wordBitsOf(%q) = %+v, want %+v", w, got, want)
		}
		if want.stop != 0 && want.kinds != 0 {
			both++
		}
	}
	if both == 0 {
		t.Error("no word is both a stop word and a word of a kind of answer")
	}
}

// testCorpusWords is every word of the test corpus, as it stands.
func testCorpusWords(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		words = append(words, wordsOf(string(data)).strings()...)
	}
	return words
}

// TestNumbersOf checks numbersOf against the numbers cuesOf finds.
func TestNumbersOf(t *testing.T) {
	for _, q := range []string{"", "Who came?", "How many of the 1,200 crates came in 1887?", "In the 1990s, at 4:51, the 10th",
		"Was it B52 or b-52?", "What of ٣ and ３ apples?", "ÉCOLE 2B ₂", "a1b2c3 x99"} {
		if got, want := numbersOf(q), cuesOf(q).Numbers; !slices.Equal(got, want) {
			t.Errorf("numbersOf(%q) = %q, cuesOf finds %q", q, got, want)
		}
	}
}
