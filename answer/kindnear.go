package answer

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// A question that asks for a kind of thing is answered by the thing of that
// kind that stands beside the question's words: "How many tackles did
// Kuechly register?" by the number in "Kuechly led the team in tackles
// (118)", not by a number of the same sentence that counts something else.
// FeatKind tells whether a span holds the kind at all; FeatKindNear tells
// how closely the question's words stand around it.

// kindSpots are, sentence by sentence of a passage, where the words of the
// kind a question asks for stand (see answerKind.spots); nil for a sentence
// that holds none, and for every sentence when the question asks for no
// kind.
type kindSpots [][]float64

// reset makes ks ready for the passage p, whose analysed sentences are
// sents, for question pq: it finds where in each sentence that holds the
// kind asked for (see spanScratch.holdsKind) the words of that kind stand.
func (ks *kindSpots) reset(pq question, p *corpus.Passage, sents []sentenceTerms, sc *spanScratch) {
	s := *ks
	for len(s) < len(sents) {
		s = append(s, nil)
	}
	s = s[:len(sents)]
	for k := range s {
		s[k] = s[k][:0]
		if pq.kind.kind == kindAny || k >= len(p.Sentences) || !sc.holdsKind(pq, sents, k) {
			continue
		}
		s[k] = pq.kind.spots(s[k], p.Sentences[k].Text, sents[k].tokens, sents[k].cues)
	}
	*ks = s
}

// spots appends to dst where, among the analysed tokens toks of sentence
// text, the words of the kind k asks for that the question does not say
// stand: a word that is a token at its token's index, one that is not (a
// stop word such as "because") halfway between the tokens around it.
func (k answerKind) spots(dst []float64, text string, toks []index.IDToken, c index.Cues) []float64 {
	eachAlnum(text, func(w string, start int) {
		lw := strings.ToLower(w)
		if k.words[lw] || !k.isKindWord(lw, c) {
			return
		}
		// The first token that does not start before the word.
		i, _ := slices.BinarySearchFunc(toks, int32(start), func(t index.IDToken, s int32) int { return int(t.Start - s) })
		pos := float64(i)
		if i >= len(toks) || toks[i].Start != int32(start) {
			pos -= 0.5
		}
		dst = append(dst, pos)
	})
	return dst
}

// isKindWord reports whether word w, lower-cased, of a sentence with cues c
// is of the kind k asks for, as answerKind.matches finds it.
func (k answerKind) isKindWord(w string, c index.Cues) bool {
	digits := strings.IndexFunc(w, unicode.IsDigit) >= 0
	switch k.kind {
	case kindNumber:
		return digits || numberWords[w]
	case kindTime:
		return digits && isTimeNumber(w) || timeWords[w]
	case kindPlace:
		return slices.Contains(c.Places, w)
	case kindPerson:
		return slices.Contains(c.Names, w)
	case kindReason:
		return reasonWords[w]
	case kindFeeling:
		return feelingWords[w]
	}
	return false
}

// eachAlnum calls fn for every run of letters and digits of s, as CuesOf
// finds a sentence's words, with its byte offset.
func eachAlnum(s string, fn func(w string, start int)) {
	start := -1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			fn(s[start:i], start)
			start = -1
		}
		i += n
	}
	if start >= 0 {
		fn(s[start:], start)
	}
}

// kindNear is FeatKindNear for the span of sentences first to last, where
// hits are, term by term, the span's token positions of the question's
// terms it holds through its own words: the best, over the words of the
// kind asked for that the span holds, of the question's weight standing
// around the word, each term's weight (of tw) over how many tokens away
// its nearest occurrence stands (in full when side by side). 0 when the
// question asks for no kind.
func (ks kindSpots) kindNear(tw *termWeights, sents []sentenceTerms, first, last int, hits [][]int) float64 {
	best, base := 0.0, 0
	for k := first; k <= last && k < len(ks); k++ {
		for _, s := range ks[k] {
			pos := float64(base) + s
			near := 0.0
			for j, h := range hits {
				if len(h) == 0 {
					continue
				}
				d := math.Inf(1)
				for _, p := range h {
					d = min(d, math.Abs(float64(p)-pos))
				}
				near += tw.weights[j] / tw.total / max(1, d)
			}
			best = max(best, near)
		}
		base += len(sents[k].tokens)
	}
	return best
}

// focusTerm is the index among pq's terms of the thing a question asking
// how many or how much counts ("tackles" in "How many tackles did he
// make?"), or -1.
func focusTerm(pq question) int {
	if pq.kind.after == 0 {
		return -1
	}
	best := -1
	for j, t := range pq.terms {
		if t.pos > pq.kind.after && (best < 0 || t.pos < pq.terms[best].pos) {
			best = j
		}
	}
	return best
}

// kindFocus is FeatKindFocus for the span of sentences first to last of a
// question whose counted thing is term focus (see focusTerm): the best,
// over the numbers the span holds, of one over how many tokens away the
// counted thing stands (1 side by side); 0 for any other question.
func (ks kindSpots) kindFocus(focus int, sents []sentenceTerms, first, last int, hits [][]int) float64 {
	if focus < 0 || len(hits[focus]) == 0 {
		return 0
	}
	best, base := 0.0, 0
	for k := first; k <= last && k < len(ks); k++ {
		for _, s := range ks[k] {
			pos := float64(base) + s
			for _, p := range hits[focus] {
				best = max(best, 1/max(1, math.Abs(float64(p)-pos)))
			}
		}
		base += len(sents[k].tokens)
	}
	return best
}
