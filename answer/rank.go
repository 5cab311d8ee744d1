package answer

import (
	"math"
	"sort"
	"strings"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// sentenceTerms is one analysed sentence of a passage.
type sentenceTerms struct {
	tokens []index.Token
	// at maps each term to its token indexes.
	at map[string][]int
	// words are the sentence's lower-cased words, stop words included.
	words wordSet
	// cues are what in it may answer a kind of question.
	cues cues
}

func (e *Engine) analyse(p *corpus.Passage) []sentenceTerms {
	if v, ok := e.analysed.Load(p.ID); ok {
		return v.([]sentenceTerms)
	}
	out := make([]sentenceTerms, len(p.Sentences))
	for i, s := range p.Sentences {
		st := sentenceTerms{tokens: e.ix.Analyze(s.Text), at: map[string][]int{}, words: wordSet{}, cues: cuesOf(s.Text)}
		for j, t := range st.tokens {
			st.at[t.Term] = append(st.at[t.Term], j)
		}
		eachWord(strings.ToLower(s.Text), func(w string, _, _ int) { st.words[w] = true })
		out[i] = st
	}
	e.analysed.Store(p.ID, out)
	return out
}

// docStats counts, for one document, in how many of its sentences each
// term stands: a word that every sentence of the document uses tells its
// sentences apart less than one that few use.
type docStats struct {
	sentences int
	freq      map[string]int
}

func (e *Engine) docStats(d *corpus.Document) *docStats {
	if v, ok := e.stats.Load(d.ID); ok {
		return v.(*docStats)
	}
	ds := &docStats{freq: map[string]int{}}
	for _, p := range d.Passages {
		for _, s := range e.analyse(p) {
			ds.sentences++
			for t := range s.at {
				ds.freq[t]++
			}
		}
	}
	e.stats.Store(d.ID, ds)
	return ds
}

// has reports whether the document uses term t.
func (ds *docStats) has(t qterm) bool {
	for _, form := range t.forms {
		if ds.freq[form] > 0 {
			return true
		}
	}
	return false
}

// idf is how rare term t is among the document's sentences.
func (ds *docStats) idf(t qterm) float64 {
	f := 0
	for _, form := range t.forms {
		f = max(f, ds.freq[form])
	}
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
func (e *Engine) rank(pq question, hits []index.Hit) []candidate {
	if len(hits) == 0 || len(pq.terms) == 0 {
		return nil
	}
	top := hits[0].Score
	weights := make([]float64, len(pq.terms))
	var out []candidate
	for _, h := range hits {
		p := e.c.Passage(h.ID)
		if p == nil {
			continue
		}
		ds := e.docStats(p.Doc)
		total, inDoc, gtotal := 0.0, 0.0, 0.0
		for i, t := range pq.terms {
			weights[i] = math.Pow(t.idf, 1-wLocal) * math.Pow(ds.idf(t), wLocal)
			total += weights[i]
			gtotal += t.idf
			if ds.has(t) {
				inDoc += t.idf
			}
		}
		docPrior := wDoc * inDoc / gtotal
		sents := e.analyse(p)
		best := candidate{}
		for i := range sents {
			for j := i; j < len(sents) && j <= i+maxSpan-1; j++ {
				if j > i && p.Sentences[j].End-p.Sentences[i].Start > MaxAnswerLen {
					break
				}
				c := scoreSpan(pq, weights, total, sents, i, j)
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
		by := map[string]float64{}
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
	return out
}

// positions are the token indexes of a sentence where question word t stands.
func (s sentenceTerms) positions(t qterm) []int {
	if len(t.forms) == 1 {
		return s.at[t.forms[0]]
	}
	var out []int
	for _, f := range t.forms {
		out = append(out, s.at[f]...)
	}
	return out
}

// scoreSpan scores the sentences first to last of a passage as an answer.
func scoreSpan(pq question, weights []float64, total float64, sents []sentenceTerms, first, last int) candidate {
	var matched, context float64
	hits := make([][]int, len(pq.terms))
	distinct, ntok := 0, 0
	for i := first; i <= last; i++ {
		for j, t := range pq.terms {
			for _, at := range sents[i].positions(t) {
				hits[j] = append(hits[j], ntok+at)
			}
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
		for k, o := range sents {
			if (k < first || k > last) && len(o.positions(t)) > 0 {
				context += weights[j]
				break
			}
		}
	}
	c := candidate{first: first, last: last, cover: matched / total, global: gmatched / gtotal}
	score := c.cover + wContext*context/total
	if distinct >= 2 {
		score += wProximity * c.cover * proximity(hits, ntok)
	}
	for _, b := range pq.bigrams {
		if adjacent(hits[b[0]], hits[b[1]]) {
			score += wBigram * (weights[b[0]] + weights[b[1]]) / total
		}
	}
	for _, w := range pq.stops {
		for i := first; i <= last; i++ {
			if sents[i].words[w] {
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

// proximity is 1 when the question's words that a sentence holds stand side
// by side, falling towards 0 as they spread out: the number of distinct
// words over the length of the smallest window holding them all.
func proximity(hits [][]int, ntok int) float64 {
	type occ struct{ pos, term int }
	var occs []occ
	want := 0
	for j, h := range hits {
		if len(h) > 0 {
			want++
		}
		for _, p := range h {
			occs = append(occs, occ{p, j})
		}
	}
	sort.Slice(occs, func(a, b int) bool { return occs[a].pos < occs[b].pos })
	count := make([]int, len(hits))
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
