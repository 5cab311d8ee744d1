package index

import (
	"github.com/blevesearch/bleve/v2/analysis"

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
	out := make(map[string]float64, len(share))
	for id, s := range share {
		out[id] = 1 + titleWeight*s/total
	}
	return out
}
