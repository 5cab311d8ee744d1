package answer

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestSpellingVariants checks the variants the rules give a word, and
// that they leave short words and other doubled letters alone.
func TestSpellingVariants(t *testing.T) {
	for _, tt := range []struct {
		w    string
		want []string
	}{
		{"colour", []string{"color"}},
		{"colors", []string{"colours"}},
		{"centre", []string{"center"}},
		{"centering", []string{"centring"}},
		{"kilometers", []string{"kilometres"}},
		{"organisation", []string{"organization"}},
		{"analyzed", []string{"analysed"}},
		{"catalogue", []string{"catalog"}},
		{"defense", []string{"defence"}},
		{"travelled", []string{"traveled"}},
		{"traveling", []string{"travelling"}},
		{"four", nil},
		{"rise", nil},
		{"filled", nil},
		{"smiled", nil},
	} {
		var got []string
		spellingVariants(tt.w, func(v string) { got = append(got, v) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("spellingVariants(%q) = %q, want %q", tt.w, got, tt.want)
		}
	}
}

// TestSpellingVariantExact checks that a question word the corpus spells
// the other way, British or American, is held by a span as the word
// itself, and answered without a "did you mean".
func TestSpellingVariantExact(t *testing.T) {
	for _, tt := range []struct {
		name, text, q, span string
	}{
		{"british corpus", "The potter Wenna glazed the jars a deep colour.\n\nThe jars travelled to the harbour centre.\n\n" +
			"The mill stood three kilometres from the ford.\n",
			"What color did Wenna glaze the jars?", "The potter Wenna glazed the jars a deep colour."},
		{"british corpus, doubled l", "The potter Wenna glazed the jars a deep colour.\n\nThe jars travelled to the harbour centre.\n\n" +
			"The mill stood three kilometres from the ford.\n",
			"Where have the jars traveled to?", "The jars travelled to the harbour centre."},
		{"american corpus", "The guild organized the defense of Kettlewick.\n\nThe scribes analyzed the old catalog.\n\n" +
			"The weavers sold cloth in the market.\n",
			"Who organised the defence of Kettlewick?", "The guild organized the defense of Kettlewick."},
		{"american corpus, -ogue", "The guild organized the defense of Kettlewick.\n\nThe scribes analyzed the old catalog.\n\n" +
			"The weavers sold cloth in the market.\n",
			"Which scribes analysed the catalogue?", "The scribes analyzed the old catalog."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := testEngine(t, writeCorpus(t, map[string]string{"town.txt": tt.text}))
			spans, err := e.Spans(context.Background(), EvalQuestion{Q: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if f := spanOf(t, spans, tt.span).Features; f[FeatExact] < 0.999 {
				t.Errorf("%q: %s, want every term held exactly", tt.q, f.Format(&e.weights))
			}
			a, err := e.Answer(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Text, tt.span) || a.DidYouMean != "" {
				t.Errorf("Answer(%q) = %q (did you mean %q), want %q", tt.q, a.Text, a.DidYouMean, tt.span)
			}
		})
	}
}
