package answer

import "testing"

// relatedSet is a small corpus of the project's own for the word relations
// a question in the reader's own words is answered through.
const relatedSet = "testdata/relations/corpus"

// TestRelatedAnswers checks questions answered through a word relation
// that WordNet lacks but the relations are made with: an adjective that
// says its noun is lacking ("hopeless") is held by the noun ("no hope").
func TestRelatedAnswers(t *testing.T) {
	e := testEngine(t, relatedSet)
	checkAnswers(t, e, []answerCase{
		{"What did the lamplighter call hopeless?", "there was no hope of oil"},
	})
}
