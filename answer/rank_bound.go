package answer

import "math"

// The ranker scores the spans of a passage only when its best span may
// rank where its result is read (see rankNeed): before any span is scored,
// each passage gets an upper bound of its best span's score, from what is
// known of it without scoring a span (its retrieval, its document, its
// neighbours' cover, the closest match of each question term in any of its
// sentences) and the range each feature may take for its spans, times the
// sign of the feature's weight. The bound is exact (never below the score
// of any of the passage's spans) for any weights, so long as every feature
// declares its range truly in featureRanges.
//
// A bound of each span of a passage scored, as well, was tried: each term's
// share at the weight of the channel through which the span itself holds
// it, the span's own cover, length and stop words, a span left unscored
// when its bound fell below the passage's best so far or below what the
// last passage read already scored. It halved the time spent scoring spans
// (0.26 to 0.12 s of 12,000 answers' CPU) but that was under 3% of an
// answer, and with its bounds the saving was 0.06 s; with a query carrying
// its terms' IDs to the index as well, the engine against plain bleve went
// (6 runs alternated with the engine without them, benchstat) story 1.63
// to 1.70 (p=0.004), xquad 2.73 to 2.71, fairy tales 1.97 to 2.01, 1M words
// 2.61 to 2.50 (each not significant), together with the stored sentences
// read in two parts (see analysisFile). The time is in finding a passage's
// matches, not in scoring its spans. What is kept of it is cheaper: within
// a passage scored, a span's proximity, order, bigrams and kind are
// measured only when their most may lift it above the passage's best span
// so far (see scoreSpan), which spares them for 58% of the spans scored of
// xquad's questions, 55% of the fairy tales'.

// rangeKind is how a feature's range for the spans of a passage is known.
type rangeKind uint8

const (
	// rangeUnset: the feature declares no range; no passage is then
	// skipped.
	rangeUnset rangeKind = iota
	// rangeHeld: a share of the question's weight, each term weighed as in
	// termWeights, that the span holds through one kind of match: a term
	// the span holds counts in one rangeHeld feature at most.
	rangeHeld
	// rangeUnheld: a share of the question's weight, each term weighed as
	// in termWeights times a factor from 0 to 1, that the span lacks: a
	// term the span lacks counts in any of the rangeUnheld features, and
	// in none of the rangeHeld ones.
	rangeUnheld
	// rangeSpan: a value that lies, for every span of the passage, between
	// the least and the most that span gives.
	rangeSpan
)

// featureRange is the range a feature takes over the spans of one passage.
type featureRange struct {
	kind rangeKind
	// For a share (rangeHeld, rangeUnheld): question term j may count in
	// the feature for a span of the passage only where some sentence of
	// the passage holds it through channel ch or a closer one, or, with
	// vector set, where the term has a word vector and spans are compared
	// by them.
	ch     channel
	vector bool
	// For rangeSpan: the feature lies between the facts lo and hi of the
	// passage.
	lo, hi fact
}

// fact is one figure known of a passage before its spans are scored.
type fact uint8

const (
	factZero fact = iota
	factOne
	// factCover is the best lexical cover (candidate.cover) of its spans.
	factCover
	// factBigrams is the weight, over the question's, of its pairs of
	// neighbouring terms that the passage holds both of lexically.
	factBigrams
	// factStops is how many of the question's stop words it holds.
	factStops
	// factKind is 1 when the question asks for a kind of thing and the
	// passage holds some of the question, else 0.
	factKind
	// factRetrieval, factDocPrior, factDocFocus, factNeighbour and
	// factFollows are the passage's own features, the same for all its
	// spans.
	factRetrieval
	factDocPrior
	factDocFocus
	factNeighbour
	factFollows
	// factMinLength and factMaxLength are the least and most FeatLength
	// of its spans.
	factMinLength
	factMaxLength
	// factWidest is the most sentences beyond the first a span of it
	// holds.
	factWidest
	// factLastStart is FeatPosition of a span starting at its last
	// sentence.
	factLastStart
	// factRarest is FeatRarest of a span holding the rarest term the
	// passage holds lexically.
	factRarest
	// factCarried is the share of the question's weight held lexically
	// by the sentences (and the passage before) that its sentences
	// leaning on a pronoun follow: the most FeatCarried of a span of it.
	factCarried
	numFacts
)

// passageFacts are what is known of a passage's spans before they are
// scored.
type passageFacts struct {
	// best is, term by term, the closest channel through which any
	// sentence of the passage holds the term.
	best []channel
	// facts are the passage's figures.
	facts [numFacts]float64
	// rarest is the term FeatRarest asks of the passage's spans, or -1
	// (see rarestHeld).
	rarest int
}

// featureRanges are the ranges of the features over a passage's spans,
// as scoreSpan and rankSpans make them. A new feature must declare its own:
// until it does, no passage is skipped.
var featureRanges = func() (out [NumFeatures]featureRange) {
	for ch := chExact; ch < chNone; ch++ {
		out[ch.feature()] = featureRange{kind: rangeHeld, ch: ch}
	}
	out[FeatVector] = featureRange{kind: rangeUnheld, vector: true}
	out[FeatContext] = featureRange{kind: rangeUnheld, ch: chSynonym}
	span := func(lo, hi fact) featureRange { return featureRange{kind: rangeSpan, lo: lo, hi: hi} }
	out[FeatProximity] = span(factZero, factCover)
	out[FeatOrder] = span(factZero, factCover)
	out[FeatBigram] = span(factZero, factBigrams)
	out[FeatStop] = span(factZero, factStops)
	out[FeatKind] = span(factZero, factKind)
	out[FeatRetrieval] = span(factRetrieval, factRetrieval)
	out[FeatDocPrior] = span(factDocPrior, factDocPrior)
	out[FeatDocFocus] = span(factDocFocus, factDocFocus)
	out[FeatNeighbour] = span(factNeighbour, factNeighbour)
	out[FeatFollows] = span(factFollows, factFollows)
	out[FeatLength] = span(factMinLength, factMaxLength)
	out[FeatSpan] = span(factZero, factWidest)
	out[FeatPosition] = span(factZero, factLastStart)
	out[FeatEcho] = span(factZero, factOne)
	out[FeatKindSentence] = span(factZero, factKind)
	out[FeatBareFirst] = span(factZero, factOne)
	out[FeatRarest] = span(factZero, factRarest)
	out[FeatCarried] = span(factZero, factCarried)
	return out
}()

// boundTable is what bound needs of the weights and the feature ranges,
// made once per question.
type boundTable struct {
	// unset is set when a feature declares no range.
	unset bool
	// spans are the weights of the rangeSpan features and their facts,
	// nspans of them.
	spans  [NumFeatures]spanRange
	nspans int
	// held[c] is the most a term may add, over its share, when the
	// passage holds it through channel c (chNone: not at all) and a span
	// holds it; unheld[c] when a span lacks it, vector the more for a term
	// with a word vector.
	held, unheld [chNone + 1]float64
	vector       float64
}

// spanRange is a rangeSpan feature's weight and facts.
type spanRange struct {
	w      float64
	lo, hi fact
}

// newBoundTable makes the bound table of weights w and ranges rs, for
// spans compared by word vectors or not.
func newBoundTable(w *Weights, rs *[NumFeatures]featureRange, vectors bool) boundTable {
	var bt boundTable
	for f := range rs {
		r := &rs[f]
		switch r.kind {
		case rangeUnset:
			bt.unset = true
		case rangeSpan:
			bt.spans[bt.nspans] = spanRange{w[f], r.lo, r.hi}
			bt.nspans++
		case rangeHeld:
			// A term counts in one held feature at most.
			for c := chExact; c <= r.ch; c++ {
				bt.held[c] = max(bt.held[c], w[f])
			}
		case rangeUnheld:
			// A term a span lacks counts in any of the unheld ones.
			switch {
			case r.vector && vectors:
				bt.vector += max(0, w[f])
			case !r.vector:
				for c := chExact; c <= r.ch; c++ {
					bt.unheld[c] += max(0, w[f])
				}
			}
		}
	}
	return bt
}

// boundSlack is added to every bound: a score and its bound sum the same
// terms in other orders, and may differ in their last bits.
const boundSlack = 1e-9

// bound is the most any span of the passage described by pf may score
// for question pq, whose terms weigh tw in the passage's document, by the
// bound table bt: +Inf when a feature declares no range.
func bound(bt *boundTable, pf *passageFacts, pq *question, tw *termWeights) float64 {
	if bt.unset {
		return math.Inf(1)
	}
	b := 0.0
	for _, r := range bt.spans[:bt.nspans] {
		b += max(r.w*pf.facts[r.lo], r.w*pf.facts[r.hi])
	}
	// Each term counts in one held feature at most, or, lacked, in any of
	// the unheld ones: at most the better of the two, times its share.
	for j := range pq.terms {
		c := pf.best[j]
		unheld := bt.unheld[c]
		if pq.terms[j].vec >= 0 {
			unheld += bt.vector
		}
		b += tw.weights[j] / tw.total * max(0, bt.held[c], unheld)
	}
	return b + boundSlack
}

// featureRanges are the ranges the engine bounds spans by.
func (e *Engine) featureRanges() *[NumFeatures]featureRange {
	if e.ranges != nil {
		return e.ranges
	}
	return &featureRanges
}
