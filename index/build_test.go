package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/storybot/storybot/corpus"
)

// testCorpora are corpora of several shapes: the embedded story (long,
// hard-wrapped), Markdown and plain text documents, a Project Gutenberg
// book.
func testCorpora(t *testing.T) map[string]*corpus.Corpus {
	t.Helper()
	out := map[string]*corpus.Corpus{}
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	out["story"] = c
	for _, dir := range []string{"../answer/testdata/corpus", "../corpus/testdata/gutenberg", "../corpus/testdata/markdown", "../corpus/testdata/shapes"} {
		c, err := corpus.LoadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(dir)] = c
	}
	return out
}

// TestPassageTokensAreSentenceTokens checks what a build relies on to
// analyse each passage once: the tokens of a passage's text, cut at its
// sentences, are the tokens of each sentence analysed on its own.
func TestPassageTokensAreSentenceTokens(t *testing.T) {
	an := newMapping().AnalyzerNamed(en.AnalyzerName)
	for name, c := range testCorpora(t) {
		for _, p := range c.Passages() {
			split := splitTokens(p, an.Analyze([]byte(p.Text)))
			if split == nil {
				t.Fatalf("%s: passage %s: a token is not within one sentence", name, p.ID)
			}
			for i, s := range p.Sentences {
				type tok struct {
					term       string
					start, end int
				}
				var got, want []tok
				for _, t := range split[i] {
					got = append(got, tok{string(t.Term), t.Start - s.Start, t.End - s.Start})
				}
				for _, t := range an.Analyze([]byte(s.Text)) {
					want = append(want, tok{string(t.Term), t.Start, t.End})
				}
				if !slices.Equal(got, want) {
					t.Fatalf("%s: passage %s sentence %d: %v, want %v", name, p.ID, i, got, want)
				}
			}
		}
	}
}

// TestSplitTokensRefusesStraddling checks that a token not within one
// sentence (a sentence cut inside a word) makes the sentences be analysed
// on their own.
func TestSplitTokensRefusesStraddling(t *testing.T) {
	an := newMapping().AnalyzerNamed(en.AnalyzerName)
	p := &corpus.Passage{Text: "lanterns burning", Sentences: []corpus.Sentence{{Start: 0, End: 5, Text: "lante"}, {Start: 5, End: 16, Text: "rns burning"}}}
	if split := splitTokens(p, an.Analyze([]byte(p.Text))); split != nil {
		t.Errorf("split %v across a word", split)
	}
}

// passageDoc is what the mapping indexes of a passage.
type passageDoc struct {
	Doc  string `json:"doc"`
	Text string `json:"text"`
}

// TestBuildIndexesAsTheMapping checks that the passages a build gives bleve
// analysed already are indexed as the mapping indexes them: the same terms
// in each field, in as many passages, and the same hits with the same
// scores.
func TestBuildIndexesAsTheMapping(t *testing.T) {
	ctx := context.Background()
	for name, c := range testCorpora(t) {
		t.Run(name, func(t *testing.T) {
			mapped, err := bleve.New(filepath.Join(t.TempDir(), "mapped"), newMapping())
			if err != nil {
				t.Fatal(err)
			}
			defer mapped.Close()
			batch := mapped.NewBatch()
			for _, p := range c.Passages() {
				if err := batch.Index(p.ID, passageDoc{Doc: p.Doc.ID, Text: p.Text}); err != nil {
					t.Fatal(err)
				}
			}
			if err := mapped.Batch(batch); err != nil {
				t.Fatal(err)
			}
			built, err := bleve.New(filepath.Join(t.TempDir(), "built"), newMapping())
			if err != nil {
				t.Fatal(err)
			}
			defer built.Close()
			if _, err := indexPassages(ctx, built, c, filepath.Join(t.TempDir(), analysisFile), nil); err != nil {
				t.Fatal(err)
			}
			for _, field := range []string{fieldText, fieldDoc} {
				want, got := dictionary(t, mapped, field), dictionary(t, built, field)
				if len(want) == 0 || !slices.Equal(got, want) {
					t.Fatalf("field %s: %d terms, want %d the same", field, len(got), len(want))
				}
			}
			for _, term := range dictionary(t, mapped, fieldText)[:min(200, len(dictionary(t, mapped, fieldText)))] {
				q := bleve.NewTermQuery(term.term)
				q.SetField(fieldText)
				req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
				req.SortBy([]string{"-_score", "_id"})
				want, err := mapped.Search(req)
				if err != nil {
					t.Fatal(err)
				}
				got, err := built.Search(req)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Hits) != len(want.Hits) {
					t.Fatalf("%q: %d hits, want %d", term.term, len(got.Hits), len(want.Hits))
				}
				for i, h := range want.Hits {
					if got.Hits[i].ID != h.ID || got.Hits[i].Score != h.Score {
						t.Fatalf("%q hit %d: %s %v, want %s %v", term.term, i, got.Hits[i].ID, got.Hits[i].Score, h.ID, h.Score)
					}
				}
			}
		})
	}
}

type termCount struct {
	term  string
	count uint64
}

// dictionary lists the terms of a field of bi and in how many passages each
// is.
func dictionary(t *testing.T, bi bleve.Index, field string) []termCount {
	t.Helper()
	d, err := bi.FieldDict(field)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out []termCount
	for {
		e, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			return out
		}
		out = append(out, termCount{e.Term, e.Count})
	}
}

// TestBuildLeavesNoTemporaryFile checks that the sentence bytes a build
// keeps in a temporary file are in the analyses and the file is gone.
func TestBuildLeavesNoTemporaryFile(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), manyPassages())
	ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if tmp, _ := filepath.Glob(filepath.Join(ix.Stats().Dir, "*.tmp")); len(tmp) != 0 {
		t.Errorf("left %v", tmp)
	}
	for _, p := range c.Passages() {
		if s, err := ix.Sentences(context.Background(), p); err != nil || len(s) != len(p.Sentences) {
			t.Fatalf("%s: %d sentences (err %v), want %d", p.ID, len(s), err, len(p.Sentences))
		}
	}
}

// TestBuildLeavesOneSegment: a build that wrote its passages in many
// batches leaves its index in one segment, which answers as the segments
// did.
func TestBuildLeavesOneSegment(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("# Harbour\n\n")
	for i := range 6 * batchSize {
		fmt.Fprintf(&b, "The boat went out on trip %d with %s.\n\n", i, []string{"nets", "a lantern", "salt", "rope"}[i%4])
	}
	c := writeCorpus(t, t.TempDir(), map[string]string{"harbour.md": b.String()})
	ix, err := Open(ctx, t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	snap, ok := ix.cur.Load().reader.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("reader is a %T, want a scorch snapshot", ix.cur.Load().reader)
	}
	if n := len(snap.Segments()); n != 1 {
		t.Errorf("index of %d passages in %d segments, want 1", ix.NumPassages(), n)
	}
	files, err := filepath.Glob(filepath.Join(ix.cur.Load().dir, "store", "*.zap"))
	if err != nil || len(files) != 1 {
		t.Errorf("segment files on disk: %v, %v; want the one segment's", files, err)
	}
	hits, total, err := ix.Search(ctx, Query{Terms: []Term{{Term: "lantern"}}}, 0, 3)
	if err != nil || total != 6*batchSize/4 || len(hits) != 3 {
		t.Errorf("search lantern = %v, %d matched, %v; want 3 of %d", hits, total, err, 6*batchSize/4)
	}
}

// TestMergeCutShortLeavesIndex checks that a merge given up at its limit
// leaves the index it was merging whole, every passage in it, and says no
// error: the index answers alike in any number of segments.
func TestMergeCutShortLeavesIndex(t *testing.T) {
	ctx := context.Background()
	c := writeCorpus(t, t.TempDir(), manyPassages())
	_, dir := writeUnmerged(t, c)
	bi, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := mergeSegments(ctx, bi, time.Nanosecond); err != nil {
		t.Fatalf("merge cut short: %v, want the index left as it is", err)
	}
	n, err := bi.DocCount()
	if err != nil || int(n) != len(c.Passages()) {
		t.Errorf("after a merge cut short: %d passages, %v; want %d", n, err, len(c.Passages()))
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	if zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap")); len(zaps) == 0 {
		t.Errorf("no segment on disk after a merge cut short")
	}
}
