package answer

import (
	"context"
	"fmt"
	"strings"

	"github.com/storybot/storybot/answer/learn"
	"github.com/storybot/storybot/answer/vectors"
	"github.com/storybot/storybot/index"
)

// Answerability is a model of whether the best answer the engine found
// answers the question: a logistic model over a few features of the best
// span and the runner-up (answerFeature), fitted on questions the corpus
// answers against questions made so that it does not (see
// AnswerabilityRows). The answer is "not found" when the model's
// probability falls below Options.MinEvidence, and for a near miss.
type Answerability struct {
	// Weights has one weight per feature, in the order AnswerFeatures
	// names them; Bias is added.
	Weights []float64
	Bias    float64
}

// Prob is the probability that an answer with features x answers its
// question.
func (a Answerability) Prob(x []float64) float64 {
	return learn.Model{Weights: a.Weights, Bias: a.Bias}.Prob(x)
}

// answerFeature indexes a feature of an answer. Every feature is a share
// from 0 to 1 or a flag (0 or 1), so that the model outlives changes to the
// ranker's scale.
//
// Tried and left out, their fitted weights near 0 or worse on held-out
// sets: whether the span holds the question's rarest word; whether the
// question asks for a kind of thing and the span holds one; the share of
// the question's words in the span standing in its order; how far the best
// span's score stands above the runner-up's (it needs the ranker's scale,
// and a corpus where only one passage matches gives it a value the
// training set never shows); the share of the question's weight in words
// the corpus lacks but holds a WordNet relative of; whether the best span
// holds a WordNet antonym of a question word and not the word, fitted with
// training questions that have a word swapped for its antonym, with and
// without questions that have their rarest word swapped for one of
// another passage of their tale (the swaps leave rows the features cannot
// tell from answerable ones, so the fitted threshold falls from 0.03 to
// 0.004: either way squad2-a rejected one question fewer and answered two
// fewer, and one more of the story's near misses was answered); the share
// of the question's weight in one word the corpus uses but the span lacks,
// scaled by the cosine of its word vector with the span's closest other
// word (silver for copper), fitted with training questions whose rarest
// word in the gold passage is swapped for the tale's word closest in
// meaning (it is as often set for squad2-a's answerable questions as for
// its unanswerable ones, and the threshold fell to 0.014: one fewer
// rejected, one more of the story's near misses answered, two of its
// paraphrases and one story-dev question lost); the share of the question's
// pairs of words the span holds in the other order, whether its first and
// last words stand so, and whether another of its words stands just before
// the deed a who or what question asks about, fitted with training
// questions whose first and last words are swapped (and ones whose last
// name is swapped for their answer): squad2-a rejected three more at best,
// but the swapped questions look answerable in all but their order, so the
// fit weighs cover less (4.5 down to 2.0 to 3.9, whether all the training
// questions are swapped or one in 4 or 8), an answerable question of the
// tests' corpora is rejected (and with one in 4 or more a near miss
// answered), and xquad or squad2-a answers up to three fewer; the answers
// to answerable questions that are wrong as rows of unanswerable ones (one
// fewer rejected); the share of the question's weight the span's sentence
// holding the most of it holds, and the largest share in one of its names
// the corpus uses but the span lacks, fitted with training questions asked
// with their gold passages passed over and with their name swapped for
// the one their tale uses most that their gold lacks (the fit rejects 8%
// and 4% of those rows: the features cannot tell them from answerable
// ones; squad2-a rejected three fewer, and a story-dev question and two
// paraphrases were lost; with the questions without their gold alone, and
// with these features or without, squad2-a rejected three fewer too); the
// share of the question's weight in words the span holds only through a
// word close in meaning by their word vectors (weight 0.6, no figure
// changed); the words the span holds only through a synonym, derived
// form or pertainym counted into cover as if held (fitted cover 1.95
// rather than 4.44: one paraphrase, asking for a day, and one xquad
// question fewer answered). Measured on squad2-a, its unanswerable questions that are
// answered hold more of their words in the best span than its answerable
// ones answered right (cover 0.82 against 0.75, the best sentence 0.78
// against 0.71): they restate a sentence with one thing changed, so no
// feature of which words are held tells them apart. Nor do these, each set
// as often or more for answered right questions: a name of the question
// the span lacks (11 of 83 unanswerable, 52 of xquad's 1,029 right, 6 of
// the 30 paraphrases); a question word the span lacks beside one it holds,
// whose place there a word close to it by vector takes (7 of 83 against
// 19 of squad2-a's 77 right); a WordNet antonym of a question word the
// span lacks (none of 83, 3 of 77); a negation in the sentence and none in
// the question (10% against 7%, 19% of fairytale-val's right). A
// question's time held by its span with nothing else it asks about is a
// near miss instead (onlyTime): fairytale-train asks about no year or
// century to weigh it on.
type answerFeature int

const (
	// fEvidence is the best span's evidence (candidate.global).
	fEvidence answerFeature = iota
	// fCover is the share of the question's weight the best span holds,
	// words weighed as the ranker weighs them.
	fCover
	// fPassage is the share of the question's weight the best span's
	// passage holds in any of its sentences.
	fPassage
	// fAbsent is the share of the question's weight in words the corpus
	// never uses, each word's weight scaled by how far its meaning stands
	// from the nearest word of the best span (1 minus the cosine of their
	// word vectors, 1 for a word without a vector): a question about what
	// the corpus lacks, not one in other words.
	fAbsent
	// fRunnerUp is the evidence of the best span of another passage: when
	// many passages hold the question's words alike, none answers it.
	fRunnerUp
	// fOneTerm is 1 when the question has a single content word.
	fOneTerm
	// fBigrams is the share of the question's pairs of neighbouring words
	// that stand side by side in the best span (1 without such pairs).
	fBigrams
	// fUnheld is the largest share of the question's weight that one word
	// the corpus uses but the best span lacks carries.
	fUnheld
	// fRelated is the share of the question's weight in words the best
	// span holds only through a word WordNet relates to them: a question in
	// the reader's own words. A word so held is neither absent (fAbsent)
	// nor unheld (fUnheld).
	fRelated
	numAnswerFeatures
)

var answerFeatureNames = [numAnswerFeatures]string{
	fEvidence: "evidence",
	fCover:    "cover",
	fPassage:  "passage cover",
	fAbsent:   "weight absent from the corpus",
	fRunnerUp: "runner-up's evidence",
	fOneTerm:  "one content word",
	fBigrams:  "pairs side by side",
	fUnheld:   "heaviest word unheld",
	fRelated:  "weight held through relations",
}

// AnswerFeatures names the features of the answerability model, in the
// order of Answerability.Weights.
func AnswerFeatures() []string { return answerFeatureNames[:] }

// answerable reports whether the best of the ranked spans answers question
// q, prepared as pq: always when MinEvidence is negative, else when q is no
// near miss (nearMiss) and the answerability model gives the span at least
// MinEvidence.
//
// A near miss is "not found" whatever the model says: on the training set
// an answer to a question naming what the corpus never mentions is right
// for 2 questions in 2,600, one that lacks the figure asked for for 2 in 30,
// one whose deed its span tells with the roles swapped for 2 in 8 (2 of
// the 2,177 answered right), and none speaks of another century or asks
// for someone's kin its span names the other way about; too few to weigh
// against the other features, and too sure to need weighing.
func (e *Engine) answerable(ctx context.Context, q string, pq question, ranked []candidate) (bool, error) {
	if e.opts.MinEvidence < 0 {
		return true, nil
	}
	x, err := e.answerFeatures(ctx, q, pq, ranked)
	if err != nil {
		return false, err
	}
	// The model first: it costs less than looking for a near miss.
	return e.answerability.Prob(x) >= e.opts.MinEvidence && !e.nearMiss(q, pq, ranked[0]), nil
}

// verdict is what answerable weighs for question q: the model's
// probability for the best ranked span, and the near-miss rule that turns
// it down, if any (see nearMissRule). A question CheckQuestion refuses, or
// one nothing matches, has neither.
func (e *Engine) verdict(ctx context.Context, q string) (float64, string, error) {
	cq, err := CheckQuestion(q, MaxQuestionLen)
	if err != nil {
		return 0, "", nil
	}
	pq, ranked, err := e.retrieve(ctx, cq)
	defer func() { e.release(pq, ranked) }()
	if err != nil || len(ranked) == 0 {
		return 0, "", err
	}
	x, err := e.answerFeatures(ctx, cq, pq, ranked)
	if err != nil {
		return 0, "", err
	}
	return e.answerability.Prob(x), e.nearMissRule(cq, pq, ranked[0]), nil
}

// maxHeldPositions is the most positions of the question's terms in the
// best span that answerFeatures makes room for at once.
const maxHeldPositions = 16

// answerFeatures are the features of the best of the ranked spans (there
// is at least one) as the answer to question q, prepared as pq.
func (e *Engine) answerFeatures(ctx context.Context, q string, pq question, ranked []candidate) ([]float64, error) {
	x := make([]float64, numAnswerFeatures)
	best := ranked[0]
	sents, err := e.analyse(ctx, best.passage)
	if err != nil {
		return nil, fmt.Errorf("read the best passage: %w", err)
	}
	ids := e.termIDs(pq)
	// hits are the positions of each term in the best span, all in one
	// array, made once with room for those of most spans (a token is the
	// form of one term at most, mostly, and few of a span's tokens are the
	// question's); hits themselves on the stack for most questions.
	var hitsBuf [16][]int
	hits := hitsBuf[:0]
	if len(pq.terms) <= len(hitsBuf) {
		hits = hitsBuf[:len(pq.terms)]
	} else {
		hits = make([][]int, len(pq.terms))
	}
	spanTokens := 0
	for i := best.first; i <= best.last; i++ {
		spanTokens += len(sents[i].terms)
	}
	at := make([]int, 0, min(spanTokens, maxHeldPositions))
	for j := range pq.terms {
		from, ntok := len(at), 0
		for i := best.first; i <= best.last; i++ {
			at = sents[i].appendPositions(at, ids[j], ntok)
			ntok += len(sents[i].tokens)
		}
		hits[j] = at[from:len(at):len(at)]
	}
	var total, inPassage, absent, related float64
	var surface map[string]string
	for _, t := range pq.terms {
		total += t.idf
	}
	byRelation, inPassageByRelation := e.heldThroughRelations(pq, sents, best.first, best.last)
	for j, t := range pq.terms {
		if byRelation[j] != chNone && len(hits[j]) == 0 {
			related += t.idf
			inPassage += t.idf
			continue
		}
		if !t.known {
			if surface == nil {
				surface = surfaceWords(q, pq.toks)
			}
			// The word's vector is looked up once, not beside each of
			// the span's words'; a word without one is like none of them.
			sim := 0.0
			if w, ok := surface[t.forms[0]]; ok {
				if wv, ok := vectors.ID(w); ok {
					for i := best.first; i <= best.last; i++ {
						for sv := range sents[i].words.vectors {
							sim = max(sim, float64(vectors.SimilarityOf(wv, sv)))
						}
					}
				}
			}
			absent += t.idf * (1 - sim)
			continue
		}
		held := false
		for _, s := range sents {
			if s.holds(ids[j]) {
				inPassage += t.idf * t.trust
				held = true
				break
			}
		}
		if !held && inPassageByRelation[j] != chNone {
			inPassage += t.idf
		}
		if len(hits[j]) == 0 {
			x[fUnheld] = max(x[fUnheld], t.idf/total)
		}
	}
	x[fEvidence] = best.evidence()
	x[fCover] = best.cover
	if total > 0 {
		x[fPassage] = inPassage / total
		x[fAbsent] = absent / total
		x[fRelated] = related / total
	}
	if len(ranked) > 1 {
		x[fRunnerUp] = ranked[1].evidence()
	}
	x[fOneTerm] = boolFeature(len(pq.terms) == 1)
	x[fBigrams] = 1
	if len(pq.bigrams) > 0 {
		side := 0
		for _, b := range pq.bigrams {
			if adjacent(hits[b[0]], hits[b[1]]) {
				side++
			}
		}
		x[fBigrams] = float64(side) / float64(len(pq.bigrams))
	}
	return x, nil
}

// heldThroughRelations is, term by term of question pq, the closest
// channel through which sentences first to last of sents hold a word
// WordNet relates to the term (see related), else chNone; and the same of
// all the sentences, found in the same pass.
func (e *Engine) heldThroughRelations(pq question, sents []sentenceTerms, first, last int) (span, all []channel) {
	held := make([]channel, 2*len(pq.terms))
	for j := range held {
		held[j] = chNone
	}
	span, all = held[:len(pq.terms)], held[len(pq.terms):]
	ids := e.idsOf(pq)
	// The table of the question's IDs is read into locals once (see
	// spanScratch.passage).
	mask, slots, forms, shift := &ids.mask, ids.slots, ids.all, ids.shift
	for i := range sents {
		inSpan := i >= first && i <= last
		for _, id := range sents[i].terms {
			if !mask.has(id) {
				continue
			}
			for _, f := range formsIn(slots, forms, shift, id) {
				if !f.ch.lexical() {
					all[f.term] = min(all[f.term], f.ch)
					if inSpan {
						span[f.term] = min(span[f.term], f.ch)
					}
				}
			}
		}
	}
	return span, all
}

// surfaceWords maps each analysed term of question q, whose terms are
// toks, to the word it comes from, lower-cased.
func surfaceWords(q string, toks []index.Token) map[string]string {
	out := map[string]string{}
	for _, t := range toks {
		out[t.Term] = strings.ToLower(q[t.Start:t.End])
	}
	return out
}

func boolFeature(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
