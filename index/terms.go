package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/storybot/storybot/index/recent"
)

// wordTerms analyses words as an analyzer's token filters do, keeping
// what each word became: a question's words are mostly words asked about
// before, and the filters (possessives, lower case, stop words, the Porter
// stemmer) were as much of analysing a question as cutting it into words.
// The filters look at each word on its own, so a word's term is the same
// wherever it stands.
type wordTerms struct {
	filters []analysis.TokenFilter
	kept    recent.Cache[string, wordTerm]
}

// wordTerm is what a word became: its term, or nothing (a stop word).
type wordTerm struct {
	term string
	kept bool
}

// cachedWords is how many words a generation of wordTerms holds.
const cachedWords = 8192

func newWordTerms(filters []analysis.TokenFilter) *wordTerms {
	return &wordTerms{filters: filters, kept: recent.Cache[string, wordTerm]{Size: cachedWords}}
}

// of is what the filters make of word, a word as the tokenizer cut it, of
// type typ. word may be a slice of a longer text: the cache may keep it
// until the word is asked for no more, which, for the short texts Analyze
// is given (questions, words), keeps little.
func (w *wordTerms) of(word string, typ analysis.TokenType) wordTerm {
	if wt, ok := w.kept.Get(word); ok {
		return wt
	}
	// The word is copied before the filters run: the lower-case filter
	// may write over the bytes it is given.
	word = strings.Clone(word)
	one := analysis.TokenStream{&analysis.Token{Term: []byte(word), Type: typ}}
	for _, f := range w.filters {
		one = f.Filter(one)
	}
	var wt wordTerm
	if len(one) == 1 {
		wt = wordTerm{term: string(one[0].Term), kept: true}
	}
	w.kept.Put(word, wt)
	return wt
}

// cutWord is a word of a text as the tokenizer cut it: its offsets and
// type.
type cutWord struct {
	start, end int
	typ        analysis.TokenType
}

// wordBatch is how many words ofAll is given at most: a question's.
const wordBatch = 32

// ofAll sets out[i] to of(text[c.start:c.end], c.typ) for each word c of
// cut, at most wordBatch of them, the words looked up in the cache at
// once: the lookups, each apt to miss the processor's caches, wait on
// memory together.
func (w *wordTerms) ofAll(text string, cut []cutWord, out []wordTerm) {
	var words [wordBatch]string
	var found [wordBatch]bool
	for i, c := range cut {
		words[i] = text[c.start:c.end]
	}
	w.kept.GetAll(words[:len(cut)], out, found[:])
	for i, c := range cut {
		if !found[i] {
			out[i] = w.of(words[i], c.typ)
		}
	}
}
