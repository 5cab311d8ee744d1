package answer

import "testing"

// TestKindOfWhenClause checks that a question asks what its main clause
// asks when "when" opens a clause of its own, and for a time when "when"
// asks.
func TestKindOfWhenClause(t *testing.T) {
	for q, want := range map[string]int{
		"when did the storm break the panes?":               kindTime,
		"when was the pier built?":                          kindTime,
		"when year was the pier built?":                     kindTime,
		"when?":                                             kindTime,
		"when the storm broke, who mended the panes?":       kindPerson,
		"when the storm broke, where did the keeper go?":    kindPlace,
		"when the storm broke, what did the keeper mend?":   kindAny,
		"when the storm broke the keeper mended them with?": kindAny,
	} {
		if got := kindOf(q).kind; got != want {
			t.Errorf("kindOf(%q) = %d, want %d", q, got, want)
		}
	}
}
