package answer

import (
	"reflect"
	"testing"
)

// TestOfPairs checks which terms a phrase "A of B" joins: A and each word
// of the name B, not a common noun nor a name owning what follows it.
func TestOfPairs(t *testing.T) {
	e := testEngine(t, relatedSet)
	for _, tt := range []struct {
		q    string
		want [][2]int
	}{
		{"Who is the leader of North Vessa?", [][2]int{{0, 1}, {0, 2}}},
		{"Who is the leader of the Isles?", [][2]int{{0, 1}}},
		{"Who was the leader of the traders?", nil},
		{"What were the parts of Orm's boat?", nil},
		{"Who sold salt to the leader?", nil},
	} {
		if got := e.prepare(tt.q).of; !reflect.DeepEqual(got, tt.want) && len(got)+len(tt.want) > 0 {
			t.Errorf("%q: of = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// TestOfPairsRank checks that a question asking for "the leader of
// Norland" is answered by the sentence naming "Norland leader Orm
// Tarrow", not by the one that holds its words in its order but names no
// leader of Norland.
func TestOfPairsRank(t *testing.T) {
	e := testEngine(t, relatedSet)
	checkAnswers(t, e, []answerCase{
		{"Who is the leader of Norland?", "Norland leader Orm Tarrow"},
	})
}

func TestIsOfGap(t *testing.T) {
	for gap, want := range map[string]bool{
		" of ": true, " OF  the ": true, " of An ": true, "of": true,
		" ": false, " off ": false, " of this ": false, " of the a ": false, " the of ": false,
	} {
		if got := isOfGap(gap); got != want {
			t.Errorf("isOfGap(%q) = %v, want %v", gap, got, want)
		}
	}
}
