package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/bits"
	"path/filepath"
	"slices"

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
	// words holds the word bytes as one string; wordList is each word, by
	// ID, a slice of it, which the cues of the sentences decoded and the
	// vocabulary share: a cue decoded costs one look at one table.
	words    string
	wordList []string

	// docNum numbers the corpus's documents in order.
	docNum map[string]int
	// filters mark each document's terms, filterAt[d] to filterAt[d+1]
	// being document d's (see docFilter).
	filters  []uint64
	filterAt []int
}

// filterBits is about how many bits of a document's filter each of its
// terms has: one in four at most is set, and a term the document lacks is
// told so at once three times in four at least.
const filterBits = 4

// docFilter is a filter of the terms of one document: the bit of term ID
// t, modulo its length in bits (a power of two), is set for each of its
// terms.
type docFilter []uint64

// newDocFilters makes the filters of the documents whose terms are, each,
// pairs[2*from[d]:2*from[d+1]] (see analysisFile), and where each starts.
func newDocFilters(pairs []byte, from []byte, ndocs int) ([]uint64, []int) {
	at := make([]int, ndocs+1)
	for d := range ndocs {
		n := (filterBits*(u32(from, d+1)-u32(from, d)) + 63) / 64
		at[d+1] = at[d] + 1<<bits.Len(uint(max(n, 1)-1))
	}
	filters := make([]uint64, at[ndocs])
	for d := range ndocs {
		f := docFilter(filters[at[d]:at[d+1]])
		for k := u32(from, d); k < u32(from, d+1); k++ {
			f.set(TermID(u32(pairs, 2*k)))
		}
	}
	return filters, at
}

func (f docFilter) set(t TermID) { f[int(t/64)&(len(f)-1)] |= 1 << (t % 64) }

// mayHold reports whether the document may hold term t: false only when
// it does not.
func (f docFilter) mayHold(t TermID) bool { return f[int(t/64)&(len(f)-1)]&(1<<(t%64)) != 0 }

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
	a.wordList = make([]string, nwords)
	for i := range a.wordList {
		a.wordList[i] = a.word(i)
	}
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
	a.filters, a.filterAt = newDocFilters(a.pairs, a.docPairs, ndocs)
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

// u32pair is u32(b, i) and u32(b, i+1), read at once.
func u32pair(b []byte, i int) (int, int) {
	v := binary.LittleEndian.Uint64(b[4*i:])
	return int(uint32(v)), int(v >> 32)
}

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

// sentences decodes the sentences of passage p into four arrays: the
// sentences, their tokens, their words' IDs and their cues, each
// sentence's lists slices of the passage's arrays.
func (a *analyses) sentences(p *corpus.Passage, dst []Sentence) ([]Sentence, error) {
	d, ok := a.docNum[p.Doc.ID]
	if !ok || p.Ordinal < 1 || p.Ordinal > u32(a.docPass, d+1)-u32(a.docPass, d) {
		return nil, fmt.Errorf("%w: no passage %s in the sentence analyses", ErrCorrupt, p.ID)
	}
	g := u32(a.docPass, d) + p.Ordinal - 1
	lo, hi := u32pair(a.passOff, g)
	r := varints{b: a.blob[lo:hi]}
	bad := errDamaged{p.ID}
	// Every varint ends in the one byte of it below 0x80: counting those
	// bytes counts the varints, and so the words and cues, whose arrays
	// are then made once at their size.
	nvar := varintEnds(r.b)
	ntok, ok1 := r.uvarint()
	nsent, ok2 := r.uvarint()
	if !ok1 || !ok2 || ntok > uint64(len(r.b)) || nsent != uint64(len(p.Sentences)) {
		return nil, bad
	}
	// Two counts, then per sentence its number of tokens, three varints a
	// token and the counts of its word lists: the rest are word IDs.
	nwords := nvar - 2 - int(nsent)*(1+wordLists) - 3*int(ntok)
	if nwords < 0 {
		return nil, bad
	}
	toks := make([]IDToken, ntok)
	terms := make([]TermID, ntok)
	// ids holds, sentence after sentence, its words' IDs, then, for each
	// of its lists of cues, its count and its words' IDs.
	ids := make([]WordID, nwords+(wordLists-1)*int(nsent))
	// The sentences themselves go in dst, grown; their lists are the
	// passage's own.
	out := slices.Grow(dst[:0], int(nsent))[:nsent]
	clear(out)
	usedToks, usedIDs, ncues := 0, 0, 0
	list := func() ([]WordID, bool) {
		n, ok := r.uvarint()
		if !ok || n > uint64(len(ids)-usedIDs) {
			return nil, false
		}
		ws := ids[usedIDs : usedIDs+int(n) : usedIDs+int(n)]
		usedIDs += int(n)
		for j := range ws {
			id, ok := r.uvarint()
			if !ok || id >= uint64(a.nwords) {
				return nil, false
			}
			ws[j] = WordID(id)
		}
		return ws, true
	}
	for i := range out {
		n, ok := r.uvarint()
		if !ok || n > uint64(len(toks)-usedToks) {
			return nil, bad
		}
		st := toks[usedToks : usedToks+int(n) : usedToks+int(n)]
		out[i].Terms = terms[usedToks : usedToks+int(n) : usedToks+int(n)]
		usedToks += int(n)
		// The tokens are read at a cursor of their own.
		b, at, end := r.b, 0, int64(0)
		for j := range st {
			id, next, ok := uvarintAt(b, at)
			zz, next, okd := uvarintAt(b, next)
			l, next, okl := uvarintAt(b, next)
			if !ok || !okd || !okl || id >= uint64(a.nterms) {
				return nil, bad
			}
			at = next
			// The start is zig-zag encoded, as binary.Varint reads it.
			delta := int64(zz>>1) ^ -int64(zz&1)
			start := end + delta
			end = start + int64(l)
			st[j] = IDToken{Term: TermID(id), Start: int32(start), End: int32(end)}
			out[i].Terms[j] = TermID(id)
		}
		r.b = b[at:]
		out[i].Tokens = st
		ws, ok := list()
		if !ok {
			return nil, bad
		}
		if len(ws) > 0 {
			out[i].WordIDs = ws
		}
		for range wordLists - 1 {
			if usedIDs == len(ids) {
				return nil, bad
			}
			usedIDs++
			cs, ok := list()
			if !ok {
				return nil, bad
			}
			ids[usedIDs-len(cs)-1] = WordID(len(cs))
			ncues += len(cs)
		}
	}
	if usedToks != len(toks) || usedIDs != len(ids) || len(r.b) != 0 {
		return nil, bad
	}
	// The cues, few, as words, in one array made at its size.
	if ncues == 0 {
		return out, nil
	}
	cues := make([]string, 0, ncues)
	at := 0
	for i := range out {
		at += len(out[i].WordIDs)
		var lists [wordLists - 1][]string
		for k := range lists {
			n := int(ids[at])
			at++
			if n == 0 {
				continue
			}
			start := len(cues)
			for _, id := range ids[at : at+n] {
				cues = append(cues, a.wordList[id])
			}
			at += n
			lists[k] = cues[start:len(cues):len(cues)]
		}
		out[i].Cues = Cues{Numbers: lists[0], Names: lists[1], Places: lists[2]}
	}
	return out, nil
}

// uvarintAt reads the unsigned varint at b[i:], most often one byte long,
// and returns it and where it ends; false when none is there.
func uvarintAt(b []byte, i int) (uint64, int, bool) {
	if i < len(b) && b[i] < 0x80 {
		return uint64(b[i]), i + 1, true
	}
	if i >= len(b) {
		return 0, i, false
	}
	v, n := binary.Uvarint(b[i:])
	if n <= 0 {
		return 0, i, false
	}
	return v, i + n, true
}

// varintEnds counts the bytes of b below 0x80, eight at a time.
func varintEnds(b []byte) int {
	n := 0
	for ; len(b) >= 8; b = b[8:] {
		n += 8 - bits.OnesCount64(binary.LittleEndian.Uint64(b)&highBits)
	}
	for _, c := range b {
		if c < 0x80 {
			n++
		}
	}
	return n
}

// highBits are the high bits of eight bytes.
const highBits = 0x8080808080808080

// varints reads varints off the front of b.
type varints struct{ b []byte }

// uvarint reads an unsigned varint, most often one byte long.
func (r *varints) uvarint() (uint64, bool) {
	if len(r.b) > 0 && r.b[0] < 0x80 {
		v := uint64(r.b[0])
		r.b = r.b[1:]
		return v, true
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		return 0, false
	}
	r.b = r.b[n:]
	return v, true
}

// varint reads a signed varint, most often one byte long.
func (r *varints) varint() (int64, bool) {
	if len(r.b) > 0 && r.b[0] < 0x80 {
		// Zig-zag encoded, as binary.Varint reads it.
		u := int64(r.b[0])
		r.b = r.b[1:]
		return u>>1 ^ -(u & 1), true
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		return 0, false
	}
	r.b = r.b[n:]
	return v, true
}

// wordLists is how many lists of words each stored sentence has after its
// tokens: its words, numbers, names and places.
const wordLists = 4

// word is the word with ID i.
func (a *analyses) word(i int) string {
	lo, hi := u32pair(a.wordOff, i)
	return a.words[lo:hi]
}

// sentenceFreqs sets out[i] to how many sentences of document d hold
// terms[i], and returns how many sentences d has. Terms in ascending order
// are each looked for from where the one before stands, by steps that
// double, then halve: the document's terms are read once, front to back.
func (a *analyses) sentenceFreqs(d *corpus.Document, terms []TermID, out []int) (int, error) {
	n, ok := a.docNum[d.ID]
	if !ok {
		return 0, fmt.Errorf("%w: no document %s in the sentence analyses", ErrCorrupt, d.ID)
	}
	lo, hi := u32(a.docPairs, n), u32(a.docPairs, n+1)
	filter := docFilter(a.filters[a.filterAt[n]:a.filterAt[n+1]])
	// from is where the first of the document's terms not below the term
	// before stands.
	from := lo
	for i, t := range terms {
		out[i] = 0
		if i == 0 || t < terms[i-1] {
			from = lo
		}
		// Most of the terms looked for are not the document's.
		if !filter.mayHold(t) {
			continue
		}
		l, h := a.pairsFrom(from, hi, t)
		for l < h {
			m := int(uint(l+h) >> 1)
			if TermID(u32(a.pairs, 2*m)) < t {
				l = m + 1
			} else {
				h = m
			}
		}
		from = l
		if l < hi && TermID(u32(a.pairs, 2*l)) == t {
			out[i] = u32(a.pairs, 2*l+1)
		}
	}
	return u32(a.docSents, n), nil
}

// pairsFrom narrows where term t stands among the document's terms from
// from to hi, all of those before from being below t: it steps on by 1, 2,
// 4… terms while the term stepped to is below t, and returns the last step.
func (a *analyses) pairsFrom(from, hi int, t TermID) (l, h int) {
	l, step := from, 1
	for l+step <= hi && TermID(u32(a.pairs, 2*(l+step-1))) < t {
		l += step
		step *= 2
	}
	return l, min(l+step-1, hi)
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
		h.mu.RLock()
		defer h.mu.RUnlock()
		for i, t := range terms {
			if f, ok := h.terms[t]; ok {
				out[i] = f.id // counted by DocFreq before
				continue
			}
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
	return ix.SentencesInto(ctx, p, nil)
}

// SentencesInto is Sentences with the sentences read into dst, grown: their
// tokens, terms, words and cues are in arrays of their own all the same,
// which the caller may keep when it reuses dst.
func (ix *Index) SentencesInto(ctx context.Context, p *corpus.Passage, dst []Sentence) ([]Sentence, error) {
	out := dst
	err := ix.with(ctx, "read sentence analyses", func(h *handle) (err error) {
		out, err = h.an.sentences(p, dst)
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
				out[a.wordList[i]] = n
			}
		}
		return nil
	})
	return out, err
}

// WordList is every word of the stored vocabulary, by WordID: the words
// Words counts, and every other word or cue of a sentence. It is shared:
// the caller must not change it.
func (ix *Index) WordList() ([]string, error) {
	var out []string
	err := ix.with(context.Background(), "read the vocabulary", func(h *handle) error {
		out = h.an.wordList
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
