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
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/answer/relations"
	"github.com/storybot/storybot/answer/vectors"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/recent"
)

// MaxAnswerLen bounds Answer.Text, in bytes.
const MaxAnswerLen = 500

// Index is what the engine needs of the search index.
type Index interface {
	Search(ctx context.Context, q index.Query, from, size int) ([]index.Hit, int, error)
	Analyze(text string) []index.Token
	DocFreq(term string) int
	NumPassages() int
	// TermID, TermIDs, Sentences and SentenceFreqs read what the index
	// stores of every sentence and document for the ranker; TermIDs sets
	// out[i] to the ID of terms[i], index.NoTerm for a term the corpus
	// never uses.
	TermID(term string) (index.TermID, bool)
	TermIDs(terms []string, out []index.TermID)
	Sentences(ctx context.Context, p *corpus.Passage) ([]index.Sentence, error)
	SentencesInto(ctx context.Context, p *corpus.Passage, dst []index.Sentence) ([]index.Sentence, error)
	SentenceFreqs(ctx context.Context, d *corpus.Document, terms []index.TermID, out []int) (int, error)
	// Words counts the words of the corpus's passages, lower-cased.
	Words() (map[string]int, error)
	// WordList is the stored vocabulary by index.WordID, shared, for
	// reading only.
	WordList() ([]string, error)
}

var _ Index = (*index.Index)(nil)

// Options tune the engine; the zero value is the default.
type Options struct {
	// Citations is how many citations an answer carries (default 3).
	Citations int
	// Candidates is how many passages are ranked sentence by sentence
	// (default 30). At 20, with the ranker refitted for it, story-dev
	// answered 17 of its 18 questions right and fairytale-val 326 of 593
	// rather than 327: ranking fewer is quicker, but not at that price.
	Candidates int
	// MinEvidence is the least probability, from 0 to 1, that the
	// answerability model must give the best answer; below it the answer
	// is "not found" (default DefaultMinEvidence, the threshold fitted with
	// the model; negative: never "not found" while some passage matches,
	// near misses included).
	MinEvidence float64
	// Answerability is the model that decides "not found" (nil: the
	// fitted one).
	Answerability *Answerability
	// Weights weigh the ranker's features (nil: the weights fitted on the
	// training set, see rank_fitted.go).
	Weights *Weights
}

// Engine answers questions from one corpus and its index. It is safe for
// concurrent use.
type Engine struct {
	c    *corpus.Corpus
	ix   Index
	info Info
	opts Options
	// answerability decides "not found".
	answerability Answerability
	words         *vocabulary
	// synonyms reword questions with the corpus's synonyms.
	synonyms synonyms
	// synonymTerms are the synonyms' members analysed.
	synonymTerms func() [][]synonymMember
	// closer releases the index, for an engine made by Open.
	closer io.Closer
	// forms maps forms of irregular words to each other.
	forms map[string][]string
	// keys are the documents' IDs and titles lower-cased, for Complete.
	keys func() []completeKey
	// analysed keeps the sentences of the passages most recently ranked.
	analysed passageCache
	// storedBufs keeps buffers for analyse to read stored sentences into.
	storedBufs sync.Pool
	// markBufs keeps buffers (each an *[]Span) for marks to find a
	// passage's marks in.
	markBufs sync.Pool
	// telling gives the bits of the stored vocabulary's words by ID.
	telling func() tellingTable
	// relatedCache keeps the corpus's terms related to the question words
	// most recently asked about.
	relatedCache recent.Cache[string, *relatedWords]
	// relatedTerms keeps the analyses of the words WordNet relates to
	// the question words most recently asked about.
	relatedTerms recent.Cache[string, analysedWord]
	// corrections keeps the corrections of the words most recently
	// corrected.
	corrections recent.Cache[correctionKey, wordFix]
	// usedWords keeps whether the corpus uses the names' words most
	// recently looked for (see usesWord).
	usedWords recent.Cache[string, bool]
	// weights weigh the ranker's features.
	weights Weights
	// scratch keeps what ranking reuses from one question to the next.
	scratch scratchPool
	// querySeen holds sets of terms for query (each a *termSet) for the
	// next questions.
	querySeen sync.Pool
	// idBufs keeps questions' term IDs (each a *questionIDs, its arrays
	// emptied) for the next questions.
	idBufs sync.Pool
	// queryTerms keeps the arrays of queries' terms (each an
	// *[]index.Term), empty, for the next questions.
	queryTerms sync.Pool
	// rankedBufs keeps the arrays of ranked candidates (each an
	// *[]candidate), empty, for the next questions (see release).
	rankedBufs sync.Pool
	// timeTerms are the words of time as the index analyses them (see
	// onlyTime).
	timeTerms func() []string
	// acronyms are the acronyms the corpus defines, each
	// with the analysed terms of the name it stands for (see acronymsOf).
	acronyms func() map[string][]string
	// ordinals tells whether every passage of the corpus stands in its
	// document at the place its Ordinal says (see neighbourCover).
	ordinals bool
	// ranges are the features' ranges the ranker bounds spans by (nil:
	// featureRanges).
	ranges *[NumFeatures]featureRange
}

// New returns an engine over c and its index ix, whose stored vocabulary it
// reads. info describes them for Info.
func New(c *corpus.Corpus, ix Index, info Info, opts Options) *Engine {
	if opts.Citations <= 0 {
		opts.Citations = 3
	}
	if opts.Candidates <= 0 {
		opts.Candidates = 30
	}
	if opts.MinEvidence == 0 {
		opts.MinEvidence = DefaultMinEvidence
	}
	answerability := fittedAnswerability()
	if opts.Answerability != nil {
		answerability = *opts.Answerability
	}
	if len(answerability.Weights) != int(numAnswerFeatures) {
		panic(fmt.Sprintf("answer: an Answerability needs %d weights, not %d", numAnswerFeatures, len(answerability.Weights)))
	}
	// WordNet's relations and the word vectors, which every question
	// uses, are read while the engine builds its vocabulary: on two
	// cores, a start then waits for the longest of the three, not their
	// sum, and the first question for none.
	var loading sync.WaitGroup
	loading.Go(func() { relations.Either("") })
	loading.Go(func() { vectors.Len() })
	defer loading.Wait()
	words, err := ix.Words()
	if err != nil {
		// Counted from the corpus instead: slower, the same words.
		words = nil
	}
	w := fittedWeights()
	if opts.Weights != nil {
		w = *opts.Weights
	}
	return &Engine{c: c, ix: ix, info: info, opts: opts, answerability: answerability, words: newVocabulary(c, words), forms: newForms(ix), synonyms: c.Synonyms,
		synonymTerms: sync.OnceValue(func() [][]synonymMember { return newSynonymTerms(ix, c.Synonyms) }),
		keys:         sync.OnceValue(func() []completeKey { return newCompleteKeys(c) }),
		acronyms:     sync.OnceValue(func() map[string][]string { return newAcronymTerms(ix, acronymsOf(c)) }),
		analysed:     passageCache{Size: cachedPassages},
		telling: sync.OnceValue(func() tellingTable {
			list, err := ix.WordList()
			if err != nil {
				// Each sentence's words looked at instead.
				return tellingTable{}
			}
			return newTellingTable(list)
		}),
		relatedCache: recent.Cache[string, *relatedWords]{Size: cachedWords},
		relatedTerms: recent.Cache[string, analysedWord]{Size: cachedRelatedWords},
		corrections:  recent.Cache[correctionKey, wordFix]{Size: cachedCorrections},
		usedWords:    recent.Cache[string, bool]{Size: cachedNameWords},
		weights:      w,
		timeTerms:    sync.OnceValue(func() []string { return newTimeTerms(ix) }),
		ordinals:     ordinalsHold(c),
	}
}

// Info describes the corpus and index the engine answers from.
func (e *Engine) Info() Info { return e.info }

// Answer answers one question, cleaned and checked by CheckQuestion: a
// question it refuses gives a *RefusedError.
func (e *Engine) Answer(ctx context.Context, q string) (Answer, error) {
	cq, err := CheckQuestion(q, MaxQuestionLen)
	if err != nil {
		return Answer{Question: strings.TrimSpace(q)}, err
	}
	q = cq
	a := Answer{Question: q}
	pq, ranked, err := e.retrieve(ctx, q)
	defer func() { e.release(pq, ranked) }()
	if err != nil {
		return a, fmt.Errorf("answer %q: %w", q, err)
	}
	a.DidYouMean = pq.corrected
	if len(ranked) == 0 {
		a.Text = NotFoundText
		return a, nil
	}
	best := ranked[0]
	if a.Found, err = e.answerable(ctx, q, pq, ranked); err != nil {
		return a, fmt.Errorf("answer %q: %w", q, err)
	}
	marks := passageMarks{e: e, pq: &pq}
	if !a.Found {
		a.Text = NotFoundText
		a.Citations = e.citations(&marks, ranked, nil)
		return a, nil
	}
	parts, from := e.parts(&marks, answerSpan(pq, best))
	// The passage of the best span is cited first, the others quoted next.
	a.Citations = e.citations(&marks, ranked, append([]*corpus.Passage{best.passage}, from...))
	texts := make([]string, len(parts))
	for i := range parts {
		for _, c := range a.Citations {
			if c.Passage == from[i].ID {
				parts[i].Citation = c.N
			}
		}
		texts[i] = parts[i].Text
	}
	a.Parts = parts
	a.Text = strings.Join(texts, " ")
	return a, nil
}

// retrieve ranks the spans of the passages that best match q, its words
// counted through their forms, the corpus's synonyms and the words WordNet
// relates to them, each kind of match weighed as the ranker's weights say.
func (e *Engine) retrieve(ctx context.Context, q string) (question, []candidate, error) {
	pq := e.prepare(q)
	iq := e.query(pq)
	hits, _, err := e.ix.Search(ctx, iq, 0, e.opts.Candidates)
	e.searched(iq)
	if err != nil {
		return pq, nil, err
	}
	ranked, err := e.rank(ctx, pq, hits)
	return pq, ranked, err
}

// citations cites first the passages the answer quotes, then the next best
// passages, marked as marks finds them. When nothing was found they are
// suggestions: passages that hold some of the question's words.
func (e *Engine) citations(marks *passageMarks, ranked []candidate, quoted []*corpus.Passage) []Citation {
	var out []Citation
	add := func(p *corpus.Passage, score float64) {
		for _, c := range out {
			if c.Passage == p.ID {
				return
			}
		}
		if out == nil {
			out = make([]Citation, 0, max(e.opts.Citations, len(quoted)))
		}
		out = append(out, Citation{
			N:       len(out) + 1,
			Doc:     p.Doc.ID,
			Title:   p.Doc.Title,
			Passage: p.ID,
			Text:    p.Text,
			Score:   math.Round(score*1000) / 1000,
			Marks:   marks.of(p),
		})
	}
	for _, p := range quoted {
		add(p, scoreOf(ranked, p))
	}
	n := max(e.opts.Citations, len(out))
	for _, c := range ranked {
		if len(out) >= n {
			break
		}
		if quoted == nil && c.cover == 0 {
			continue
		}
		add(c.passage, c.score)
	}
	return out
}

// scoreOf is the score of passage p's span among the ranked, 0 when none
// is p's.
func scoreOf(ranked []candidate, p *corpus.Passage) float64 {
	for i := len(ranked) - 1; i >= 0; i-- {
		if ranked[i].passage.ID == p.ID {
			return ranked[i].score
		}
	}
	return 0
}

// marks finds the words of passage p that match the question, from the
// passage's analysed sentences; none when they cannot be read.
func (e *Engine) marks(pq question, p *corpus.Passage) []Span {
	sents, err := e.analyse(context.Background(), p)
	if err != nil {
		return nil
	}
	qids := e.idsOf(pq)
	// The marks are found in a buffer kept for the next passage, and
	// copied out at once.
	buf, _ := e.markBufs.Get().(*[]Span)
	if buf == nil {
		buf = new([]Span)
	}
	defer e.markBufs.Put(buf)
	found := (*buf)[:0]
	// The table of the question's IDs is read into locals once (see
	// spanScratch.passage).
	mask, slots, forms, shift := &qids.mask, qids.slots, qids.all, qids.shift
	for i, s := range sents {
		base := p.Sentences[i].Start
		for _, t := range s.tokens {
			if !mask.has(t.Term) {
				continue
			}
			for _, f := range formsIn(slots, forms, shift, t.Term) {
				if f.ch.marked() {
					found = append(found, Span{base + int(t.Start), base + int(t.End)})
					break
				}
			}
		}
	}
	*buf = found[:0]
	if len(found) == 0 {
		return nil
	}
	return slices.Clone(found)
}

// within returns the marks inside [start, end), made relative to start.
func within(marks []Span, start, end int) []Span {
	var out []Span
	for _, m := range marks {
		if m.Start >= start && m.End <= end {
			out = append(out, Span{m.Start - start, m.End - start})
		}
	}
	return out
}

// passageMarks finds the marks of the passages that one answer to a
// question quotes and cites, each passage's once: the passage quoted first
// is cited first, and the parts of an answer are cut from its marks.
type passageMarks struct {
	e  *Engine
	pq *question
	// ps are the passages whose marks were found, ms their marks, n how
	// many: an answer quotes and cites a few.
	ps [maxMarkedPassages]*corpus.Passage
	ms [maxMarkedPassages][]Span
	n  int
}

// maxMarkedPassages is how many passages' marks a passageMarks keeps.
const maxMarkedPassages = 8

// of returns the marks of passage p, as marks finds them. They are the
// caller's to keep, and not to be changed.
func (m *passageMarks) of(p *corpus.Passage) []Span {
	for i := range m.n {
		if m.ps[i] == p {
			return m.ms[i]
		}
	}
	marks := m.e.marks(*m.pq, p)
	if m.n < len(m.ps) {
		m.ps[m.n], m.ms[m.n] = p, marks
		m.n++
	}
	return marks
}

// parts is the answer for the best span, clipped to MaxAnswerLen, and the
// passage each part comes from, the one that answers first.
//
// When the span opens with a pronoun, the sentence before it comes first, so
// that "he" has a name: from the same passage, or, for a passage of one
// sentence (a line of dialogue, a one-line paragraph), from the end of the
// one before. When the question asks what came after something, the sentence
// after the span follows, from the next passage if need be: the span found is
// what the question speaks of, the answer is often what comes next. So it is
// when a one-sentence span only restates a question that asks what someone
// did ("What did the keeper do when the storm broke the panes?") or who, and
// names no one: the next sentence of the passage joins it.
func (e *Engine) parts(marks *passageMarks, best candidate) ([]Part, []*corpus.Passage) {
	pq := *marks.pq
	p := best.passage
	first := p.Sentences[best.first]
	start, end := first.Start, p.Sentences[best.last].End
	var lead, tail *Part
	var leadFrom, tailFrom *corpus.Passage
	if opensWithPronoun(first.Text) {
		if best.first > 0 {
			if prev := p.Sentences[best.first-1]; end-prev.Start <= MaxAnswerLen {
				start = prev.Start
			}
		} else if prev, _ := e.c.Neighbours(p); prev != nil && len(prev.Sentences) > 0 && len(p.Sentences) == 1 {
			ls := prev.Sentences[len(prev.Sentences)-1]
			if len(ls.Text)+1+end-start <= MaxAnswerLen {
				lead = &Part{Text: ls.Text, Marks: within(marks.of(prev), ls.Start, ls.End)}
				leadFrom = prev
			}
		}
	}
	// The next sentence of the passage joins the span when there is room.
	// When the span lacks what the question asks about (the words before
	// "after"), the sentence after it replaces it if there is no room, and
	// is taken from the next passage when the span ends its passage.
	replace := pq.follows && !e.spanHolds(pq, best, pq.before)
	if pq.follows {
		if best.last+1 < len(p.Sentences) {
			next := p.Sentences[best.last+1]
			switch {
			case next.End-start <= MaxAnswerLen:
				end = next.End
			case replace:
				// What came after is told from the sentence that holds
				// the most of the question on: in the span's sentences
				// after it, if any, else in the next.
				most := e.mostSentence(pq, best)
				switch ms := p.Sentences[most].Start; {
				case next.End-ms <= MaxAnswerLen:
					start, end, lead = ms, next.End, nil
				case most < best.last:
					start, lead = ms, nil
				default:
					start, end, lead = next.Start, next.End, nil
				}
			}
		} else if next := e.nextPassage(p); next != nil {
			ns := next.Sentences[0]
			if replace {
				tail = &Part{Text: ns.Text, Marks: within(marks.of(next), ns.Start, ns.End)}
				tailFrom = next
			}
		}
	}
	if !pq.follows && e.echoes(pq, best) && best.last+1 < len(p.Sentences) {
		if next := p.Sentences[best.last+1]; next.End-start <= MaxAnswerLen {
			end = next.End
		}
	}
	var parts []Part
	from := []*corpus.Passage{}
	if tail == nil || len(tail.Text)+1+end-start <= MaxAnswerLen {
		text := p.Text[start:end]
		if len(text) <= MaxAnswerLen {
			parts = []Part{{Text: text, Marks: within(marks.of(p), start, end)}}
		} else {
			parts = clip(text, within(marks.of(p), start, end), MaxAnswerLen)
		}
		for range parts {
			from = append(from, p)
		}
	}
	if lead != nil && tail == nil {
		parts = append([]Part{*lead}, parts...)
		from = append([]*corpus.Passage{leadFrom}, from...)
	}
	if tail != nil {
		parts = append(parts, *tail)
		from = append(from, tailFrom)
	}
	return parts, from
}

// spanHolds reports whether the best span holds most of the weight of the
// question's terms at indexes terms (false when there are none).
func (e *Engine) spanHolds(pq question, best candidate, terms []int) bool {
	sents, err := e.analyse(context.Background(), best.passage)
	if err != nil {
		return false
	}
	ids := e.termIDs(pq)
	var held, total float64
	for _, j := range terms {
		t := pq.terms[j]
		total += t.idf
		for i := best.first; i <= best.last; i++ {
			if sents[i].holds(ids[j]) {
				held += t.idf
				break
			}
		}
	}
	return total > 0 && held >= total/2
}

// mostSentence is the sentence of the best span holding the most of the
// question's weight, the first of those holding as much.
func (e *Engine) mostSentence(pq question, best candidate) int {
	sents, err := e.analyse(context.Background(), best.passage)
	if err != nil {
		return best.first
	}
	ids := e.termIDs(pq)
	most, mostHeld := best.first, -1.0
	for i := best.first; i <= best.last; i++ {
		held := 0.0
		for j, t := range pq.terms {
			if sents[i].holds(ids[j]) {
				held += t.idf
			}
		}
		if held > mostHeld {
			most, mostHeld = i, held
		}
	}
	return most
}

// echoes reports whether the best span is one sentence that holds at least
// echoCover of the question's weight, for a question that asks what was done
// or happened, or who, when the sentence names no one: the sentence restates
// what the question speaks of rather than answering it.
func (e *Engine) echoes(pq question, best candidate) bool {
	if best.first != best.last || best.cover < echoCover {
		return false
	}
	switch pq.kind.kind {
	case kindAny:
		w := pq.kind.words
		return w.has("do") || w.has("does") || w.has("doing") || w.has("happen") || w.has("happened") || w.has("happens")
	case kindPerson:
		sents, err := e.analyse(context.Background(), best.passage)
		if err != nil {
			return false
		}
		s := sents[best.first]
		return !pq.kind.matches(s.words, s.kinds, s.cues)
	}
	return false
}

// nextPassage is the passage after p in its document, or nil.
func (e *Engine) nextPassage(p *corpus.Passage) *corpus.Passage {
	_, next := e.c.Neighbours(p)
	if next == nil || len(next.Sentences) == 0 {
		return nil
	}
	return next
}

var pronouns = newWordSet(`he she it they this these that those his her its their him them there such`)

// openingConjunctions are the words before a pronoun that opensWithPronoun
// looks past.
var openingConjunctions = newWordSet(`but and so then yet also however`)

// opensWithPronoun reports whether a sentence opens with a pronoun, perhaps
// after a conjunction ("But he also said …").
func opensWithPronoun(s string) bool {
	var words [pronounReach]string
	for i, w := range firstWords(words[:0], s, pronounReach) {
		if i > 2 {
			break
		}
		// Lower-cased in place of its own: no pronoun or conjunction is
		// longer, nor does any other word lower-case to one.
		var buf [maxOpeningWord]byte
		lw, ok := lowerASCII(buf[:0], w)
		if !ok {
			break
		}
		if pronouns[string(lw)] {
			return true
		}
		if !openingConjunctions[string(lw)] {
			break
		}
	}
	return false
}

// maxOpeningWord is the length, in bytes, of the longest of pronouns and
// openingConjunctions.
const maxOpeningWord = len("however")

// lowerASCII appends w lower-cased to dst, w being ASCII that fits in
// dst's room; false when it is not.
func lowerASCII(dst []byte, w string) ([]byte, bool) {
	if len(w) > cap(dst)-len(dst) {
		return dst, false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return dst, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// pronounReach is how many of a sentence's first words opensWithPronoun
// looks at: a pronoun after up to two conjunctions.
const pronounReach = 3

// firstWords appends to out the first n words of s, a word being a run of
// letters and apostrophes: the first n of strings.FieldsFunc's fields,
// found without cutting up the rest of s.
func firstWords(out []string, s string, n int) []string {
	n += len(out)
	start := -1
	for i, r := range s {
		inWord := unicode.IsLetter(r) || r == '\''
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			if out = append(out, s[start:i]); len(out) == n {
				return out
			}
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// passageOf is the passage of hit h: the corpus's passage of h's number
// when it has h's ID, else the one of h's ID, nil when there is none.
func (e *Engine) passageOf(h index.Hit) *corpus.Passage {
	if p := e.c.PassageAt(h.N); p != nil && p.ID == h.ID {
		return p
	}
	return e.c.Passage(h.ID)
}
