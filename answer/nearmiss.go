package answer

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/answer/relations"
	"github.com/storybot/storybot/corpus"
)

// A near miss is a question that shares words with the corpus but asks
// about something it does not hold: another country's reaction, a person
// the corpus never names, a figure or a date no passage gives. Its best
// passage matches the words the question shares with the corpus, so
// evidence alone does not tell it from a question the passage answers.

// Limits on which of a question's names decide a near miss.
const (
	// minNameLen is the length, in runes, below which a capitalised word
	// of a question is not taken as a name ("US", "EU" are written with
	// stops or spelt out in many texts).
	minNameLen = 3
	// minCapsLen is the length, in runes, below which a word in capitals
	// is not taken as a name: short ones (UMC, AAA) are as often spelt
	// out in a text as written so.
	minCapsLen = 4
	// maxNameShare is the share of a question's words that may be
	// capitalised for them to be read as names: a question in title case
	// ("What Did The King Say") names nothing by its capitals.
	maxNameShare = 0.5
	// nameEditLen is the length, in runes, from which a name one edit away
	// from a corpus word is taken as that word misspelt; names of
	// nameEdit2Len runes or more may be two edits away.
	nameEditLen  = 4
	nameEdit2Len = 9
)

// nearMiss reports whether question q, answered by best, is a near miss:
// it names someone or something the corpus never mentions (see missingName),
// it asks for a figure, a duration, a cost or a date that the best span's
// passage does not hold (see lacksFigure), it speaks of a year or a
// century that the best span does not (see otherTime) or holds with
// nothing else the question asks about (see onlyTime), or it asks about a
// deed or someone's kin that the best span tells with the roles swapped
// (see swappedRoles, swappedPossession).
//
// pq is q as prepare made it ready.
func (e *Engine) nearMiss(q string, pq question, best candidate) bool {
	return e.nearMissRule(q, pq, best) != ""
}

// nearMissRule says which of nearMiss's rules makes question q, answered
// by best, a near miss, and why; "" when none does.
func (e *Engine) nearMissRule(q string, pq question, best candidate) string {
	if n := e.missingName(q); n != "" {
		return fmt.Sprintf("it names %q, which the corpus never mentions", n)
	}
	if e.lacksFigure(pq.lower, best) {
		return "it asks for a figure or a time that the best passage does not hold"
	}
	switch {
	case e.otherTime(q, best):
		return "it speaks of a time that the best span does not"
	case e.onlyTime(numbersOf(q), pq, best):
		return "the best span holds its time and nothing else it asks about"
	case e.swappedRoles(q, pq, best):
		return "the best span tells its deed with the roles swapped"
	case e.swappedPossession(q, pq, best):
		return "the best span tells its kinship the other way about"
	}
	return ""
}

// otherTime reports whether question q speaks of a time in numbers (a
// year, a decade, a century: see periodsOf) that the best span does not
// hold, nor a time within it or holding it: the span speaks of another
// time, and so of another event than the one asked about. The span, not
// its passage: a passage often tells of two times, and a question made to
// be unanswerable takes the other one ("Who ruled in the 10th century?" of
// a passage that says the 10th century began one thing and the 11th
// another). A passage that speaks of no time in numbers at all tells of
// the time the question gives as well as of any: its document names it
// elsewhere, as a tale's season or a report's year.
func (e *Engine) otherTime(q string, best candidate) bool {
	asked := periodsOf(q)
	if len(asked) == 0 {
		return false
	}
	var buf [8]period
	held := buf[:0]
	for _, s := range best.passage.Sentences[best.first : best.last+1] {
		held = appendPeriods(held, s.Text)
	}
	if len(held) == 0 && !passageTimed(best.passage) {
		return false
	}
	for _, p := range asked {
		if !heldPeriod(p, held) {
			return true
		}
	}
	return false
}

// passageTimed reports whether any sentence of passage p speaks of a time
// in numbers (see periodsOf).
func passageTimed(p *corpus.Passage) bool {
	var buf [8]period
	for _, s := range p.Sentences {
		if len(appendPeriods(buf[:0], s.Text)) > 0 {
			return true
		}
	}
	return false
}

// missingName returns a name of question q that the corpus never uses,
// else "". A name is a run of capitalised words other than the question's
// first word (see questionNames); it counts as used when the corpus uses its
// last word ("Graham Twigg" for a corpus that says "Twigg"), and a word
// counts as used when the corpus holds it, a misspelling of it, one of its
// WordNet synonyms, derived forms or pertainyms ("Korean", "Korea"), or when
// the corpus's synonyms reword it.
func (e *Engine) missingName(q string) string {
	names := questionNames(q)
	if len(names) == 0 {
		return ""
	}
	rewordings := lowerAll(e.variants(q)[1:])
	for _, n := range names {
		if !e.usesNameIn(n.word, rewordings) {
			return n.word
		}
	}
	return ""
}

// nameAt is a name of a question: the last word of a run of capitalised
// words, and where it stands.
type nameAt struct {
	word       string
	start, end int
}

// questionNames are the names of question q: of each run of capitalised
// words other than the question's first word, the last word. Short words in
// capitals (UMC, AAA) and words with capitals inside (UserDatagram) are not
// read as names: texts spell them out or split them. A question in title
// case names nothing (see maxNameShare).
func questionNames(q string) []nameAt {
	var names []nameAt
	words, last := 0, -1
	eachWord(q, func(w string, start, end int) {
		words++
		opening := words == 1
		r, _ := utf8.DecodeRuneInString(w)
		// Most words are told no name by their first letter, before
		// the rest of them is read.
		if opening || !unicode.IsUpper(r) || utf8.RuneCountInString(w) < minNameLen {
			last = -1
			return
		}
		if caps := capitals(w); caps && utf8.RuneCountInString(w) < minCapsLen || !caps && strings.IndexFunc(w[1:], unicode.IsUpper) >= 0 {
			last = -1
			return
		}
		if last >= 0 && strings.TrimSpace(q[last:start]) == "" {
			names[len(names)-1] = nameAt{w, start, end} // the run's last word stands for it
		} else {
			names = append(names, nameAt{w, start, end})
		}
		last = end
	})
	if float64(len(names)) > maxNameShare*float64(words) {
		return nil
	}
	return names
}

// usesName reports whether the corpus uses name n of a question whose
// rewordings with the corpus's synonyms are variants. A hyphenated name
// ("Huguenot-descended") is used when one of its parts is.
func (e *Engine) usesName(n string, variants []string) bool {
	return e.usesNameIn(n, lowerAll(variants[1:]))
}

// lowerAll is each of ss lower-cased.
func lowerAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

// usesNameIn is usesName with the question's rewordings (its variants but
// the first) lower-cased once for all its names.
func (e *Engine) usesNameIn(n string, rewordings []string) bool {
	ln := strings.ToLower(n)
	for _, v := range rewordings {
		if wordIndex(v, ln) < 0 {
			return true // a rewording replaces it by a synonym the corpus uses
		}
	}
	ln = strings.TrimSuffix(strings.TrimSuffix(ln, "'s"), "’s")
	if e.usesWord(ln) {
		return true
	}
	if parts := strings.Split(ln, "-"); len(parts) > 1 {
		for _, p := range parts {
			if utf8.RuneCountInString(p) >= minNameLen && e.usesWord(p) {
				return true
			}
		}
		return false
	}
	// A name written as one word that the corpus writes as two
	// ("Superbowl", "Super Bowl").
	for i := minNameLen; i <= len(ln)-minNameLen; i++ {
		if e.words.count[ln[:i]] > 0 && e.words.count[ln[i:]] > 0 {
			return true
		}
	}
	return false
}

// usesWord reports whether the corpus uses lower-case word w, a
// possessive of it, a word related to it (see missingName) or a word it is
// a misspelling of, kept for a while: it depends on the corpus alone, and
// the search for a word near a name looks at many of the vocabulary's.
func (e *Engine) usesWord(w string) bool {
	if used, ok := e.usedWords.Get(w); ok {
		return used
	}
	used := e.usesWordNow(w)
	e.usedWords.Put(w, used)
	return used
}

// cachedNameWords is how many words of names a generation of the engine's
// cache of usesWord holds.
const cachedNameWords = 4096

// usesWordNow is usesWord, worked out anew.
func (e *Engine) usesWordNow(w string) bool {
	if e.words.count[w] > 0 || e.words.count[w+"'s"] > 0 || e.words.count[w+"’s"] > 0 || functionWords[w] {
		return true
	}
	for _, r := range relations.Lookup(w) {
		switch r.Kind {
		case relations.Synonym, relations.Derivation, relations.Pertainym:
			if e.words.count[r.Word] > 0 {
				return true
			}
		}
	}
	return e.nearName(w)
}

// nearName reports whether the corpus uses a word close enough to name n
// to be what it was meant to be: at most one insertion, deletion,
// substitution or swap of two neighbouring runes away ("Ghandi", "Gandhi")
// for a name of nameEditLen runes, two for one of nameEdit2Len. The
// vocabulary's words of each length are walked as a trie (see nearWords),
// not compared one by one.
func (e *Engine) nearName(n string) bool {
	size := utf8.RuneCountInString(n)
	edits := nameEdits(size)
	if edits == 0 {
		return false
	}
	e.words.sort()
	q := []rune(n)
	found := false
	for l := size - edits; l <= size+edits && !found; l++ {
		nearWords(e.words.byLen[l], l, q, edits, func(string, int) { found = true })
	}
	return found
}

// nameEdits is how many edits away a word may be from a name of size runes
// to be near it: none for a name shorter than nameEditLen.
func nameEdits(size int) int {
	switch {
	case size >= nameEdit2Len:
		return 2
	case size >= nameEditLen:
		return 1
	}
	return 0
}

// asked is what kind of figure a question asks for.
type asked int

const (
	askedNothing  asked = iota
	askedFigure         // how many, how much, how old, what percentage: a number
	askedDuration       // how long: a number or a length of time
	askedYear           // what year, which year, what century
	askedDate           // when, what date, what day: any time
)

// figureAsked is what kind of figure question q, in any case, asks for.
func figureAsked(q string) asked { return figureAskedLower(strings.ToLower(q)) }

// figureAskedLower is figureAsked of a question lower-cased, lq.
func figureAskedLower(lq string) asked {
	has := func(subs ...string) bool {
		for _, s := range subs {
			if wordIndex(lq, s) >= 0 {
				return true
			}
		}
		return false
	}
	// Each phrase is looked for only in a question that holds its first
	// word.
	how, what, which := strings.Contains(lq, "how "), strings.Contains(lq, "what "), strings.Contains(lq, "which ")
	switch {
	case how && has("how many", "how much", "how old") || what && has("what percentage", "what percent"):
		return askedFigure
	case how && has("how long"):
		return askedDuration
	case what && has("what year", "what century") || which && has("which year", "which century"):
		return askedYear
	case strings.HasPrefix(asking(lq), "when ") || what && has("what date", "what day") || which && has("which day"):
		return askedDate
	}
	return askedNothing
}

// countWords are words that give a number ("one" is left out: it is as
// often a pronoun). durationWords give a length of time.
var (
	countWords    = newWordSet(`two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions dozen dozens half twice thrice quarter`)
	durationWords = newWordSet(`century centuries decade decades year years month months week weeks day days hour hours minute minutes seconds night nights`)
	yearWords     = newWordSet(`century centuries decade decades`)
	// quantityWords answer "how many" and "how much" without a number.
	quantityWords = newWordSet(`many several few numerous much most multiple countless vast`)
	// verbMonths are months that are also words ("may", "march"): they
	// are months only when capitalised.
	verbMonths = newWordSet(`may march`)
)

// bestSentences are the analysed sentences of best's passage, read while
// it was ranked (so from the cache); nil if they cannot be read.
func (e *Engine) bestSentences(best candidate) []sentenceTerms {
	sents, err := e.analyse(context.Background(), best.passage)
	if err != nil {
		return nil
	}
	return sents
}

// lacksFigure reports whether a question that asks for a figure, a
// duration or a date (see figureAsked) is answered by a passage that holds
// none in any of its sentences: for a figure a number, in digits or in
// words; for a duration that or a length of time; for a year a year, a
// century or a decade; for a date any number or word of time. lq is the
// question lower-cased.
func (e *Engine) lacksFigure(lq string, best candidate) bool {
	want := figureAskedLower(lq)
	if want == askedNothing {
		return false
	}
	sents := e.bestSentences(best)
	if sents == nil {
		return false // unreadable: ranking it failed already, or it has no sentences
	}
	for i, s := range sents {
		if holdsFigure(want, s, best.passage.Sentences[i].Text) {
			return false
		}
	}
	return true
}

// holdsFigure reports whether a sentence, analysed as s from text, holds
// the kind of figure want.
func holdsFigure(want asked, s sentenceTerms, text string) bool {
	switch want {
	case askedFigure:
		return len(s.cues.Numbers) > 0 || anyIn(s.words, countWords) || anyIn(s.words, quantityWords) || hyphenCount(s.words)
	case askedDuration:
		// A number in words alone ("the two leaders") is no length of
		// time or distance; "two weeks" has its unit, "1,230 km" digits,
		// and "for a long time" says how long too.
		return len(s.cues.Numbers) > 0 || anyIn(s.words, durationWords) || s.words.has("long") && s.words.has("time")
	case askedYear:
		for _, n := range s.cues.Numbers {
			if isTimeNumber(n) {
				return true
			}
		}
		return anyIn(s.words, yearWords)
	}
	if len(s.cues.Numbers) > 0 {
		return true
	}
	for w := range s.words.all {
		if timeWords[w] && !verbMonths[w] {
			return true
		}
	}
	found := false
	eachWord(text, func(w string, _, _ int) {
		r, _ := utf8.DecodeRuneInString(w)
		found = found || unicode.IsUpper(r) && verbMonths[strings.ToLower(w)]
	})
	return found
}

// hyphenCount reports whether a word of words is a number joined to
// another ("six-time", "twenty-two").
func hyphenCount(words sentenceWords) bool {
	for w := range words.all {
		if head, _, ok := strings.Cut(w, "-"); ok && (countWords[head] || head == "one") {
			return true
		}
	}
	return false
}

// anyIn reports whether words holds a word of set.
func anyIn(words sentenceWords, set wordSet) bool {
	for w := range words.all {
		if set[w] {
			return true
		}
	}
	return false
}
