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
	// factRetrieval, factDocPrior and factNeighbour are the passage's own
	// features, the same for all its spans.
	factRetrieval
	factDocPrior
	factNeighbour
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
	out[FeatNeighbour] = span(factNeighbour, factNeighbour)
	out[FeatLength] = span(factMinLength, factMaxLength)
	out[FeatSpan] = span(factZero, factWidest)
	out[FeatPosition] = span(factZero, factLastStart)
	out[FeatEcho] = span(factZero, factOne)
	return out
}()

// boundSlack is added to every bound: a score and its bound sum the same
// terms in other orders, and may differ in their last bits.
const boundSlack = 1e-9

// bound is the most any span of the passage described by pf may score
// for question pq, whose terms weigh tw in the passage's document, with
// weights w and the feature ranges rs: +Inf when a feature declares no
// range.
func bound(w *Weights, rs *[NumFeatures]featureRange, pf *passageFacts, pq *question, tw *termWeights, vectors bool) float64 {
	b := 0.0
	for f := range rs {
		r := &rs[f]
		switch r.kind {
		case rangeUnset:
			return math.Inf(1)
		case rangeSpan:
			b += max(w[f]*pf.facts[r.lo], w[f]*pf.facts[r.hi])
		}
	}
	// Each term counts in one held feature at most, or, lacked, in any of
	// the unheld ones: at most the better of the two, times its share.
	for j := range pq.terms {
		held, unheld := 0.0, 0.0
		for f := range rs {
			r := &rs[f]
			switch {
			case r.kind != rangeHeld && r.kind != rangeUnheld:
				continue
			case r.vector && !(vectors && pq.terms[j].vec >= 0):
				continue
			case !r.vector && pf.best[j] > r.ch:
				continue
			}
			if r.kind == rangeHeld {
				held = max(held, w[f])
			} else {
				unheld += max(0, w[f])
			}
		}
		b += tw.weights[j] / tw.total * max(held, unheld)
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
