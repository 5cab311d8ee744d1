package answer

import (
	"fmt"
	"strconv"
	"strings"
)

// Feature names one measure of how well a span of sentences answers a
// question. A span's score is the dot product of its features and the
// ranker's Weights.
type Feature int

// The features of a span. Coverage features are shares of the question's
// weight (each term weighed by its rarity, see localShare) that the span
// holds through one kind of match: a term counts once, through the closest
// kind of match the span has for it, in the order below.
//
// Features that tell a passage's spans apart by their sentences were
// measured, each set refitted, against these (xquad answering 1028 of
// 1190, fairytale-val 327 of 593, squad2-a 77 of 96): the best lexical
// cover of one sentence of the span, the best of a sentence holding the
// kind of thing asked for, and the share of the span's terms that are not
// the question's (fitted against the span) answered 8 more of xquad's, 4
// more of squad2-a's and 4 fewer of fairytale-val's, below its floor; with
// the kind of thing asked for counted only in the best sentence instead, 9
// more of xquad's and 5 fewer of fairytale-val's; with that sentence's
// cover a feature of its own for questions asking for no kind of thing,
// 9 more and 2 fewer, and one fewer of squad2-a's rejected. The cover of
// one sentence times how close together its terms stand lost a story-dev
// question each time it was fitted, and so did the one sentence's cover
// counted only in spans of many sentences (2 fewer of xquad's, 6 more of
// fairytale-val's) or as its share of the span's cover. Whether a sentence
// holds both the kind asked for and the question's rarest term added one
// right citation of xquad's and no answer. Most of what these win or lose
// are spans of one passage a few hundredths apart. Of them FeatKindSentence
// is kept, alone: it answers one more of xquad's and cites 2 more of
// fairytale-val's first; with the share of terms that are not the
// question's beside it, a story-dev question was lost.
//
// FeatBareFirst and FeatDocFocus, fitted together (L2 15), answer 3 more
// of xquad's (1032), 5 more of squad2-a's (82) and as many of
// fairytale-val's (327), and cite 2 and 4 more of fairytale-val's first and
// in the first three. A span's last sentence holding none of the question
// as well, a feature of its own, was fitted a weight of about nothing;
// counting a sentence bare only when it holds the question through no
// match at all, WordNet's included, answered 2 fewer of xquad's and of
// fairytale-val's; the share of the span's tokens in bare sentences, 2
// fewer of squad2-a's and of xquad's than a bare first and last sentence
// (each measured at L2 30). Without FeatBareFirst, FeatDocFocus answered
// one fewer of xquad's and of fairytale-val's.
//
// FeatRarest, fitted beside them (L2 15), answers 5 more of xquad's (1041)
// and cites 4 more first, and answers one more of fairytale-val's and
// cites 2 more first. Counted only when the
// span holds the term lexically, it rejected one fewer of squad2-a's
// unanswerable questions; as a flag rather than the term's share, it
// answered 3 fewer of xquad's; as the term's share of the weight the
// passage holds, 5 fewer, and one fewer of fairytale-val's. The question's
// rarest term taken in its document, absent terms included, rather than
// among those the passage holds, lost a story-dev question and 4 of the
// story's paraphrases.
//
// FeatCarried and FeatFollows, fitted beside them (L2 15), answer 2 more
// of fairytale-val's (330), cite one more first and one fewer in the first
// three, and cite one fewer of xquad's first. Counted for every span, not
// only those leaning on a pronoun, FeatCarried cited 3 fewer of
// fairytale-val's in the first three and answered one fewer of squad2-a's
// and of the story's paraphrases; for a pronoun opening the sentence only,
// with the last sentence of the passage before read even when it was not
// retrieved, it cited one more, but reading those passages made answers
// much slower (xquad from 2.1 to 3.1 times plain bleve). FeatFollows for
// every question answered 2 fewer of xquad's. Ranking the passages before
// and after the first three retrieved as well, scored 0 by the search,
// answered one fewer of fairytale-val's and rejected 3 fewer of squad2-a's
// unanswerable questions; the passage after only, for a question asking
// what came after, answered one more.
const (
	// FeatExact: terms the span holds as the question writes them (or
	// another inflection the analyser folds into the same stem: plurals),
	// or, for a misspelt word, as its spelling correction: the word the
	// asker meant. Counted through FeatForm, whose weight the training
	// set's irregular forms fit, corrections answered one fewer of xquad's
	// and cited one fewer first.
	FeatExact Feature = iota
	// FeatForm: terms the span holds through another form: an irregular
	// verb's or noun's other forms ("sent" for "send"), or a number's
	// figure ("5" for "five") and the other way round.
	FeatForm
	// FeatSynonym: terms the span holds through the corpus's own synonyms
	// (synonyms.csv).
	FeatSynonym
	// FeatWordNetSynonym, FeatDerivation, FeatPertainym, FeatHolonym and
	// FeatHypernym: terms the span holds through a word WordNet relates to
	// them in that way (help/assist, rule/ruler, French/France,
	// Paris/France, newspaper/publication).
	FeatWordNetSynonym
	FeatDerivation
	FeatPertainym
	FeatHolonym
	FeatHypernym
	// FeatVector: terms the span holds through none of the above, weighed
	// by how close in meaning (word vectors) the span's nearest word is.
	FeatVector
	// FeatContext: terms the span lacks that another sentence of its
	// passage holds.
	FeatContext
	// FeatProximity: the span's lexical coverage times how close together
	// the terms it holds stand (1 when side by side).
	FeatProximity
	// FeatOrder: the span's lexical coverage times the share of pairs of
	// its terms standing in the question's order.
	FeatOrder
	// FeatBigram: the weight of the question's pairs of neighbouring terms
	// that stand side by side in the span.
	FeatBigram
	// FeatStop: how many of the question's telling stop words ("under",
	// "before", "not") the span holds.
	FeatStop
	// FeatKind: 1 when the question asks for a kind of thing (a person, a
	// time, a number, a place, a reason, a feeling) and the span, holding
	// some of the question, holds one.
	FeatKind
	// FeatRetrieval: the passage's search score over the best one's.
	// Refitted as that share squared, or as 1/(1+rank) among the hits,
	// it answered 5 and 6 fewer of xquad's questions and none more of any
	// other set.
	FeatRetrieval
	// FeatDocPrior: the share of the question's weight that the passage's
	// document uses anywhere.
	FeatDocPrior
	// FeatNeighbour: the best lexical coverage of any span of the passages
	// before and after the span's: the story goes on from one to the other.
	FeatNeighbour
	// FeatLength: the log of the span's length in terms.
	FeatLength
	// FeatSpan: how many sentences the span holds beyond one.
	FeatSpan
	// FeatPosition: where the span starts in its passage, from 0 (the first
	// sentence) towards 1.
	FeatPosition
	// FeatEcho: 1 when every term of the span is a question term: it only
	// restates the question.
	FeatEcho
	// FeatKindSentence: 1 when the span's sentence holding the most of the
	// question (lexically, the first of those holding as much) holds the
	// kind of thing it asks for: the answer stands beside the question's
	// words, not in another sentence of the window.
	FeatKindSentence
	// FeatBareFirst: 1 when the span holds more than one sentence and its
	// first holds none of the question's terms lexically: the window starts
	// before the sentences that match, and the answer seldom stands there.
	FeatBareFirst
	// FeatDocFocus: how often the passage's document uses the question's
	// terms: for each term, weighed by its rarity in the whole corpus, the
	// log of how many of the document's sentences hold it over the log of
	// how many it has. The tale that is about what the question asks uses
	// its words throughout.
	FeatDocFocus
	// FeatRarest: the share of the question's weight of the rarest of its
	// terms (weighed in the passage's document) that the passage holds
	// lexically, when the span holds it, through any match: among the
	// passage's spans, those standing by the question's most telling word.
	FeatRarest
	// FeatCarried: for a span whose first sentence leans on a pronoun (see
	// leansOnPronoun), the share of the question's weight that the sentence
	// before it holds lexically and the span does not; for a span starting
	// its passage, the passage before, when retrieved: "she" is the one the
	// question names.
	FeatCarried
	// FeatFollows: for a question asking what came after something, the
	// best lexical coverage of any span of the passage before the span's,
	// when retrieved: what came after is often told in the passage after
	// the one that holds the question's words.
	FeatFollows
	// NumFeatures counts the features.
	NumFeatures
)

// featureNames are the features' names, as eval -v and the generated
// weights file print them.
var featureNames = [NumFeatures]string{
	FeatExact:          "exact",
	FeatForm:           "form",
	FeatSynonym:        "synonym",
	FeatWordNetSynonym: "wn_synonym",
	FeatDerivation:     "derivation",
	FeatPertainym:      "pertainym",
	FeatHolonym:        "holonym",
	FeatHypernym:       "hypernym",
	FeatVector:         "vector",
	FeatContext:        "context",
	FeatProximity:      "proximity",
	FeatOrder:          "order",
	FeatBigram:         "bigram",
	FeatStop:           "stop",
	FeatKind:           "kind",
	FeatRetrieval:      "retrieval",
	FeatDocPrior:       "doc_prior",
	FeatNeighbour:      "neighbour",
	FeatLength:         "length",
	FeatSpan:           "span",
	FeatPosition:       "position",
	FeatEcho:           "echo",
	FeatKindSentence:   "kind_sentence",
	FeatBareFirst:      "bare_first",
	FeatDocFocus:       "doc_focus",
	FeatRarest:         "rarest",
	FeatCarried:        "carried",
	FeatFollows:        "follows",
}

// GoName is the feature's constant's name, as generated source writes it.
func (f Feature) GoName() string {
	if f < 0 || f >= NumFeatures {
		return f.String()
	}
	var b strings.Builder
	b.WriteString("Feat")
	for _, part := range strings.Split(featureNames[f], "_") {
		switch part {
		case "wn":
			b.WriteString("WordNet")
		case "prior":
			b.WriteString("Prior")
		default:
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func (f Feature) String() string {
	if f >= 0 && f < NumFeatures {
		return featureNames[f]
	}
	return "feature(" + strconv.Itoa(int(f)) + ")"
}

// Features are the measures of one span, indexed by Feature.
type Features [NumFeatures]float64

// Weights weigh a span's features into its score, indexed by Feature.
type Weights [NumFeatures]float64

// Score is the dot product of w and f, summed in the features' order.
func (w *Weights) Score(f *Features) float64 {
	s := 0.0
	for i := range f {
		s += w[i] * f[i]
	}
	return s
}

// Format lists the features that are not zero as name=value (weight ×
// value), in the features' order.
func (f *Features) Format(w *Weights) string {
	var b strings.Builder
	for i, v := range f {
		if v == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.3g(%+.3g)", Feature(i), v, w[i]*v)
	}
	return b.String()
}

// channel is the kind of match through which a span holds a question term,
// closest first: a term counts through the closest it has.
type channel uint8

const (
	chExact channel = iota
	chForm
	chSynonym
	chWordNetSynonym
	chDerivation
	chPertainym
	chHolonym
	chHypernym
	// chNone: the term is not held.
	chNone
)

// feature is the coverage feature of a channel.
func (c channel) feature() Feature { return FeatExact + Feature(c) }

// lexical reports whether a match through c counts as the question's own
// word: as evidence, for the span's cover, and for marks.
func (c channel) lexical() bool { return c <= chSynonym }

// marked reports whether a word matching through c is marked in answers and
// excerpts: the question's own words and the words that mean the same or
// are made from them, not broader or larger things.
func (c channel) marked() bool { return c <= chPertainym }

// handWeights are the weights the ranker used before they were fitted,
// kept as a baseline to compare fits with.
var handWeights = Weights{
	FeatExact:     1,
	FeatForm:      1,
	FeatSynonym:   1,
	FeatContext:   0.3,
	FeatProximity: 0.15,
	FeatOrder:     0.1,
	FeatBigram:    0.1,
	FeatStop:      0.05,
	FeatKind:      0.08,
	FeatRetrieval: 0.05,
	FeatDocPrior:  0.4,
	FeatNeighbour: 0.13,
	FeatSpan:      -0.03,
	FeatEcho:      -0.5,
}
