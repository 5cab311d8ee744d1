package answer

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestNearNameFindsEveryNearWord compares nearName with every word of a
// vocabulary compared in turn by the optimal-string-alignment distance
// (osaDistance),
// for names made from the vocabulary's words by random edits and for
// random ones.
func TestNearNameFindsEveryNearWord(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	letters := []rune("abcdeilnorstuüç")
	word := func(n int) string {
		w := make([]rune, n)
		for i := range w {
			w[i] = letters[r.IntN(len(letters))]
		}
		return string(w)
	}
	count := map[string]int{}
	var words []string
	for range 2000 {
		w := word(3 + r.IntN(10))
		count[w]++
		words = append(words, w)
	}
	e := &Engine{words: newVocabulary(nil, count)}
	near, far := 0, 0
	for i := range 600 {
		var n string
		if i%2 == 0 {
			rs := []rune(words[r.IntN(len(words))])
			for range 1 + r.IntN(3) {
				j := r.IntN(len(rs))
				switch r.IntN(4) {
				case 0:
					rs[j] = letters[r.IntN(len(letters))]
				case 1:
					rs = append(rs[:j], rs[j+1:]...)
				case 2:
					rs = append(rs[:j], append([]rune{letters[r.IntN(len(letters))]}, rs[j:]...)...)
				default:
					if j+1 < len(rs) {
						rs[j], rs[j+1] = rs[j+1], rs[j]
					}
				}
				if len(rs) == 0 {
					rs = []rune("a")
				}
			}
			n = string(rs)
		} else {
			n = word(4 + r.IntN(9))
		}
		edits := nameEdits(utf8.RuneCountInString(n))
		want := false
		for w := range e.words.count {
			if edits > 0 && osaDistance([]rune(n), []rune(w)) <= edits {
				want = true
				break
			}
		}
		if got := e.nearName(n); got != want {
			t.Fatalf("nearName(%q) = %v, want %v", n, got, want)
		}
		if want {
			near++
		} else {
			far++
		}
	}
	if near < 100 || far < 100 {
		t.Errorf("%d names near a word and %d far from all; want many of both", near, far)
	}
}

// TestNameEdits checks how near a word must be to a name, at each bound of
// the name's length.
func TestNameEdits(t *testing.T) {
	for _, c := range []struct{ size, want int }{
		{0, 0}, {nameEditLen - 1, 0}, {nameEditLen, 1}, {nameEdit2Len - 1, 1}, {nameEdit2Len, 2}, {40, 2},
	} {
		if got := nameEdits(c.size); got != c.want {
			t.Errorf("nameEdits(%d) = %d, want %d", c.size, got, c.want)
		}
	}
}
