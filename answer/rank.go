package answer

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/storybot/storybot/answer/vectors"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/recent"
)

// sentenceTerms is one analysed sentence of a passage. What ranking reads
// of every sentence retrieved comes first, side by side.
type sentenceTerms struct {
	// tokens are the sentence's analysed terms, as the index stores them.
	tokens []index.IDToken
	// terms are the tokens' terms, side by side with those of the
	// passage's other sentences: what a passage's every token is looked
	// at for, read without their offsets.
	terms []index.TermID
	// stops are the stop words it holds, a bit each (see stopBit).
	stops uint64
	// wideTokens is how many tokens the widest span starting at it holds.
	wideTokens int32
	// widest is how many sentences after it a span starting at it holds
	// at most: maxSpan in all, within MaxAnswerLen.
	widest uint8
	// leans is set when it leans on a pronoun (see leansOnPronoun).
	leans bool
	// kinds are the sets of words answering a kind of question that it
	// holds a word of, a bit each (see kindsOf).
	kinds uint8
	// words are the sentence's lower-cased words, stop words included.
	words sentenceWords
	// cues are what in it may answer a kind of question.
	cues index.Cues
	// vecs are the word-vector rows of its words that are not stop words,
	// when the ranker weighs word vectors at all.
	vecs []int32
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

// wordBits are what a sentence's analysis keeps of one of its words: its
// bit among the stop words (see stopBit) and those of the kinds of answer
// it is a word of (see kindsOf).
type wordBits struct {
	stop  uint64
	kinds uint8
}

// tellingBits are the bits of every stop word and every word answering a
// kind of question; tellingShapes their shapes, as stopShapes has them.
var tellingBits, tellingShapes = func() (map[string]wordBits, [26]uint64) {
	out := map[string]wordBits{}
	for w := range stopWords {
		out[w] = wordBits{stop: stopBit[w], kinds: kindsOf(w)}
	}
	for _, k := range kindSets {
		for w := range k.set.words {
			out[w] = wordBits{stop: stopBitOf(w), kinds: kindsOf(w)}
		}
	}
	var shapes [26]uint64
	for w := range out {
		shapes[w[0]-'a'] |= 1 << len(w)
	}
	return out, shapes
}()

// wordBitsOf is stopBitOf(w) and kindsOf(w) with one look at w's shape and
// at most one in a map: a sentence's every word is looked at so each time
// its passage is analysed.
func wordBitsOf(w string) wordBits {
	if len(w) == 0 || len(w) >= 64 || w[0] < 'a' || w[0] > 'z' || tellingShapes[w[0]-'a']&(1<<len(w)) == 0 {
		return wordBits{}
	}
	return tellingBits[w]
}

// analyse returns the sentences of passage p, their terms, words and cues
// read from the analyses stored with the index, kept for a while in a
// bounded cache.
func (e *Engine) analyse(ctx context.Context, p *corpus.Passage) ([]sentenceTerms, error) {
	if v, ok := e.analysed.Get(p); ok {
		return v, nil
	}
	// The stored sentences are read into a buffer kept for the next
	// passage: what is kept of them is their lists.
	buf, _ := e.storedBufs.Get().(*[]index.Sentence)
	if buf == nil {
		buf = new([]index.Sentence)
	}
	defer e.storedBufs.Put(buf)
	stored, err := e.ix.SentencesInto(ctx, p, *buf)
	if err != nil {
		return nil, fmt.Errorf("read the sentences of %s: %w", p.ID, err)
	}
	*buf = stored
	defer clear(stored) // the buffer is not to keep the passage's lists
	if len(stored) != len(p.Sentences) {
		return nil, fmt.Errorf("read the sentences of %s: %d stored for %d", p.ID, len(stored), len(p.Sentences))
	}
	telling := e.telling()
	if telling.words == nil {
		return nil, fmt.Errorf("read the sentences of %s: no vocabulary to name their words", p.ID)
	}
	out := make([]sentenceTerms, len(p.Sentences))
	for i := range p.Sentences {
		ws := sentenceWords{ids: stored[i].WordIDs, vocab: telling.words, vecs: telling.vecs}
		for _, id := range ws.ids {
			if int(id) >= len(ws.vocab) {
				return nil, fmt.Errorf("read the sentences of %s: word ID %d beyond the vocabulary of %d", p.ID, id, len(ws.vocab))
			}
		}
		out[i] = sentenceTerms{tokens: stored[i].Tokens, terms: stored[i].Terms, words: ws, cues: stored[i].Cues, widest: widestSpan(p, i)}
		out[i].stops, out[i].kinds = telling.sentenceBits(ws.ids)
		out[i].leans = leansOnPronoun(p.Sentences[i].Text)
		if e.weights[FeatVector] != 0 {
			out[i].vecs = vectorRows(ws)
		}
	}
	for i := range out {
		for j := i; j <= i+int(out[i].widest); j++ {
			out[i].wideTokens += int32(len(out[j].tokens))
		}
	}
	e.analysed.Put(p, out)
	return out, nil
}

// widestSpan is sentenceTerms.widest for sentence i of passage p.
func widestSpan(p *corpus.Passage, i int) uint8 {
	n := 0
	for j := i + 1; j < len(p.Sentences) && j <= i+maxSpan-1; j++ {
		if p.Sentences[j].End-p.Sentences[i].Start > MaxAnswerLen {
			break
		}
		n++
	}
	return uint8(n)
}

// sentenceWords are a sentence's distinct words, lower-cased, sorted (see
// index.SentenceWords): the IDs of its words in a vocabulary, a word looked
// up there only when it is asked for.
type sentenceWords struct {
	ids   []index.WordID
	vocab []string
	// vecs are the vector rows of vocab's words, by ID (see
	// tellingTable.vecs), or nil when they are looked up by word.
	vecs []int32
}

// wordsOf are the words of text s, a vocabulary of their own.
func wordsOf(s string) sentenceWords {
	ws := index.SentenceWords(s)
	ids := make([]index.WordID, len(ws))
	for i := range ids {
		ids[i] = index.WordID(i)
	}
	return sentenceWords{ids: ids, vocab: ws}
}

// len is how many words the sentence has.
func (ws sentenceWords) len() int { return len(ws.ids) }

// at is the sentence's ith word.
func (ws sentenceWords) at(i int) string { return ws.vocab[ws.ids[i]] }

// vectors yields the word-vector rows of the sentence's words that have
// one, in order of the words.
func (ws sentenceWords) vectors(yield func(int32) bool) {
	for _, id := range ws.ids {
		r, ok := int32(-1), false
		if ws.vecs != nil {
			r = ws.vecs[id]
			ok = r >= 0
		} else {
			r, ok = vectors.ID(ws.vocab[id])
		}
		if ok && !yield(r) {
			return
		}
	}
}

// all yields the sentence's words in order.
func (ws sentenceWords) all(yield func(string) bool) {
	for _, id := range ws.ids {
		if !yield(ws.vocab[id]) {
			return
		}
	}
}

// strings are the sentence's words.
func (ws sentenceWords) strings() []string {
	out := make([]string, len(ws.ids))
	for i, id := range ws.ids {
		out[i] = ws.vocab[id]
	}
	return out
}

// vectorRows are the word-vector rows of the words of ws that say
// something on their own.
func vectorRows(ws sentenceWords) []int32 {
	var out []int32
	for w := range ws.all {
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
	_, ok := slices.BinarySearchFunc(ws.ids, w, func(id index.WordID, w string) int { return strings.Compare(ws.vocab[id], w) })
	return ok
}

// cachedPassages is how many passages' analysed sentences a generation of
// the engine's cache holds: the cache keeps between one and two
// generations, the passages most recently ranked. A passage's analysis
// takes about two kilobytes (2.0 at a million words), so the cache stays
// within some 35 megabytes, and holds the passages that a few hundred
// varied questions about a million words retrieve: fewer missed most of
// them, and each miss decodes the passage's stored sentences again.
const cachedPassages = 8192

// passageCache keeps recently analysed passages.
type passageCache = recent.Cache[*corpus.Passage, []sentenceTerms]

// termForm is an analysed term that counts as question term term, through
// channel ch; for a word of a synonym of many words, only where the
// sentence holds all the words of synonym member (see questionIDs.members),
// of which it is word bit.
type termForm struct {
	id     index.TermID
	term   int32
	ch     channel
	member int32
	bit    uint64
}

// questionIDs are the IDs of the terms that count as the question's terms.
type questionIDs struct {
	// forms are, term by term, the IDs of the forms of the term that count
	// as the word itself: its own forms and its synonyms in the corpus's
	// synonyms file.
	forms [][]index.TermID
	// formIDs are, term by term, the IDs of the term's own forms that the
	// corpus uses, in order (see termIDs).
	formIDs [][]index.TermID
	// all are every term that counts as a question term, with how: those
	// of one ID side by side, in the order they were added.
	all []termForm
	// slots are where the forms of each ID stand in all, an open-addressed
	// hash table of 1<<(32-shift) slots (see group).
	slots []idSlot
	shift uint8
	// mask has bit id%maskBits set for the ID of each of all: most of a
	// sentence's terms are none of the question's, and are told so at once.
	mask termMask
	// members are the synonyms of many words: for each, the bits of all its
	// words.
	members []uint64
	// bufs are the arrays all, slots, forms and formIDs are made in, kept
	// with q from one question to the next (see Engine.release).
	bufs idBuffers
}

// maxPooledRanked is the most candidates whose array release keeps for the
// next question: rank returns a few, every passage's only when asked.
const maxPooledRanked = 64

// idBuffers are the arrays of a questionIDs, kept from one question to the
// next: a question counts a few hundred forms, and they were most of what
// preparing it allocated. forms and formIDs hold the IDs of every term's
// forms one term after the other, which questionIDs.forms and formIDs cut.
type idBuffers struct {
	all     []termForm
	slots   []idSlot
	forms   []index.TermID
	formIDs []index.TermID
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
// uses, term by term, forms in order, as prepare looked them up: not to be
// changed.
func (e *Engine) termIDs(pq question) [][]index.TermID {
	return e.idsOf(pq).formIDs
}

// questionIDs looks up the IDs of every term that counts as one of the
// question's, in arrays kept from the questions before (see release).
func (e *Engine) questionIDs(pq question) *questionIDs {
	q, _ := e.idBufs.Get().(*questionIDs)
	if q == nil {
		q = new(questionIDs)
	}
	nt := len(pq.terms)
	q.forms = slices.Grow(q.forms[:0], nt)[:nt]
	q.formIDs = slices.Grow(q.formIDs[:0], nt)[:nt]
	q.members = q.members[:0]
	forms, formIDs := q.bufs.forms[:0], q.bufs.formIDs[:0]
	// What is looked up and grouped is built in buffers of the engine's,
	// q.all copied out of them once grouped.
	sc := e.scratch.get(len(pq.terms))
	defer e.scratch.put(sc)
	// The forms and synonyms of every term are looked up at once, in the
	// order they are added below; related terms come with their IDs, and
	// so do the forms of a term prepare found the IDs of.
	terms := sc.lookups[:0]
	for _, t := range pq.terms {
		if !t.hasIDs() {
			terms = append(terms, t.forms...)
		}
		for _, m := range t.synonyms {
			terms = append(terms, m[:min(len(m), maxMemberWords)]...)
		}
	}
	ids := slices.Grow(sc.lookupIDs[:0], len(terms))[:len(terms)]
	e.ix.TermIDs(terms, ids)
	clear(terms) // the buffer is not to keep the question's strings
	sc.lookups, sc.lookupIDs = terms[:0], ids[:0]
	q.all = sc.forms[:0]
	// from is where the forms of the term being added start in q.all,
	// and formsFrom in forms: those of the terms before it are never the
	// same.
	from, formsFrom := 0, 0
	add := func(j int, id index.TermID, ch channel, member int, bit uint64) bool {
		if id == index.NoTerm {
			return false
		}
		// An ID not in the mask is none of those added yet.
		if q.mask.has(id) {
			for i, f := range q.all[from:] {
				if f.id == id && int(f.term) == j && int(f.member) == member {
					q.all[from+i].ch = min(f.ch, ch)
					return true
				}
			}
		}
		q.all = append(q.all, termForm{id, int32(j), ch, int32(member), bit})
		q.mask.set(id)
		if ch.lexical() && member == noMember && !slices.Contains(forms[formsFrom:], id) {
			forms = append(forms, id)
		}
		return true
	}
	next := 0
	for j, t := range pq.terms {
		from, formsFrom = len(q.all), len(forms)
		formIDsFrom := len(formIDs)
		for k := range t.forms {
			ch := chForm
			if k == 0 || k == 1 && t.corrected {
				ch = chExact
			}
			var id index.TermID
			if t.hasIDs() {
				id = t.ids[k]
			} else {
				id = ids[next]
				next++
			}
			if add(j, id, ch, noMember, 0) {
				formIDs = append(formIDs, id)
			}
		}
		for _, m := range t.synonyms {
			words := ids[next : next+min(len(m), maxMemberWords)]
			next += len(words)
			if len(m) == 1 {
				add(j, words[0], chSynonym, noMember, 0)
				continue
			}
			// A member whose words the corpus does not all use is never
			// held.
			n := len(q.all)
			member, all := len(q.members), uint64(0)
			for k, id := range words {
				if !add(j, id, chSynonym, member, 1<<k) {
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
			add(j, r.id, r.ch, noMember, 0)
		}
		// Each term's IDs are capped, so that no append runs into the
		// next term's; an array that grew leaves the terms before in
		// the one before.
		q.forms[j] = forms[formsFrom:len(forms):len(forms)]
		q.formIDs[j] = formIDs[formIDsFrom:len(formIDs):len(formIDs)]
	}
	q.bufs.forms, q.bufs.formIDs = forms[:0], formIDs[:0]
	sc.forms = q.all[:0]
	sc.order = q.group(q.all, sc.order)
	return q
}

// release gives back the arrays of question pq's term IDs and of its
// ranked candidates, as rank returned them, for the next question: pq is
// not to be ranked or marked after, nor ranked read.
func (e *Engine) release(pq question, ranked []candidate) {
	if ranked != nil && cap(ranked) <= maxPooledRanked {
		clear(ranked) // the buffer is not to keep the question's passages
		ranked = ranked[:0]
		e.rankedBufs.Put(&ranked)
	}
	q := pq.ids
	if q == nil {
		return
	}
	q.bufs.all, q.bufs.slots = q.all[:0], q.slots[:0]
	clear(q.forms) // the arrays are not to keep the question's
	clear(q.formIDs)
	*q = questionIDs{forms: q.forms[:0], formIDs: q.formIDs[:0], members: q.members[:0], bufs: q.bufs}
	e.idBufs.Put(q)
}

// idsOf returns the IDs of the terms that count as question pq's, as
// prepare looked them up.
func (e *Engine) idsOf(pq question) *questionIDs {
	if pq.ids == nil {
		pq.ids = e.questionIDs(pq)
	}
	return pq.ids
}

// lookup returns the question terms that term id counts as, in the order
// they were added.
func (q *questionIDs) lookup(id index.TermID) []termForm {
	if !q.mask.has(id) {
		return nil
	}
	return q.formsOf(id)
}

// formsOf is lookup for an ID in q.mask.
func (q *questionIDs) formsOf(id index.TermID) []termForm {
	return formsIn(q.slots, q.all, q.shift, id)
}

// formsIn is questionIDs.formsOf of the questionIDs whose slots, all and
// shift these are.
func formsIn(slots []idSlot, all []termForm, shift uint8, id index.TermID) []termForm {
	s := slots[slotIn(slots, shift, id)]
	if s.end == 0 {
		return nil
	}
	return all[s.start:s.end]
}

// idSlot is where the forms of term ID id stand in questionIDs.all; an
// empty slot has end 0.
type idSlot struct {
	id         index.TermID
	start, end uint32
}

// slotOf is the slot of id in q.slots, or the empty slot where it would
// go: Fibonacci hashing, then the next slots in turn.
func (q *questionIDs) slotOf(id index.TermID) int { return slotIn(q.slots, q.shift, id) }

// slotIn is questionIDs.slotOf of the questionIDs whose slots and shift
// these are.
func slotIn(slots []idSlot, shift uint8, id index.TermID) int {
	m := len(slots) - 1
	h := int((uint32(id) * fibonacci32) >> shift)
	for slots[h].end != 0 && slots[h].id != id {
		h = (h + 1) & m
	}
	return h
}

// fibonacci32 is 2³² over the golden ratio, odd: multiplied by it, IDs
// that differ in any bits differ in the top bits.
const fibonacci32 = 0x9E3779B9

// slotLoad is the most forms a hash table of questionIDs holds for each of
// its slots, of which one in two at least stays empty.
const slotLoad = 0.5

// group sets q.all to forms with those of one ID side by side, in the
// order they come (as a stable sort by ID would put them), and indexes
// them by ID in q.slots. order is a buffer, returned grown.
func (q *questionIDs) group(forms []termForm, order []int32) []int32 {
	bits := uint8(1)
	for float64(int(1)<<bits)*slotLoad < float64(len(forms)) {
		bits++
	}
	q.shift = 32 - bits
	q.slots = slices.Grow(q.bufs.slots[:0], 1<<bits)[:1<<bits]
	clear(q.slots)
	// Each ID's forms are counted in its slot's end, the IDs kept in the
	// order they first come; then each gets its place in all, its start
	// serving as where its next form goes until they are all there.
	order = order[:0]
	once := true
	for _, f := range forms {
		i := q.slotOf(f.id)
		s := &q.slots[i]
		if s.end == 0 {
			s.id = f.id
			order = append(order, int32(i))
		} else {
			once = false
		}
		s.end++
	}
	if once {
		// Every ID comes once: the forms stay as they come, the kth in
		// the kth slot of order.
		q.all = append(q.bufs.all[:0], forms...)
		for k, i := range order {
			q.slots[i].start, q.slots[i].end = uint32(k), uint32(k+1)
		}
		return order
	}
	n := uint32(0)
	for _, i := range order {
		s := &q.slots[i]
		s.start, s.end = n, n+s.end
		n = s.end
	}
	q.all = slices.Grow(q.bufs.all[:0], len(forms))[:len(forms)]
	for _, f := range forms {
		s := &q.slots[q.slotOf(f.id)]
		q.all[s.start] = f
		s.start++
	}
	n = 0
	for _, i := range order {
		s := &q.slots[i]
		s.start, n = n, s.end
	}
	return order
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

// docStats reads the document's counts of the question's terms from the
// index: ids are the IDs of the forms of each term, flat and at as
// sortedForms makes them of ids. counts and freq are buffers of the
// caller's, of len(flat) and len(ids), that ds keeps.
func (e *Engine) docStats(ctx context.Context, d *corpus.Document, ids [][]index.TermID, flat []index.TermID, at []int32, counts, freq []int) (docStats, error) {
	n, err := e.ix.SentenceFreqs(ctx, d, flat, counts)
	if err != nil {
		return docStats{}, fmt.Errorf("read the term counts of %s: %w", d.ID, err)
	}
	ds := docStats{sentences: n, freq: freq}
	k := 0
	for i, forms := range ids {
		ds.freq[i] = 0
		for range forms {
			ds.freq[i] = max(ds.freq[i], counts[at[k]])
			k++
		}
	}
	return ds, nil
}

// docFocus is FeatDocFocus of a document with counts ds for question pq:
// for each term, the log of how many of the document's sentences use it
// over the log of how many it has, weighed by the term's rarity in the
// whole corpus.
func docFocus(ds *docStats, pq *question) float64 {
	if ds.sentences == 0 {
		return 0
	}
	sum, total := 0.0, 0.0
	for i, t := range pq.terms {
		total += t.idf
		sum += t.idf * logLength(ds.freq[i])
	}
	if total == 0 {
		return 0
	}
	return sum / total / logLength(ds.sentences)
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
	// docFocus is how often the document's sentences use the question's
	// terms, each weighed by its rarity in the whole corpus (see
	// FeatDocFocus).
	docFocus float64
}

// rank scores the spans of sentences of the retrieved passages and returns
// the best span of each passage that may be read, best first, with the
// score it has when every passage's is: those that rank first, as many as
// rankNeed says, then the first one's passage again and the passages
// beside it (which its answer may quote) if retrieved, and perhaps others.
// The spans of a passage whose bound (see bound) shows it cannot rank
// among the first are not scored.
func (e *Engine) rank(ctx context.Context, pq question, hits []index.Hit) ([]candidate, error) {
	return e.rankSpans(ctx, pq, hits, nil)
}

// rankNeed is how far into the ranking rank's callers read: the first
// first passages (the best span, the runner-up, the citations of an
// answer), and as many as it takes to hold covered whose best span holds
// some of the question's own words (the citations of a question not
// answered).
type rankNeed struct{ first, covered int }

// rankNeed is what Engine.rank ranks exactly.
func (e *Engine) rankNeed() rankNeed {
	return rankNeed{first: max(2, e.opts.Citations), covered: e.opts.Citations}
}

// rankSpans is rank; each, when not nil, is also given every span of every
// passage, and every passage's best span is returned.
func (e *Engine) rankSpans(ctx context.Context, pq question, hits []index.Hit, each func(candidate)) ([]candidate, error) {
	if len(hits) == 0 || len(pq.terms) == 0 {
		return nil, nil
	}
	w := e.weights
	top := hits[0].Score
	qids := e.idsOf(pq)
	sc := e.scratch.get(len(pq.terms))
	defer e.scratch.put(sc)
	// The weight fitted for word vectors may be none: then they are not
	// compared at all.
	sc.vectors = e.weights[FeatVector] != 0
	sc.startRanking(qids, &pq)
	defer sc.endRanking()
	// The passages' analyses are looked up in the engine's cache at once.
	sc.hitPassages = slices.Grow(sc.hitPassages[:0], len(hits))
	for _, h := range hits {
		sc.hitPassages = append(sc.hitPassages, e.passageOf(h))
	}
	sc.hitSents = slices.Grow(sc.hitSents[:0], len(hits))[:len(hits)]
	sc.hitFound = slices.Grow(sc.hitFound[:0], len(hits))[:len(hits)]
	e.analysed.GetAll(sc.hitPassages, sc.hitSents, sc.hitFound)
	// Every passage's matches first, and what they tell of its spans: its
	// cover is its neighbours' FeatNeighbour.
	for i, h := range hits {
		p := sc.hitPassages[i]
		if p == nil {
			continue
		}
		// Passages of one document share its counts, and so the weights
		// of the question's terms.
		tw := sc.docWeights(p.Doc)
		if tw == nil {
			ds, err := e.docStats(ctx, p.Doc, qids.forms, sc.flat, sc.flatAt, sc.counts, sc.freq)
			if err != nil {
				return nil, err
			}
			tw = sc.newDocWeights(p.Doc, len(pq.terms))
			inDoc, gtotal := 0.0, 0.0
			// A term's local rarity depends on how many of the
			// document's sentences hold it alone: that of terms held as
			// often (every term the document lacks, most of those it
			// holds once) is found once.
			var locals localRarities
			for i, t := range pq.terms {
				local, ok := locals.of(ds.freq[i])
				if !ok {
					local = math.Pow(ds.idf(i), localShare)
					locals.keep(ds.freq[i], local)
				}
				tw.weights[i] = sc.globalShare[i] * local
				tw.total += tw.weights[i]
				gtotal += t.idf
				if ds.has(i) {
					inDoc += t.idf
				}
			}
			tw.docPrior = inDoc / gtotal
			tw.docFocus = docFocus(&ds, &pq)
		}
		sents := sc.hitSents[i]
		if !sc.hitFound[i] {
			var err error
			if sents, err = e.analyse(ctx, p); err != nil {
				return nil, err
			}
		}
		sc.ranking = slices.Grow(sc.ranking, 1)[:len(sc.ranking)+1]
		pr := &sc.ranking[len(sc.ranking)-1]
		pr.hit, pr.p, pr.tw, pr.sents, pr.scored = i, p, *tw, sents, false
		sc.load(&pr.state)
		sc.passage(qids, &pq, sents)
		sc.facts(&pr.facts, &pq, &pr.tw, sents)
		sc.store(&pr.state)
		if top > 0 {
			pr.facts.facts[factRetrieval] = math.Round(h.Score/top/retrievalGrain) * retrievalGrain
		}
		pr.coverAt = -1
		if len(sents) > 0 {
			pr.coverAt = sc.setCover(p, pr.facts.facts[factCover])
		}
	}
	rs := sc.ranking
	for i := range rs {
		e.carried(rs, i, len(pq.terms))
	}
	// A passage next to another that matches well is likelier to be the
	// one that answers: the story goes on from one to the other.
	if e.ordinals {
		sc.neighbourCovers()
	}
	for i := range rs {
		f := &rs[i].facts.facts
		f[factNeighbour], f[factFollows] = e.neighbourCoverOf(&rs[i], sc)
		// The passage before counts for a question asking what came
		// after something.
		if !pq.follows {
			f[factFollows] = 0
		}
	}
	// Passages are scored in the order of their bounds, and no more once
	// the next one's cannot reach the last of those needed; every passage,
	// in the search's order, when each is given every span.
	prune := each == nil
	if prune {
		bt := newBoundTable(&w, e.featureRanges(), sc.vectors)
		for i := range rs {
			rs[i].bound = bound(&bt, &rs[i].facts, &pq, &rs[i].tw)
		}
	}
	// The best span of each passage scored is put in a buffer, and
	// returned sorted in a slice of its own.
	out, outHits := sc.ranked[:0], sc.rankedHits[:0]
	var all []candidate
	var allp *[]candidate
	if each != nil {
		allp = &all
	}
	score := func(pr *passageRank) {
		pr.scored = true
		best := e.bestSpan(pr, &pq, sc, allp)
		if best.passage == nil {
			return
		}
		best.features[FeatNeighbour] = pr.facts.facts[factNeighbour]
		best.features[FeatFollows] = pr.facts.facts[factFollows]
		best.score = w.Score(&best.features)
		out, outHits = append(out, best), append(outHits, pr.hit)
		sc.insertTop(out, outHits)
	}
	need := e.rankNeed()
	if !prune {
		for i := range rs {
			score(&rs[i])
		}
	}
	// A few passages are scored of the many retrieved: the next is found
	// among those left, as a stable sort by bound would order them.
	for prune {
		var pr *passageRank
		for i := range rs {
			if !rs[i].scored && (pr == nil || cmp.Compare(rs[i].bound, pr.bound) > 0) {
				pr = &rs[i]
			}
		}
		if pr == nil || !mayRank(out, sc.top, need, pr.bound) {
			break
		}
		score(pr)
	}
	// The first span's answer may quote its passage and those beside it,
	// with their scores.
	if prune && len(sc.top) > 0 {
		first := out[sc.top[0]].passage
		prev, next := e.neighbours(first)
		for i := range rs {
			if p := rs[i].p; !rs[i].scored && (p == first || p == prev || p == next) {
				score(&rs[i])
			}
		}
	}
	for _, c := range all {
		c.features[FeatNeighbour], c.features[FeatFollows] = e.neighbourCover(c.passage, sc)
		if !pq.follows {
			c.features[FeatFollows] = 0
		}
		c.score = w.Score(&c.features)
		each(c)
	}
	var buf []candidate
	if b, _ := e.rankedBufs.Get().(*[]candidate); b != nil {
		buf = *b
	}
	sorted := sortedByScore(out, sc.top, buf)
	clear(out) // the buffer is not to keep the question's passages
	sc.ranked, sc.rankedHits = out[:0], outHits[:0]
	return sorted, nil
}

// localRarities are the local rarities (see docStats.idf and localShare)
// found for the question's terms in one document, by how many of its
// sentences hold the term, for the fewest.
type localRarities struct {
	known [maxKeptRarities]bool
	value [maxKeptRarities]float64
}

// maxKeptRarities is how many counts of sentences localRarities keeps
// the local rarity of: those of most of a question's terms.
const maxKeptRarities = 8

// of is the local rarity kept for a term that f sentences hold, if any.
func (lr *localRarities) of(f int) (float64, bool) {
	if f < 0 || f >= maxKeptRarities || !lr.known[f] {
		return 0, false
	}
	return lr.value[f], true
}

// keep keeps local rarity v of a term that f sentences hold.
func (lr *localRarities) keep(f int, v float64) {
	if f >= 0 && f < maxKeptRarities {
		lr.known[f], lr.value[f] = true, v
	}
}

// bestSpan scores every span of passage pr for question pq and returns the
// best, its FeatNeighbour and FeatFollows left at 0; each span scored is
// appended to all when it is not nil.
func (e *Engine) bestSpan(pr *passageRank, pq *question, sc *spanScratch, all *[]candidate) candidate {
	sc.load(&pr.state)
	defer sc.store(&pr.state)
	p, sents := pr.p, pr.sents
	w := &e.weights
	own := w[FeatDocPrior]*pr.tw.docPrior + w[FeatDocFocus]*pr.tw.docFocus + w[FeatRetrieval]*pr.facts.facts[factRetrieval]
	var c, best candidate
	sc.rarest = pr.facts.rarest
	for i := range sents {
		sc.startSpan()
		// The terms a pronoun in the span's first sentence may stand
		// for, held before it.
		sc.before = 0
		if i < 64 && pr.pronouns&(1<<i) != 0 {
			if i == 0 {
				sc.before = pr.prevHeld
			} else {
				sc.before = sc.lexical[i-1]
			}
		}
		for j := i; j <= i+int(sents[i].widest); j++ {
			sc.extendSpan(sents, j)
			// Once a span is the best, the next is measured only as far
			// as it may beat it; every span is, when all are given.
			floor := math.Inf(-1)
			if best.passage != nil && all == nil {
				floor = best.score - own
			}
			if !scoreSpan(&c, pq, &pr.tw, sents, i, j, sc, w, floor) {
				continue
			}
			c.passage = p
			c.features[FeatDocPrior] = pr.tw.docPrior
			c.features[FeatDocFocus] = pr.tw.docFocus
			c.features[FeatRetrieval] = pr.facts.facts[factRetrieval]
			c.score = e.weights.Score(&c.features)
			if all != nil {
				*all = append(*all, c)
			}
			if best.passage == nil || c.score > best.score {
				best = c
			}
		}
	}
	return best
}

// carried finds what FeatCarried may count in the spans of passage rs[i]
// of those ranked, for a question of nt terms: which of its sentences lean
// on a pronoun, the question terms (a bit each) that the passage before
// holds lexically when it is ranked too, and, for the bound, the terms of
// every sentence that one leaning on a pronoun follows. A question of more
// than 64 terms has none.
func (e *Engine) carried(rs []passageRank, i, nt int) {
	pr := &rs[i]
	pr.pronouns, pr.prevHeld, pr.before = 0, 0, 0
	pr.facts.facts[factCarried] = 0
	if nt > 64 {
		return
	}
	for k := range min(len(pr.sents), 64) {
		if !pr.sents[k].leans {
			continue
		}
		pr.pronouns |= 1 << k
		if k > 0 {
			pr.before |= pr.state.lexical[k-1]
			continue
		}
		prev, _ := e.neighbours(pr.p)
		for j := range rs {
			if prev != nil && rs[j].p == prev {
				for _, m := range rs[j].state.lexical {
					pr.prevHeld |= m
				}
				break
			}
		}
		pr.before |= pr.prevHeld
	}
	pr.facts.facts[factCarried] = maskCover(&pr.tw, pr.before)
}

// leansOnPronoun reports whether one of a sentence's first pronounWords
// words is a personal pronoun ("When he came home, …"): it speaks of
// someone named before it.
func leansOnPronoun(s string) bool {
	var words [pronounWords]string
	for _, w := range firstWords(words[:0], s, pronounWords) {
		// No personal pronoun is longer than maxOpeningWord.
		var buf [maxOpeningWord]byte
		if lw, ok := lowerASCII(buf[:0], w); ok && personalPronouns[string(lw)] {
			return true
		}
	}
	return false
}

// pronounWords is how many of a sentence's first words leansOnPronoun
// looks at: the subject of its first clause, most often.
const pronounWords = 8

// personalPronouns are the pronouns leansOnPronoun looks for: those
// standing for people (and animals) named before.
var personalPronouns = newWordSet(`he she they him her them his their`)

// mayRank reports whether a passage whose spans score at most bound may
// rank among the first need of the candidates out ranks, top being their
// order.
func mayRank(out []candidate, top []int32, need rankNeed, bound float64) bool {
	covered := 0
	for k, i := range top {
		if out[i].cover != 0 {
			covered++
		}
		if k+1 >= need.first && covered >= need.covered {
			return bound >= out[i].score
		}
	}
	return true
}

// passageRank is one retrieved passage being ranked.
type passageRank struct {
	// hit is its place among the hits.
	hit   int
	p     *corpus.Passage
	sents []sentenceTerms
	tw    termWeights
	// state is what scoreSpan reads of its sentences, facts what is known
	// of its spans before they are scored, bound the most they may score.
	state  passageState
	facts  passageFacts
	bound  float64
	scored bool
	// pronouns has bit k set when sentence k (of the first 64) leans on
	// a pronoun, prevHeld the bits of the question terms that the passage
	// before holds lexically, when ranked, and before those of every
	// sentence that one leaning on a pronoun follows (see carried).
	pronouns, prevHeld, before uint64
	// coverAt is where its cover stands in spanScratch.covers, -1 for
	// none.
	coverAt int
}

// passageState is what spanScratch.passage finds in a passage's sentences
// for scoreSpan, kept for each passage while they are ranked.
type passageState struct {
	chans   []channel
	near    []float32
	occs    [][]occ
	kinds   []kindHeld
	context []int
	lexical []uint64
}

// load makes the state of a passage sc's.
func (sc *spanScratch) load(st *passageState) {
	sc.chans, sc.near, sc.occs, sc.kinds, sc.context, sc.lexical = st.chans, st.near, st.occs, st.kinds, st.context, st.lexical
}

// store keeps sc's state of a passage in st, buffers grown.
func (sc *spanScratch) store(st *passageState) {
	st.chans, st.near, st.occs, st.kinds, st.context, st.lexical = sc.chans, sc.near, sc.occs, sc.kinds, sc.context, sc.lexical
}

// endRanking lets go of the question's passages, keeping the buffers.
func (sc *spanScratch) endRanking() {
	for i := range sc.ranking {
		pr := &sc.ranking[i]
		pr.p, pr.sents, pr.tw = nil, nil, termWeights{}
	}
	sc.ranking = sc.ranking[:0]
	sc.top = sc.top[:0]
	clear(sc.hitPassages)
	clear(sc.hitSents)
}

// insertTop puts the last of out, whose hits are outHits, in its place in
// sc.top, the order of out best first, ties in the search's order.
func (sc *spanScratch) insertTop(out []candidate, outHits []int) {
	n := int32(len(out) - 1)
	at := len(sc.top)
	for at > 0 && byScoreThenHit(out, outHits, n, sc.top[at-1]) < 0 {
		at--
	}
	sc.top = slices.Insert(sc.top, at, n)
}

// byScoreThenHit orders out[a] and out[b] best first, ties in the order of
// their hits.
func byScoreThenHit(out []candidate, outHits []int, a, b int32) int {
	if c := byScore(&out[a], &out[b]); c != 0 {
		return c
	}
	return cmp.Compare(outHits[a], outHits[b])
}

// facts finds into pf what is known of the spans of a passage with
// sentences sents before they are scored, from the matches sc found in
// them: all but its retrieval and neighbours.
func (sc *spanScratch) facts(pf *passageFacts, pq *question, tw *termWeights, sents []sentenceTerms) {
	pf.best = append(pf.best[:0], sc.held...)
	held := false
	for _, ch := range pf.best {
		held = held || ch != chNone
	}
	f := &pf.facts
	*f = [numFacts]float64{factOne: 1, factDocPrior: tw.docPrior, factDocFocus: tw.docFocus}
	if held && pq.kind.kind != kindAny {
		f[factKind] = 1
	}
	for _, b := range pq.bigrams {
		if pf.best[b[0]].lexical() && pf.best[b[1]].lexical() {
			f[factBigrams] += (tw.weights[b[0]] + tw.weights[b[1]]) / tw.total
		}
	}
	pf.rarest = rarestHeld(pf.best, tw.weights)
	if r := pf.rarest; r >= 0 {
		f[factRarest] = tw.weights[r] / tw.total
	}
	if len(sents) > 0 {
		f[factLastStart] = float64(len(sents)-1) / float64(len(sents))
	}
	// A span holds every term that a span within it holds, and its cover
	// is no less: the widest span from each sentence has the best cover of
	// those starting there, and the most tokens, and the sentence alone
	// the fewest.
	// So is a span holding only terms that one already summed holds.
	nt := len(pq.terms)
	minTokens, maxTokens, widest := math.MaxInt, 0, uint8(0)
	stops := uint64(0)
	masks := nt <= 64
	var bestMask uint64
	for i := range sents {
		s := &sents[i]
		stops |= s.stops
		minTokens, maxTokens, widest = min(minTokens, len(s.tokens)), max(maxTokens, int(s.wideTokens)), max(widest, s.widest)
		last := i + int(s.widest)
		if !masks {
			f[factCover] = max(f[factCover], sc.spanCover(tw, nt, i, last))
			continue
		}
		var mask uint64
		for _, m := range sc.lexical[i : last+1] {
			mask |= m
		}
		if i == 0 || mask&^bestMask != 0 {
			if c := maskCover(tw, mask); i == 0 || c > f[factCover] {
				f[factCover], bestMask = c, mask
			}
		}
	}
	f[factStops] = float64(bits.OnesCount64(stops & sc.stopMask))
	f[factWidest] = float64(widest)
	if maxTokens > 0 {
		f[factMinLength], f[factMaxLength] = logLength(minTokens), logLength(maxTokens)
	}
}

// spanCover is candidate.cover of the span of sentences first to last, as
// scoreSpan finds it.
func (sc *spanScratch) spanCover(tw *termWeights, nt, first, last int) float64 {
	lexical := 0.0
	for j := range nt {
		ch := chNone
		for i := first; i <= last; i++ {
			ch = min(ch, sc.chans[i*nt+j])
		}
		if ch.lexical() {
			lexical += tw.weights[j]
		}
	}
	return lexical / tw.total
}

// sentenceCover is spanCover of sentence k alone.
func (sc *spanScratch) sentenceCover(tw *termWeights, nt, k int) float64 {
	if nt <= 64 {
		return maskCover(tw, sc.lexical[k])
	}
	return sc.spanCover(tw, nt, k, k)
}

// rarestHeld is the term of greatest weight among those a passage holds
// lexically, held term by term through the channels held, the first of
// those weighing as much, or -1 when it holds none.
func rarestHeld(held []channel, weights []float64) int {
	r := -1
	for j, ch := range held {
		if ch.lexical() && (r < 0 || weights[j] > weights[r]) {
			r = j
		}
	}
	return r
}

// bare reports whether sentence k of the passage holds none of the
// question's nt terms lexically.
func (sc *spanScratch) bare(nt, k int) bool {
	if nt <= 64 {
		return sc.lexical[k] == 0
	}
	for _, ch := range sc.chans[k*nt : (k+1)*nt] {
		if ch.lexical() {
			return false
		}
	}
	return true
}

// maskCover is spanCover of a span holding lexically the terms whose bits
// mask has.
func maskCover(tw *termWeights, mask uint64) float64 {
	lexical := 0.0
	for m := mask; m != 0; m &= m - 1 {
		lexical += tw.weights[bits.TrailingZeros64(m)]
	}
	return lexical / tw.total
}

// sortedByScore is cs in the order order gives their indexes, in dst,
// grown (a new slice when dst is nil).
func sortedByScore(cs []candidate, order []int32, dst []candidate) []candidate {
	if dst == nil {
		dst = make([]candidate, 0, len(order))
	}
	out := slices.Grow(dst[:0], len(order))[:len(order)]
	for i, k := range order {
		out[i] = cs[k]
	}
	return out
}

// byScore orders candidates best first, as sort.SliceStable with "score
// greater" as its less would.
func byScore(a, b *candidate) int {
	switch {
	case a.score > b.score:
		return -1
	case b.score > a.score:
		return 1
	}
	return 0
}

// neighbourCover is FeatNeighbour for the spans of passage p: the best
// lexical cover of the passages before and after it, of those retrieved;
// and FeatFollows: that of the passage before alone.
func (e *Engine) neighbourCover(p *corpus.Passage, sc *spanScratch) (nb, before float64) {
	// In a corpus whose passages are numbered in their documents as they
	// stand, the passages beside p are told by their numbers, kept with
	// their covers, without reading p's document's list of passages: for
	// the passages of a long document, a read from far in memory each.
	if e.ordinals && p.Doc != nil {
		for _, c := range sc.covers {
			if c.doc != p.Doc {
				continue
			}
			switch c.ordinal {
			case p.Ordinal - 1:
				before = c.cover
				nb = max(nb, c.cover)
			case p.Ordinal + 1:
				nb = max(nb, c.cover)
			}
		}
		return nb, before
	}
	prev, next := e.neighbours(p)
	if prev != nil {
		before = sc.coverOf(prev)
		nb = max(nb, before)
	}
	if next != nil {
		nb = max(nb, sc.coverOf(next))
	}
	return nb, before
}

// neighbourCoverOf is neighbourCover for passage pr, read from
// sc.nearCovers where neighbourCovers found it.
func (e *Engine) neighbourCoverOf(pr *passageRank, sc *spanScratch) (nb, before float64) {
	if e.ordinals && pr.coverAt >= 0 && pr.p.Doc != nil {
		c := sc.nearCovers[pr.coverAt]
		return c.nb, c.before
	}
	return e.neighbourCover(pr.p, sc)
}

// ordinalsHold reports whether every passage of c is its document's, at
// the place its Ordinal says (as corpus.Load numbers them).
func ordinalsHold(c *corpus.Corpus) bool {
	if c == nil {
		return false
	}
	for _, d := range c.Documents {
		for i, p := range d.Passages {
			if p.Doc != d || p.Ordinal != i+1 {
				return false
			}
		}
	}
	return true
}

// neighbours is e.c.Neighbours(p) for passage p of the corpus, found by
// its place in its document without looking up its ID.
func (e *Engine) neighbours(p *corpus.Passage) (prev, next *corpus.Passage) {
	if p == nil || p.Doc == nil {
		return e.c.Neighbours(p)
	}
	ps, i := p.Doc.Passages, p.Ordinal-1
	if i < 0 || i >= len(ps) || ps[i] != p {
		return e.c.Neighbours(p)
	}
	if i > 0 {
		prev = ps[i-1]
	}
	if i+1 < len(ps) {
		next = ps[i+1]
	}
	return prev, next
}

// passageCover is the best lexical cover of any span of a passage ranked.
type passageCover struct {
	p *corpus.Passage
	// doc and ordinal are p's document and place in it.
	doc     *corpus.Document
	ordinal int
	cover   float64
}

// docTermWeights are the weights of the question's terms in a document
// ranked.
type docTermWeights struct {
	d *corpus.Document
	termWeights
}

// startRanking makes sc ready to rank the passages retrieved for question
// pq, whose terms' IDs are q: its terms' weights in the corpus, no document
// weighed and no passage covered yet, and the question's forms one after
// the other for docStats.
func (sc *spanScratch) startRanking(q *questionIDs, pq *question) {
	terms := len(pq.terms)
	sc.evidence = slices.Grow(sc.evidence[:0], terms)[:terms]
	sc.globalShare = slices.Grow(sc.globalShare[:0], terms)[:terms]
	sc.gtotal = 0
	for j, t := range pq.terms {
		sc.gtotal += t.idf
		sc.evidence[j] = t.idf * t.trust
		sc.globalShare[j] = math.Pow(t.idf, 1-localShare)
	}
	sc.stopMask = 0
	for _, stop := range pq.stops {
		sc.stopMask |= stopBit[stop]
	}
	sc.covers = sc.covers[:0]
	sc.docs = sc.docs[:0]
	sc.ranking, sc.top = sc.ranking[:0], sc.top[:0]
	sc.weightBuf = sc.weightBuf[:0]
	sc.flat, sc.flatAt = sortedForms(q.forms, sc.flat, sc.flatAt)
	sc.counts = slices.Grow(sc.counts[:0], len(sc.flat))[:len(sc.flat)]
	sc.freq = slices.Grow(sc.freq[:0], terms)[:terms]
}

// sortedForms sets flat to the IDs of forms, every term's, once each in
// ascending order, as the index reads a document's counts quickest, and at
// to where each form of each term, one after the other, stands in flat.
// flat and at are buffers, returned grown.
func sortedForms(forms [][]index.TermID, flat []index.TermID, at []int32) ([]index.TermID, []int32) {
	flat = flat[:0]
	for _, f := range forms {
		flat = append(flat, f...)
	}
	slices.Sort(flat)
	flat = slices.Compact(flat)
	at = at[:0]
	for _, f := range forms {
		for _, id := range f {
			i, _ := slices.BinarySearch(flat, id)
			at = append(at, int32(i))
		}
	}
	return flat, at
}

// docWeights are the term weights of document d, nil when not yet made.
// The documents of the passages ranked are a few: a look at each is
// quicker than a map.
func (sc *spanScratch) docWeights(d *corpus.Document) *termWeights {
	for i := range sc.docs {
		if sc.docs[i].d == d {
			return &sc.docs[i].termWeights
		}
	}
	return nil
}

// newDocWeights adds document d's term weights, zero, for terms terms.
func (sc *spanScratch) newDocWeights(d *corpus.Document, terms int) *termWeights {
	// The weights of every document share one buffer; when it is full a
	// bigger one takes over, the weights already made staying where they
	// are.
	if cap(sc.weightBuf)-len(sc.weightBuf) < terms {
		sc.weightBuf = make([]float64, 0, 2*cap(sc.weightBuf)+terms)
	}
	n := len(sc.weightBuf)
	sc.weightBuf = sc.weightBuf[:n+terms]
	ws := sc.weightBuf[n : n+terms : n+terms]
	clear(ws)
	sc.docs = append(sc.docs, docTermWeights{d: d, termWeights: termWeights{weights: ws}})
	return &sc.docs[len(sc.docs)-1].termWeights
}

// setCover records the best lexical cover of passage p's spans, and
// returns where it stands in sc.covers.
func (sc *spanScratch) setCover(p *corpus.Passage, cover float64) int {
	for i := range sc.covers {
		if sc.covers[i].p == p {
			sc.covers[i].cover = max(sc.covers[i].cover, cover)
			return i
		}
	}
	sc.covers = append(sc.covers, passageCover{p: p, doc: p.Doc, ordinal: p.Ordinal, cover: cover})
	return len(sc.covers) - 1
}

// nearCover is neighbourCover's two covers for a passage: the best of
// its neighbours' and that of the passage before it.
type nearCover struct{ nb, before float64 }

// neighbourCovers sets sc.nearCovers to the neighbourCover of each of
// sc.covers' passages of a document, in a corpus whose passages are
// numbered in their documents as they stand (see Engine.ordinals): every
// two passages are compared once, not twice.
func (sc *spanScratch) neighbourCovers() {
	cs := sc.covers
	nb := slices.Grow(sc.nearCovers[:0], len(cs))[:len(cs)]
	clear(nb)
	for i := range cs {
		a := &cs[i]
		if a.doc == nil {
			continue
		}
		for j := i + 1; j < len(cs); j++ {
			b := &cs[j]
			if b.doc != a.doc {
				continue
			}
			switch b.ordinal {
			case a.ordinal - 1:
				nb[i].before = b.cover
			case a.ordinal + 1:
				nb[j].before = a.cover
			default:
				continue
			}
			nb[i].nb = max(nb[i].nb, b.cover)
			nb[j].nb = max(nb[j].nb, a.cover)
		}
	}
	sc.nearCovers = nb
}

// coverOf is the best lexical cover of passage p's spans, 0 when it was
// not ranked.
func (sc *spanScratch) coverOf(p *corpus.Passage) float64 {
	for _, c := range sc.covers {
		if c.p == p {
			return c.cover
		}
	}
	return 0
}

// appendPositions appends to dst, plus base, the token indexes of the
// sentence where a question word whose forms have IDs forms stands: those
// of its first form, then of the next.
func (s sentenceTerms) appendPositions(dst []int, forms []index.TermID, base int) []int {
	for _, f := range forms {
		for j, t := range s.terms {
			if t == f {
				dst = append(dst, base+j)
			}
		}
	}
	return dst
}

// holds reports whether a question word whose forms have IDs forms stands
// in the sentence.
func (s sentenceTerms) holds(forms []index.TermID) bool {
	for _, t := range s.terms {
		for _, f := range forms {
			if t == f {
				return true
			}
		}
	}
	return false
}

// startSpan makes sc ready for a span of a passage's sentences: none of
// them in it yet (see extendSpan).
func (sc *spanScratch) startSpan() {
	for j := range sc.hits {
		sc.hits[j] = sc.hits[j][:0]
	}
	for j := range sc.best {
		sc.best[j] = chNone
	}
	sc.ntok, sc.occurrences, sc.stops = 0, 0, 0
}

// extendSpan adds sentence k of the passage, the one after the last of the
// span, to the span sc measures: where the question's terms stand in it,
// through what, its tokens and stop words.
func (sc *spanScratch) extendSpan(sents []sentenceTerms, k int) {
	nt := len(sc.best)
	for _, o := range sc.occs[k] {
		sc.hits[o.term] = append(sc.hits[o.term], sc.ntok+o.pos)
	}
	sc.occurrences += len(sc.occs[k])
	for j, ch := range sc.chans[k*nt : (k+1)*nt] {
		sc.best[j] = min(sc.best[j], ch)
	}
	sc.ntok += len(sents[k].tokens)
	sc.stops |= sents[k].stops
}

// scoreSpan measures into c the sentences first to last of a passage as
// an answer, the span sc was extended to (see extendSpan), with the
// question's terms weighed by tw; sc holds the matches of the passage's
// sentences. The passage's own features (retrieval, document, neighbours)
// are left to the caller. It reports false, c left half measured, when
// the span cannot score more than floor by weights w without the
// passage's own features: its proximity, order, bigrams and kind, dearest
// to measure, are measured last, once their most might reach floor.
func scoreSpan(c *candidate, pq *question, tw *termWeights, sents []sentenceTerms, first, last int, sc *spanScratch, w *Weights, floor float64) bool {
	*c = candidate{first: first, last: last}
	nt := len(pq.terms)
	hits, best, ntok := sc.hits, sc.best, sc.ntok
	f := &c.features
	total := tw.total
	weights := tw.weights
	var lexical, held, context, gmatched float64
	distinct, lexicalTerms := 0, 0
	for j := range nt {
		if ch := best[j]; ch != chNone {
			f[ch.feature()] += weights[j] / total
			held += weights[j]
			distinct++
			if ch.lexical() {
				lexicalTerms++
				lexical += weights[j]
				gmatched += sc.evidence[j]
			}
			continue
		}
		// No sentence of the span holds the term: any of the passage's
		// that holds it closely stands outside it.
		if sc.context[j] > 0 {
			context += weights[j]
		}
	}
	// Word vectors are compared only for a span that holds some of the
	// question otherwise, for the terms it lacks: the comparison is the
	// ranker's dearest.
	if distinct > 0 && sc.vectors {
		for j := range nt {
			if vec := pq.terms[j].vec; best[j] == chNone && vec >= 0 {
				f[FeatVector] += weights[j] / total * sc.closeness(sents, first, last, j, vec)
			}
		}
	}
	c.cover, c.global = lexical/total, gmatched/sc.gtotal
	f[FeatContext] = context / total
	// The question's stop words are as many bits of stopBit.
	f[FeatStop] = float64(bits.OnesCount64(sc.stops & sc.stopMask))
	if ntok-sc.occurrences <= 0 {
		f[FeatEcho] = 1
	}
	f[FeatLength] = logLength(ntok)
	f[FeatSpan] = float64(last - first)
	f[FeatPosition] = float64(first) / float64(len(sents))
	if first != last && sc.bare(nt, first) {
		f[FeatBareFirst] = 1
	}
	if r := sc.rarest; r >= 0 && best[r] != chNone {
		f[FeatRarest] = weights[r] / total
	}
	if sc.before != 0 {
		span := uint64(0)
		for _, m := range sc.lexical[first : last+1] {
			span |= m
		}
		f[FeatCarried] = maskCover(tw, sc.before&^span)
	}
	kind := held > 0 && pq.kind.kind != kindAny
	if !math.IsInf(floor, -1) && spanMost(w, f, pq, tw, best, c.cover, lexicalTerms, kind)+boundSlack < floor {
		return false
	}
	if lexicalTerms >= 2 {
		f[FeatProximity] = c.cover * proximity(hits, ntok, sc)
		f[FeatOrder] = c.cover * inOrder(hits, pq.of)
	}
	for _, b := range pq.bigrams {
		if adjacent(hits[b[0]], hits[b[1]]) {
			f[FeatBigram] += (weights[b[0]] + weights[b[1]]) / total
		}
	}
	if kind {
		for i := first; i <= last; i++ {
			if sc.holdsKind(pq, sents, i) {
				f[FeatKind] = 1
				break
			}
		}
	}
	if f[FeatKind] == 1 {
		// The sentence holding the most of the question, of a span of
		// many.
		most, cover := first, -1.0
		for i := first; i <= last && first != last; i++ {
			if c := sc.sentenceCover(tw, nt, i); c > cover {
				most, cover = i, c
			}
		}
		if sc.holdsKind(pq, sents, most) {
			f[FeatKindSentence] = 1
		}
	}
	return true
}

// spanMost is the most a span may score by weights w, without its
// passage's own features, from features f that scoreSpan measured of it
// before its proximity, order, bigrams and kind: each of those lies
// between 0 and what its closest channels best, its cover, its count of
// lexical terms and whether its kind may count (kind) allow.
func spanMost(w *Weights, f *Features, pq *question, tw *termWeights, best []channel, cover float64, lexicalTerms int, kind bool) float64 {
	most := w.Score(f)
	if lexicalTerms >= 2 {
		most += max(0, w[FeatProximity])*cover + max(0, w[FeatOrder])*cover
	}
	bigrams := 0.0
	for _, b := range pq.bigrams {
		if best[b[0]].lexical() && best[b[1]].lexical() {
			bigrams += (tw.weights[b[0]] + tw.weights[b[1]]) / tw.total
		}
	}
	most += max(0, w[FeatBigram]) * bigrams
	if kind {
		most += max(0, w[FeatKind]) + max(0, w[FeatKindSentence])
	}
	return most
}

// logLength is FeatLength for a span of ntok tokens, log(1+ntok), read
// from a table for the spans of most passages.
func logLength(ntok int) float64 {
	if ntok < len(logLengths) {
		return logLengths[ntok]
	}
	return math.Log(1 + float64(ntok))
}

// logLengths[n] is math.Log(1+n): the same figures, computed once.
var logLengths = func() (out [1024]float64) {
	for n := range out {
		out[n] = math.Log(1 + float64(n))
	}
	return out
}()

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
	// best is, term by term, the closest channel of the span, and held
	// the closest of any sentence of the passage.
	best, held []channel
	// ntok, occurrences and stops are the span's tokens, how many of
	// them are the question's terms, and the bits of its stop words (see
	// stopBit).
	ntok, occurrences int
	stops             uint64
	// near[k*terms+j] is how close in meaning sentence k's nearest word is
	// to term j, or -1 when not yet known.
	near []float32
	// seen are, for each synonym of many words, the bits of the words
	// the sentence holds.
	seen []uint64
	// stopMask has the bits of the question's stop words (see stopBit),
	// found as ranking starts.
	stopMask uint64
	// lexical has, sentence by sentence of the passage, the bit of each
	// term it holds lexically, for a question of 64 terms at most.
	lexical []uint64
	// kinds tells, sentence by sentence, whether it holds the kind of
	// thing the question asks for, once known (see holdsKind).
	kinds []kindHeld
	// context counts, term by term, the sentences of the passage that hold
	// it through the question's words or the corpus's synonyms.
	context []int
	// rarest is the question term FeatRarest asks of the passage's spans,
	// or -1 (see rarestHeld).
	rarest int
	// before has the bit of each term that the sentence before the span
	// (the passage before, for a span starting its passage) holds
	// lexically, when the span's first sentence leans on a pronoun (see
	// FeatCarried).
	before uint64
	// pairs and count serve proximity.
	pairs []occ
	count []int
	// covers are the best lexical cover of each passage ranked, docs the
	// term weights of each document, in weightBuf (see newDocWeights).
	covers    []passageCover
	docs      []docTermWeights
	weightBuf []float64
	// nearCovers are, cover by cover, the passage's neighbourCover (see
	// neighbourCovers).
	nearCovers []nearCover
	// gtotal is the weight of the question's terms by their rarity in the
	// whole corpus, evidence each term's share of it as evidence (its
	// weight by its trust), for candidate.global.
	gtotal   float64
	evidence []float64
	// globalShare is, term by term, the part of its weight in every
	// document that its rarity in the whole corpus makes.
	globalShare []float64
	// ranked keeps the best span of each passage while they are ranked,
	// rankedHits their places among the hits, top their order best
	// first; ranking is every passage being ranked.
	ranked     []candidate
	rankedHits []int
	top        []int32
	ranking    []passageRank
	// lookups, lookupIDs, forms and order serve questionIDs.
	lookups   []string
	lookupIDs []index.TermID
	forms     []termForm
	order     []int32
	// hitPassages are the passages of the hits being ranked, hitSents
	// their sentences as the engine's cache of analyses holds them, and
	// hitFound whether it does.
	hitPassages []*corpus.Passage
	hitSents    [][]sentenceTerms
	hitFound    []bool
	// flat, flatAt, counts and freq serve docStats.
	flat   []index.TermID
	flatAt []int32
	counts []int
	freq   []int
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
func (sc *spanScratch) holdsKind(pq *question, sents []sentenceTerms, k int) bool {
	if sc.kinds[k] == kindUnknown {
		sc.kinds[k] = kindNotHeld
		if pq.kind.matches(sents[k].words, sents[k].kinds, sents[k].cues) {
			sc.kinds[k] = kindIsHeld
		}
	}
	return sc.kinds[k] == kindIsHeld
}

// hold records that sentence k of the passage holds question term j
// through channel ch, of a question of nt terms, where no closer channel
// was found yet: and when ch is the first that holds it lexically, counts
// the sentence among those that hold the term closely (see
// spanScratch.context) and
// sets the term's bit in lexical (see spanScratch.lexical).
func (sc *spanScratch) hold(k, nt, j int, ch channel, lexical *uint64) {
	i := k*nt + j
	if ch >= sc.chans[i] {
		return
	}
	if ch.lexical() && !sc.chans[i].lexical() {
		sc.context[j]++
		*lexical |= 1 << (j % 64)
	}
	sc.chans[i] = ch
	sc.held[j] = min(sc.held[j], ch)
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
func (sc *spanScratch) passage(q *questionIDs, pq *question, sents []sentenceTerms) {
	nt := len(pq.terms)
	n := len(sents) * nt
	sc.chans = slices.Grow(sc.chans[:0], n)[:n]
	sc.near = slices.Grow(sc.near[:0], n)[:n]
	for i := range sc.chans {
		sc.chans[i] = chNone
	}
	// How close in meaning is asked only of spans compared by vectors.
	if sc.vectors {
		for i := range sc.near {
			sc.near[i] = -1
		}
	}
	for len(sc.occs) < len(sents) {
		sc.occs = append(sc.occs, nil)
	}
	sc.seen = slices.Grow(sc.seen[:0], len(q.members))[:len(q.members)]
	// Whether each sentence holds the kind of thing asked for is found
	// when a span first asks (see holdsKind); how many sentences hold
	// each term closely, and the terms each holds so, as its terms are.
	sc.kinds = slices.Grow(sc.kinds[:0], len(sents))[:len(sents)]
	clear(sc.kinds)
	sc.context = slices.Grow(sc.context[:0], nt)[:nt]
	clear(sc.context)
	sc.held = slices.Grow(sc.held[:0], nt)[:nt]
	for j := range sc.held {
		sc.held[j] = chNone
	}
	sc.lexical = slices.Grow(sc.lexical[:0], len(sents))[:len(sents)]
	// The table of the question's IDs is read into locals once: the
	// loop's stores to sc would otherwise have it read again at every
	// term, as far as the compiler knows.
	mask, slots, all, shift := &q.mask, q.slots, q.all, q.shift
	for k := range sents {
		terms := sents[k].terms
		occs := sc.occs[k][:0]
		clear(sc.seen)
		partial := false
		lexical := uint64(0)
		for p, id := range terms {
			// Most of a sentence's terms are none of the question's.
			if !mask.has(id) {
				continue
			}
			for _, f := range formsIn(slots, all, shift, id) {
				if f.member != noMember {
					sc.seen[f.member] |= f.bit
					partial = true
					continue
				}
				if f.ch.lexical() {
					occs = append(occs, occ{p, int(f.term)})
				}
				sc.hold(k, nt, int(f.term), f.ch, &lexical)
			}
		}
		if partial {
			// The words of a synonym of many words count where the
			// sentence holds them all.
			for p, id := range terms {
				for _, f := range q.lookup(id) {
					if f.member == noMember || sc.seen[f.member] != q.members[f.member] {
						continue
					}
					occs = append(occs, occ{p, int(f.term)})
					sc.hold(k, nt, int(f.term), f.ch, &lexical)
				}
			}
		}
		sc.occs[k] = occs
		sc.lexical[k] = lexical
	}
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

// inOrder is the share of pairs of question words, among those a span holds,
// that stand in the question's order, or either way round for a pair a
// phrase "A of B" joins (see question.of).
func inOrder(hits [][]int, of [][2]int) float64 {
	pairs, same := 0, 0
	for i := range hits {
		if len(hits[i]) == 0 {
			continue
		}
		for j := i + 1; j < len(hits); j++ {
			if len(hits[j]) == 0 {
				continue
			}
			pairs++
			if hits[i][0] < hits[j][0] || slices.Contains(of, [2]int{i, j}) {
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
