package answer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// english.txt.gz lists lower-case English words (from SCOWL, see
// english.LICENSE): a question word found there is not a misspelling even
// when the corpus never uses it.
//
//go:embed english.txt.gz
var englishGz []byte

var english = sync.OnceValue(func() map[string]bool {
	words := make(map[string]bool, 64<<10)
	zr, err := gzip.NewReader(bytes.NewReader(englishGz))
	if err != nil {
		panic("answer: embedded word list: " + err.Error())
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		words[sc.Text()] = true
	}
	if sc.Err() != nil {
		panic("answer: embedded word list: " + sc.Err().Error())
	}
	return words
})

// vocabulary is every word of a corpus, lower-cased, with how often it
// occurs: what a misspelt question word is corrected against.
type vocabulary struct {
	count map[string]int
	// byLen indexes the words by their length in runes.
	byLen map[int][]string
}

// functionWords count as words of every corpus: "wich" becomes "which" even
// in a corpus that never uses it, and a word nearest to a function word
// other than a question word ("agains", "thier") stays as typed (see
// nearest).
var functionWords = newWordSet(`the a an and or but of to in on at by for with from about
	into over after before between against during without within through under which who whom
	whose what when where why how whether that this these those there their they them he she his
	her its it was were is are be been being has have had did does do not no nor than then`)

// newVocabulary is the vocabulary of words counted as the index counts
// them; for nil, those of c's passages.
func newVocabulary(c *corpus.Corpus, words map[string]int) *vocabulary {
	v := &vocabulary{count: words, byLen: map[int][]string{}}
	if v.count == nil {
		v.count = map[string]int{}
		for _, p := range c.Passages() {
			eachWord(p.Text, func(w string, _, _ int) {
				v.count[strings.ToLower(w)]++
			})
		}
	}
	for w := range functionWords {
		v.count[w]++
	}
	for w := range v.count {
		n := utf8.RuneCountInString(w)
		v.byLen[n] = append(v.byLen[n], w)
	}
	return v
}

// eachWord calls fn for every run of letters (with inner apostrophes and
// hyphens) of s, with its byte offsets.
func eachWord(s string, fn func(w string, start, end int)) { index.EachWord(s, fn) }

// Limits on which words are corrected, and how far.
const (
	// minCorrectLen is the length, in runes, below which a word is only
	// corrected by a letter it lacks ("wal" to "wall") or to a question
	// word ("wat" to "what"): a short word is one letter changed or
	// dropped away from many others ("abt" from "at", "art", "ant"), so
	// such a correction of it is a guess.
	minCorrectLen = 4
	// minShortLen is the length, in runes, below which a word is never
	// corrected.
	minShortLen = 3
	// runesPerEdit is how many runes of a word each edit of a correction
	// needs: a word of 4 to 7 runes is corrected by one edit, a longer one
	// by up to maxEdits.
	runesPerEdit = 4
	maxEdits     = 2
)

// correct replaces each word of q that the corpus never uses by its nearest
// corpus word, when that is a plausible correction (see nearest), and
// reports whether it changed anything. A word that is English, or written
// in capitals, or too short, is taken as typed.
func (v *vocabulary) correct(q string, target func(string) bool) (string, bool) {
	var b strings.Builder
	last, changed, first := 0, false, true
	eachWord(q, func(w string, start, end int) {
		opening := first
		first = false
		lw := strings.ToLower(w)
		if v.count[lw] > 0 || english()[lw] || strings.ToUpper(w) == w {
			return
		}
		for _, possessive := range []string{"'s", "’s"} {
			if base, ok := strings.CutSuffix(lw, possessive); ok && (v.count[base] > 0 || english()[base]) {
				return
			}
		}
		fix, ok := v.nearest(lw, opening, target)
		if !ok {
			return
		}
		b.WriteString(q[last:start])
		b.WriteString(matchCase(fix, w))
		last, changed = end, true
	})
	if !changed {
		return q, false
	}
	b.WriteString(q[last:])
	return b.String(), true
}

// questionWords are preferred corrections of a question's first word.
var questionWords = newWordSet(`who whom whose what which when where why how`)

// nearest finds the best correction of a word the corpus does not hold: the
// nearest word, and among those as near the most frequent (a question word,
// for the question's first word). The best guess is taken only when it is a
// question word or a word that target accepts, and never another function
// word: a misspelt word corrected to "at" or "the" would drop out of the
// question, and the question would seem to ask less than it does. When the
// best guess is not taken, the word stays as typed rather than go to a
// worse guess ("agains" is "against", not "gains").
func (v *vocabulary) nearest(w string, opening bool, target func(string) bool) (string, bool) {
	n := utf8.RuneCountInString(w)
	if n < minShortLen {
		return "", false
	}
	short := n < minCorrectLen
	maxd := max(1, min(n/runesPerEdit, maxEdits))
	rw := []rune(w)
	best, bestD, bestN := "", maxd+1, 0
	for l := n - maxd; l <= n+maxd; l++ {
		for _, c := range v.byLen[l] {
			if short && l <= n && !questionWords[c] {
				continue
			}
			d := editDistance(rw, []rune(c), maxd)
			if d > maxd {
				continue
			}
			n := v.count[c]
			if opening && questionWords[c] {
				n = 1 << 40
			}
			if d < bestD || d == bestD && (n > bestN || n == bestN && c < best) {
				best, bestD, bestN = c, d, n
			}
		}
	}
	switch {
	case best == "":
		return "", false
	case questionWords[best]:
		return best, true
	case functionWords[best] || stopWords[best] || !target(best):
		return "", false
	}
	return best, true
}

// editDistance is the optimal-string-alignment distance of a and b (a
// swap of two neighbours counts one), or max+1 when it exceeds max.
func editDistance(a, b []rune, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// matchCase gives fix the capitalisation of orig.
func matchCase(fix, orig string) string {
	r, _ := utf8.DecodeRuneInString(orig)
	if unicode.IsUpper(r) {
		f, size := utf8.DecodeRuneInString(fix)
		return string(unicode.ToUpper(f)) + fix[size:]
	}
	return fix
}
