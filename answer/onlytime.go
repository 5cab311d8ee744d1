package answer

import (
	"maps"
	"slices"
	"strings"
)

// A term of more than commonTermShare of the corpus's passages is what the
// corpus is about rather than what one passage tells (the people a
// history is about): holding it with the time does not make the span
// about what the question asks. A corpus of fewer than minCommonPassages
// passages is too small to tell the two apart: every term of a single
// passage stands in all of them.
const (
	commonTermShare   = 0.5
	minCommonPassages = 10
)

// timeWordsText is durationWords written out, analysed to find which of a
// question's terms are words of time.
var timeWordsText = strings.Join(slices.Sorted(maps.Keys(durationWords)), " ")

// newTimeTerms are the terms of timeWordsText as ix analyses it, in order.
func newTimeTerms(ix Index) []string {
	var out []string
	for _, t := range ix.Analyze(timeWordsText) {
		out = append(out, t.Term)
	}
	return out
}

// onlyTime reports whether question pq, whose numbers are nums, speaks of
// a time in numbers (a year, a decade, "the 10th century") that the best
// span holds, while the span holds no other term of the question: the span
// was found for its time alone and tells of something else that happened
// then. A question made to be unanswerable moves an event to another time
// ("Who ruled Ostmere in the 11th century?" of a chronicle that tells who
// ruled Ostmere, at no time, and what monks copied in the 11th century).
// Words of time ("century", "years") come with the number and do not count
// as other terms; nor do the words that ask (dropTerm), nor terms common
// to the corpus (see commonTermShare).
func (e *Engine) onlyTime(nums []string, pq question, best candidate) bool {
	sents := e.bestSentences(best)
	if sents == nil {
		return false
	}
	span := sents[best.first : best.last+1]
	held := false
	for _, n := range nums {
		for _, s := range span {
			held = held || isTimeNumber(n) && contains(s.cues.Numbers, n)
		}
	}
	if !held {
		return false // no time in numbers, or otherTime's case
	}
	timeTerms := e.timeTerms()
	n := e.ix.NumPassages()
	for _, t := range pq.toks {
		if contains(nums, t.Term) || contains(timeTerms, t.Term) || dropTerm[t.Term] {
			continue
		}
		id, ok := e.ix.TermID(t.Term)
		if !ok || n >= minCommonPassages && float64(e.ix.DocFreq(t.Term)) > commonTermShare*float64(n) {
			continue // no span holds it, or most do
		}
		for _, s := range span {
			for _, tok := range s.tokens {
				if tok.Term == id {
					return false
				}
			}
		}
	}
	return true
}
