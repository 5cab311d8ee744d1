package index

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/storybot/storybot/corpus"
)

// titles is what the index knows of the documents' titles. A title is a
// property of its document, not of each passage: a question word in a
// document's title raises the passages of that document that match the
// question, rather than matching every passage of the document (as a title
// field indexed on each passage did, which made one title word retrieve a
// whole document).
type titles struct {
	// docs maps each analysed title term to the IDs of the documents whose
	// title holds it.
	docs map[string][]string
	// n is how many documents the corpus holds.
	n int
}

// titleWeight is how much a document's title raises the scores of its
// passages that match a question: a passage's score is multiplied by
// 1 + titleWeight × the share of the question's term weight that the title
// holds. It rewards a passage of the document the question names over an
// equally matching passage elsewhere; chosen on the evaluation sets
// (../shared/eval), where it keeps the answers and citations that the title
// field found.
const titleWeight = 0.3

func newTitles(c *corpus.Corpus, a analysis.Analyzer) titles {
	t := titles{docs: map[string][]string{}, n: len(c.Documents)}
	for _, d := range c.Documents {
		for _, tok := range a.Analyze([]byte(d.Title)) {
			term := string(tok.Term)
			ids := t.docs[term]
			if len(ids) == 0 || ids[len(ids)-1] != d.ID {
				t.docs[term] = append(ids, d.ID)
			}
		}
	}
	return t
}

// boosts returns the factor each document's title multiplies its passages'
// scores by for the question terms ts, for the documents whose title holds
// some of them; nil when the titles would not reorder anything (no title
// holds a term, or every document's title holds the same share).
func (t titles) boosts(ts []Term) map[string]float64 {
	total := 0.0
	share := map[string]float64{}
	for _, qt := range ts {
		w := qt.weight()
		total += w
		for _, id := range t.docs[qt.Term] {
			share[id] += w
		}
	}
	if len(share) == 0 || total == 0 {
		return nil
	}
	if len(share) == t.n {
		same := true
		first := -1.0
		for _, s := range share {
			if first >= 0 && s != first {
				same = false
				break
			}
			first = s
		}
		if same {
			return nil
		}
	}
	// Each share becomes its factor in place.
	for id, s := range share {
		share[id] = 1 + titleWeight*s/total
	}
	return share
}

// docTable maps the number bleve gives each passage in a handle's reader
// to the passage's document, so that a search can raise a match by its
// document's title without loading the match's ID. The reader is one
// snapshot of an index that never changes, so the table, read once from
// the document field's postings, holds for the handle's life.
type docTable struct {
	// ord maps each document ID to its number in the table.
	ord map[string]int32
	// of is the number of the document of each passage, by the passage's
	// number; -1 for a number no passage has.
	of []int32
}

// readDocTable reads the document of every passage of r.
func readDocTable(ctx context.Context, r bindex.IndexReader) (*docTable, error) {
	dict, err := r.FieldDict(fieldDoc)
	if err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	defer dict.Close()
	n, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	t := &docTable{ord: map[string]int32{}, of: make([]int32, 0, n)}
	var tfd bindex.TermFieldDoc
	for {
		de, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("read documents: %w", err)
		}
		if de == nil {
			return t, nil
		}
		doc := int32(len(t.ord))
		t.ord[de.Term] = doc
		tfr, err := r.TermFieldReader(ctx, []byte(de.Term), fieldDoc, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("read the passages of document %s: %w", de.Term, err)
		}
		for {
			td, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return nil, fmt.Errorf("read the passages of document %s: %w", de.Term, err)
			}
			if td == nil {
				break
			}
			num := td.ID.Value()
			if num >= uint64(len(t.of)) {
				if num >= maxPassageNumber {
					tfr.Close()
					return nil, fmt.Errorf("document %s: passage number %d out of range", de.Term, num)
				}
				grow := int(num) + 1 - len(t.of)
				t.of = append(t.of, slices.Repeat([]int32{-1}, grow)...)
			}
			t.of[num] = doc
		}
		if err := tfr.Close(); err != nil {
			return nil, fmt.Errorf("read the passages of document %s: %w", de.Term, err)
		}
	}
}

// maxPassageNumber bounds the numbers of passages docTable holds: far
// above the passages of any corpus one machine serves, far below what would
// make a damaged index's table exhaust memory.
const maxPassageNumber = 1 << 30

// raise is what a search multiplies each match's score by: the factor of
// its document's title. The zero raise changes nothing.
type raise struct {
	docs *docTable
	// factor is each document's factor by its number in docs; 0 for none.
	factor []float64
}

// raiseBy makes the raise of the factors boost gives documents by ID.
func (t *docTable) raiseBy(boost map[string]float64) raise {
	r := raise{docs: t, factor: make([]float64, len(t.ord))}
	for id, f := range boost {
		if doc, ok := t.ord[id]; ok {
			r.factor[doc] = f
		}
	}
	return r
}

// score is the raised score of the match with number num.
func (r raise) score(num uint64, score float64) float64 {
	if r.docs == nil || num >= uint64(len(r.docs.of)) {
		return score
	}
	if doc := r.docs.of[num]; doc >= 0 {
		if f := r.factor[doc]; f > 0 {
			return score * f
		}
	}
	return score
}
