package answer

import (
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/index"
)

// qterm is one content word of a question.
type qterm struct {
	// forms are the analysed terms that count as this word: the word, its
	// other verb forms, and its spelling correction.
	forms []string
	// ids are the IDs of forms (see Index.TermIDs), as prepare found them,
	// or nil; dfs how many passages hold each form, or nil: neither to be
	// changed.
	ids []index.TermID
	dfs []int
	// idf weighs the word by how rare it is in the corpus.
	idf float64
	// pos is the word's position in the question.
	pos int
	// known is false for a word the corpus never uses.
	known bool
	// trust is the share of its weight the word counts for as evidence:
	// 1, or wCorrected for a misspelt word.
	trust float64
	// corrected is true for a misspelt word or one the corpus spells
	// another way: forms[1] is its correction or spelling variant, which
	// a span holds as the word itself.
	corrected bool
	// synonyms are the word's synonyms in the corpus's synonyms file, each
	// as its analysed terms: a synonym of many words counts only where a
	// sentence holds all of them.
	synonyms [][]string
	// related are the corpus's terms that the words WordNet relates to the
	// word analyse to, each with how it is related, the closest first.
	related []relatedForm
	// vec is the word's row in the word vectors, or -1.
	vec int32
}

// relatedForm is an analysed term related to a question word, and how.
type relatedForm struct {
	term string
	// id is the term's ID in the index: every related term is one the
	// corpus uses. df is how many passages hold it (see Index.DocFreq), 0
	// when the index could not tell.
	id index.TermID
	df int32
	ch channel
	// weak is set for a term that the question drops or weighs lightly
	// (see dropTerm and lightTerm), which no question word is related to.
	weak bool
}

// wCorrected is the share of its weight that a misspelt word of a question
// counts for as evidence through its correction. A correction is a guess: a
// question that the corpus answers only through guesses ("Who is the cafe
// owner?" read as "came owner") must not look answered, while one that is
// answered through words typed right and a corrected word or two still is.
const wCorrected = 0.5

// question is a question made ready for ranking.
type question struct {
	terms []qterm
	// ids are the IDs of every term that counts as one of the question's,
	// looked up once by prepare.
	ids *questionIDs
	// bigrams are pairs of indexes of terms that follow each other, perhaps
	// with stop words between.
	bigrams [][2]int
	// of are the pairs of indexes of terms that a phrase "A of B" joins
	// (see ofPairs).
	of   [][2]int
	kind answerKind
	// stops are the question's stop words (not question words), lower-cased.
	stops []string
	// corrected is the question with misspellings corrected, if any were.
	corrected string
	// follows is true when the question asks what came after something
	// ("What happened after the storm?"); before are then the question's
	// terms that stand before "after".
	follows bool
	before  []int
	// toks is the question analysed, as the index analyses it: made once,
	// for everything that reads the question's terms.
	toks []index.Token
	// lower is the question lower-cased.
	lower string
}

// dropTerm are analysed words that say what kind of question it is rather
// than what it is about.
var dropTerm = map[string]bool{
	"who": true, "whom": true, "whose": true, "what": true, "when": true, "where": true,
	"why": true, "how": true, "which": true, "did": true, "doe": true, "do": true,
}

// lightTerm are analysed words that say little on their own: a question
// that uses them asks about the words around them.
var lightTerm = map[string]bool{
	"make": true, "made": true, "have": true, "get": true, "go": true, "come": true,
	"take": true, "give": true, "happen": true, "us": true, "call": true, "name": true,
	"mean": true, "kind": true, "type": true, "thing": true, "wai": true, "includ": true,
	"involv": true, "becom": true, "becam": true, "seem": true, "want": true, "describ": true,
	"consid": true, "refer": true, "known": true,
}

// lightShare is the share of its weight that a light word keeps.
const lightShare = 0.3

// prepare analyses, corrects and weighs a question.
func (e *Engine) prepare(q string) question {
	// lq is q lower-cased once for all that reads it so; for an ASCII q,
	// whose words stand at the same offsets in lq, the words' lower cases
	// are cut from it.
	lq := strings.ToLower(q)
	ascii := isASCII(q)
	// The question's stop words, each once, in order: for an ASCII q, the
	// words correct looks up are those of lq, and are told as it does.
	var stops []string
	holds := e.holds
	if ascii {
		holds = func(lw string) bool {
			if stopBitOf(lw) != 0 && !contains(stops, lw) {
				stops = append(stops, lw)
			}
			return e.holds(lw)
		}
	}
	corrected, changed := e.words.correct(q, lq, holds, e.nearest)
	pq := question{kind: kindOfLower(lq), lower: lq}
	afterAt := afterPosition(q)
	pq.follows = afterAt > 0
	if changed {
		pq.corrected = corrected
	}
	// fixes maps each misspelt term of the question to its correction, or
	// to "" when the correction is a stop word.
	toks := e.ix.Analyze(q)
	pq.toks = toks
	var fixes map[string]string
	if changed {
		fixes = map[string]string{}
		fixed := map[int]string{}
		for _, t := range e.ix.Analyze(corrected) {
			fixed[t.Position] = t.Term
		}
		for _, t := range toks {
			if f := fixed[t.Position]; f != t.Term {
				fixes[t.Term] = f
			}
		}
	}
	syn := e.acronymForms(q, toks, e.synonymForms(q, toks))
	n := float64(max(e.ix.NumPassages(), 1))
	pq.terms = make([]qterm, 0, len(toks))
	pq.bigrams = make([][2]int, 0, len(toks))
	// The terms' forms are cut from one array, each capped so that no
	// append runs into the next.
	allForms := make([]string, 0, 2*len(toks))
	prevIdx := -1
	for _, t := range toks {
		if dropTerm[t.Term] {
			prevIdx = -1
			continue
		}
		light := 1.0
		if lightTerm[t.Term] {
			light = lightShare
		}
		f, fixed := fixes[t.Term]
		if fixed && (f == "" || dropTerm[f]) {
			prevIdx = -1
			continue
		}
		i := pq.termOf(t.Term)
		ok := i >= 0
		if !ok && pq.follows && t.Start < afterAt {
			pq.before = append(pq.before, len(pq.terms))
		}
		if !ok {
			var typed string
			if ascii {
				typed = lq[t.Start:t.End]
			} else {
				typed = strings.ToLower(q[t.Start:t.End])
			}
			// A word the corpus spells another way is that spelling, as
			// sure as the word itself.
			respelt := false
			if !fixed {
				f, respelt = e.respelt(typed, t.Term)
				fixed = respelt
			}
			from := len(allForms)
			allForms = append(allForms, t.Term)
			if fixed {
				allForms = append(allForms, f)
			}
			for _, f := range e.forms[allForms[len(allForms)-1]] {
				if !contains(allForms[from:], f) {
					allForms = append(allForms, f)
				}
			}
			forms := allForms[from:len(allForms):len(allForms)]
			aw := e.questionWord(typed, forms)
			related, vec, df, ids := aw.related, aw.vec, aw.df, aw.ids
			// A word the corpus writes only as its synonym weighs as the
			// synonym does (a synonym of many words as its rarest).
			if df == 0 {
				for _, m := range syn[t.Position] {
					mdf := 0
					for _, f := range m {
						if d := e.ix.DocFreq(f); mdf == 0 || d < mdf {
							mdf = d
						}
					}
					df = max(df, mdf)
				}
			}
			trust := 1.0
			if fixed && !respelt {
				trust = wCorrected
			}
			i = len(pq.terms)
			pq.terms = append(pq.terms, qterm{
				trust:     trust,
				corrected: fixed,
				forms:     forms,
				ids:       ids,
				dfs:       aw.dfs,
				idf:       light * math.Log(1+(n-float64(df)+0.5)/(float64(df)+0.5)),
				pos:       t.Position,
				known:     df > 0,
				synonyms:  syn[t.Position],
				related:   related,
				vec:       vec,
			})
		}
		if prevIdx >= 0 && prevIdx != i {
			pq.bigrams = append(pq.bigrams, [2]int{prevIdx, i})
		}
		prevIdx = i
	}
	pq.of = ofPairs(q, toks, pq.termOf)
	pq.stops = stops
	if !ascii {
		eachWord(lq, func(w string, _, _ int) {
			if stopBitOf(w) != 0 && !contains(pq.stops, w) {
				pq.stops = append(pq.stops, w)
			}
		})
	}
	pq.ids = e.questionIDs(pq)
	return pq
}

// respelt is the analysed term of the spelling variant that the corpus
// uses of lower-case question word typed, analysed as term (see
// respelling), and true; or false.
func (e *Engine) respelt(typed, term string) (string, bool) {
	r := e.respelling(typed)
	if r == "" {
		return "", false
	}
	ts := e.ix.Analyze(r)
	if len(ts) != 1 || ts[0].Term == term {
		return "", false
	}
	return ts[0].Term, true
}

// ofPairs are the pairs of indexes of the terms of question q, analysed as
// toks, that a phrase "A of B" joins, B being a name: the term just before
// "of" (A) and each term of B, the capitalised words after it with nothing
// but spaces between them, found by termOf (-1 for a word that is no
// term). A text says the same the other way round: "B's A", "the B-an A"
// ("the leader of France", "the French leader"). A name that owns what
// follows it ("the elements of Kublai's court") is no B: the phrase is
// about what it owns.
func ofPairs(q string, toks []index.Token, termOf func(string) int) [][2]int {
	var out [][2]int
	for k := 0; k+1 < len(toks); k++ {
		// Most words are followed by no "of": told first.
		if !isOfGap(q[toks[k].End:toks[k+1].Start]) {
			continue
		}
		a := termOf(toks[k].Term)
		if a < 0 {
			continue
		}
		from := len(out)
		for m := k + 1; m < len(toks); m++ {
			t := toks[m]
			if m > k+1 && strings.TrimSpace(q[toks[m-1].End:t.Start]) != "" {
				break
			}
			b := termOf(t.Term)
			if b < 0 || !unicode.IsUpper([]rune(q[t.Start:t.End])[0]) {
				out = out[:from]
				break
			}
			if rest := q[t.End:]; strings.HasPrefix(rest, "'s") || strings.HasPrefix(rest, "’s") {
				out = out[:from]
				break
			}
			if a < b {
				out = append(out, [2]int{a, b})
			}
		}
	}
	return out
}

// isOfGap reports whether gap, the text between two words, is "of",
// perhaps with an article after it.
func isOfGap(gap string) bool {
	if len(gap) < len("of") {
		return false // most gaps: a space
	}
	var f [2]string
	n := 0
	for w := range strings.FieldsSeq(gap) {
		if n == len(f) {
			return false
		}
		f[n] = w
		n++
	}
	is := strings.EqualFold
	switch n {
	case 1:
		return is(f[0], "of")
	case 2:
		return is(f[0], "of") && (is(f[1], "the") || is(f[1], "a") || is(f[1], "an"))
	}
	return false
}

// termOf is the index in pq.terms of the term whose first form is term,
// or -1.
func (pq *question) termOf(term string) int {
	for i, t := range pq.terms {
		if t.forms[0] == term {
			return i
		}
	}
	return -1
}

// hasIDs reports whether the IDs of t's forms were found with them.
func (t *qterm) hasIDs() bool { return t.ids != nil && len(t.ids) == len(t.forms) }

// isASCII reports whether s is all ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// wordFix is a word's correction by vocabulary.nearest, ok false when it
// stays as typed.
type wordFix struct {
	word string
	ok   bool
}

// correctionKey is a word to correct and whether it opens the question.
type correctionKey struct {
	word    string
	opening bool
}

// cachedCorrections is how many words a generation of the engine's cache
// of corrections holds: a search for the nearest word looks at many of
// the vocabulary's, and the words the corpus does not use that questions
// ask about (names, words of other spellings) come again.
const cachedCorrections = 4096

// nearest is the vocabulary's nearest correction of lower-cased word w
// that the engine takes (see correctable), kept for a while: it depends on
// the corpus alone.
func (e *Engine) nearest(w string, opening bool) (string, bool) {
	k := correctionKey{w, opening}
	if c, ok := e.corrections.Get(k); ok {
		return c.word, c.ok
	}
	word, ok := e.words.nearest(w, opening, e.correctable)
	e.corrections.Put(k, wordFix{word, ok})
	return word, ok
}

// correctable reports whether corpus word w may be what a misspelt word of a
// question was meant to be: a word that says something on its own, not one
// the index drops, a question word or a light word ("came", a form of
// "come").
func (e *Engine) correctable(w string) bool {
	ts := e.ix.Analyze(w)
	for _, t := range ts {
		if dropTerm[t.Term] || lightTerm[t.Term] {
			return false
		}
		for _, f := range e.forms[t.Term] {
			if lightTerm[f] {
				return false
			}
		}
	}
	return len(ts) > 0
}

// afterPosition is the byte offset of the word "after" in q when q asks
// what came after something, else -1.
func afterPosition(q string) int {
	if !holdsFoldedASCII(q, "after") {
		return -1 // most questions: not lower-cased to find that out
	}
	if start, end := lower(q).word("after"); start > 0 && strings.IndexFunc(q[end:], unicode.IsLetter) >= 0 {
		return start
	}
	return -1
}

// holdsFoldedASCII reports whether s holds w, a lower-case ASCII word, in
// any case of its letters. No rune but an ASCII letter lower-cases to an
// ASCII letter other than i and k (İ and the Kelvin sign do), and the bytes
// of a multi-byte UTF-8 sequence are never ASCII, so for a w without i or k
// it is true whenever s lower-cased holds w.
func holdsFoldedASCII(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for j < len(w) && s[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// query is the index query for the question: every form of every word.
//
// A term's synonyms in the corpus's synonyms file are searched for as the
// term is, a synonym of many words ("Jang Ho-jin" for "Chang") weighing
// as one word in all; the words WordNet relates to it more lightly
// (relatedQueryWeight), and its hypernyms not at all: a broader word
// ("country", "work") matches too many passages to find the one that
// answers. The terms of each of the question's words are one group of the
// query (see index.Term.Group): a passage that holds a word's synonym and
// its related word as well, or the three words of a synonym, holds no more
// of the question's words than one that holds the word. Counted term by
// term, passages that hold many of a story's names and their synonyms
// (a long sentence naming "the Russian president", "North Korean leader
// Kim Jong Un" and "Pyongyang") came first for most questions about them.
//
// Tried, each refitted and measured on every set, and left out: a group
// scoring its best term rather than the sum of its terms (xquad 1025 of
// 1190 right rather than 1028, fairytale-val 324 of 593 rather than 327,
// story-dev 16 of 18); a synonym of many words searched for by its
// rarest word alone (paraphrases 29 of 38 rather than 30); each synonym's
// weight cut so that a synonym rarer than the word scores no more than
// the word (paraphrases 31, but story-dev 17 of 18).
func (pq question) query() index.Query {
	return pq.queryOnce(&termSet{seed: maphash.MakeSeed()}, nil)
}

// queryOnce is query, seen being a set of terms it empties and fills with
// those it adds, and terms a buffer its terms are appended to, grown.
func (pq question) queryOnce(seen *termSet, terms []index.Term) index.Query {
	n := 0
	for _, t := range pq.terms {
		n += len(t.forms) + len(t.related)
		for _, m := range t.synonyms {
			n += len(m)
		}
	}
	q := index.Query{Terms: slices.Grow(terms[:0], n)}
	seen.reset(n)
	add := func(term string, w float64, group, df int) {
		if seen.add(q.Terms, term) {
			q.Terms = append(q.Terms, index.Term{Term: term, Weight: w, Group: group, DocFreq: df})
		}
	}
	// The forms' counts were found with them, when they were.
	for i, t := range pq.terms {
		for k, f := range t.forms {
			df := 0
			if len(t.dfs) == len(t.forms) {
				df = t.dfs[k]
			}
			add(f, 1, i+1, df)
		}
	}
	for i, t := range pq.terms {
		for _, m := range t.synonyms {
			for _, f := range m {
				add(f, 1/float64(len(m)), i+1, 0)
			}
		}
	}
	// The related terms' counts were found with them.
	for i, t := range pq.terms {
		for _, r := range t.related {
			if r.ch < chHypernym {
				add(r.term, relatedQueryWeight, i+1, int(r.df))
			}
		}
	}
	return q
}

// termSet is the set of the terms of a query being made: an open-addressed
// table of the terms' indexes in the query plus one, 0 for an empty slot,
// of at least twice as many slots as the query may have terms. A question
// has a few hundred, which it fills and empties for less than a map.
type termSet struct {
	seed  maphash.Seed
	slots []int32
}

// reset empties the set and makes room for n terms.
func (s *termSet) reset(n int) {
	size := 8
	for size < 2*n {
		size *= 2
	}
	if cap(s.slots) < size {
		s.slots = make([]int32, size)
		return
	}
	s.slots = s.slots[:size]
	clear(s.slots)
}

// add adds term, to be terms[len(terms)], and reports whether it was not
// in the set, whose terms are the others of terms.
func (s *termSet) add(terms []index.Term, term string) bool {
	mask := uint64(len(s.slots) - 1)
	for h := maphash.String(s.seed, term) & mask; ; h = (h + 1) & mask {
		switch i := s.slots[h]; {
		case i == 0:
			s.slots[h] = int32(len(terms) + 1)
			return true
		case terms[i-1].Term == term:
			return false
		}
	}
}

// query is pq.query(), made with a set of terms of e's, for the next.
func (e *Engine) query(pq question) index.Query {
	seen, _ := e.querySeen.Get().(*termSet)
	if seen == nil {
		seen = &termSet{seed: maphash.MakeSeed()}
	}
	var terms []index.Term
	if buf, _ := e.queryTerms.Get().(*[]index.Term); buf != nil {
		terms = *buf
	}
	q := pq.queryOnce(seen, terms)
	if len(seen.slots) <= 2*maxPooledTerms {
		e.querySeen.Put(seen)
	}
	return q
}

// searched gives back the terms of query q, made by query, once the index
// has searched for it: q is not to be used after.
func (e *Engine) searched(q index.Query) {
	if cap(q.Terms) > maxPooledTerms {
		return
	}
	clear(q.Terms) // the buffer is not to keep the question's strings
	terms := q.Terms[:0]
	e.queryTerms.Put(&terms)
}

// maxPooledTerms is the most terms a question's query may have for its set
// of terms to be kept for the next: a query of many makes a large one.
const maxPooledTerms = 1024

// relatedQueryWeight is how much a word WordNet relates to a question's
// word weighs in the search, against 1 for the word itself. Measured with
// the ranker and answerability refitted at each (questions reworded one in
// four), right answers over xquad, fairytale-val, squad2-a and the
// paraphrase set together: 1460 at 0.3, 1463 at 0.45, 1462 at 0.6, 1450 at
// 1.0; with the terms grouped by the question's word, 1463 at 0.3, 1462 at
// 0.45, 1461 at 0.6. Heavier, a passage that matches only in related words
// outranks the one that holds the question's own words.
const relatedQueryWeight = 0.45

// stopWords are words that carry little meaning on their own but help tell
// near-equal sentences apart ("under", "before", "against").
var stopWords = newWordSet(`about above across after against along among around at before
	behind below beneath beside between beyond by down during except for from in inside into near
	of off on onto out outside over past since through throughout to toward towards under until up
	upon with within without first last never not no only`)

// irregular lists the forms of common irregular verbs: a question asking
// what was "sent" finds a story that says "send", and the other way round.
var irregular = strings.Split(`arise arose arisen|awake awoke awoken|bear bore borne born|beat beaten|become became|begin began begun|bend bent|bet|bid|bite bit bitten|bleed bled|blow blew blown|break broke broken|breed bred|bring brought|build built|burn burnt|buy bought|catch caught|choose chose chosen|cling clung|come came|cost|creep crept|cut|deal dealt|dig dug|draw drew drawn|dream dreamt|drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed|feel felt|fight fought|find found|flee fled|fling flung|fly flew flown|forbid forbade forbidden|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten|give gave given|go went gone|grow grew grown|hang hung|hear heard|hide hid hidden|hit|hold held|hurt|keep kept|kneel knelt|know knew known|lead led|lean leant|leap leapt|learn learnt|leave left|lend lent|let|light lit|lose lost|make made|mean meant|meet met|pay paid|put|quit|read|ride rode ridden|ring rang rung|rise rose risen|run ran|say said|see saw seen|seek sought|sell sold|send sent|set|sew sewn|shake shook shaken|shine shone|shoot shot|show shown|shrink shrank shrunk|shut|sing sang sung|sink sank sunk|sit sat|slay slew slain|sleep slept|slide slid|sling slung|speak spoke spoken|speed sped|spend spent|spin spun|spit spat|split|spread|spring sprang sprung|stand stood|steal stole stolen|stick stuck|sting stung|stride strode stridden|strike struck|strive strove striven|swear swore sworn|sweep swept|swim swam swum|swing swung|take took taken|teach taught|tear tore torn|tell told|think thought|throw threw thrown|tread trod trodden|understand understood|wake woke woken|wear wore worn|weave wove woven|weep wept|win won|wring wrung|write wrote written|may might|can could|will would|shall should|die dead death|marry married marriage|child children|man men|woman women|mouse mice|foot feet|tooth teeth|goose geese`, "|")

// numerals are the numbers and ordinals most often written out, each with
// its figure: a question asking about "five sacks" finds a text that says
// "5 sacks", and one about "the 10th series" a text about "the tenth
// series". "One" is left out: it is as often a pronoun; so is "first",
// a stop word.
var numerals = strings.Split(`two 2|three 3|four 4|five 5|six 6|seven 7|eight 8|nine 9|ten 10|eleven 11|twelve 12|thirteen 13|fourteen 14|fifteen 15|sixteen 16|seventeen 17|eighteen 18|nineteen 19|twenty 20|thirty 30|forty 40|fifty 50|sixty 60|seventy 70|eighty 80|ninety 90|hundred 100|thousand 1000|second 2nd|third 3rd|fourth 4th|fifth 5th|sixth 6th|seventh 7th|eighth 8th|ninth 9th|tenth 10th|eleventh 11th|twelfth 12th|thirteenth 13th|fourteenth 14th|fifteenth 15th|sixteenth 16th|seventeenth 17th|eighteenth 18th|nineteenth 19th|twentieth 20th`, "|")

// newForms maps each analysed form of an irregular verb, noun or numeral
// to the others.
func newForms(ix Index) map[string][]string {
	out := map[string][]string{}
	for _, group := range slices.Concat(irregular, numerals) {
		var terms []string
		for _, w := range strings.Fields(group) {
			for _, t := range ix.Analyze(w) {
				if !contains(terms, t.Term) {
					terms = append(terms, t.Term)
				}
			}
		}
		for _, t := range terms {
			for _, u := range terms {
				if u != t && !contains(out[t], u) {
					out[t] = append(out[t], u)
				}
			}
		}
	}
	return out
}
