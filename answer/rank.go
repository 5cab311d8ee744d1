package answer

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/storybot/storybot/answer/vectors"
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
	cues index.Cues
	// vecs are the word-vector rows of its words that are not stop words,
	// when the ranker weighs word vectors at all.
	vecs []int32
	// stops are the stop words it holds, a bit each (see stopBit).
	stops uint64
}

// stopBit is the bit of each of stopWords in sentenceTerms.stops.
var stopBit = func() map[string]uint64 {
	words := slices.Sorted(maps.Keys(stopWords))
	if len(words) > 64 {
		panic("answer: more stop words than bits in sentenceTerms.stops")
	}
	out := make(map[string]uint64, len(words))
	for i, w := range words {
		out[w] = 1 << i
	}
	return out
}()

// stopShapes has, for each lower-case ASCII letter, bit n set when a stop
// word of n bytes begins with it: most of a sentence's words are told
// apart from the stop words by it, without looking them up.
var stopShapes = func() (out [26]uint64) {
	for w := range stopWords {
		if w[0] < 'a' || w[0] > 'z' || len(w) >= 64 {
			panic("answer: a stop word stopShapes cannot tell: " + w)
		}
		out[w[0]-'a'] |= 1 << len(w)
	}
	return out
}()

// stopBitOf is stopBit[w], looked up only for a word shaped like a stop
// word.
func stopBitOf(w string) uint64 {
	if len(w) == 0 || len(w) >= 64 || w[0] < 'a' || w[0] > 'z' || stopShapes[w[0]-'a']&(1<<len(w)) == 0 {
		return 0
	}
	return stopBit[w]
}

// analyse returns the sentences of passage p, their terms, words and cues
// read from the analyses stored with the index, kept for a while in a
// bounded cache.
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
	for i := range p.Sentences {
		ws := sentenceWords(stored[i].Words)
		out[i] = sentenceTerms{tokens: stored[i].Tokens, words: ws, cues: stored[i].Cues}
		for _, w := range ws {
			out[i].stops |= stopBitOf(w)
		}
		if e.weights[FeatVector] != 0 {
			out[i].vecs = vectorRows(ws)
		}
	}
	e.analysed.put(p.ID, out)
	return out, nil
}

// sentenceWords are a sentence's distinct words, lower-cased, sorted (see
// index.SentenceWords).
type sentenceWords []string

func wordsOf(s string) sentenceWords { return index.SentenceWords(s) }

// vectorRows are the word-vector rows of the words of ws that say
// something on their own.
func vectorRows(ws sentenceWords) []int32 {
	var out []int32
	for _, w := range ws {
		if len(w) < minVectorWord || stopWords[w] || pronouns[w] {
			continue
		}
		if id, ok := vectors.ID(w); ok {
			out = append(out, id)
		}
	}
	return out
}

// minVectorWord is the length, in bytes, below which a sentence's word is
// not compared with the question's by word vectors ("a", "of", "to").
const minVectorWord = 3

// has reports whether the sentence holds word w.
func (ws sentenceWords) has(w string) bool {
	_, ok := slices.BinarySearch(ws, w)
	return ok
}

// cachedPassages is how many passages' analysed sentences a generation of
// the engine's cache holds: the cache keeps between one and two
// generations, the passages most recently ranked, a few megabytes at most.
const cachedPassages = 1024

// passageCache keeps recently analysed passages.
type passageCache = cache[[]sentenceTerms]

// termForm is an analysed term that counts as question term term, through
// channel ch; for a word of a synonym of many words, only where the
// sentence holds all the words of synonym member (see questionIDs.members),
// of which it is word bit.
type termForm struct {
	id     index.TermID
	term   int
	ch     channel
	member int
	bit    uint64
}

// questionIDs are the IDs of the terms that count as the question's terms.
type questionIDs struct {
	// forms are, term by term, the IDs of the forms of the term that count
	// as the word itself: its own forms and its synonyms in the corpus's
	// synonyms file.
	forms [][]index.TermID
	// all are every term that counts as a question term, with how, sorted
	// by ID.
	all []termForm
	// mask has bit id%maskBits set for the ID of each of all: most of a
	// sentence's terms are none of the question's, and are told so at once.
	mask termMask
	// members are the synonyms of many words: for each, the bits of all its
	// words.
	members []uint64
}

// maskBits is how many bits a termMask has: a question with its forms,
// synonyms and related words counts a few hundred terms, which leave most
// of the bits clear.
const maskBits = 4096

// termMask is a set of term IDs that may err only by holding too many: the
// ID's bit modulo maskBits.
type termMask [maskBits / 64]uint64

func (m *termMask) set(id index.TermID) { m[id/64%(maskBits/64)] |= 1 << (id % 64) }

func (m *termMask) has(id index.TermID) bool {
	return m[id/64%(maskBits/64)]&(1<<(id%64)) != 0
}

// noMember is termForm.member for a form that counts on its own.
const noMember = -1

// maxMemberWords bounds the words of a synonym of many words that must all
// stand in a sentence (longer ones count by their first words).
const maxMemberWords = 64

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

// questionIDs looks up the IDs of every term that counts as one of the
// question's.
func (e *Engine) questionIDs(pq question) questionIDs {
	q := questionIDs{forms: make([][]index.TermID, len(pq.terms))}
	// from is where the forms of the term being added start in q.all:
	// those of the terms before it are never the same.
	from := 0
	add := func(j int, term string, ch channel, member int, bit uint64) bool {
		id, ok := e.ix.TermID(term)
		if !ok {
			return false
		}
		for i, f := range q.all[from:] {
			if f.id == id && f.term == j && f.member == member {
				q.all[from+i].ch = min(f.ch, ch)
				return true
			}
		}
		q.all = append(q.all, termForm{id, j, ch, member, bit})
		q.mask.set(id)
		if ch.lexical() && member == noMember && !slices.Contains(q.forms[j], id) {
			q.forms[j] = append(q.forms[j], id)
		}
		return true
	}
	for j, t := range pq.terms {
		from = len(q.all)
		for k, f := range t.forms {
			ch := chForm
			if k == 0 {
				ch = chExact
			}
			add(j, f, ch, noMember, 0)
		}
		for _, m := range t.synonyms {
			if len(m) == 1 {
				add(j, m[0], chSynonym, noMember, 0)
				continue
			}
			// A member whose words the corpus does not all use is never
			// held.
			n := len(q.all)
			id, all := len(q.members), uint64(0)
			for k, f := range m[:min(len(m), maxMemberWords)] {
				if !add(j, f, chSynonym, id, 1<<k) {
					all = 0
					break
				}
				all |= 1 << k
			}
			if all == 0 {
				q.all = q.all[:n]
				continue
			}
			q.members = append(q.members, all)
		}
		for _, r := range t.related {
			add(j, r.term, r.ch, noMember, 0)
		}
	}
	slices.SortStableFunc(q.all, func(a, b termForm) int { return cmp.Compare(a.id, b.id) })
	return q
}

// idsOf returns the IDs of the terms that count as question pq's, as
// prepare looked them up.
func (e *Engine) idsOf(pq question) *questionIDs {
	if pq.ids == nil {
		ids := e.questionIDs(pq)
		pq.ids = &ids
	}
	return pq.ids
}

// lookup returns the question terms that term id counts as.
func (q *questionIDs) lookup(id index.TermID) []termForm {
	if !q.mask.has(id) {
		return nil
	}
	i, found := slices.BinarySearchFunc(q.all, id, func(f termForm, id index.TermID) int { return cmp.Compare(f.id, id) })
	if !found {
		return nil
	}
	j := i
	for j < len(q.all) && q.all[j].id == id {
		j++
	}
	return q.all[i:j]
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

// candidate is a ranked span of sentences.
type candidate struct {
	passage *corpus.Passage
	// first and last are the span's sentences.
	first, last int
	score       float64
	// cover is the share of the question's weight the span holds through
	// the question's own words (see channel.lexical).
	cover float64
	// global is the share the span holds so, with words weighed by their
	// rarity in the whole corpus.
	global float64
	// features are what the score weighs.
	features Features
}

// Limits of the ranker that are not weights.
const (
	// localShare is the share of the document-local rarity in a question
	// term's weight, against its rarity in the whole corpus.
	localShare = 0.5
	// maxSpan is how many sentences a span holds at most.
	maxSpan = 3
	// echoCover is the share of the question a sentence must hold to be
	// taken as restating it.
	echoCover = 0.8
	// vectorFloor is the similarity of word vectors below which two words
	// are not taken as close in meaning; above it, closeness counts from 0
	// at the floor to 1 for the same vector.
	vectorFloor = 0.5
	// retrievalGrain is what FeatRetrieval is rounded to: the index's
	// scores differ in their last bits from one build of an index to
	// another (its segments merge in their own time), and rounded they do
	// not, so that fitting the weights again gives the same weights.
	retrievalGrain = 1e-9
)

// termWeights are the weights of a question's terms in one document.
type termWeights struct {
	weights         []float64
	total, docPrior float64
}

// rank scores every span of sentences of the retrieved passages and returns
// the best span of each passage, best first.
func (e *Engine) rank(ctx context.Context, pq question, hits []index.Hit) ([]candidate, error) {
	return e.rankSpans(ctx, pq, hits, nil)
}

// rankSpans is rank; each, when not nil, is also given every span scored.
func (e *Engine) rankSpans(ctx context.Context, pq question, hits []index.Hit, each func(candidate)) ([]candidate, error) {
	if len(hits) == 0 || len(pq.terms) == 0 {
		return nil, nil
	}
	w := e.weights
	top := hits[0].Score
	qids := e.idsOf(pq)
	// Passages of one document share its counts, and so the weights of
	// the question's terms.
	stats := map[*corpus.Document]*termWeights{}
	sc := e.scratch.get(len(pq.terms))
	defer e.scratch.put(sc)
	// The weight fitted for word vectors may be none: then they are not
	// compared at all.
	sc.vectors = e.weights[FeatVector] != 0
	out := make([]candidate, 0, len(hits))
	// bestCover is the best lexical cover of any span of each passage.
	bestCover := make(map[string]float64, len(hits))
	var all []candidate
	for _, h := range hits {
		p := e.c.Passage(h.ID)
		if p == nil {
			continue
		}
		tw, ok := stats[p.Doc]
		if !ok {
			ds, err := e.docStats(ctx, p.Doc, qids.forms)
			if err != nil {
				return nil, err
			}
			tw = &termWeights{weights: make([]float64, len(pq.terms))}
			inDoc, gtotal := 0.0, 0.0
			for i, t := range pq.terms {
				tw.weights[i] = math.Pow(t.idf, 1-localShare) * math.Pow(ds.idf(i), localShare)
				tw.total += tw.weights[i]
				gtotal += t.idf
				if ds.has(i) {
					inDoc += t.idf
				}
			}
			tw.docPrior = inDoc / gtotal
			stats[p.Doc] = tw
		}
		sents, err := e.analyse(ctx, p)
		if err != nil {
			return nil, err
		}
		sc.passage(qids, pq, sents)
		best := candidate{}
		retrieval := 0.0
		if top > 0 {
			retrieval = math.Round(h.Score/top/retrievalGrain) * retrievalGrain
		}
		for i := range sents {
			for j := i; j < len(sents) && j <= i+maxSpan-1; j++ {
				if j > i && p.Sentences[j].End-p.Sentences[i].Start > MaxAnswerLen {
					break
				}
				c := scoreSpan(pq, tw, sents, i, j, sc)
				c.passage = p
				c.features[FeatDocPrior] = tw.docPrior
				c.features[FeatRetrieval] = retrieval
				c.score = w.Score(&c.features)
				bestCover[p.ID] = max(bestCover[p.ID], c.cover)
				if each != nil {
					all = append(all, c)
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
	for i := range out {
		out[i].features[FeatNeighbour] = e.neighbourCover(out[i].passage, bestCover)
		out[i].score = w.Score(&out[i].features)
	}
	for _, c := range all {
		c.features[FeatNeighbour] = e.neighbourCover(c.passage, bestCover)
		c.score = w.Score(&c.features)
		each(c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out, nil
}

// neighbourCover is FeatNeighbour for the spans of passage p: the best
// lexical cover of the passages before and after it, of those retrieved.
func (e *Engine) neighbourCover(p *corpus.Passage, bestCover map[string]float64) float64 {
	prev, next := e.c.Neighbours(p)
	nb := 0.0
	if prev != nil {
		nb = max(nb, bestCover[prev.ID])
	}
	if next != nil {
		nb = max(nb, bestCover[next.ID])
	}
	return nb
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

// scoreSpan measures the sentences first to last of a passage as an
// answer, with the question's terms weighed by tw; sc holds the matches of
// the passage's sentences. The passage's own features (retrieval, document,
// neighbours) are left to the caller.
func scoreSpan(pq question, tw *termWeights, sents []sentenceTerms, first, last int, sc *spanScratch) candidate {
	nt := len(pq.terms)
	hits := sc.hits
	for j := range hits {
		hits[j] = hits[j][:0]
	}
	ntok, occurrences := 0, 0
	best := sc.best
	for j := range best {
		best[j] = chNone
	}
	for i := first; i <= last; i++ {
		for _, o := range sc.occs[i] {
			hits[o.term] = append(hits[o.term], ntok+o.pos)
			occurrences++
		}
		for j := range nt {
			best[j] = min(best[j], sc.chans[i*nt+j])
		}
		ntok += len(sents[i].tokens)
	}
	var f Features
	total := tw.total
	weights := tw.weights
	var lexical, held, context, gmatched, gtotal float64
	distinct, lexicalTerms := 0, 0
	for j, t := range pq.terms {
		gtotal += t.idf
		if ch := best[j]; ch != chNone {
			f[ch.feature()] += weights[j] / total
			held += weights[j]
			distinct++
			if ch.lexical() {
				lexicalTerms++
				lexical += weights[j]
				gmatched += t.idf * t.trust
			}
			continue
		}
		if sc.inContext(j, first, last) {
			context += weights[j]
		}
	}
	// Word vectors are compared only for a span that holds some of the
	// question otherwise, for the terms it lacks: the comparison is the
	// ranker's dearest.
	if distinct > 0 && sc.vectors {
		for j, t := range pq.terms {
			if best[j] == chNone && t.vec >= 0 {
				f[FeatVector] += weights[j] / total * sc.closeness(sents, first, last, j, t.vec)
			}
		}
	}
	c := candidate{first: first, last: last, cover: lexical / total, global: gmatched / gtotal}
	f[FeatContext] = context / total
	if lexicalTerms >= 2 {
		f[FeatProximity] = c.cover * proximity(hits, ntok, sc)
		f[FeatOrder] = c.cover * order(hits)
	}
	for _, b := range pq.bigrams {
		if adjacent(hits[b[0]], hits[b[1]]) {
			f[FeatBigram] += (weights[b[0]] + weights[b[1]]) / total
		}
	}
	for w := range pq.stops {
		for i := first; i <= last; i++ {
			if sc.stops[i*len(pq.stops)+w] {
				f[FeatStop]++
				break
			}
		}
	}
	if ntok-occurrences <= 0 {
		f[FeatEcho] = 1
	}
	if held > 0 && pq.kind.kind != kindAny {
		for i := first; i <= last; i++ {
			if sc.holdsKind(pq, sents, i) {
				f[FeatKind] = 1
				break
			}
		}
	}
	f[FeatLength] = math.Log(1 + float64(ntok))
	f[FeatSpan] = float64(last - first)
	f[FeatPosition] = float64(first) / float64(len(sents))
	c.features = f
	return c
}

// spanScratch is what scoreSpan reuses from one span to the next: where
// each question term stands in each sentence of the passage, and through
// what.
type spanScratch struct {
	hits [][]int
	// vectors tells whether spans are scored by word vectors at all.
	vectors bool
	// occs are, sentence by sentence, the question terms standing in it.
	occs [][]occ
	// chans[k*terms+j] is the closest channel through which sentence k
	// holds term j.
	chans []channel
	// best is, term by term, the closest channel of the span.
	best []channel
	// near[k*terms+j] is how close in meaning sentence k's nearest word is
	// to term j, or -1 when not yet known.
	near []float32
	// seen are, for each synonym of many words, the bits of the words
	// the sentence holds.
	seen []uint64
	// stops[k*len(question.stops)+w] tells whether sentence k holds the
	// question's stop word w.
	stops []bool
	// stopBits are the bits of the question's stop words (see stopBit).
	stopBits []uint64
	// kinds tells, sentence by sentence, whether it holds the kind of
	// thing the question asks for, once known (see holdsKind).
	kinds []kindHeld
	// context counts, term by term, the sentences of the passage that hold
	// it through the question's words or the corpus's synonyms.
	context []int
	// pairs and count serve proximity.
	pairs []occ
	count []int
}

// inContext reports whether a sentence of the passage outside the span of
// sentences first to last holds term j through the question's words or the
// corpus's synonyms.
func (sc *spanScratch) inContext(j, first, last int) bool {
	nt := len(sc.best)
	n := sc.context[j]
	for k := first; k <= last && n > 0; k++ {
		if sc.chans[k*nt+j] <= chSynonym {
			n--
		}
	}
	return n > 0
}

// kindHeld is whether a sentence holds the kind of thing a question asks
// for: not yet known, or known.
type kindHeld uint8

const (
	kindUnknown kindHeld = iota
	kindNotHeld
	kindIsHeld
)

// holdsKind reports whether sentence k of the passage holds the kind of
// thing question pq asks for, found once per passage, when a span first
// asks.
func (sc *spanScratch) holdsKind(pq question, sents []sentenceTerms, k int) bool {
	if sc.kinds[k] == kindUnknown {
		sc.kinds[k] = kindNotHeld
		if pq.kind.matches(sents[k].words, sents[k].cues) {
			sc.kinds[k] = kindIsHeld
		}
	}
	return sc.kinds[k] == kindIsHeld
}

// sentences makes ready, for the passage with sentences sents, what
// scoreSpan asks of each sentence beside its terms: the question's stop
// words it holds, whether it holds the kind of thing asked for (found when
// first asked, see holdsKind), and how many sentences hold each term
// closely (see inContext).
func (sc *spanScratch) sentences(pq question, sents []sentenceTerms) {
	nt, ns := len(pq.terms), len(pq.stops)
	sc.stops = slices.Grow(sc.stops[:0], len(sents)*ns)[:len(sents)*ns]
	sc.kinds = slices.Grow(sc.kinds[:0], len(sents))[:len(sents)]
	clear(sc.kinds)
	sc.context = slices.Grow(sc.context[:0], nt)[:nt]
	clear(sc.context)
	sc.stopBits = sc.stopBits[:0]
	for _, stop := range pq.stops {
		sc.stopBits = append(sc.stopBits, stopBit[stop])
	}
	for k, s := range sents {
		for w, bit := range sc.stopBits {
			sc.stops[k*ns+w] = s.stops&bit != 0
		}
		for j := range nt {
			if sc.chans[k*nt+j] <= chSynonym {
				sc.context[j]++
			}
		}
	}
}

func newSpanScratch(terms int) *spanScratch {
	return &spanScratch{hits: make([][]int, terms), count: make([]int, terms), best: make([]channel, terms)}
}

// scratchPool keeps spanScratches between questions, so that ranking a
// question allocates little beyond its answer.
type scratchPool struct{ p sync.Pool }

// get returns a spanScratch for a question of terms terms.
func (sp *scratchPool) get(terms int) *spanScratch {
	sc, ok := sp.p.Get().(*spanScratch)
	if !ok {
		return newSpanScratch(terms)
	}
	for len(sc.hits) < terms {
		sc.hits = append(sc.hits, nil)
	}
	sc.hits = sc.hits[:terms]
	sc.count = slices.Grow(sc.count[:0], terms)[:terms]
	sc.best = slices.Grow(sc.best[:0], terms)[:terms]
	sc.vectors = false
	return sc
}

func (sp *scratchPool) put(sc *spanScratch) { sp.p.Put(sc) }

// occ is a question term standing at a position of a span.
type occ struct{ pos, term int }

// passage makes sc ready for the spans of a passage with sentences sents:
// it finds the question's terms in every sentence, once.
func (sc *spanScratch) passage(q *questionIDs, pq question, sents []sentenceTerms) {
	nt := len(pq.terms)
	n := len(sents) * nt
	sc.chans = slices.Grow(sc.chans[:0], n)[:n]
	sc.near = slices.Grow(sc.near[:0], n)[:n]
	for i := range sc.chans {
		sc.chans[i] = chNone
		sc.near[i] = -1
	}
	for len(sc.occs) < len(sents) {
		sc.occs = append(sc.occs, nil)
	}
	sc.seen = slices.Grow(sc.seen[:0], len(q.members))[:len(q.members)]
	for k, s := range sents {
		sc.occs[k] = sc.occs[k][:0]
		clear(sc.seen)
		partial := false
		for p, t := range s.tokens {
			for _, f := range q.lookup(t.Term) {
				if f.member != noMember {
					sc.seen[f.member] |= f.bit
					partial = true
					continue
				}
				if f.ch.lexical() {
					sc.occs[k] = append(sc.occs[k], occ{p, f.term})
				}
				if i := k*nt + f.term; f.ch < sc.chans[i] {
					sc.chans[i] = f.ch
				}
			}
		}
		if !partial {
			continue
		}
		// The words of a synonym of many words count where the sentence
		// holds them all.
		for p, t := range s.tokens {
			for _, f := range q.lookup(t.Term) {
				if f.member == noMember || sc.seen[f.member] != q.members[f.member] {
					continue
				}
				sc.occs[k] = append(sc.occs[k], occ{p, f.term})
				if i := k*nt + f.term; f.ch < sc.chans[i] {
					sc.chans[i] = f.ch
				}
			}
		}
	}
	sc.sentences(pq, sents)
}

// closeness is, for the span of sentences first to last, how close in
// meaning its nearest word is to question term j, whose word vector is row
// vec: 0 at vectorFloor or below, 1 for the same vector.
func (sc *spanScratch) closeness(sents []sentenceTerms, first, last, j int, vec int32) float64 {
	nt := len(sc.best)
	best := float32(0)
	for k := first; k <= last; k++ {
		near := &sc.near[k*nt+j]
		if *near < 0 {
			*near = 0
			for _, v := range sents[k].vecs {
				if s := vectors.SimilarityOf(vec, v); s > *near {
					*near = s
				}
			}
		}
		best = max(best, *near)
	}
	if best <= vectorFloor {
		return 0
	}
	return float64(best-vectorFloor) / (1 - vectorFloor)
}

// proximity is 1 when the question's words that a sentence holds stand side
// by side, falling towards 0 as they spread out: the number of distinct
// words over the length of the smallest window holding them all.
//
// The smallest window is the same whichever order occurrences at one
// position are sorted in, so an unstable sort does.
func proximity(hits [][]int, ntok int, sc *spanScratch) float64 {
	occs := sc.pairs[:0]
	defer func() { sc.pairs = occs[:0] }()
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
	// Terms that one word stands for (a name in many words, a synonym in
	// one) stand as close as can be.
	return min(1, float64(want)/float64(best))
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
// It is the share of the question's weight the span holds through the
// question's own words, their other forms and the corpus's synonyms, words
// weighed by their rarity in the whole corpus and a misspelt word's by
// wCorrected: a
// question whose rare words the corpus lacks, or holds only far apart, or
// only through spelling corrections, is not answered.
func (c candidate) evidence() float64 {
	return c.global
}
