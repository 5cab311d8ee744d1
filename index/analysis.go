package index

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
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
//	          term bytes: every analysed term of the corpus, a term's ID
//	          its place, in order of first use; then nterms uint32: the IDs
//	          in the order of their terms, for looking terms up
//	documents (ndocs+1) uint32: the number of the document's first
//	          passage; ndocs uint32: its number of sentences; (ndocs+1)
//	          uint32: its first document-term pair
//	pairs     nfreqs of (term ID, sentences of the document holding it),
//	          two uint32, sorted by term ID within each document
//	passages  (npassages+1) uint32 offsets into the sentence bytes, then the
//	          sentence bytes: for each passage, uvarints: its number of
//	          tokens, its number of sentences, and for each sentence its
//	          number of tokens then, per token, the term ID, the start as a
//	          varint after the previous token's end, and the length; then
//	          its words (SentenceWords), numbers, names and places (CuesOf),
//	          each as a count followed by that many word IDs
//	words     (nwords+1) uint32 offsets into the word bytes, the word
//	          bytes: every word of the passages as EachWord finds them,
//	          lower-cased, then every other word or cue of a sentence, a
//	          word's ID its place, in order of first use; then nwords
//	          uint32: how often each occurs in the passages, 0 for a word
//	          only a sentence's words or cues hold
//	trailer   the CRC-32 (Castagnoli) of everything before it
//
// A passage's term and word IDs were tried apart from its tokens' offsets
// and cues, each ID at the width of the passage's largest, so that the
// ranker read the offsets and cues of the passages whose spans it scores
// only. At 1M words reading stored sentences took 20% less CPU (107 to 86
// µs an answer) and an answer 6.8% fewer bytes, but whole answers only 3%
// less CPU: the ranker scores the spans of about half the passages
// retrieved at that size (51,414 of 97,559 in 3,300 answers), and most of
// the rest are in the engine's cache. Against plain bleve, 6 runs
// alternated: 1M words 2.59 to 2.44 (p=0.13), the other corpora unchanged.
const (
	analysisFile  = "storybot-analysis.bin"
	analysisMagic = "SBANLYS2"
	// analysisHeader is the header's size: the magic and eight uint32s.
	analysisHeader = len(analysisMagic) + 8*4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// TermID names an analysed term of the corpus: terms are numbered in the
// order the corpus first uses them, so the same corpus always gets the same
// IDs.
type TermID uint32

// WordID names a word of the stored vocabulary: its place in what
// WordList gives. Words are numbered in the order the corpus first uses
// them, so the same corpus always gets the same IDs.
type WordID uint32

// IDToken is one analysed word of a stored sentence.
type IDToken struct {
	Term TermID
	// Start and End are byte offsets of the word in the sentence's text.
	Start, End int32
}

// Sentence is one stored sentence of a passage: its tokens in order, its
// words' IDs and its cues.
type Sentence struct {
	Tokens []IDToken
	// Terms are the tokens' terms, side by side.
	Terms []TermID
	// WordIDs are the IDs of SentenceWords of the sentence's text, word
	// for word, among the words WordList gives: the words themselves are
	// looked up only by a caller that needs them.
	WordIDs []WordID
	// Cues are CuesOf the sentence's text.
	Cues Cues
}

// analysisBuilder gathers the analyses of a corpus's sentences, encoding
// each passage as it goes.
type analysisBuilder struct {
	ids   map[string]uint32
	terms []string
	// The sentence bytes and the document-term pairs so far go to
	// temporary files, not to memory, where at ten million words they
	// would take a tenth of what a build uses. passOff is each passage's
	// offset in the sentence bytes; scratch holds one passage's, or one
	// document's pairs.
	blob, pairs *spill
	scratch     []byte
	passOff     []uint32
	// docPass is each document's first passage; docSents its sentences;
	// docPairs its first document-term pair.
	docPass  []uint32
	docSents []uint32
	docPairs []uint32
	docFreq  [][2]uint32
	// wordIDs numbers the words of the passages and of the sentences'
	// words and cues, in order of first use; wordCount counts how often
	// each occurs in the passages.
	wordIDs   map[string]uint32
	words     []string
	wordCount []uint32

	// The document being added: its sentences so far and how many of them
	// hold each term; passages so far in all.
	sents int
	freq  map[uint32]uint32
	npass int
	// Scratch for one passage: which terms a sentence holds, its tokens
	// (term, start, end) and its sentences' numbers of them.
	seen     map[uint32]bool
	toks     [][3]uint32
	sentToks []int
	// extra holds, sentence after sentence, the counts and word IDs of
	// the sentences' words and cues; extraEnd where each sentence's end.
	extra    []uint32
	extraEnd []int
}

// errTooLarge: a section outgrew its uint32 offsets.
var errTooLarge = fmt.Errorf("encode sentence analyses: more than %d bytes", uint32(math.MaxUint32))

// newAnalysisBuilder starts the analyses of c, keeping the sentence bytes
// and the document-term pairs in temporary files in dir until finish or
// close.
func newAnalysisBuilder(dir string, c *corpus.Corpus) (*analysisBuilder, error) {
	blob, err := newSpill(dir)
	if err != nil {
		return nil, fmt.Errorf("analyse sentences: %w", err)
	}
	pairs, err := newSpill(dir)
	if err != nil {
		blob.close()
		return nil, fmt.Errorf("analyse sentences: %w", err)
	}
	return &analysisBuilder{ids: map[string]uint32{}, wordIDs: map[string]uint32{},
		freq: map[uint32]uint32{}, seen: map[uint32]bool{}, blob: blob, pairs: pairs,
		passOff: make([]uint32, 0, c.NumPassages()+1), docPass: make([]uint32, 0, len(c.Documents)+1),
		docSents: make([]uint32, 0, len(c.Documents)), docPairs: append(make([]uint32, 0, len(c.Documents)+1), 0)}, nil
}

// close removes the temporary files.
func (b *analysisBuilder) close() {
	b.blob.close()
	b.pairs.close()
}

// spill is a temporary file written in order, then copied whole.
type spill struct {
	f *os.File
	w *bufio.Writer
	n int // bytes written
}

func newSpill(dir string) (*spill, error) {
	f, err := os.CreateTemp(dir, "analysis-*.tmp")
	if err != nil {
		return nil, err
	}
	return &spill{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (s *spill) write(p []byte) error {
	s.n += len(p)
	_, err := s.w.Write(p)
	return err
}

// copyTo writes everything written so far to w.
func (s *spill) copyTo(w io.Writer) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if n, err := io.Copy(w, s.f); err != nil || n != int64(s.n) {
		return fmt.Errorf("copy %d of %d bytes kept in %s: %v", n, s.n, s.f.Name(), err)
	}
	return nil
}

// close removes the file.
func (s *spill) close() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
}

func (b *analysisBuilder) startDocument() {
	b.docPass = append(b.docPass, uint32(b.npass))
	clear(b.freq)
	b.sents = 0
}

// addPassage adds passage p, whose text an analysed into toks, to the
// document being added.
func (b *analysisBuilder) addPassage(p *corpus.Passage, toks analysis.TokenStream, an analysis.Analyzer) error {
	b.npass++
	EachWord(p.Text, func(w string, _, _ int) { b.wordCount[b.wordID(strings.ToLower(w))]++ })
	b.toks, b.sentToks = b.toks[:0], b.sentToks[:0]
	b.extra, b.extraEnd = b.extra[:0], b.extraEnd[:0]
	bySentence := splitTokens(p, toks)
	for i, s := range p.Sentences {
		b.sents++
		clear(b.seen)
		var st analysis.TokenStream
		shift := s.Start
		if bySentence != nil {
			st = bySentence[i]
		} else {
			st, shift = an.Analyze([]byte(s.Text)), 0
		}
		for _, t := range st {
			id, ok := b.ids[string(t.Term)]
			if !ok {
				id = uint32(len(b.terms))
				b.terms = append(b.terms, string(t.Term))
				b.ids[string(t.Term)] = id
			}
			b.toks = append(b.toks, [3]uint32{id, uint32(t.Start - shift), uint32(t.End - shift)})
			if !b.seen[id] {
				b.seen[id] = true
				b.freq[id]++
			}
		}
		b.sentToks = append(b.sentToks, len(st))
		cues := CuesOf(s.Text)
		for _, ws := range [][]string{SentenceWords(s.Text), cues.Numbers, cues.Names, cues.Places} {
			b.extra = append(b.extra, uint32(len(ws)))
			for _, w := range ws {
				b.extra = append(b.extra, b.wordID(w))
			}
		}
		b.extraEnd = append(b.extraEnd, len(b.extra))
	}
	return b.encodePassage(b.toks, b.sentToks)
}

// wordID is the ID of word w, numbered now if it is new.
func (b *analysisBuilder) wordID(w string) uint32 {
	id, ok := b.wordIDs[w]
	if !ok {
		id = uint32(len(b.words))
		b.words = append(b.words, w)
		b.wordCount = append(b.wordCount, 0)
		b.wordIDs[w] = id
	}
	return id
}

// splitTokens cuts the tokens of a passage's text into those of each of its
// sentences, or returns nil when a token is not within one sentence (a
// sentence cut inside a word): each sentence is then analysed on its own.
// Offsets stay the passage's.
func splitTokens(p *corpus.Passage, toks analysis.TokenStream) []analysis.TokenStream {
	out := make([]analysis.TokenStream, len(p.Sentences))
	i := 0
	for j, s := range p.Sentences {
		first := i
		for i < len(toks) && toks[i].End <= s.End {
			if toks[i].Start < s.Start {
				return nil
			}
			i++
		}
		out[j] = toks[first:i]
	}
	if i != len(toks) {
		return nil
	}
	return out
}

func (b *analysisBuilder) endDocument() error {
	b.docSents = append(b.docSents, uint32(b.sents))
	b.docFreq = b.docFreq[:0]
	for id, n := range b.freq {
		b.docFreq = append(b.docFreq, [2]uint32{id, n})
	}
	slices.SortFunc(b.docFreq, func(x, y [2]uint32) int { return cmp.Compare(x[0], y[0]) })
	e := b.scratch[:0]
	for _, p := range b.docFreq {
		e = binary.LittleEndian.AppendUint32(e, p[0])
		e = binary.LittleEndian.AppendUint32(e, p[1])
	}
	b.scratch = e
	if err := b.pairs.write(e); err != nil {
		return fmt.Errorf("analyse sentences: %w", err)
	}
	b.docPairs = append(b.docPairs, uint32(b.pairs.n/8))
	return nil
}

// finish writes the analyses to path, and closes b.
func (b *analysisBuilder) finish(path string) error {
	defer b.close()
	b.docPass = append(b.docPass, uint32(b.npass))
	if b.blob.n > math.MaxUint32 {
		return errTooLarge
	}
	b.passOff = append(b.passOff, uint32(b.blob.n))
	if err := b.write(path); err != nil {
		return fmt.Errorf("write sentence analyses: %w", err)
	}
	return nil
}

// encodePassage encodes one passage's tokens, cut into sentences of
// sentToks tokens each.
func (b *analysisBuilder) encodePassage(toks [][3]uint32, sentToks []int) error {
	if b.blob.n > math.MaxUint32 {
		return errTooLarge
	}
	b.passOff = append(b.passOff, uint32(b.blob.n))
	e := b.scratch[:0]
	e = binary.AppendUvarint(e, uint64(len(toks)))
	e = binary.AppendUvarint(e, uint64(len(sentToks)))
	for i, n := range sentToks {
		e = binary.AppendUvarint(e, uint64(n))
		prevEnd := int64(0)
		for _, t := range toks[:n] {
			e = binary.AppendUvarint(e, uint64(t[0]))
			e = binary.AppendVarint(e, int64(t[1])-prevEnd)
			e = binary.AppendUvarint(e, uint64(t[2]-t[1]))
			prevEnd = int64(t[2])
		}
		toks = toks[n:]
		start := 0
		if i > 0 {
			start = b.extraEnd[i-1]
		}
		for _, v := range b.extra[start:b.extraEnd[i]] {
			e = binary.AppendUvarint(e, uint64(v))
		}
	}
	b.scratch = e
	if err := b.blob.write(e); err != nil {
		return fmt.Errorf("analyse sentences: %w", err)
	}
	return nil
}

// write writes the file, its checksum computed as it goes.
func (b *analysisBuilder) write(path string) error {
	sorted := make([]uint32, len(b.terms))
	for i := range sorted {
		sorted[i] = uint32(i)
	}
	slices.SortFunc(sorted, func(x, y uint32) int { return cmp.Compare(b.terms[x], b.terms[y]) })
	words := b.words
	termBytes, wordBytes := 0, 0
	for _, t := range b.terms {
		termBytes += len(t)
	}
	for _, w := range words {
		wordBytes += len(w)
	}
	size := analysisHeader + 4*(len(b.terms)+1) + termBytes + 4*len(b.terms) +
		4*(len(b.docPass)+len(b.docSents)+len(b.docPairs)) + b.pairs.n +
		4*len(b.passOff) + b.blob.n + 4*(2*len(words)+1) + wordBytes + 4
	if size > math.MaxUint32 {
		return errTooLarge
	}

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	crc := crc32.New(castagnoli)
	w := bufio.NewWriterSize(io.MultiWriter(f, crc), 1<<16)
	var scratch [4]byte
	u32 := func(v uint32) {
		binary.LittleEndian.PutUint32(scratch[:], v)
		w.Write(scratch[:])
	}
	u32s := func(vs []uint32) {
		for _, v := range vs {
			u32(v)
		}
	}
	strs := func(ss []string) {
		off := uint32(0)
		u32(off)
		for _, s := range ss {
			off += uint32(len(s))
			u32(off)
		}
		for _, s := range ss {
			w.WriteString(s)
		}
	}
	w.WriteString(analysisMagic)
	for _, v := range []int{len(b.terms), len(b.docSents), len(b.passOff) - 1, b.pairs.n / 8,
		termBytes, b.blob.n, len(words), wordBytes} {
		u32(uint32(v))
	}
	strs(b.terms)
	u32s(sorted)
	u32s(b.docPass)
	u32s(b.docSents)
	u32s(b.docPairs)
	if err := b.pairs.copyTo(w); err != nil {
		return err
	}
	u32s(b.passOff)
	if err := b.blob.copyTo(w); err != nil {
		return err
	}
	strs(words)
	u32s(b.wordCount)
	if err := w.Flush(); err != nil {
		return err
	}
	u32Bytes := binary.LittleEndian.AppendUint32(nil, crc.Sum32())
	if _, err := f.Write(u32Bytes); err != nil {
		return err
	}
	if fi, err := f.Stat(); err != nil || fi.Size() != int64(size) {
		return fmt.Errorf("wrote %v bytes, want %d (%v)", fi.Size(), size, err)
	}
	return f.Close()
}
