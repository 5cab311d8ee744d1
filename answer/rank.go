package answer

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// sentenceTerms is one analysed sentence of a passage.
type sentenceTerms struct {
	// tokens are the sentence's analysed terms, as the index stores them.
	tokens []index.IDToken
	// words are the sentence's lower-cased words, stop words included.
	words sentenceWords
	// cues are what in it may answer a kind of question.
	cues cues
}

// analyse returns the sentences of passage p, their terms read from the
// analyses stored with the index, kept for a while in a bounded cache.
func (e *Engine) analyse(ctx context.Context, p *corpus.Passage) ([]sentenceTerms, error) {
	if v, ok := e.analysed.get(p.ID); ok {
		return v, nil
	}
	stored, err := e.ix.Sentences(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("read the sentences of %s: %w", p.ID, err)
	}
	if len(stored) != len(p.Sentences) {
		return nil, fmt.Errorf("read the sentences of %s: %d stored for %d", p.ID, len(stored), len(p.Sentences))
	}
	out := make([]sentenceTerms, len(p.Sentences))
	for i, s := range p.Sentences {
		out[i] = sentenceTerms{tokens: stored[i].Tokens, words: wordsOf(s.Text), cues: cuesOf(s.Text)}
	}
	e.analysed.put(p.ID, out)
	return out, nil
}

// sentenceWords are a sentence's distinct words, lower-cased, sorted.
type sentenceWords []string

func wordsOf(s string) sentenceWords {
	var ws sentenceWords
	eachWord(strings.ToLower(s), func(w string, _, _ int) { ws = append(ws, w) })
	slices.Sort(ws)
	return slices.Compact(ws)
}

// has reports whether the sentence holds word w.
func (ws sentenceWords) has(w string) bool {
	_, ok := slices.BinarySearch(ws, w)
	return ok
}

// cachedPassages is how many passages' analysed sentences a generation of
// the engine's cache holds: the cache keeps between one and two
// generations, the passages most recently ranked, a few megabytes at most.
const cachedPassages = 1024

// passageCache keeps recently analysed passages, in two generations: when
// the current one is full it becomes the old one, and what the old one held
// and was not asked for since is dropped.
type passageCache struct {
	mu       sync.Mutex
	cur, old map[string][]sentenceTerms
}

func (c *passageCache) get(id string) ([]sentenceTerms, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[id]; ok {
		return v, true
	}
	v, ok := c.old[id]
	if ok {
		c.putLocked(id, v)
	}
	return v, ok
}

func (c *passageCache) put(id string, v []sentenceTerms) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(id, v)
}

func (c *passageCache) putLocked(id string, v []sentenceTerms) {
	if c.cur == nil || len(c.cur) >= cachedPassages {
		c.old, c.cur = c.cur, make(map[string][]sentenceTerms, cachedPassages)
	}
	c.cur[id] = v
}

// termIDs are the IDs of the forms of the question's terms that the corpus
// uses, term by term, forms in order.
func (e *Engine) termIDs(pq question) [][]index.TermID {
	out := make([][]index.TermID, len(pq.terms))
	for i, t := range pq.terms {
		for _, f := range t.forms {
			if id, ok := e.ix.TermID(f); ok {
				out[i] = append(out[i], id)
			}
		}
	}
	return out
}

// docStats counts, for one document, in how many of its sentences each
// question term stands: a word that every sentence of the document uses
// tells its sentences apart less than one that few use.
type docStats struct {
	sentences int
	// freq is, for each question term, the most sentences any of its forms
	// stands in.
	freq []int
}

// docStats reads the document's counts of the question's terms, whose IDs
// are ids, from the index.
func (e *Engine) docStats(ctx context.Context, d *corpus.Document, ids [][]index.TermID) (docStats, error) {
	var flat []index.TermID
	for _, forms := range ids {
		flat = append(flat, forms...)
	}
	counts := make([]int, len(flat))
	n, err := e.ix.SentenceFreqs(ctx, d, flat, counts)
	if err != nil {
		return docStats{}, fmt.Errorf("read the term counts of %s: %w", d.ID, err)
	}
	ds := docStats{sentences: n, freq: make([]int, len(ids))}
	k := 0
	for i, forms := range ids {
		for range forms {
			ds.freq[i] = max(ds.freq[i], counts[k])
			k++
		}
	}
	return ds, nil
}

// has reports whether the document uses question term i.
func (ds docStats) has(i int) bool { return ds.freq[i] > 0 }

// idf is how rare question term i is among the document's sentences.
func (ds docStats) idf(i int) float64 {
	f := ds.freq[i]
	n := float64(ds.sentences)
	return math.Log(1 + (n-float64(f)+0.5)/(float64(f)+0.5))
}

// candidate is a ranked sentence.
type candidate struct {
	passage *corpus.Passage
	// first and last are the span's sentences.
	first, last int
	score       float64
	// cover is the share of the question's weight the span holds.
	cover float64
	// global is the share the span holds with words weighed by their
	// rarity in the whole corpus.
	global float64
}

// Ranking weights.
var (
	wContext   = 0.3
	wProximity = 0.15
	wBigram    = 0.1
	wKind      = 0.08
	wStop      = 0.05
	wRetrieval = 0.05
	wLocal     = 0.5 // share of the document-local rarity in a word's weight
	wDoc       = 0.4
	wNeighbour = 0.1
	wLen       = 0.0
	wSpan      = 0.03
	wOrder     = 0.1
	wLight     = 0.3
	maxSpan    = 3
	// echoCover is the share of the question a sentence must hold to be
	// taken as restating it.
	echoCover = 0.8
)

// rank scores every sentence of the retrieved passages and returns the best
// sentence of each passage, best first.
func (e *Engine) rank(ctx context.Context, pq question, hits []index.Hit) ([]candidate, error) {
	if len(hits) == 0 || len(pq.terms) == 0 {
		return nil, nil
	}
	top := hits[0].Score
	ids := e.termIDs(pq)
	// Passages of one document share its counts, and so the weights of
	// the question's terms.
	type docWeights struct {
		weights         []float64
		total, docPrior float64
	}
	stats := map[*corpus.Document]*docWeights{}
	sc := newSpanScratch(len(pq.terms))
	out := make([]candidate, 0, len(hits))
	for _, h := range hits {
		p := e.c.Passage(h.ID)
		if p == nil {
			continue
		}
		dw, ok := stats[p.Doc]
		if !ok {
			ds, err := e.docStats(ctx, p.Doc, ids)
			if err != nil {
				return nil, err
			}
			dw = &docWeights{weights: make([]float64, len(pq.terms))}
			inDoc, gtotal := 0.0, 0.0
			for i, t := range pq.terms {
				dw.weights[i] = math.Pow(t.idf, 1-wLocal) * math.Pow(ds.idf(i), wLocal)
				dw.total += dw.weights[i]
				gtotal += t.idf
				if ds.has(i) {
					inDoc += t.idf
				}
			}
			dw.docPrior = wDoc * inDoc / gtotal
			stats[p.Doc] = dw
		}
		weights, total, docPrior := dw.weights, dw.total, dw.docPrior
		sents, err := e.analyse(ctx, p)
		if err != nil {
			return nil, err
		}
		sc.passage(ids, sents)
		best := candidate{}
		for i := range sents {
			for j := i; j < len(sents) && j <= i+maxSpan-1; j++ {
				if j > i && p.Sentences[j].End-p.Sentences[i].Start > MaxAnswerLen {
					break
				}
				c := scoreSpan(pq, ids, weights, total, sents, i, j, sc)
				c.passage = p
				c.score += docPrior
				if top > 0 {
					c.score += wRetrieval * h.Score / top
				}
				if best.passage == nil || c.score > best.score {
					best = c
				}
			}
		}
		if best.passage != nil {
			out = append(out, best)
		}
	}
	// A passage next to another that matches well is likelier to be the
	// one that answers: the story goes on from one to the other.
	if wNeighbour > 0 {
		by := make(map[string]float64, len(out))
		for _, c := range out {
			by[c.passage.ID] = c.score
		}
		for i := range out {
			prev, next := e.c.Neighbours(out[i].passage)
			nb := 0.0
			if prev != nil {
				nb = max(nb, by[prev.ID])
			}
			if next != nil {
				nb = max(nb, by[next.ID])
			}
			out[i].score += wNeighbour * nb
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out, nil
}

// appendPositions appends to dst, plus base, the token indexes of the
// sentence where a question word whose forms have IDs forms stands: those
// of its first form, then of the next.
func (s sentenceTerms) appendPositions(dst []int, forms []index.TermID, base int) []int {
	for _, f := range forms {
		for j, t := range s.tokens {
			if t.Term == f {
				dst = append(dst, base+j)
			}
		}
	}
	return dst
}

// holds reports whether a question word whose forms have IDs forms stands
// in the sentence.
func (s sentenceTerms) holds(forms []index.TermID) bool {
	for _, t := range s.tokens {
		for _, f := range forms {
			if t.Term == f {
				return true
			}
		}
	}
	return false
}

// scoreSpan scores the sentences first to last of a passage as an answer;
// ids are the IDs of the forms of the question's terms.
func scoreSpan(pq question, ids [][]index.TermID, weights []float64, total float64, sents []sentenceTerms, first, last int, sc *spanScratch) candidate {
	var matched, context float64
	hits := sc.hits
	for j := range hits {
		hits[j] = hits[j][:0]
	}
	distinct, ntok := 0, 0
	for i := first; i <= last; i++ {
		for j := range pq.terms {
			hits[j] = sents[i].appendPositions(hits[j], ids[j], ntok)
		}
		ntok += len(sents[i].tokens)
	}
	gmatched, gtotal := 0.0, 0.0
	for j, t := range pq.terms {
		gtotal += t.idf
		if len(hits[j]) > 0 {
			matched += weights[j]
			gmatched += t.idf * t.trust
			distinct++
			continue
		}
		for k := range sents {
			if (k < first || k > last) && sc.sentenceHolds(sents, ids, k, j) {
				context += weights[j]
				break
			}
		}
	}
	c := candidate{first: first, last: last, cover: matched / total, global: gmatched / gtotal}
	score := c.cover + wContext*context/total
	if distinct >= 2 {
		score += wProximity * c.cover * proximity(hits, ntok, sc)
	}
	for _, b := range pq.bigrams {
		if adjacent(hits[b[0]], hits[b[1]]) {
			score += wBigram * (weights[b[0]] + weights[b[1]]) / total
		}
	}
	for _, w := range pq.stops {
		for i := first; i <= last; i++ {
			if sents[i].words.has(w) {
				score += wStop
				break
			}
		}
	}
	if distinct >= 2 {
		score += wOrder * c.cover * order(hits)
	}
	novel := ntok
	for _, h := range hits {
		novel -= len(h)
	}
	if novel <= 0 {
		score *= 0.5
	}
	if matched > 0 && pq.kind.kind != kindAny {
		for i := first; i <= last; i++ {
			if pq.kind.matches(sents[i].words, sents[i].cues) {
				score += wKind
				break
			}
		}
	}
	c.score = score - wLen*math.Log(1+float64(ntok)) - wSpan*float64(last-first)
	return c
}

// spanScratch is what scoreSpan reuses from one span to the next: the
// positions of each question term, and which of a passage's sentences hold
// each term.
type spanScratch struct {
	hits [][]int
	// occs and count serve proximity.
	occs  []occ
	count []int
	// holds[k*terms+j] tells whether sentence k holds term j: 0 when not
	// yet known, 1 when not, 2 when it does.
	holds []uint8
}

func newSpanScratch(terms int) *spanScratch {
	return &spanScratch{hits: make([][]int, terms), count: make([]int, terms)}
}

// occ is a question term standing at a position of a span.
type occ struct{ pos, term int }

// passage makes sc ready for the spans of a passage with sentences sents.
func (sc *spanScratch) passage(ids [][]index.TermID, sents []sentenceTerms) {
	sc.holds = slices.Grow(sc.holds[:0], len(sents)*len(ids))[:len(sents)*len(ids)]
	clear(sc.holds)
}

// sentenceHolds reports whether sentence k of the passage holds term j,
// remembered for the passage's other spans.
func (sc *spanScratch) sentenceHolds(sents []sentenceTerms, ids [][]index.TermID, k, j int) bool {
	h := &sc.holds[k*len(ids)+j]
	if *h == 0 {
		*h = 1
		if sents[k].holds(ids[j]) {
			*h = 2
		}
	}
	return *h == 2
}

// proximity is 1 when the question's words that a sentence holds stand side
// by side, falling towards 0 as they spread out: the number of distinct
// words over the length of the smallest window holding them all.
//
// The smallest window is the same whichever order occurrences at one
// position are sorted in, so an unstable sort does.
func proximity(hits [][]int, ntok int, sc *spanScratch) float64 {
	occs := sc.occs[:0]
	defer func() { sc.occs = occs[:0] }()
	want := 0
	for j, h := range hits {
		if len(h) > 0 {
			want++
		}
		for _, p := range h {
			occs = append(occs, occ{p, j})
		}
	}
	slices.SortFunc(occs, func(a, b occ) int { return a.pos - b.pos })
	count := sc.count
	clear(count)
	covered, best, lo := 0, ntok+1, 0
	for _, o := range occs {
		if count[o.term] == 0 {
			covered++
		}
		count[o.term]++
		for covered == want {
			if span := o.pos - occs[lo].pos + 1; span < best {
				best = span
			}
			count[occs[lo].term]--
			if count[occs[lo].term] == 0 {
				covered--
			}
			lo++
		}
	}
	if best > ntok {
		return 0
	}
	return float64(want) / float64(best)
}

// order is the share of pairs of question words, among those a span holds,
// that stand in the question's order.
func order(hits [][]int) float64 {
	var firsts []int
	for _, h := range hits {
		if len(h) > 0 {
			firsts = append(firsts, h[0])
		}
	}
	pairs, same := 0, 0
	for i := range firsts {
		for j := i + 1; j < len(firsts); j++ {
			pairs++
			if firsts[i] < firsts[j] {
				same++
			}
		}
	}
	if pairs == 0 {
		return 0
	}
	return float64(same) / float64(pairs)
}

func adjacent(a, b []int) bool {
	for _, i := range a {
		for _, j := range b {
			if j == i+1 {
				return true
			}
		}
	}
	return false
}

// evidence is how strongly a sentence answers the question, from 0 to 1.
// It is the share of the question's weight the span holds, words weighed by
// their rarity in the whole corpus and a misspelt word's by wCorrected: a
// question whose rare words the corpus lacks, or holds only far apart, or
// only through spelling corrections, is not answered.
func (c candidate) evidence() float64 {
	return c.global
}

// matches reports whether analysed term t is a form of a question word, or
// of a synonym of one: the words marked in answers and excerpts.
func (pq question) matches(term string) bool {
	for _, t := range pq.terms {
		if contains(t.forms, term) {
			return true
		}
	}
	return contains(pq.synonyms, term)
}
