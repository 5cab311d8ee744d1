package answer

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Search is a plain lookup: the passages that best match query, size of them
// after skipping from, without choosing an answer. query is cleaned and
// checked as a question is (CheckQuestion).
func (e *Engine) Search(ctx context.Context, query string, from, size int) (Results, error) {
	query, err := CheckQuestion(query, MaxQuestionLen)
	if err != nil {
		return Results{}, err
	}
	pq := e.prepare(query)
	if len(pq.terms) == 0 {
		return Results{}, nil
	}
	hits, total, err := e.ix.Search(ctx, e.query(pq), from, size)
	if err != nil {
		return Results{}, fmt.Errorf("search %q: %w", query, err)
	}
	res := Results{Total: total}
	for i, h := range hits {
		p := e.passageOf(h)
		if p == nil {
			continue
		}
		res.Hits = append(res.Hits, Citation{
			N: from + i + 1, Doc: p.Doc.ID, Title: p.Doc.Title, Passage: p.ID,
			Text: p.Text, Score: h.Score, Marks: e.marks(pq, p),
		})
	}
	return res, nil
}

// Window returns the passage id with its neighbours.
func (e *Engine) Window(id string) (Window, bool) {
	p := e.c.Passage(strings.TrimSpace(id))
	if p == nil {
		return Window{}, false
	}
	prev, next := e.c.Neighbours(p)
	return Window{Title: p.Doc.Title, Doc: p.Doc.ID, Before: prev, Passage: p, After: next}, true
}

// maxChoiceName is Discord's limit on an autocomplete choice's name.
const maxChoiceName = 100

// Complete suggests up to max passages for a partly typed passage ID or
// document title: passage IDs starting with prefix first, then passages of
// documents whose title holds it, then passages whose text holds it, the
// ones the index finds through its words (see completeText).
//
// It looks at the documents' IDs and titles, lower-cased once per engine,
// and never at every passage.
func (e *Engine) Complete(prefix string, max int) []Choice {
	lp := strings.ToLower(strings.TrimSpace(prefix))
	var out []Choice
	seen := map[string]bool{}
	add := func(p *corpus.Passage) bool {
		if seen[p.ID] || len(out) >= max {
			return len(out) < max
		}
		seen[p.ID] = true
		out = append(out, Choice{Name: choiceName(p.ID, p.Doc.Title, p.Text), Value: p.ID})
		return len(out) < max
	}
	keys := e.keys()
	for _, k := range keys {
		switch {
		case strings.HasPrefix(k.id, lp):
			// Every passage ID of the document starts with it.
			for _, p := range k.d.Passages {
				if !add(p) {
					return out
				}
			}
		case len(lp) > len(k.id) && lp[len(k.id)] == '#' && strings.HasPrefix(lp, k.id):
			// "story#1": the passages whose number starts with "1".
			rest := lp[len(k.id):]
			for _, p := range k.d.Passages {
				if strings.HasPrefix(p.ID[len(k.d.ID):], rest) && !add(p) {
					return out
				}
			}
		}
	}
	for _, k := range keys {
		if strings.Contains(k.title, lp) {
			for _, p := range k.d.Passages {
				if !add(p) {
					return out
				}
			}
		}
	}
	if lp == "" || len(out) >= max {
		return out
	}
	for _, p := range e.completeText(lp) {
		if !add(p) {
			break
		}
	}
	return out
}

// completeKey is a document with its ID and title lower-cased.
type completeKey struct {
	d         *corpus.Document
	id, title string
}

func newCompleteKeys(c *corpus.Corpus) []completeKey {
	out := make([]completeKey, len(c.Documents))
	for i, d := range c.Documents {
		out[i] = completeKey{d: d, id: strings.ToLower(d.ID), title: strings.ToLower(d.Title)}
	}
	return out
}

// Limits on how Complete looks for typed text in passages.
const (
	// completeCandidates is how many passages the index offers for the
	// typed text, best first, before each is checked to hold it.
	completeCandidates = 100
	// minExpand is the length, in runes, a partly typed word needs to be
	// looked for among the corpus's words (shorter, it begins too many).
	minExpand = 3
	// maxExpand is how many of the corpus's words beginning with a partly
	// typed word are looked for, the most frequent first.
	maxExpand = 16
)

// completeText returns passages whose text holds lp (lower-cased), found
// through the index: the passages holding every word typed in full, or,
// when none is, one of the corpus's words that the word being typed
// begins; those the index ranks first, that hold lp.
func (e *Engine) completeText(lp string) []*corpus.Passage {
	var words []string
	end := 0
	eachWord(lp, func(w string, _, e int) {
		words = append(words, w)
		end = e
	})
	if len(words) == 0 {
		return nil
	}
	last := ""
	if end == len(lp) {
		// Still being typed.
		last, words = words[len(words)-1], words[:len(words)-1]
	}
	var q index.Query
	seen := map[string]bool{}
	addTerms := func(w string) {
		for _, t := range e.ix.Analyze(w) {
			if !seen[t.Term] {
				seen[t.Term] = true
				q.Terms = append(q.Terms, index.Term{Term: t.Term})
			}
		}
	}
	for _, w := range words {
		addTerms(w)
	}
	q.All = len(q.Terms) > 0
	if !q.All && utf8.RuneCountInString(last) >= minExpand {
		for _, w := range e.words.withPrefix(last, maxExpand) {
			addTerms(w)
		}
	}
	if len(q.Terms) == 0 {
		return nil
	}
	hits, _, err := e.ix.Search(context.Background(), q, 0, completeCandidates)
	if err != nil {
		return nil
	}
	var out []*corpus.Passage
	for _, h := range hits {
		if p := e.passageOf(h); p != nil && strings.Contains(strings.ToLower(p.Text), lp) {
			out = append(out, p)
		}
	}
	return out
}

// choiceName is "story#3 · Title: first words…", within Discord's limit.
func choiceName(id, title, text string) string {
	s := id + " · " + title + ": " + text
	if utf8.RuneCountInString(s) <= maxChoiceName {
		return s
	}
	r := []rune(s)[:maxChoiceName-1]
	cut := string(r)
	if k := strings.LastIndexByte(cut, ' '); k > len(id) {
		cut = cut[:k]
	}
	return cut + Ellipsis
}
