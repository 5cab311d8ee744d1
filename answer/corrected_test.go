package answer

import (
	"context"
	"testing"
)

// TestCorrectedWordExact checks that a span holds the correction of a
// misspelt question word as the word itself (FeatExact), and an irregular
// form of a word or a number's figure through FeatForm.
func TestCorrectedWordExact(t *testing.T) {
	dir := writeCorpus(t, map[string]string{
		"coast.txt": "The keeper Odo painted the lighthouse near Kettlewick. The gulls flew over the harbour.\n\n" +
			"Brannock kept 5 boats in the cove.\n\n" +
			"The tenth storm cracked the panes.\n",
	})
	e := testEngine(t, dir)
	for _, tt := range []struct {
		q, span string
		// allExact: every term held exactly; form: some through FeatForm.
		allExact, form bool
	}{
		{"Who painted the lighthouse near Kettlewik?", "The keeper Odo painted the lighthouse near Kettlewick.", true, false},
		{"Which gulls fly over the harbour?", "The gulls flew over the harbour.", false, true},
		{"Who kept five boats in the cove?", "Brannock kept 5 boats in the cove.", false, true},
		{"What did the 10th storm crack?", "The tenth storm cracked the panes.", false, true},
	} {
		spans, err := e.Spans(context.Background(), EvalQuestion{Q: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		f := spanOf(t, spans, tt.span).Features
		if f[FeatExact] > 0.999 != tt.allExact || f[FeatForm] > 0 != tt.form {
			t.Errorf("%q: %s, want all exact %v, some form %v", tt.q, f.Format(&e.weights), tt.allExact, tt.form)
		}
	}
}
