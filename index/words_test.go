package index

import (
	"slices"
	"strings"
	"testing"
)

func TestTrimWordEnd(t *testing.T) {
	for _, w := range []string{"", "a", "'", "’", "-", "keeper's", "keepers'", "keepers’", "keepers’-'", "well-", "’’", "a’b’", "x\u2018", "日本’", "-'’-"} {
		if got, want := trimWordEnd(w), strings.TrimRight(w, "'’-"); got != want {
			t.Errorf("trimWordEnd(%q) = %q, want %q", w, got, want)
		}
	}
}

func FuzzTrimWordEnd(f *testing.F) {
	for _, s := range []string{"keepers’-'", "a’b’", "x\u2018-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) {
		if got, want := trimWordEnd(w), strings.TrimRight(w, "'’-"); got != want {
			t.Errorf("trimWordEnd(%q) = %q, want %q", w, got, want)
		}
	})
}

// TestEachWordWhile: EachWordWhile gives EachWord's words, offsets and
// all, and stops at the first for which its function returns false.
func TestEachWordWhile(t *testing.T) {
	type word struct {
		w          string
		start, end int
	}
	for _, s := range []string{"", "  ", "Who was it?", "the keeper's-- lamp’ 1887's storm", "é\xffa b\x80", "x", "-a- 'b' ’c’"} {
		var want []word
		EachWord(s, func(w string, start, end int) { want = append(want, word{w, start, end}) })
		var all []word
		EachWordWhile(s, func(w string, start, end int) bool {
			all = append(all, word{w, start, end})
			return true
		})
		if !slices.Equal(all, want) {
			t.Errorf("%q: %v, want %v", s, all, want)
		}
		for k := 1; k <= len(want); k++ {
			var got []word
			EachWordWhile(s, func(w string, start, end int) bool {
				got = append(got, word{w, start, end})
				return len(got) < k
			})
			if !slices.Equal(got, want[:k]) {
				t.Errorf("%q, stopping at word %d: %v, want %v", s, k, got, want[:k])
			}
		}
	}
}
