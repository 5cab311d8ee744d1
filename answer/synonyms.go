package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxVariants bounds how many rewordings of a question are tried.
const maxVariants = 6

// synonyms are the corpus's groups of words and names that mean the same.
type synonyms [][]string

// variants returns q followed by its rewordings: each member of a group
// that q holds replaced by each other member of that group.
func (s synonyms) variants(q string) []string {
	out := []string{q}
	lq := strings.ToLower(q)
	for _, g := range s {
		for _, m := range g {
			at := wordIndex(lq, strings.ToLower(m))
			if at < 0 {
				continue
			}
			for _, o := range g {
				if o == m || len(out) > maxVariants {
					continue
				}
				v := q[:at] + o + q[at+len(m):]
				if !containsFold(out, v) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

func containsFold(xs []string, x string) bool {
	for _, y := range xs {
		if strings.EqualFold(x, y) {
			return true
		}
	}
	return false
}

// wordIndex finds sub in s where it stands as whole words, or -1.
func wordIndex(s, sub string) int {
	for from := 0; from <= len(s)-len(sub); {
		i := strings.Index(s[from:], sub)
		if i < 0 {
			return -1
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(sub):])
		if (i == 0 || !isWordRune(before)) && (i+len(sub) == len(s) || !isWordRune(after)) {
			return i
		}
		from = i + 1
	}
	return -1
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
