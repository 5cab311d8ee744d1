package answer

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Search is a plain lookup: the passages that best match query, size of them
// after skipping from, without choosing an answer. query is cleaned and
// checked as a question is (CheckQuestion).
func (e *Engine) Search(ctx context.Context, query string, from, size int) (Results, error) {
	query, err := CheckQuestion(query, MaxQuestionLen)
	if err != nil {
		return Results{}, err
	}
	pq := e.prepare(query, nil)
	if len(pq.terms) == 0 {
		return Results{}, nil
	}
	hits, total, err := e.ix.Search(ctx, pq.query(), from, size)
	if err != nil {
		return Results{}, fmt.Errorf("search %q: %w", query, err)
	}
	res := Results{Total: total}
	for i, h := range hits {
		p := e.c.Passage(h.ID)
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
// documents whose title holds it, then passages whose text holds it.
func (e *Engine) Complete(prefix string, max int) []Choice {
	lp := strings.ToLower(strings.TrimSpace(prefix))
	var out []Choice
	seen := map[string]bool{}
	add := func(id, title, text string) bool {
		if seen[id] || len(out) >= max {
			return len(out) < max
		}
		seen[id] = true
		out = append(out, Choice{Name: choiceName(id, title, text), Value: id})
		return len(out) < max
	}
	ps := e.c.Passages()
	for _, p := range ps {
		if strings.HasPrefix(strings.ToLower(p.ID), lp) && !add(p.ID, p.Doc.Title, p.Text) {
			return out
		}
	}
	for _, d := range e.c.Documents {
		if strings.Contains(strings.ToLower(d.Title), lp) {
			for _, p := range d.Passages {
				if !add(p.ID, d.Title, p.Text) {
					return out
				}
			}
		}
	}
	if lp == "" {
		return out
	}
	for _, p := range ps {
		if strings.Contains(strings.ToLower(p.Text), lp) && !add(p.ID, p.Doc.Title, p.Text) {
			return out
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
