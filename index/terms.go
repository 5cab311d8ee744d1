package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
)

// wordTerms analyses words as an analyzer's token filters do, keeping
// what each word became: a question's words are mostly words asked about
// before, and the filters (possessives, lower case, stop words, the Porter
// stemmer) were as much of analysing a question as cutting it into words.
// The filters look at each word on its own, so a word's term is the same
// wherever it stands.
type wordTerms struct {
	filters []analysis.TokenFilter

	// The words are kept in two generations: when the current one holds
	// size words it becomes the old one, and a word found in the old one
	// goes back into the current one.
	mu       sync.Mutex
	size     int
	cur, old map[string]wordTerm
}

// wordTerm is what a word became: its term, or nothing (a stop word).
type wordTerm struct {
	term string
	kept bool
}

// cachedWords is how many words a generation of wordTerms holds.
const cachedWords = 8192

func newWordTerms(filters []analysis.TokenFilter) *wordTerms {
	return &wordTerms{filters: filters, size: cachedWords}
}

// of is what the filters make of token t, a word as the tokenizer cut it.
func (w *wordTerms) of(t *analysis.Token) wordTerm {
	w.mu.Lock()
	wt, ok := w.cur[string(t.Term)]
	if !ok {
		if wt, ok = w.old[string(t.Term)]; ok {
			w.putLocked(string(t.Term), wt)
		}
	}
	w.mu.Unlock()
	if ok {
		return wt
	}
	// The word is copied before the filters run: the lower-case filter
	// may write over the bytes it is given.
	word := string(t.Term)
	one := analysis.TokenStream{&analysis.Token{Term: []byte(word), Start: t.Start, End: t.End, Position: t.Position, Type: t.Type, KeyWord: t.KeyWord}}
	for _, f := range w.filters {
		one = f.Filter(one)
	}
	if len(one) == 1 {
		wt = wordTerm{term: string(one[0].Term), kept: true}
	}
	w.mu.Lock()
	w.putLocked(word, wt)
	w.mu.Unlock()
	return wt
}

func (w *wordTerms) putLocked(word string, wt wordTerm) {
	if w.cur == nil || len(w.cur) >= w.size {
		w.old, w.cur = w.cur, make(map[string]wordTerm, w.size)
	}
	w.cur[word] = wt
}
