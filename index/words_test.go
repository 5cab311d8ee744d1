package index

import (
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
