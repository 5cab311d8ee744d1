package answer

import (
	"context"
	"testing"
)

// TestRarestTerm checks that FeatRarest is, in the spans holding the
// rarest of the question's terms their passage holds, that term's share of
// the question's weight, the same in each, and 0 in the spans without it:
// in a passage lacking the question's rarest term, the rarest it holds
// counts.
func TestRarestTerm(t *testing.T) {
	dir := writeCorpus(t, map[string]string{
		"coast.txt": "The keeper painted the lighthouse. The keeper painted the lighthouse white again. " +
			"Odo painted the lighthouse at Kettle.\n",
		"gulls.txt": "The gulls flew over the lighthouse. The old keeper painted the lighthouse.\n",
	})
	e := testEngine(t, dir)
	spans, err := e.Spans(context.Background(), EvalQuestion{Q: "Who painted the lighthouse at Kettle?", Keys: []string{"Odo"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		held bool
	}{
		{"Odo painted the lighthouse at Kettle.", true},
		{"The keeper painted the lighthouse white again. Odo painted the lighthouse at Kettle.", true},
		{"The keeper painted the lighthouse.", false},
		{"The keeper painted the lighthouse. The keeper painted the lighthouse white again.", false},
		{"The old keeper painted the lighthouse.", true},
		{"The gulls flew over the lighthouse.", false},
	} {
		s := spanOf(t, spans, tt.text)
		got := s.Features[FeatRarest]
		if held := got > 0 && got < 1; held != tt.held || !tt.held && got != 0 {
			t.Errorf("%q: rarest %v, want held %v (%s)", tt.text, got, tt.held, s.Features.Format(&e.weights))
		}
	}
	a := spanOf(t, spans, "Odo painted the lighthouse at Kettle.").Features[FeatRarest]
	b := spanOf(t, spans, "The keeper painted the lighthouse white again. Odo painted the lighthouse at Kettle.").Features[FeatRarest]
	if a != b {
		t.Errorf("rarest %v and %v in spans holding the same term", a, b)
	}
}
