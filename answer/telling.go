package answer

import (
	"github.com/storybot/storybot/answer/vectors"
	"github.com/storybot/storybot/index"
)

// tellingTable is the bits of each word of the index's vocabulary (see
// wordBits), by word ID: a stored sentence's words give their bits through
// it without their bytes being looked at.
type tellingTable struct {
	// words are the vocabulary's words by ID.
	words []string
	// of is, for each word ID, the place in bits of the word's bits, 0
	// for a word with none.
	of []uint16
	// bits are the distinct bits of the vocabulary's words, the zero
	// bits first.
	bits []wordBits
	// vecs are, for each word ID, the row of the word's vector, -1 for a
	// word with none: what a span's words are compared by is looked up
	// once for the corpus, not again for each question.
	vecs []int32
}

// newTellingTable finds the bits of every word of words, the vocabulary by
// word ID; the table holds no bits when there are more distinct ones than
// it can number, and a sentence's words are then looked at one by one.
func newTellingTable(words []string) tellingTable {
	vecs := make([]int32, len(words))
	for id, w := range words {
		vecs[id] = -1
		if r, ok := vectors.ID(w); ok {
			vecs[id] = r
		}
	}
	t := tellingTable{words: words, of: make([]uint16, len(words)), bits: []wordBits{{}}, vecs: vecs}
	place := map[wordBits]uint16{{}: 0}
	for id, w := range words {
		b := wordBitsOf(w)
		if b == (wordBits{}) {
			continue
		}
		k, ok := place[b]
		if !ok {
			if len(t.bits) > maxTellingBits {
				return tellingTable{words: words, vecs: vecs}
			}
			k = uint16(len(t.bits))
			place[b] = k
			t.bits = append(t.bits, b)
		}
		t.of[id] = k
	}
	return t
}

// maxTellingBits is how many distinct bits a tellingTable numbers.
const maxTellingBits = 1<<16 - 1

// sentenceBits are the stop words and kinds of answer of the words whose
// IDs are ids, every one of them in the vocabulary: from the table when it
// holds bits, else from each word.
func (t tellingTable) sentenceBits(ids []index.WordID) (stops uint64, kinds uint8) {
	if len(t.of) == 0 {
		for _, id := range ids {
			b := wordBitsOf(t.words[id])
			stops |= b.stop
			kinds |= b.kinds
		}
		return stops, kinds
	}
	for _, id := range ids {
		b := t.bits[t.of[id]]
		stops |= b.stop
		kinds |= b.kinds
	}
	return stops, kinds
}
