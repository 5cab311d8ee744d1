package answer

import (
	"context"
	"slices"
	"testing"

	"github.com/storybot/storybot/corpus"
)

// TestAnalyseReadsWordsAndCues checks that every sentence of the story, as
// the engine reads it from the index, holds the words, cues and stop-word
// bits its text has.
func TestAnalyseReadsWordsAndCues(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	e := openTest(t, c)
	for _, p := range c.Passages() {
		sents, err := e.analyse(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range p.Sentences {
			got := sents[i]
			ws := wordsOf(s.Text)
			if !slices.Equal(got.words.strings(), ws.strings()) {
				t.Errorf("%s sentence %d: words %q, its text %q", p.ID, i, got.words.strings(), ws.strings())
			}
			cs := cuesOf(s.Text)
			if !slices.Equal(got.cues.Numbers, cs.Numbers) || !slices.Equal(got.cues.Names, cs.Names) || !slices.Equal(got.cues.Places, cs.Places) {
				t.Errorf("%s sentence %d: cues %+v, its text %+v", p.ID, i, got.cues, cs)
			}
			var stops uint64
			for w := range ws.all {
				stops |= stopBitOf(w)
			}
			if got.stops != stops {
				t.Errorf("%s sentence %d: stop bits %b, its text %b", p.ID, i, got.stops, stops)
			}
			if e.weights[FeatVector] != 0 && !slices.Equal(got.vecs, vectorRows(ws)) {
				t.Errorf("%s sentence %d: word vectors %v, its text %v", p.ID, i, got.vecs, vectorRows(ws))
			}
		}
	}
}
