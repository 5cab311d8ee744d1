package index

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"maps"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/storybot/storybot/corpus"
)

// The ranker reads every sentence of the passages a search retrieves as
// analysed terms with their offsets, and weighs a term by how many of its
// document's sentences hold it. Both are properties of the corpus: the
// build computes them once and writes them to analysisFile beside the bleve
// files, and the index reads them from there (memory-mapped where it can)
// at answer time, so that serving needs no per-document analysis kept in
// memory.
//
// The file, all integers little-endian:
//
//	header    analysisMagic, then uint32s: nterms, ndocs, npassages,
//	          nfreqs (document-term pairs), term bytes, sentence bytes,
//	          nwords, word bytes
//	terms     (nterms+1) uint32 offsets into the term bytes, then the
//	          term bytes: every analysed term of the corpus, sorted; a
//	          term's ID is its rank
//	documents (ndocs+1) uint32: the number of the document's first
//	          passage; ndocs uint32: its number of sentences; (ndocs+1)
//	          uint32: its first document-term pair
//	pairs     nfreqs of (term ID, sentences of the document holding it),
//	          two uint32, sorted by term ID within each document
//	passages  (npassages+1) uint32 offsets into the sentence bytes, then the
//	          sentence bytes: for each passage, uvarints: its number of
//	          tokens, its number of sentences, and for each sentence its
//	          number of tokens then, per token, the term ID, the start as a
//	          varint after the previous token's end, and the length
//	words     (nwords+1) uint32 offsets into the word bytes, the word
//	          bytes: every word of the passages as EachWord finds them,
//	          lower-cased, sorted; then nwords uint32: how often each occurs
//	trailer   the CRC-32 (Castagnoli) of everything before it
const (
	analysisFile  = "storybot-analysis.bin"
	analysisMagic = "SBANLYS1"
	// analysisHeader is the header's size: the magic and eight uint32s.
	analysisHeader = len(analysisMagic) + 8*4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// TermID names an analysed term of the corpus: its rank among all the
// corpus's terms. The same corpus always gets the same IDs.
type TermID uint32

// IDToken is one analysed word of a stored sentence.
type IDToken struct {
	Term TermID
	// Start and End are byte offsets of the word in the sentence's text.
	Start, End int32
}

// Sentence is one stored sentence of a passage: its tokens in order.
type Sentence struct {
	Tokens []IDToken
}

// rawToken is a token during the build, its term numbered in order of
// first appearance.
type rawToken struct {
	term       uint32
	start, end int32
}

// analysisBuilder gathers the analyses of a corpus's sentences.
type analysisBuilder struct {
	ids   map[string]uint32
	terms []string
	// toks holds every token; sentToks each sentence's number of tokens;
	// passSents each passage's number of sentences.
	toks      []rawToken
	sentToks  []uint32
	passSents []uint32
	// docPass is each document's first passage; docSents its sentences;
	// docFreqs its (term, sentences) pairs.
	docPass  []uint32
	docSents []uint32
	docFreqs [][][2]uint32
	// words counts the passages' words.
	words map[string]uint32
}

// writeAnalyses analyses every sentence of c with an and writes the result
// to path.
func writeAnalyses(ctx context.Context, path string, c *corpus.Corpus, an analysis.Analyzer) error {
	b := &analysisBuilder{ids: map[string]uint32{}, words: map[string]uint32{}}
	freq := map[uint32]uint32{}
	seen := map[uint32]bool{}
	npass := 0
	for _, d := range c.Documents {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("analyse sentences: %w", err)
		}
		b.docPass = append(b.docPass, uint32(npass))
		clear(freq)
		sents := 0
		for _, p := range d.Passages {
			npass++
			b.passSents = append(b.passSents, uint32(len(p.Sentences)))
			EachWord(p.Text, func(w string, _, _ int) { b.words[strings.ToLower(w)]++ })
			for _, s := range p.Sentences {
				sents++
				clear(seen)
				n := 0
				for _, t := range an.Analyze([]byte(s.Text)) {
					id, ok := b.ids[string(t.Term)]
					if !ok {
						id = uint32(len(b.terms))
						b.terms = append(b.terms, string(t.Term))
						b.ids[string(t.Term)] = id
					}
					b.toks = append(b.toks, rawToken{id, int32(t.Start), int32(t.End)})
					n++
					if !seen[id] {
						seen[id] = true
						freq[id]++
					}
				}
				b.sentToks = append(b.sentToks, uint32(n))
			}
		}
		b.docSents = append(b.docSents, uint32(sents))
		pairs := make([][2]uint32, 0, len(freq))
		for id, n := range freq {
			pairs = append(pairs, [2]uint32{id, n})
		}
		b.docFreqs = append(b.docFreqs, pairs)
	}
	b.docPass = append(b.docPass, uint32(npass))
	data, err := b.encode()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write sentence analyses: %w", err)
	}
	return nil
}

// encode lays the analyses out as the file holds them.
func (b *analysisBuilder) encode() ([]byte, error) {
	// Terms get IDs by rank.
	order := make([]uint32, len(b.terms))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int { return cmp.Compare(b.terms[x], b.terms[y]) })
	rank := make([]uint32, len(b.terms))
	termBytes := 0
	for r, id := range order {
		rank[id] = uint32(r)
		termBytes += len(b.terms[id])
	}

	// The sentence bytes, passage by passage.
	var blob []byte
	passOff := make([]uint32, 0, len(b.passSents)+1)
	tok, sent := 0, 0
	for _, ns := range b.passSents {
		if len(blob) > math.MaxUint32 {
			return nil, fmt.Errorf("encode sentence analyses: more than %d bytes", uint32(math.MaxUint32))
		}
		passOff = append(passOff, uint32(len(blob)))
		ntok := 0
		for _, n := range b.sentToks[sent : sent+int(ns)] {
			ntok += int(n)
		}
		blob = binary.AppendUvarint(blob, uint64(ntok))
		blob = binary.AppendUvarint(blob, uint64(ns))
		for _, n := range b.sentToks[sent : sent+int(ns)] {
			blob = binary.AppendUvarint(blob, uint64(n))
			prevEnd := int32(0)
			for _, t := range b.toks[tok : tok+int(n)] {
				blob = binary.AppendUvarint(blob, uint64(rank[t.term]))
				blob = binary.AppendVarint(blob, int64(t.start-prevEnd))
				blob = binary.AppendUvarint(blob, uint64(t.end-t.start))
				prevEnd = t.end
			}
			tok += int(n)
		}
		sent += int(ns)
	}
	if len(blob) > math.MaxUint32 {
		return nil, fmt.Errorf("encode sentence analyses: more than %d bytes", uint32(math.MaxUint32))
	}
	passOff = append(passOff, uint32(len(blob)))

	nfreqs := 0
	for _, pairs := range b.docFreqs {
		nfreqs += len(pairs)
	}
	words := slices.Sorted(maps.Keys(b.words))
	wordBytes := 0
	for _, w := range words {
		wordBytes += len(w)
	}
	size := analysisHeader + 4*(len(b.terms)+1) + termBytes +
		4*(3*len(b.docSents)+2) + 8*nfreqs + 4*len(passOff) + len(blob) +
		4*(2*len(words)+1) + wordBytes + 4
	out := make([]byte, 0, size)
	u32 := func(v uint32) { out = binary.LittleEndian.AppendUint32(out, v) }
	out = append(out, analysisMagic...)
	for _, v := range []int{len(b.terms), len(b.docSents), len(b.passSents), nfreqs, termBytes, len(blob), len(words), wordBytes} {
		u32(uint32(v))
	}
	off := uint32(0)
	u32(off)
	for _, id := range order {
		off += uint32(len(b.terms[id]))
		u32(off)
	}
	for _, id := range order {
		out = append(out, b.terms[id]...)
	}
	for _, v := range b.docPass {
		u32(v)
	}
	for _, v := range b.docSents {
		u32(v)
	}
	pair := uint32(0)
	u32(pair)
	for _, pairs := range b.docFreqs {
		pair += uint32(len(pairs))
		u32(pair)
	}
	for _, pairs := range b.docFreqs {
		for i := range pairs {
			pairs[i][0] = rank[pairs[i][0]]
		}
		slices.SortFunc(pairs, func(x, y [2]uint32) int { return cmp.Compare(x[0], y[0]) })
		for _, p := range pairs {
			u32(p[0])
			u32(p[1])
		}
	}
	for _, v := range passOff {
		u32(v)
	}
	out = append(out, blob...)
	off = 0
	u32(off)
	for _, w := range words {
		off += uint32(len(w))
		u32(off)
	}
	for _, w := range words {
		out = append(out, w...)
	}
	for _, w := range words {
		u32(b.words[w])
	}
	if len(out) > math.MaxUint32 {
		return nil, fmt.Errorf("encode sentence analyses: more than %d bytes", uint32(math.MaxUint32))
	}
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
	if len(out) != size {
		return nil, fmt.Errorf("encode sentence analyses: wrote %d bytes, want %d", len(out), size)
	}
	return out, nil
}
