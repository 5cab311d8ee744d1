package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/index"
)

// maxVariants bounds how many rewordings of a question are tried.
const maxVariants = 6

// synonyms are the corpus's groups of words and names that mean the same.
type synonyms [][]string

// variants returns q followed by its rewordings: each member of a group
// that q holds replaced by each other member of that group.
func (s synonyms) variants(q string) []string {
	return s.reword(q, func(i, k int) string { return strings.ToLower(s[i][k]) })
}

// variants is synonyms.variants with the members lower-cased once for the
// engine's life.
func (e *Engine) variants(q string) []string {
	terms := e.synonymTerms()
	return e.synonyms.reword(q, func(i, k int) string { return terms[i][k].lower })
}

// reword is variants, with member k of group i lower-cased by lowered.
func (s synonyms) reword(q string, lowered func(i, k int) string) []string {
	out := []string{q}
	if len(s) == 0 {
		return out
	}
	lq := lower(q)
	for i, g := range s {
		for k := range g {
			start, end := lq.word(lowered(i, k))
			if start < 0 {
				continue
			}
			for _, o := range g {
				if o == g[k] || len(out) > maxVariants {
					continue
				}
				v := q[:start] + o + q[end:]
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

// lowered is a text lower-cased rune by rune, with the offset in the
// original of each of its bytes. A rune's lower case may be longer or
// shorter than the rune ("Ⱥ" is 2 bytes, "ⱥ" 3; the Kelvin sign is 3, "k"
// 1), so an offset found in the lower-cased text is mapped back before it
// cuts the original.
type lowered struct {
	text string
	// orig[i] is the offset in the original of the rune that byte i of text
	// comes from; orig[len(text)] is the original's length. It is nil for
	// an ASCII original, whose offsets are those of text.
	orig []int
}

// lower lower-cases s as strings.ToLower does, keeping the offset map.
func lower(s string) lowered {
	if isASCII(s) {
		return lowered{text: strings.ToLower(s)}
	}
	var b strings.Builder
	b.Grow(len(s))
	orig := make([]int, 0, len(s)+1)
	for i, r := range s {
		n := b.Len()
		b.WriteRune(unicode.ToLower(r))
		for range b.Len() - n {
			orig = append(orig, i)
		}
	}
	return lowered{text: b.String(), orig: append(orig, len(s))}
}

// word finds sub, in lower case, where it stands as whole words in the
// text, and returns where it stands in the original, or -1, -1.
func (l lowered) word(sub string) (start, end int) {
	i := wordIndex(l.text, sub)
	if i < 0 {
		return -1, -1
	}
	return l.at(i), l.at(i + len(sub))
}

// at is the offset in the original of byte i of the text.
func (l lowered) at(i int) int {
	if l.orig == nil {
		return i
	}
	return l.orig[i]
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

// synonymForms maps the position of each token of q (its analysis toks)
// that stands in a member of one of the corpus's synonym groups to the
// group's other members, each as its analysed terms: the question "Who is
// Toby?" finds "Tobias Penhallow", and the other way round.
func (e *Engine) synonymForms(q string, toks []index.Token) map[int][][]string {
	groups := e.synonymTerms()
	if len(groups) == 0 {
		return nil
	}
	var out map[int][][]string
	lq := lower(q)
	for _, g := range groups {
		for i, m := range g {
			start, end := lq.word(m.lower)
			if start < 0 {
				continue
			}
			var others [][]string
			for k, o := range g {
				if k != i && len(o.terms) > 0 {
					others = append(others, o.terms)
				}
			}
			for _, t := range toks {
				if t.Start >= start && t.End <= end {
					if out == nil {
						out = map[int][][]string{}
					}
					out[t.Position] = append(out[t.Position], others...)
				}
			}
		}
	}
	return out
}

// synonymMember is a member of one of the corpus's groups of synonyms,
// lower-cased and analysed.
type synonymMember struct {
	lower string
	// terms are its distinct analysed terms, in order.
	terms []string
}

// newSynonymTerms analyses every member of the corpus's synonym groups,
// once for the engine's life.
func newSynonymTerms(ix Index, groups synonyms) [][]synonymMember {
	out := make([][]synonymMember, len(groups))
	for i, g := range groups {
		out[i] = make([]synonymMember, len(g))
		for k, m := range g {
			var terms []string
			for _, t := range ix.Analyze(m) {
				if !contains(terms, t.Term) {
					terms = append(terms, t.Term)
				}
			}
			out[i][k] = synonymMember{lower: strings.ToLower(m), terms: terms}
		}
	}
	return out
}
