package index

import (
	"context"
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"math/rand"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
)

// TestStoredAnalysesMatchAnalyze checks the stored analyses against what
// Analyze finds in every sentence and every document of a corpus.
func TestStoredAnalysesMatchAnalyze(t *testing.T) {
	files := manyPassages()
	maps.Copy(files, tale)
	files["notes.md"] = "# Notes\n\nThe keeper's log, 1887: \"Lit at dusk.\" Dr. Quill's lens came from Paris.\n\n" +
		"A line with naïve café words, and a word cut-off-here. Then — an em dash.\n\n" +
		"In 1990s İstanbul the ferry left at 4:51 from the Golden Horn, twice, for Üsküdar.\n"
	c := writeCorpus(t, t.TempDir(), files)
	ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	checkAnalyses(t, ix, c)
	if _, ok := ix.TermID("zzzzunknown"); ok {
		t.Error("an unknown term has an ID")
	}
	ix.Close()
	ids := []TermID{1, 2}
	if ix.TermIDs([]string{"keeper", "lamp"}, ids); ids[0] != NoTerm || ids[1] != NoTerm {
		t.Errorf("TermIDs of a closed index = %v, want NoTerm for each", ids)
	}
}

// checkAnalyses compares what ix stores of every sentence and document of c
// with what Analyze finds.
func checkAnalyses(t *testing.T, ix *Index, c *corpus.Corpus) {
	t.Helper()
	ctx := context.Background()
	words := map[string]int{}
	for _, p := range c.Passages() {
		EachWord(p.Text, func(w string, _, _ int) { words[strings.ToLower(w)]++ })
	}
	stored, err := ix.Words()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(stored, words) {
		t.Errorf("stored vocabulary of %d words differs from the %d counted", len(stored), len(words))
	}
	list, err := ix.WordList()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, w := range list {
		listed[w] = true
	}
	for w := range stored {
		if !listed[w] {
			t.Errorf("word %q of the vocabulary not in its list", w)
		}
	}
	var buf []Sentence
	var prev, prevCopy []IDToken
	for _, d := range c.Documents {
		want := map[string]int{}
		nsent := 0
		for _, p := range d.Passages {
			sents, err := ix.Sentences(ctx, p)
			if err != nil {
				t.Fatalf("%s: %v", p.ID, err)
			}
			if len(sents) != len(p.Sentences) {
				t.Fatalf("%s: %d sentences stored, %d in the corpus", p.ID, len(sents), len(p.Sentences))
			}
			// Read into the sentences of the passage before: the same, and
			// the lists of that one kept as they were.
			into, err := ix.SentencesInto(ctx, p, buf)
			if err != nil {
				t.Fatalf("%s: into a buffer: %v", p.ID, err)
			}
			if !reflect.DeepEqual(into, sents) {
				t.Errorf("%s: read into a buffer %+v, on their own %+v", p.ID, into, sents)
			}
			if !reflect.DeepEqual(prev, prevCopy) {
				t.Errorf("%s: the passage before's tokens changed from %v to %v", p.ID, prevCopy, prev)
			}
			buf = into
			prev, prevCopy = into[0].Tokens, slices.Clone(into[0].Tokens)
			for i := range sents {
				for j, tok := range sents[i].Tokens {
					if sents[i].Terms[j] != tok.Term {
						t.Errorf("%s sentence %d: term %d is %d, its token's %d", p.ID, i, j, sents[i].Terms[j], tok.Term)
					}
				}
			}
			for i, s := range p.Sentences {
				nsent++
				var got []string
				for _, id := range sents[i].WordIDs {
					got = append(got, list[id])
				}
				if want := SentenceWords(s.Text); !slices.Equal(got, want) {
					t.Errorf("%s sentence %d: words %q stored, %q in its text", p.ID, i, got, want)
				}
				gc, wc := sents[i].Cues, CuesOf(s.Text)
				if !slices.Equal(gc.Numbers, wc.Numbers) || !slices.Equal(gc.Names, wc.Names) || !slices.Equal(gc.Places, wc.Places) {
					t.Errorf("%s sentence %d: cues %+v stored, %+v in its text", p.ID, i, gc, wc)
				}
				toks := ix.Analyze(s.Text)
				if len(toks) != len(sents[i].Tokens) {
					t.Fatalf("%s sentence %d: %d tokens stored, Analyze finds %d", p.ID, i, len(sents[i].Tokens), len(toks))
				}
				seen := map[string]bool{}
				for j, tok := range toks {
					got := sents[i].Tokens[j]
					id, ok := ix.TermID(tok.Term)
					if !ok || got.Term != id || int(got.Start) != tok.Start || int(got.End) != tok.End {
						t.Errorf("%s sentence %d token %d: stored %+v, Analyze %+v (ID %d, %v)", p.ID, i, j, got, tok, id, ok)
					}
					if !seen[tok.Term] {
						seen[tok.Term] = true
						want[tok.Term]++
					}
				}
			}
		}
		terms := slices.Sorted(maps.Keys(want))
		ids := make([]TermID, len(terms))
		for i, term := range terms {
			ids[i], _ = ix.TermID(term)
		}
		// TermIDs finds the same IDs before DocFreq counts the terms and
		// after, when it finds them where DocFreq keeps its counts.
		for _, counted := range []bool{false, true} {
			if counted {
				for _, term := range append(slices.Clip(terms), "zzzzunknown") {
					ix.DocFreq(term)
				}
			}
			batch := make([]TermID, len(terms)+1)
			ix.TermIDs(append(slices.Clip(terms), "zzzzunknown"), batch)
			if !slices.Equal(batch[:len(terms)], ids) || batch[len(terms)] != NoTerm {
				t.Errorf("%s, counted %v: TermIDs %v, TermID one by one %v and NoTerm", d.ID, counted, batch, ids)
			}
		}
		ids = append(ids, ids[0]+1_000_000)
		out := make([]int, len(ids))
		n, err := ix.SentenceFreqs(ctx, d, ids, out)
		if err != nil {
			t.Fatal(err)
		}
		if n != nsent {
			t.Errorf("%s: %d sentences stored, %d in the corpus", d.ID, n, nsent)
		}
		for i, term := range terms {
			if out[i] != want[term] {
				t.Errorf("%s: %q in %d sentences stored, %d counted", d.ID, term, out[i], want[term])
			}
		}
		if out[len(terms)] != 0 {
			t.Errorf("%s: an unknown term is in %d sentences", d.ID, out[len(terms)])
		}
	}
}

// TestDamagedAnalysesInServiceAreHealed damages the stored sentences of an
// open index: reading them says so with ErrCorrupt, and the index rebuilds
// itself.
func TestDamagedAnalysesInServiceAreHealed(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), manyPassages())
	ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	dir := ix.Stats().Dir
	a := ix.cur.Load().an
	// The sentence bytes start after every section before them.
	off := analysisHeader
	for _, s := range [][]byte{a.termOff, a.termBytes, a.sorted, a.docPass, a.docSents, a.docPairs, a.pairs, a.passOff} {
		off += len(s)
	}
	ff := make([]byte, 64)
	for i := range ff {
		ff[i] = 0xff // no varint ends
	}
	overwrite(t, filepath.Join(dir, analysisFile), ff, int64(off))

	p := c.Documents[0].Passages[0]
	ctx := context.Background()
	if _, err := ix.Sentences(ctx, p); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("sentences of a damaged passage: %v, want ErrCorrupt", err)
	}
	deadline := time.Now().Add(childDeadline)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		_, err := ix.Sentences(ctx, p)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("sentences while healing: %v, want ErrCorrupt", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("index not healed after %s: %v", childDeadline, err)
		}
		<-tick.C
	}
	if got := ix.Stats().Dir; got == dir {
		t.Errorf("still serving the damaged folder %s", dir)
	}
	checkAnalyses(t, ix, c)
}

// TestDamagedSentenceBytesAreErrors changes, one at a time, each byte of the
// stored sentences of a few passages, and cuts them short: a reading of
// bytes changed fails with ErrCorrupt or gives a sentence for each of the
// passage's, never a panic; one of bytes cut short fails with ErrCorrupt.
func TestDamagedSentenceBytesAreErrors(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), tale)
	ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a := *ix.cur.Load().an
	for _, p := range c.Passages()[:min(4, c.NumPassages())] {
		d := a.docNum[p.Doc.ID]
		g := u32(a.docPass, d) + p.Ordinal - 1
		lo, hi := u32pair(a.passOff, g)
		read := func(what string, blob []byte) {
			t.Helper()
			b := a
			b.blob = blob
			got, err := b.sentences(p, nil)
			switch {
			case err != nil && !errors.Is(err, ErrCorrupt):
				t.Errorf("%s %s: %v, want ErrCorrupt", p.ID, what, err)
			case err == nil && len(got) != len(p.Sentences):
				t.Errorf("%s %s: %d sentences for %d", p.ID, what, len(got), len(p.Sentences))
			}
		}
		for i := lo; i < hi; i++ {
			for _, v := range []byte{0x00, 0x7f, 0x80, 0xff} {
				blob := slices.Clone(a.blob)
				blob[i] = v
				read("with a byte changed", blob)
			}
		}
		// The passage cut short: where it ends moved in.
		for cut := lo; cut < hi; cut++ {
			off := slices.Clone(a.passOff)
			binary.LittleEndian.PutUint32(off[4*(g+1):], uint32(cut))
			b := a
			b.passOff = off
			if _, err := b.sentences(p, nil); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s cut to %d of %d bytes: %v, want ErrCorrupt", p.ID, cut-lo, hi-lo, err)
			}
		}
	}
}

// TestVarintEnds checks varintEnds against a count of the bytes below 0x80,
// on every length up to a few words.
func TestVarintEnds(t *testing.T) {
	b := make([]byte, 40)
	for i := range b {
		b[i] = byte(i * 37)
	}
	for n := range len(b) + 1 {
		want := 0
		for _, c := range b[:n] {
			if c < 0x80 {
				want++
			}
		}
		if got := varintEnds(b[:n]); got != want {
			t.Errorf("varintEnds of %d bytes = %d, want %d", n, got, want)
		}
	}
}

// TestVarints reads back what binary.AppendUvarint and AppendVarint write,
// one byte long or more, and fails on what ends too soon.
func TestVarints(t *testing.T) {
	var b []byte
	us := []uint64{0, 1, 127, 128, 300, 1 << 40}
	ss := []int64{0, 1, -1, 63, -64, 64, -65, -300, 1 << 40}
	for _, u := range us {
		b = binary.AppendUvarint(b, u)
	}
	for _, s := range ss {
		b = binary.AppendVarint(b, s)
	}
	r := varints{b: b}
	for _, want := range us {
		if got, ok := r.uvarint(); !ok || got != want {
			t.Errorf("uvarint = %d, %v, want %d", got, ok, want)
		}
	}
	for _, want := range ss {
		if got, ok := r.varint(); !ok || got != want {
			t.Errorf("varint = %d, %v, want %d", got, ok, want)
		}
	}
	if len(r.b) != 0 {
		t.Errorf("%d bytes left", len(r.b))
	}
	for _, cut := range [][]byte{nil, {0x80}, {0xff, 0xff}} {
		if _, ok := (&varints{b: cut}).uvarint(); ok {
			t.Errorf("uvarint of % x read", cut)
		}
		if _, ok := (&varints{b: cut}).varint(); ok {
			t.Errorf("varint of % x read", cut)
		}
	}
}

// TestVarintsAtCursor reads varints with uvarintAt: each ends where
// binary.Uvarint says, and one cut short or longer than ten bytes is not
// read.
func TestVarintsAtCursor(t *testing.T) {
	var b []byte
	us := []uint64{0, 1, 127, 128, 300, 1 << 40, math.MaxUint64}
	for _, u := range us {
		b = binary.AppendUvarint(b, u)
	}
	at := 0
	for _, want := range us {
		got, next, ok := uvarintAt(b, at)
		_, n := binary.Uvarint(b[at:])
		if !ok || got != want || next != at+n {
			t.Errorf("uvarintAt(%d) = %d, %d, %v, want %d, %d", at, got, next, ok, want, at+n)
		}
		at = next
	}
	if _, _, ok := uvarintAt(b, len(b)); ok {
		t.Error("uvarintAt past the end read")
	}
	for _, cut := range [][]byte{nil, {0x80}, {0xff, 0xff}, slices.Repeat([]byte{0xff}, 11)} {
		if _, _, ok := uvarintAt(cut, 0); ok {
			t.Errorf("uvarintAt of % x read", cut)
		}
	}
}

// TestSentenceFreqsInAnyOrder reads each document's counts of every term
// at once, ascending with repeats, descending and shuffled: each count is
// the one the term gets read alone.
func TestSentenceFreqsInAnyOrder(t *testing.T) {
	ctx := context.Background()
	c := writeCorpus(t, t.TempDir(), manyPassages())
	ix, err := Open(ctx, t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// Every ID the corpus uses, and some past them.
	top := TermID(0)
	for _, d := range c.Documents {
		for _, p := range d.Passages {
			sents, err := ix.Sentences(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sents {
				for _, tok := range s.Tokens {
					top = max(top, tok.Term)
				}
			}
		}
	}
	var asc []TermID
	for id := range top + 3 {
		asc = append(asc, id)
		if id%3 == 0 {
			asc = append(asc, id, id)
		}
	}
	desc := slices.Clone(asc)
	slices.Reverse(desc)
	shuffled := slices.Clone(asc)
	rand.New(rand.NewSource(1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, d := range c.Documents {
		alone := map[TermID]int{}
		held := 0
		for id := range top + 3 {
			var out [1]int
			if _, err := ix.SentenceFreqs(ctx, d, []TermID{id}, out[:]); err != nil {
				t.Fatal(err)
			}
			alone[id] = out[0]
			if out[0] > 0 {
				held++
			}
		}
		if held == 0 {
			t.Fatalf("%s: no term in any sentence", d.ID)
		}
		for name, ids := range map[string][]TermID{"ascending": asc, "descending": desc, "shuffled": shuffled} {
			out := make([]int, len(ids))
			if _, err := ix.SentenceFreqs(ctx, d, ids, out); err != nil {
				t.Fatal(err)
			}
			for i, id := range ids {
				if out[i] != alone[id] {
					t.Errorf("%s, %s: term %d in %d sentences, %d read alone", d.ID, name, id, out[i], alone[id])
				}
			}
		}
	}
}
