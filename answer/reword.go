package answer

import (
	"hash/fnv"
	"strings"
	"unicode"

	"github.com/storybot/storybot/answer/relations"
	"github.com/storybot/storybot/answer/vectors"
)

// A training set's questions mostly reuse the words of the text that
// answers them, so a fit on them alone learns little of what a match
// through a WordNet relation is worth. Reworded makes questions of the
// other kind from them: a word the answer holds replaced by one WordNet
// relates to it that the corpus never uses, so that the answer holds the
// question's word only through the relation, as it does for a reader who
// asks in words of their own.

// Reworded returns, for one in every every of the answerable questions of
// qs (those whose hash, see rewordHash, falls so), a copy with one word
// replaced (see Reword); questions without a word to replace give none. The
// copies are the same for the same questions and corpus, in the order of
// qs.
func (e *Engine) Reworded(qs []EvalQuestion, every int) []EvalQuestion {
	if every <= 0 {
		return nil
	}
	var out []EvalQuestion
	for _, q := range qs {
		if q.Unanswerable || rewordHash(q.Q)%uint64(every) != 0 {
			continue
		}
		if r, ok := e.Reword(q); ok {
			out = append(out, r)
		}
	}
	return out
}

// Reword returns question q with one of its words replaced by a word
// WordNet relates to it (a synonym, a derived form, a pertainym, a whole it
// is part of, a broader word), chosen by a hash of the question and
// the two words among every such pair where: the word is written in lower
// case, says something on its own (no stop, question or light word) and
// stands in q's first gold passage; the relative is one lower-case word
// that the corpus never uses; and the engine, asked the reworded question,
// relates the relative back to the word (see Engine.wordNet). False when q
// has no such word.
func (e *Engine) Reword(q EvalQuestion) (EvalQuestion, bool) {
	if len(q.Gold) == 0 {
		return q, false
	}
	gold := wordsOf(q.Gold[0])
	best, bestHash := "", uint64(0)
	var bestStart, bestEnd int
	eachWord(q.Q, func(w string, start, end int) {
		if !isLowerWord(w) || stopWords[w] || !gold.has(w) {
			return
		}
		toks := e.ix.Analyze(w)
		if len(toks) != 1 || dropTerm[toks[0].Term] || lightTerm[toks[0].Term] {
			return
		}
		term := toks[0].Term
		if _, ok := e.ix.TermID(term); !ok {
			return
		}
		for i, rs := range eitherOfLemmas(w) {
			for _, r := range rs {
				// Narrower words and parts (those naming w as their
				// hypernym or holonym) are mostly names of instances
				// (kings for "king"): a reader asks more broadly.
				if i%2 == 1 && (r.Kind == relations.Hypernym || r.Kind == relations.Holonym) {
					continue
				}
				if _, ok := wordNetChannel(r.Kind); !ok || !isLowerWord(r.Word) || !closeInMeaning(w, r.Word) || !e.relatesBack(r.Word, term) {
					continue
				}
				if h := rewordHash(q.Q + "\x00" + w + "\x00" + r.Word); best == "" || h < bestHash {
					best, bestHash, bestStart, bestEnd = r.Word, h, start, end
				}
			}
		}
	})
	if best == "" {
		return q, false
	}
	r := q
	r.Q = q.Q[:bestStart] + best + q.Q[bestEnd:]
	return r, true
}

// relatesBack reports whether relative, a word the corpus never uses (nor
// any of its other forms), counts in a question through WordNet as the
// corpus's term term: the only way a span holding term can match it.
func (e *Engine) relatesBack(relative, term string) bool {
	toks := e.ix.Analyze(relative)
	if len(toks) != 1 || toks[0].Term == term || dropTerm[toks[0].Term] || lightTerm[toks[0].Term] {
		return false
	}
	if _, ok := e.ix.TermID(toks[0].Term); ok {
		return false
	}
	for _, f := range e.forms[toks[0].Term] {
		if _, ok := e.ix.TermID(f); ok {
			return false
		}
	}
	for _, r := range e.wordNet(relative) {
		if r.term == term {
			return true
		}
	}
	return false
}

// minRewordCloseness is the least similarity of word vectors between a
// word and the relative that replaces it: WordNet relates words through
// senses a reader seldom means ("sat" and "sabbatum", through Saturday),
// and the vectors, learnt from how words are used, tell those apart.
const minRewordCloseness = 0.4

// closeInMeaning reports whether the word vectors of a and b are at least
// minRewordCloseness alike; false for a word without one.
func closeInMeaning(a, b string) bool {
	s, ok := vectors.Similarity(a, b)
	return ok && s >= minRewordCloseness
}

// isLowerWord reports whether w is a word of lower-case letters only: not
// a name, a figure or a word of many parts.
func isLowerWord(w string) bool {
	return w != "" && strings.IndexFunc(w, func(c rune) bool { return !unicode.IsLower(c) }) < 0
}

// rewordHash is the hash that picks the questions Reworded rewords and the
// word each replaces.
func rewordHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
