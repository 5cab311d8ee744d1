package answer

import (
	"iter"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/index"
)

// A question made to be unanswerable often swaps the roles of a deed: it
// asks who replaced the Normans of a text that says the Normans replaced
// someone, or whom Edgar married of one that says Malcolm married Edgar's
// sister. The span holds the deed and the other party side by side, so it
// holds every word of the question; only where the party stands, before
// or after the deed and in a clause said actively or passively, tells
// whether it did the deed or had it done to it. So with kin: a question
// for Tancred's nephew, of a text that names Tancred as a nephew.

// maxRoleDistance is how far apart, in a sentence's terms, a deed and its
// other party may stand to be read as one clause.
const maxRoleDistance = 4

var (
	// notDeeds are words that, after "who", ask about no deed of their
	// own ("Who was ...", "Who could ...").
	notDeeds = newWordSet(`is was were are am be has had have can could would will should might may must did does do 's ’s`)
	// doWords open a question about whom or what someone did something
	// to ("Who did Edgar marry?").
	doWords = newWordSet(`did does do`)
	// determiners stand before a noun.
	determiners = newWordSet(`the a an his her their its this that these those`)
	// nounAfter are the words after which a deed's word is a noun ("with
	// the help of", "in want of"): determiners and prepositions.
	nounAfter = newWordSet(`the a an his her their its this that these those in of for with on at from by into`)
	// beWords make a deed passive before its past participle.
	beWords = newWordSet(`is was were are be been being`)
	// sayings are deeds of speech, whose doer a story writes after them
	// ("said Bricriu"): where it stands tells nothing.
	sayings = newWordSet(`say says said tell tells told ask asks asked answer answers answered reply replies replied cry cries cried exclaim exclaimed whisper whispered shout shouted call calls called`)
)

// deed is the deed a question asks about: the indexes, among the
// question's terms, of its verb and of its other party, and whether the
// question asks for its doer.
type deed struct {
	verb, party int
	doer        bool
}

// deedOf is the deed question q, prepared as pq, asks about, if it asks
// about one in a form it can be read from: "Who V P ...?" asks for the
// doer of V to P (P the rarest term of the words after V up to a stop
// word), and "Who (or Whom, What) did P V ...?" for whom or what P did V
// to (P the rarest term of the capitalised words, determiners, stop
// words and words after a determiner before V). A deed of speech, "have"
// and "do" are not read.
func deedOf(q string, pq question) (deed, bool) {
	// Most questions are of neither form: their first two words tell,
	// before the others are kept.
	var wordBuf [16]string
	var startBuf [16]int
	words, starts := wordBuf[:0], startBuf[:0]
	asks := true
	eachWordWhile(q, func(w string, start, _ int) bool {
		if len(words) == 0 {
			// Compared, not lower-cased: no copy of most questions' first word.
			asks = false
			for _, wh := range []string{"who", "whom", "what"} {
				if strings.EqualFold(w, wh) {
					words, starts, asks = append(words, wh), append(starts, start), true
				}
			}
			return asks
		}
		lw := strings.ToLower(w)
		switch len(words) {
		case 1:
			asks = doWords[lw] || words[0] == "who" && !notDeeds[lw] && !sayings[lw]
		}
		words, starts = append(words, lw), append(starts, start)
		return asks
	})
	if !asks || len(words) < 3 {
		return deed{}, false
	}
	var d deed
	var from, to int
	switch wh := words[0]; {
	case (wh == "who" || wh == "whom" || wh == "what") && doWords[words[1]]:
		k := 2
		for k < len(words) && (determiners[words[k]] || stopWords[words[k]] || capitalised(q[starts[k]:]) || k > 2 && determiners[words[k-1]]) {
			k++
		}
		if k == 2 || k == len(words) || words[k] == "have" || words[k] == "do" || sayings[words[k]] {
			return deed{}, false
		}
		d.verb, from, to = termAt(pq, starts[k]), 2, k
	case wh == "who" && !notDeeds[words[1]] && !sayings[words[1]]:
		k := 2
		for k < len(words) && (determiners[words[k]] || !stopWords[words[k]]) {
			k++
		}
		d.verb, d.doer, from, to = termAt(pq, starts[1]), true, 2, k
	default:
		return deed{}, false
	}
	d.party = -1
	for k := from; k < to; k++ {
		if j := termAt(pq, starts[k]); j >= 0 && (d.party < 0 || pq.terms[j].idf > pq.terms[d.party].idf) {
			d.party = j
		}
	}
	if d.verb < 0 || d.party < 0 || d.verb == d.party {
		return deed{}, false
	}
	return d, true
}

// capitalised reports whether text starts with a capital letter.
func capitalised(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return unicode.IsUpper(r)
}

// termAt is the index among pq's terms of the question's word that starts
// at byte start, else -1 (a stop word, or a word that asks).
func termAt(pq question, start int) int {
	for _, t := range pq.toks {
		if t.Start != start {
			continue
		}
		for j, qt := range pq.terms {
			if qt.forms[0] == t.Term {
				return j
			}
		}
	}
	return -1
}

// swappedRoles reports whether the best span tells the deed question q
// (prepared as pq) asks about with its roles swapped: wherever a sentence
// of the span holds the deed's verb and, within maxRoleDistance terms of
// it in the same clause, its other party, the party stands where the
// question's other role stands: before an active verb (the doer) when the
// question asks for the doer, after it when it asks whom the party did it
// to, and the other way about for a passive verb ("were encouraged by").
// A clause is cut at a comma, a semicolon or a colon, and by a capitalised
// word the question lacks (another doer: "when the King reached his
// palace the Queen met him"). The verb's word after a determiner or a
// preposition is a noun, not the deed.
func (e *Engine) swappedRoles(q string, pq question, best candidate) bool {
	d, ok := deedOf(q, pq)
	if !ok {
		return false
	}
	ids := e.termIDs(pq)
	lq := strings.ToLower(q)
	told := false
	for toks, text := range e.spanSentences(best) {
		for p, tk := range toks {
			if !slices.Contains(ids[d.verb], tk.Term) || nounAfter[lastWord(text[:tk.Start])] {
				continue
			}
			near := -1
			for k, pt := range toks {
				if slices.Contains(ids[d.party], pt.Term) && (near < 0 || abs(k-p) < abs(near-p)) {
					near = k
				}
			}
			if near < 0 || abs(near-p) > maxRoleDistance {
				continue
			}
			a, b := toks[min(near, p)], toks[max(near, p)]
			if !oneClause(text[a.End:b.Start], lq) {
				continue
			}
			told = true
			if d.doer == (near < p == passiveAt(text, tk)) {
				return false // the roles as the question has them
			}
		}
	}
	return told
}

// spanSentences are the terms and the text of each sentence of the best
// span, none when its passage cannot be read.
func (e *Engine) spanSentences(best candidate) iter.Seq2[[]index.IDToken, string] {
	return func(yield func([]index.IDToken, string) bool) {
		sents := e.bestSentences(best)
		if sents == nil {
			return
		}
		for i := best.first; i <= best.last; i++ {
			if !yield(sents[i].tokens, best.passage.Sentences[i].Text) {
				return
			}
		}
	}
}

// oneClause reports whether between, the text between a deed and its
// other party, keeps them in one clause for a question whose lower-cased
// text is lq (see swappedRoles).
func oneClause(between, lq string) bool {
	if strings.ContainsAny(between, ",;:") {
		return false
	}
	one := true
	eachWord(between, func(w string, _, _ int) {
		one = one && (!capitalised(w) || wordIndex(lq, strings.ToLower(w)) >= 0)
	})
	return one
}

// passiveAt reports whether the verb of token tk of a sentence's text is
// passive: a form of "be" stands one or two words before it (and it does
// not end in "ing": "was proposing"), or "by" right after it.
func passiveAt(text string, tk index.IDToken) bool {
	if firstWord(text[tk.End:]) == "by" {
		return true
	}
	if strings.HasSuffix(text[tk.Start:tk.End], "ing") {
		return false
	}
	var last, before string
	eachWord(text[:tk.Start], func(w string, _, _ int) { last, before = w, last })
	return beWords[strings.ToLower(last)] || beWords[strings.ToLower(before)]
}

// lastWord is the last word of text, lower-cased; "" if it has none.
func lastWord(text string) string {
	var last string
	eachWord(text, func(w string, _, _ int) { last = w })
	return strings.ToLower(last)
}

// firstWord is the first word of text, lower-cased; "" if it has none.
func firstWord(text string) string {
	var first string
	eachWord(text, func(w string, _, _ int) {
		if first == "" {
			first = w
		}
	})
	return strings.ToLower(first)
}

// possession is a question's "X's R" ("Tancred's nephew"): the indexes,
// among the question's terms, of the possessor X and of what it has, R.
type possession struct {
	owner, owned int
}

// possessionOf is the first "X's R" of question q, prepared as pq, whose
// X is capitalised and not the question's first word, and whose R is a
// term of the question; false if it has none.
func possessionOf(q string, pq question) (possession, bool) {
	if !strings.Contains(q, "'s") && !strings.Contains(q, "’s") {
		return possession{}, false // most questions: no possessive at all
	}
	var p possession
	found, n := false, 0
	prev := -1
	eachWord(q, func(w string, start, _ int) {
		n++
		if found {
			return
		}
		if prev >= 0 {
			if j := termAt(pq, start); j >= 0 && j != prev && !capitalised(w) {
				p, found = possession{owner: prev, owned: j}, true
			}
			prev = -1
		}
		if n > 1 && capitalised(w) && (strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s")) {
			prev = termAt(pq, start)
		}
	})
	return p, found
}

// swappedPossession reports whether the best span tells question q's
// "X's R" (prepared as pq, see possessionOf) the other way about: it says
// X is someone's R ("his nephew Tancred", "Bohemond, Robert's son") and
// nowhere "X's R" or "R of X". A question made to be unanswerable asks
// for Tancred's nephew of a text that names Tancred as a nephew.
func (e *Engine) swappedPossession(q string, pq question, best candidate) bool {
	p, ok := possessionOf(q, pq)
	if !ok {
		return false
	}
	ids := e.termIDs(pq)
	told := false
	for toks, text := range e.spanSentences(best) {
		for k, tk := range toks {
			if !slices.Contains(ids[p.owned], tk.Term) {
				continue
			}
			if k > 0 && slices.Contains(ids[p.owner], toks[k-1].Term) {
				return false // X's R
			}
			if k+1 < len(toks) && slices.Contains(ids[p.owner], toks[k+1].Term) {
				switch strings.TrimSpace(text[tk.End:toks[k+1].Start]) {
				case "of", "of the":
					return false // R of X
				case "":
					told = true // R X: X is the R
				}
			}
			if k > 1 && slices.Contains(ids[p.owner], toks[k-2].Term) && !slices.Contains(ids[p.owner], toks[k-1].Term) {
				// X, Y's R: X is Y's R.
				y := strings.TrimSpace(text[toks[k-1].Start:tk.Start])
				told = told || strings.TrimSpace(text[toks[k-2].End:toks[k-1].Start]) == "," && capitalised(y) &&
					(strings.HasSuffix(y, "'s") || strings.HasSuffix(y, "’s"))
			}
		}
	}
	return told
}
