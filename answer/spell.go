package answer

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"slices"
	"sort"
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
	// byLen indexes the words by their length in runes. Each list is
	// sorted, once, before the first search (sorted), so that a search
	// walks it as a trie (see nearWords).
	byLen  map[int][]string
	sorted sync.Once
	// all is every word, sorted: the words a partly typed one begins.
	all []string
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
	v.all = make([]string, 0, len(v.count))
	for w := range v.count {
		n := utf8.RuneCountInString(w)
		v.byLen[n] = append(v.byLen[n], w)
		v.all = append(v.all, w)
	}
	slices.Sort(v.all)
	v.sort()
	return v
}

// withPrefix returns up to n of the words that begin with prefix, the most
// frequent first.
func (v *vocabulary) withPrefix(prefix string, n int) []string {
	i, _ := slices.BinarySearch(v.all, prefix)
	j := i + sort.Search(len(v.all)-i, func(x int) bool { return !strings.HasPrefix(v.all[i+x], prefix) })
	ws := slices.Clone(v.all[i:j])
	slices.SortFunc(ws, func(a, b string) int {
		if c := cmp.Compare(v.count[b], v.count[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return ws[:min(n, len(ws))]
}

// sort sorts the lists of byLen, once.
func (v *vocabulary) sort() {
	v.sorted.Do(func() {
		for _, ws := range v.byLen {
			slices.Sort(ws)
		}
	})
}

// eachWord calls fn for every run of letters (with inner apostrophes and
// hyphens) of s, with its byte offsets.
func eachWord(s string, fn func(w string, start, end int)) { index.EachWord(s, fn) }

// eachWordWhile is eachWord, stopping at the first word for which fn
// returns false.
func eachWordWhile(s string, fn func(w string, start, end int) bool) { index.EachWordWhile(s, fn) }

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
// corpus word, when that is a plausible correction (see nearest, which
// nearest is, for some target), and reports whether it changed anything. A
// word that is English, or written in capitals, or too short, is taken as
// typed. lq is q lower-cased (strings.ToLower); holds is v.holds, or a
// function that gives what it gives.
func (v *vocabulary) correct(q, lq string, holds func(lw string) bool, nearest func(w string, opening bool) (string, bool)) (string, bool) {
	var b strings.Builder
	last, changed, first := 0, false, true
	// An ASCII q's words stand at the same offsets in lq.
	ascii := isASCII(q)
	eachWord(q, func(w string, start, end int) {
		opening := first
		first = false
		var lw string
		if ascii {
			lw = lq[start:end]
		} else {
			lw = strings.ToLower(w)
		}
		fix, ok := fix(w, lw, opening, holds, nearest)
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

// fix returns the correction of w as typed, lower-cased lw, or false when
// w stays as it is: a word the vocabulary holds (see vocabulary.holds,
// which holds is), or in capitals, or with no plausible correction (see
// nearest).
func fix(w, lw string, opening bool, holds func(lw string) bool, nearest func(w string, opening bool) (string, bool)) (string, bool) {
	if holds(lw) || capitals(w) {
		return "", false
	}
	return nearest(lw, opening)
}

// holds reports whether lower-case word lw is taken as typed in any case:
// the corpus uses it, or it is English, or the possessive of such a word,
// or the corpus uses its possessive (a name the corpus writes only as
// "Ben-Idris's" is no misspelling of that possessive).
func (v *vocabulary) holds(lw string) bool {
	if v.count[lw] > 0 || english()[lw] {
		return true
	}
	for _, possessive := range possessives {
		if base, ok := strings.CutSuffix(lw, possessive); ok && (v.count[base] > 0 || english()[base]) {
			return true
		}
	}
	for _, possessive := range possessives {
		if v.count[lw+possessive] > 0 {
			return true
		}
	}
	return false
}

// uses is how often the corpus uses word w, its possessives counted: a
// name the corpus mostly writes as "Merrow's" is as frequent as it is.
func (v *vocabulary) uses(w string) int {
	n := v.count[w]
	for _, possessive := range possessives {
		n += v.count[w+possessive]
	}
	return n
}

// possessives are the endings of a possessive, with either apostrophe.
var possessives = [...]string{"'s", "’s"}

// capitals reports whether w is written in capitals: upper-casing it
// changes nothing.
func capitals(w string) bool {
	for _, r := range w {
		if unicode.ToUpper(r) != r {
			return false
		}
	}
	return true
}

// questionWords are preferred corrections of a question's first word.
var questionWords = newWordSet(`who whom whose what which when where why how`)

// nearest finds the best correction of a word the corpus does not hold: the
// nearest word, and among those as near the most frequent (see uses; a question word,
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
	v.sort()
	best, bestD, bestN := "", maxd+1, 0
	// The nearest words are sought one edit away first, then two: a
	// search for fewer edits looks at far fewer words, and any word it
	// finds is nearer than all the others.
	for e := 1; e <= maxd && best == ""; e++ {
		searchLens(n, e, func(l int) {
			nearWords(v.byLen[l], l, rw, e, func(c string, d int) {
				if short && l <= n && !questionWords[c] {
					return
				}
				n := v.uses(c)
				if opening && questionWords[c] {
					n = 1 << 40
				}
				if d < bestD || d == bestD && (n > bestN || n == bestN && c < best) {
					best, bestD, bestN = c, d, n
				}
			})
		})
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

// nearWords calls fn with each word of words, all of l runes and sorted, that
// is at most maxd edits from q, and its edit distance: the
// optimal-string-alignment distance (a swap of two neighbours counts one).
//
// The sorted list is walked as a trie: the rows of the distance table of a
// word's first runes serve every word that starts with them, and when no
// word starting with some runes can come within maxd (given the row so far
// and the length left), all of those words are skipped at once, found by
// binary search. A search thus looks at the few prefixes near q, not at
// every word.
func nearWords(words []string, l int, q []rune, maxd int, fn func(w string, d int)) {
	if len(words) == 0 {
		return
	}
	m := len(q)
	// rows[k][j] is the distance between the first k runes of prev and
	// the first j of q, for k up to valid.
	rows := make([][]int, l+1)
	for k := range rows {
		rows[k] = make([]int, m+1)
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	// cur holds the runes of the word at hand decoded so far, offs[k] the
	// byte offset of cur[k]; rows up to valid hold for cur's first runes.
	cur := make([]rune, l)
	offs := make([]int, l+1)
	valid := 0
	for i := 0; i < len(words); {
		w := words[i]
		// The runes w shares with the word before keep their rows.
		k := 0
		for k < valid {
			r, size := utf8.DecodeRuneInString(w[offs[k]:])
			if r != cur[k] {
				break
			}
			offs[k+1] = offs[k] + size
			k++
		}
		pruned := false
		for ; k < l; k++ {
			if offs[k] >= len(w) {
				// Shorter than the list's: only in a list made by hand.
				pruned = true
				i++
				break
			}
			r, size := utf8.DecodeRuneInString(w[offs[k]:])
			cur[k], offs[k+1] = r, offs[k]+size
			// Row k+1, for cur[:k+1].
			row, up := rows[k+1], rows[k]
			row[0] = k + 1
			best := row[0] + abs(l-k-1-m)
			for j := 1; j <= m; j++ {
				cost := 1
				if r == q[j-1] {
					cost = 0
				}
				row[j] = min(up[j]+1, row[j-1]+1, up[j-1]+cost)
				if k > 0 && j > 1 && r == q[j-2] && cur[k-1] == q[j-1] {
					row[j] = min(row[j], rows[k-1][j-2]+1)
				}
				// No word going on from here ends nearer than this
				// cell and the difference of the lengths left.
				best = min(best, row[j]+abs(l-k-1-(m-j)))
			}
			if best > maxd {
				// No word starting with cur[:k+1] is within reach: skip
				// them all.
				i = skipPrefix(words, i, w[:offs[k+1]])
				pruned = true
				break
			}
		}
		valid = k
		if pruned {
			continue
		}
		if offs[l] == len(w) {
			if d := rows[l][m]; d <= maxd {
				fn(w, d)
			}
		}
		i++
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// searchLens calls fn with each length of the words within e edits of a
// word of n runes.
func searchLens(n, e int, fn func(l int)) {
	for l := n - e; l <= n+e; l++ {
		fn(l)
	}
}

// skipPrefix returns the index of the first word after words[i] that does
// not start with p, which words[i] does; words is sorted. It gallops: the
// words sharing a prefix are mostly few.
func skipPrefix(words []string, i int, p string) int {
	lo, step := i, 1
	for lo+step < len(words) && strings.HasPrefix(words[lo+step], p) {
		lo += step
		step *= 2
	}
	// words[lo] starts with p; the answer is in (lo, lo+step].
	hi := min(lo+step, len(words))
	return lo + 1 + sort.Search(hi-lo-1, func(x int) bool { return !strings.HasPrefix(words[lo+1+x], p) })
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
