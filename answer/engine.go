// Package answer turns a question into an extractive, cited answer.
//
// The engine retrieves candidate passages from the index, then ranks every
// sentence of those passages: sentences that cover more of the question's
// content words win, rare words weigh more than common ones, words standing
// close together and in the question's order count extra, and a sentence
// holding the kind of thing the question asks for (a name for "who", a date
// for "when", a number for "how many") is preferred. Misspelt words are
// corrected against the corpus's own vocabulary. When the best sentence
// covers too little of the question, the answer is "not found" and the
// closest passages are offered instead. Every text the engine returns is
// verbatim corpus text.
package answer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// MaxQuestionLen bounds a question, in bytes; longer questions are refused.
const MaxQuestionLen = 2000

// MaxAnswerLen bounds Answer.Text, in bytes.
const MaxAnswerLen = 500

// Errors callers branch on.
var (
	ErrEmptyQuestion = errors.New("empty question")
	ErrLongQuestion  = fmt.Errorf("question longer than %d bytes", MaxQuestionLen)
)

// Index is what the engine needs of the search index.
type Index interface {
	Search(ctx context.Context, q index.Query, from, size int) ([]index.Hit, int, error)
	Analyze(text string) []index.Token
	DocFreq(term string) int
	NumPassages() int
}

var _ Index = (*index.Index)(nil)

// Options tune the engine; the zero value is the default.
type Options struct {
	// Citations is how many citations an answer carries (default 3).
	Citations int
	// Candidates is how many passages are ranked sentence by sentence
	// (default 30).
	Candidates int
	// MinEvidence is how much evidence an answer needs, from 0 to 1; below
	// it the answer is "not found" (default DefaultMinEvidence; negative:
	// never "not found" while some passage matches).
	MinEvidence float64
}

// DefaultMinEvidence is the default of Options.MinEvidence.
const DefaultMinEvidence = 0.3

// Engine answers questions from one corpus and its index. It is safe for
// concurrent use.
type Engine struct {
	c     *corpus.Corpus
	ix    Index
	info  Info
	opts  Options
	words *vocabulary
	// forms maps forms of irregular words to each other.
	forms map[string][]string
	// analysed holds each passage's sentences, analysed once; stats each
	// document's term counts.
	analysed sync.Map // passage ID → []sentenceTerms
	stats    sync.Map // document ID → *docStats
}

// New returns an engine over c and its index ix. info describes them for
// Info.
func New(c *corpus.Corpus, ix Index, info Info, opts Options) *Engine {
	if opts.Citations <= 0 {
		opts.Citations = 3
	}
	if opts.Candidates <= 0 {
		opts.Candidates = 30
	}
	if tuneCand > 0 {
		opts.Candidates = tuneCand
	}
	if opts.MinEvidence == 0 {
		opts.MinEvidence = DefaultMinEvidence
	}
	return &Engine{c: c, ix: ix, info: info, opts: opts, words: newVocabulary(c), forms: newForms(ix)}
}

// Info describes the corpus and index the engine answers from.
func (e *Engine) Info() Info { return e.info }

// Corpus is the corpus the engine answers from.
func (e *Engine) Corpus() *corpus.Corpus { return e.c }

// Answer answers one question.
func (e *Engine) Answer(ctx context.Context, q string) (Answer, error) {
	q = strings.TrimSpace(q)
	a := Answer{Question: q}
	if err := checkQuestion(q); err != nil {
		return a, err
	}
	pq := e.prepare(q)
	a.DidYouMean = pq.corrected
	if len(pq.terms) == 0 {
		a.Text = NotFoundText
		return a, nil
	}
	hits, _, err := e.ix.Search(ctx, pq.query(), 0, e.opts.Candidates)
	if err != nil {
		return a, fmt.Errorf("answer %q: %w", q, err)
	}
	ranked := e.rank(pq, hits)
	if len(ranked) == 0 {
		a.Text = NotFoundText
		return a, nil
	}
	best := ranked[0]
	a.Found = best.evidence() >= e.opts.MinEvidence
	a.Citations = e.citations(pq, ranked, best, a.Found)
	if !a.Found {
		a.Text = NotFoundText
		return a, nil
	}
	a.Parts = e.parts(pq, best)
	texts := make([]string, len(a.Parts))
	for i, p := range a.Parts {
		texts[i] = p.Text
	}
	a.Text = strings.Join(texts, " ")
	return a, nil
}

// checkQuestion refuses questions that cannot be answered at all.
func checkQuestion(q string) error {
	if len(q) > MaxQuestionLen {
		return ErrLongQuestion
	}
	if !utf8.ValidString(q) {
		return fmt.Errorf("question is not valid UTF-8")
	}
	for _, r := range q {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return nil
		}
	}
	return ErrEmptyQuestion
}

// citations lists the passage of the answer first, then the next best
// passages. When nothing was found they are suggestions.
func (e *Engine) citations(pq question, ranked []candidate, best candidate, ok bool) []Citation {
	n := e.opts.Citations
	var out []Citation
	for _, c := range ranked {
		if len(out) == n {
			break
		}
		if !ok && c.cover == 0 {
			continue
		}
		p := c.passage
		out = append(out, Citation{
			N:       len(out) + 1,
			Doc:     p.Doc.ID,
			Title:   p.Doc.Title,
			Passage: p.ID,
			Text:    p.Text,
			Score:   math.Round(c.score*1000) / 1000,
			Marks:   e.marks(pq, p.Text),
		})
	}
	return out
}

// marks finds the words of text that match the question.
func (e *Engine) marks(pq question, text string) []Span {
	var out []Span
	for _, t := range e.ix.Analyze(text) {
		if pq.matches(t.Term) {
			out = append(out, Span{t.Start, t.End})
		}
	}
	return out
}

// parts is the answer text for the best sentence: the sentence, with the one
// before it when it opens with a pronoun, clipped to MaxAnswerLen.
func (e *Engine) parts(pq question, best candidate) []Part {
	p := best.passage
	s, end := p.Sentences[best.first], p.Sentences[best.last].End
	start := s.Start
	if best.first > 0 && opensWithPronoun(s.Text) {
		prev := p.Sentences[best.first-1]
		if end-prev.Start <= MaxAnswerLen {
			start = prev.Start
		}
	}
	text := p.Text[start:end]
	marks := e.marks(pq, text)
	if len(text) <= MaxAnswerLen {
		return []Part{{Text: text, Citation: 1, Marks: marks}}
	}
	return clip(text, marks, MaxAnswerLen)
}

var pronouns = map[string]bool{
	"he": true, "she": true, "it": true, "they": true, "this": true, "these": true,
	"that": true, "those": true, "his": true, "her": true, "its": true, "their": true,
	"him": true, "them": true, "there": true, "such": true,
}

// opensWithPronoun reports whether a sentence opens with a pronoun, perhaps
// after a conjunction ("But he also said …").
func opensWithPronoun(s string) bool {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	for i, w := range words {
		if i > 2 {
			break
		}
		lw := strings.ToLower(w)
		if pronouns[lw] {
			return true
		}
		switch lw {
		case "but", "and", "so", "then", "yet", "also", "however":
			continue
		}
		break
	}
	return false
}
