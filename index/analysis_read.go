package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"path/filepath"

	"github.com/storybot/storybot/corpus"
)

// analyses is an open analysisFile: its bytes, mapped or read, cut into
// its sections, and checked against the corpus it was built from.
type analyses struct {
	data  []byte
	unmap func() error

	nterms    int
	termOff   []byte // (nterms+1) uint32
	termBytes []byte
	sorted    []byte // nterms uint32
	docPass   []byte // (ndocs+1) uint32
	docSents  []byte // ndocs uint32
	docPairs  []byte // (ndocs+1) uint32
	pairs     []byte // nfreqs × 2 uint32
	passOff   []byte // (npassages+1) uint32
	blob      []byte
	nwords    int
	wordOff   []byte // (nwords+1) uint32
	wordBytes []byte
	wordCount []byte // nwords uint32
	// words holds the word bytes as one string, which the words of the
	// sentences decoded share.
	words string

	// docNum numbers the corpus's documents in order.
	docNum map[string]int
}

// openAnalyses opens the analysis file of the index folder dir and checks
// it, length, checksum and counts, against c: a missing, damaged or
// mismatched file is an error wrapping ErrCorrupt.
func openAnalyses(dir string, c *corpus.Corpus) (*analyses, error) {
	path := filepath.Join(dir, analysisFile)
	data, unmap, err := mapFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: read sentence analyses: %v", ErrCorrupt, err)
	}
	a, err := parseAnalyses(data, c)
	if err != nil {
		unmap()
		return nil, fmt.Errorf("%w: sentence analyses %s: %v", ErrCorrupt, path, err)
	}
	a.unmap = unmap
	return a, nil
}

func (a *analyses) close() error {
	if a == nil || a.unmap == nil {
		return nil
	}
	err := a.unmap()
	a.unmap = nil
	return err
}

var errShort = errors.New("shorter than its header says")

func parseAnalyses(data []byte, c *corpus.Corpus) (*analyses, error) {
	if len(data) < analysisHeader+4 || string(data[:len(analysisMagic)]) != analysisMagic {
		return nil, errors.New("not an analysis file of this version")
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(body):]) {
		return nil, errors.New("fails its checksum")
	}
	h := body[len(analysisMagic):]
	num := func(i int) int { return int(binary.LittleEndian.Uint32(h[4*i:])) }
	nterms, ndocs, npass, nfreqs, termBytes, blob := num(0), num(1), num(2), num(3), num(4), num(5)
	nwords, wordBytes := num(6), num(7)
	rest := body[analysisHeader:]
	cut := func(n int) []byte {
		if n < 0 || n > len(rest) {
			return nil
		}
		s := rest[:n:n]
		rest = rest[n:]
		return s
	}
	a := &analyses{nterms: nterms, nwords: nwords}
	sections := []struct {
		dst *[]byte
		n   int
	}{
		{&a.termOff, 4 * (nterms + 1)}, {&a.termBytes, termBytes}, {&a.sorted, 4 * nterms},
		{&a.docPass, 4 * (ndocs + 1)}, {&a.docSents, 4 * ndocs}, {&a.docPairs, 4 * (ndocs + 1)},
		{&a.pairs, 8 * nfreqs}, {&a.passOff, 4 * (npass + 1)}, {&a.blob, blob},
		{&a.wordOff, 4 * (nwords + 1)}, {&a.wordBytes, wordBytes}, {&a.wordCount, 4 * nwords},
	}
	for _, s := range sections {
		if *s.dst = cut(s.n); *s.dst == nil && s.n != 0 {
			return nil, errShort
		}
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes more than its header says", len(rest))
	}
	if nterms >= int(NoTerm) {
		return nil, fmt.Errorf("holds %d terms, more than IDs can number", nterms)
	}
	if ndocs != len(c.Documents) || npass != c.NumPassages() {
		return nil, fmt.Errorf("holds %d documents and %d passages, the corpus %d and %d",
			ndocs, npass, len(c.Documents), c.NumPassages())
	}
	if err := increasing(a.termOff, termBytes); err != nil {
		return nil, fmt.Errorf("terms: %w", err)
	}
	if err := increasing(a.docPairs, nfreqs); err != nil {
		return nil, fmt.Errorf("document terms: %w", err)
	}
	if err := increasing(a.passOff, blob); err != nil {
		return nil, fmt.Errorf("passages: %w", err)
	}
	if err := increasing(a.wordOff, wordBytes); err != nil {
		return nil, fmt.Errorf("words: %w", err)
	}
	a.words = string(a.wordBytes)
	a.docNum = make(map[string]int, ndocs)
	for i, d := range c.Documents {
		a.docNum[d.ID] = i
		if n := u32(a.docPass, i+1) - u32(a.docPass, i); n != len(d.Passages) {
			return nil, fmt.Errorf("document %s has %d passages, the corpus %d", d.ID, n, len(d.Passages))
		}
	}
	if u32(a.docPass, 0) != 0 || u32(a.docPass, ndocs) != npass {
		return nil, errors.New("documents do not cover the passages")
	}
	for i := range nfreqs {
		if u32(a.pairs, 2*i) >= nterms {
			return nil, fmt.Errorf("document term %d out of range", u32(a.pairs, 2*i))
		}
	}
	for i := range nterms {
		if u32(a.sorted, i) >= nterms {
			return nil, fmt.Errorf("sorted term %d out of range", u32(a.sorted, i))
		}
	}
	return a, nil
}

// increasing checks that an offset table starts at 0, never decreases and
// ends at end.
func increasing(table []byte, end int) error {
	n := len(table) / 4
	if u32(table, 0) != 0 || u32(table, n-1) != end {
		return errors.New("offsets do not span their section")
	}
	for i := 1; i < n; i++ {
		if u32(table, i) < u32(table, i-1) {
			return fmt.Errorf("offset %d decreases", i)
		}
	}
	return nil
}

func u32(b []byte, i int) int { return int(binary.LittleEndian.Uint32(b[4*i:])) }

// term is the term with ID i, as bytes of the file.
func (a *analyses) term(i int) []byte {
	return a.termBytes[u32(a.termOff, i):u32(a.termOff, i+1)]
}

// termID finds term by binary search of the terms in order.
func (a *analyses) termID(term string) (TermID, bool) {
	lo, hi := 0, a.nterms
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if string(a.term(u32(a.sorted, m))) < term {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < a.nterms {
		if id := u32(a.sorted, lo); string(a.term(id)) == term {
			return TermID(id), true
		}
	}
	return 0, false
}

// errDamaged says the stored sentences of a passage do not decode.
type errDamaged struct{ passage string }

func (e errDamaged) Error() string {
	return fmt.Sprintf("%v: sentence analyses of passage %s are damaged", ErrCorrupt, e.passage)
}

func (e errDamaged) Unwrap() error { return ErrCorrupt }

// sentences decodes the sentences of passage p.
func (a *analyses) sentences(p *corpus.Passage) ([]Sentence, error) {
	d, ok := a.docNum[p.Doc.ID]
	if !ok || p.Ordinal < 1 || p.Ordinal > u32(a.docPass, d+1)-u32(a.docPass, d) {
		return nil, fmt.Errorf("%w: no passage %s in the sentence analyses", ErrCorrupt, p.ID)
	}
	g := u32(a.docPass, d) + p.Ordinal - 1
	b := a.blob[u32(a.passOff, g):u32(a.passOff, g+1)]
	bad := errDamaged{p.ID}
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	ntok, ok1 := next()
	nsent, ok2 := next()
	if !ok1 || !ok2 || ntok > uint64(len(b)) || nsent != uint64(len(p.Sentences)) {
		return nil, bad
	}
	toks := make([]IDToken, ntok)
	out := make([]Sentence, nsent)
	used := 0
	// words holds the sentences' words and cues one after the other;
	// ends[4*i+k] is where the kth list of sentence i ends (see wordLists).
	var words []string
	ends := make([]int, 0, wordLists*nsent)
	for i := range out {
		n, ok := next()
		if !ok || n > uint64(len(toks)-used) {
			return nil, bad
		}
		st := toks[used : used+int(n) : used+int(n)]
		used += int(n)
		end := int64(0)
		for j := range st {
			id, ok := next()
			delta, n := binary.Varint(b)
			if !ok || n <= 0 || id >= uint64(a.nterms) {
				return nil, bad
			}
			b = b[n:]
			l, ok := next()
			if !ok {
				return nil, bad
			}
			start := end + delta
			end = start + int64(l)
			st[j] = IDToken{Term: TermID(id), Start: int32(start), End: int32(end)}
		}
		out[i].Tokens = st
		for range wordLists {
			n, ok := next()
			if !ok || n > uint64(len(b)) {
				return nil, bad
			}
			for range n {
				id, ok := next()
				if !ok || id >= uint64(a.nwords) {
					return nil, bad
				}
				words = append(words, a.word(int(id)))
			}
			ends = append(ends, len(words))
		}
	}
	if used != len(toks) || len(b) != 0 {
		return nil, bad
	}
	list := func(k int) []string {
		start := 0
		if k > 0 {
			start = ends[k-1]
		}
		if start == ends[k] {
			return nil
		}
		return words[start:ends[k]:ends[k]]
	}
	for i := range out {
		out[i].Words = list(wordLists * i)
		out[i].Cues = Cues{Numbers: list(wordLists*i + 1), Names: list(wordLists*i + 2), Places: list(wordLists*i + 3)}
	}
	return out, nil
}

// wordLists is how many lists of words each stored sentence has after its
// tokens: its words, numbers, names and places.
const wordLists = 4

// word is the word with ID i.
func (a *analyses) word(i int) string {
	return a.words[u32(a.wordOff, i):u32(a.wordOff, i+1)]
}

// sentenceFreqs sets out[i] to how many sentences of document d hold
// terms[i], and returns how many sentences d has.
func (a *analyses) sentenceFreqs(d *corpus.Document, terms []TermID, out []int) (int, error) {
	n, ok := a.docNum[d.ID]
	if !ok {
		return 0, fmt.Errorf("%w: no document %s in the sentence analyses", ErrCorrupt, d.ID)
	}
	lo, hi := u32(a.docPairs, n), u32(a.docPairs, n+1)
	for i, t := range terms {
		out[i] = 0
		l, h := lo, hi
		for l < h {
			m := int(uint(l+h) >> 1)
			if TermID(u32(a.pairs, 2*m)) < t {
				l = m + 1
			} else {
				h = m
			}
		}
		if l < hi && TermID(u32(a.pairs, 2*l)) == t {
			out[i] = u32(a.pairs, 2*l+1)
		}
	}
	return u32(a.docSents, n), nil
}

// TermID is the ID of an analysed term in the stored analyses, and false
// when the corpus never uses it. The same corpus always gets the same IDs,
// across rebuilds too.
func (ix *Index) TermID(term string) (id TermID, ok bool) {
	ix.with(context.Background(), "look up term", func(h *handle) error {
		id, ok = h.an.termID(term)
		return nil
	})
	return id, ok
}

// NoTerm is the ID TermIDs gives a term the corpus never uses: no term has
// it.
const NoTerm TermID = math.MaxUint32

// TermIDs sets out[i] to the ID of terms[i] in the stored analyses, as
// TermID finds it, or to NoTerm when the corpus never uses it (or the index
// cannot tell): the IDs of many terms under one look at the index in
// service. out is at least as long as terms.
func (ix *Index) TermIDs(terms []string, out []TermID) {
	err := ix.with(context.Background(), "look up terms", func(h *handle) error {
		for i, t := range terms {
			out[i] = NoTerm
			if id, ok := h.an.termID(t); ok {
				out[i] = id
			}
		}
		return nil
	})
	if err != nil {
		for i := range terms {
			out[i] = NoTerm
		}
	}
}

// Sentences are the analysed sentences of passage p, one for each of
// p.Sentences, read from the analyses stored with the index. An error
// wrapping ErrCorrupt says they are damaged; the index is being rebuilt.
func (ix *Index) Sentences(ctx context.Context, p *corpus.Passage) ([]Sentence, error) {
	var out []Sentence
	err := ix.with(ctx, "read sentence analyses", func(h *handle) (err error) {
		out, err = h.an.sentences(p)
		return err
	})
	return out, err
}

// Words counts the words of the corpus's passages as EachWord finds them,
// lower-cased: the vocabulary stored with the index. The map is the
// caller's.
func (ix *Index) Words() (map[string]int, error) {
	var out map[string]int
	err := ix.with(context.Background(), "read the vocabulary", func(h *handle) error {
		a := h.an
		out = make(map[string]int, a.nwords)
		// One string holds every word; the map's keys share it. A word
		// only sentences' words or cues hold is none of the vocabulary.
		for i := range a.nwords {
			if n := u32(a.wordCount, i); n > 0 {
				out[a.word(i)] = n
			}
		}
		return nil
	})
	return out, err
}

// SentenceFreqs sets out[i], for each of terms, to how many sentences of
// document d hold it, and returns how many sentences d has.
func (ix *Index) SentenceFreqs(ctx context.Context, d *corpus.Document, terms []TermID, out []int) (int, error) {
	var n int
	err := ix.with(ctx, "read document terms", func(h *handle) (err error) {
		n, err = h.an.sentenceFreqs(d, terms, out)
		return err
	})
	return n, err
}
