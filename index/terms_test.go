package index

import (
	"context"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
)

// TestAnalyzeAsBleve checks that Analyze, which keeps the terms of words
// it analysed before, finds what bleve's analyzer finds, the first time and
// every time after, whatever else it analysed in between.
func TestAnalyzeAsBleve(t *testing.T) {
	c := writeCorpus(t, t.TempDir(), tale)
	ix, err := Open(context.Background(), t.TempDir(), c, quiet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.words == nil {
		t.Fatal("Analyze keeps no words' terms: the analyzer is not a tokenizer and token filters")
	}
	ix.words.kept.Size = 4 // so that words go through both generations and out
	texts := []string{
		"The keeper's lamp; THE KEEPER’S LAMPS were lit by the keepers.",
		"Running runners ran: the runner's run, Korea's and KOREA’S.",
		"In 1990s İstanbul the ferry left at 4:51 for Üsküdar, twice.",
		"naïve café words, a word cut-off-here, and an em dash — then it’s over.",
		"The keeper's lamp; THE KEEPER’S LAMPS were lit by the keepers.",
		"What did they say? Who said it, and why, and when? ÉCOLE école",
		// More words than Analyze looks up at once.
		"The keeper climbed the tower, lit the lamp, and watched the ships pass the rocks; then the storm came, the panes broke, the keeper's " +
			"lamp went out, and the ships ran for the harbour while the keepers' wives waited on the quay for the boats to come home at last.",
		"",
	}
	an := newMapping().AnalyzerNamed(en.AnalyzerName)
	for round := range 3 {
		for _, text := range texts {
			var want []Token
			for _, tok := range an.Analyze([]byte(text)) {
				want = append(want, Token{Term: string(tok.Term), Start: tok.Start, End: tok.End, Position: tok.Position})
			}
			got := ix.Analyze(text)
			if len(got) == 0 && len(want) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round %d, Analyze(%q) =\n%+v\nbleve's analyzer:\n%+v", round, text, got, want)
			}
		}
	}
}
