package index

import (
	"strings"
	"unicode"
)

// EachWord calls fn for every run of letters (with inner apostrophes and
// hyphens) of s, with its byte offsets: the words people type, as they are
// counted in the vocabulary the index stores (see Index.Words).
func EachWord(s string, fn func(w string, start, end int)) {
	EachWordWhile(s, func(w string, start, end int) bool {
		fn(w, start, end)
		return true
	})
}

// EachWordWhile is EachWord, stopping at the first word for which fn
// returns false.
func EachWordWhile(s string, fn func(w string, start, end int) bool) {
	start := -1
	for i, r := range s {
		inner := (r == '\'' || r == '’' || r == '-') && start >= 0
		if unicode.IsLetter(r) || inner {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if w := trimWordEnd(s[start:i]); w != "" && !fn(w, start, start+len(w)) {
				return
			}
			start = -1
		}
	}
	if start >= 0 {
		if w := trimWordEnd(s[start:]); w != "" {
			fn(w, start, start+len(w))
		}
	}
}

// trimWordEnd is strings.TrimRight(w, "'’-"), without the search of a
// cutset that is not all ASCII, which cost as much as the rest of EachWord.
func trimWordEnd(w string) string {
	for {
		switch {
		case strings.HasSuffix(w, "'") || strings.HasSuffix(w, "-"):
			w = w[:len(w)-1]
		case strings.HasSuffix(w, "’"):
			w = w[:len(w)-len("’")]
		default:
			return w
		}
	}
}
