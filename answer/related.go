package answer

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/storybot/storybot/answer/relations"
	"github.com/storybot/storybot/answer/vectors"
	"github.com/storybot/storybot/index"
)

// maxRelated bounds how many of the corpus's terms one question word is
// related to through WordNet: a broad word ("country") names hundreds of
// narrower ones, of which the corpus may hold many.
const maxRelated = 48

// wordNetChannel is the channel of a WordNet relation kind, false for a
// kind the ranker does not use (antonyms).
func wordNetChannel(k relations.Kind) (channel, bool) {
	switch k {
	case relations.Synonym:
		return chWordNetSynonym, true
	case relations.Derivation:
		return chDerivation, true
	case relations.Pertainym:
		return chPertainym, true
	case relations.Holonym:
		return chHolonym, true
	case relations.Hypernym:
		return chHypernym, true
	}
	return chNone, false
}

// related returns the corpus's terms related to question word w (lower
// case), whose own forms are forms: the terms of the words WordNet relates
// to it either way round, each once (wordNet sees to that), through its
// closest relation, closest first.
//
// The slice may be shared with other questions: it is not to be changed.
func (e *Engine) related(w string, forms []string) []relatedForm {
	return e.questionWord(w, forms).related
}

// askedWord is what questionWord finds of a question word.
type askedWord struct {
	// related is related of the word.
	related []relatedForm
	// vec is the row of the word's vector (see vectors.ID), -1 when it
	// has none.
	vec int32
	// df is how many passages hold the commonest of its forms, and dfs
	// how many hold each (see Index.DocFreq).
	df  int
	dfs []int
	// ids are the IDs of its forms (see Index.TermIDs).
	ids []index.TermID
}

// questionWord is what is known of question word w with forms forms, its
// slices not to be changed: all kept with the word.
func (e *Engine) questionWord(w string, forms []string) askedWord {
	rw := e.relatedWords(w)
	// A word is mostly asked about with the same forms: what was found
	// for them last is kept with them.
	if rw.forms != nil && slices.Equal(rw.forms, forms) {
		return askedWord{related: rw.kept, vec: rw.vec, df: rw.df, dfs: rw.dfs, ids: rw.ids}
	}
	df := 0
	var buf [8]int
	counts := buf[:0]
	for _, f := range forms {
		counts = append(counts, e.ix.DocFreq(f))
		df = max(df, counts[len(counts)-1])
	}
	var dfs []int // none when no form is held: the index counts them again
	if df > 0 {
		dfs = slices.Clone(counts)
	}
	ids := make([]index.TermID, len(forms))
	e.ix.TermIDs(forms, ids)
	kept := keptRelated(rw.all, forms)
	if df > 0 {
		// A count of 0 may be the index's failing to count: counted
		// again the next time. What the cache holds is not changed: a
		// copy of it replaces it.
		next := *rw
		next.forms, next.kept, next.df, next.dfs, next.ids = slices.Clone(forms), kept, df, dfs, ids
		e.relatedCache.Put(w, &next)
	}
	return askedWord{related: kept, vec: rw.vec, df: df, dfs: dfs, ids: ids}
}

// keptRelated is related, of all the relations of a question word whose
// own forms are forms.
func keptRelated(all []relatedForm, forms []string) []relatedForm {
	keep := func(r relatedForm) bool {
		return !r.weak && !contains(forms, r.term)
	}
	i := 0
	for i < len(all) && keep(all[i]) {
		i++
	}
	if i == len(all) {
		return all
	}
	// Made at its most once: the relations kept so far, then the others
	// kept.
	out := append(make([]relatedForm, 0, len(all)-1), all[:i]...)
	for _, r := range all[i+1:] {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// relatedWords are the corpus's terms that WordNet relates to a question
// word (see wordNet), and those of them that related last kept for the
// word's forms, with the forms' count of passages; the row of the word's
// vector, -1 for none; and whether the vocabulary holds the word (see
// vocabulary.holds): all that is looked up of a question's word, in one
// place.
type relatedWords struct {
	all   []relatedForm
	vec   int32
	holds bool
	// respelt is the word's spelling variant that the corpus uses in its
	// stead (see vocabulary.respelling), or "".
	respelt string
	// forms are the forms kept, df, dfs and ids were found for, kept nil
	// until then.
	forms []string
	kept  []relatedForm
	df    int
	dfs   []int
	ids   []index.TermID
}

// wordNet returns the corpus's terms that WordNet relates to word w,
// through its closest relation each, at most maxRelated, closest first,
// kept for a while.
func (e *Engine) wordNet(w string) []relatedForm { return e.relatedWords(w).all }

// relatedWords is wordNet's terms of word w, with what related last kept of
// them, kept for a while: not to be changed. The cache holds a pointer to
// them, so that its table is small and a look-up reads only what it asks.
func (e *Engine) relatedWords(w string) *relatedWords {
	if v, ok := e.relatedCache.Get(w); ok {
		return v
	}
	var out []relatedForm
	seen := map[string]int{}
	for _, rs := range eitherOfLemmas(w) {
		for _, r := range rs {
			ch, ok := wordNetChannel(r.Kind)
			if !ok || strings.IndexFunc(r.Word, func(c rune) bool { return !unicode.IsLetter(c) }) >= 0 {
				continue
			}
			a := e.relatedTerm(r.Word)
			if !a.one {
				continue
			}
			term := a.term
			if i, ok := seen[term]; ok {
				out[i].ch = min(out[i].ch, ch)
				continue
			}
			id := a.id
			if !a.known || len(out) >= maxRelated {
				continue
			}
			seen[term] = len(out)
			out = append(out, relatedForm{term: term, ch: ch, id: id, df: int32(min(a.df, math.MaxInt32)), weak: dropTerm[term] || lightTerm[term]})
		}
	}
	// Closest first, in the order found within a channel.
	slices.SortStableFunc(out, func(a, b relatedForm) int { return cmp.Compare(a.ch, b.ch) })
	rw := &relatedWords{all: out, vec: -1, holds: e.words.holds(w), respelt: e.words.respelling(w)}
	if vec, ok := vectors.ID(w); ok {
		rw.vec = vec
	}
	e.relatedCache.Put(w, rw)
	return rw
}

// holds reports whether lower-case word w is taken as typed rather than
// corrected: vocabulary.holds, or the corpus uses a spelling variant of it
// (see respelling). Both are kept with the word's relations: a question's
// word is looked up once in the engine's cache.
func (e *Engine) holds(w string) bool {
	rw := e.relatedWords(w)
	return rw.holds || rw.respelt != ""
}

// respelling is vocabulary.respelling of lower-case word w, kept with the
// word's relations.
func (e *Engine) respelling(w string) string { return e.relatedWords(w).respelt }

// cachedWords is how many question words' relations a generation of the
// engine's cache holds.
const cachedWords = 4096

// analysedWord is a word WordNet relates to a question word, as the index
// analyses it.
type analysedWord struct {
	// one is set when the word is one term, term; known when the corpus
	// uses it, id being its ID and df how many passages hold it (see
	// Index.DocFreq).
	term  string
	id    index.TermID
	df    int
	one   bool
	known bool
}

// cachedRelatedWords is how many words WordNet relates to question words a
// generation of the engine's cache of their analyses holds: the words
// related to one question word are mostly related to others too.
const cachedRelatedWords = 16384

// relatedTerm is WordNet's word w as the index analyses it, kept for a
// while.
func (e *Engine) relatedTerm(w string) analysedWord {
	if a, ok := e.relatedTerms.Get(w); ok {
		return a
	}
	var a analysedWord
	if toks := e.ix.Analyze(w); len(toks) == 1 {
		a.term, a.one = toks[0].Term, true
		a.id, a.known = e.ix.TermID(a.term)
		if a.known {
			a.df = e.ix.DocFreq(a.term)
		}
	}
	e.relatedTerms.Put(w, a)
	return a
}
