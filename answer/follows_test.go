package answer

import (
	"strings"
	"testing"
)

// TestFollowsCountsPassageBefore checks FeatFollows: for a question asking
// what came after something, each span carries the best lexical cover of
// the passage before its own, when retrieved; for any other question, and
// for the first passage, none.
func TestFollowsCountsPassageBefore(t *testing.T) {
	e := writeTale(t, map[string]string{
		"ferry.txt": "The ferryman Odo rowed the grey boat across the wide river.\n\n" +
			"A storm broke over the water, and the boat sank to the bottom.\n",
	})
	for _, tt := range []struct {
		q       string
		follows bool
	}{
		{"What happened after Odo rowed the boat across the river?", true},
		{"What happened when Odo rowed the boat across the river?", false},
	} {
		spans, ranked := spansOf(t, e, tt.q)
		first, ok1 := spans["ferry#1"][0]
		second, ok2 := spans["ferry#2"][0]
		if !ok1 || !ok2 {
			t.Fatalf("%q: passages ranked %v, want both", tt.q, spans)
		}
		if got := first.features[FeatFollows]; got != 0 {
			t.Errorf("%q: the first passage follows %.3f, want 0", tt.q, got)
		}
		want := 0.0
		if tt.follows {
			want = first.cover
		}
		if got := second.features[FeatFollows]; got != want || tt.follows && got == 0 {
			t.Errorf("%q: the second passage follows %.3f, want %.3f", tt.q, got, want)
		}
		// The best span of each passage, as ranked, carries it too.
		for _, c := range ranked {
			if c.passage.ID == "ferry#2" && c.features[FeatFollows] != want {
				t.Errorf("%q: the second passage ranked follows %.3f, want %.3f", tt.q, c.features[FeatFollows], want)
			}
		}
	}
}

// TestAfterKeepsMatchingSentence checks the answer to a question asking
// what came after something when its span and the next sentence are too
// long together: it is told from the span's sentence that holds the
// question on, which may already say what came after, not replaced by the
// next sentence alone.
func TestAfterKeepsMatchingSentence(t *testing.T) {
	e := writeTale(t, map[string]string{
		"feast.txt": "At the feast the old king raised the golden cup to drink, and at that moment a flame went up " +
			"out of it and filled the hall with a light so bright that every guest covered his eyes and cried out. " +
			"The musicians stopped their playing, the dogs ran barking under the long tables, and the servants " +
			"dropped the great silver dishes they were carrying up from the kitchens below, so that the food lay " +
			"scattered across the stone floor. Then out of the flame sprang two pigeons, one of gold and one of " +
			"silver, and they flew three times round the hall before they settled in front of the king.\n",
	})
	p := e.c.Passage("feast#1")
	if p == nil || len(p.Sentences) != 3 {
		t.Fatalf("feast#1 = %+v, want one passage of 3 sentences", p)
	}
	pq := e.prepare("What happened after the king raised the cup to drink?")
	if !pq.follows {
		t.Fatal("the question does not ask what came after")
	}
	marks := passageMarks{e: e, pq: &pq}
	parts, _ := e.parts(&marks, candidate{passage: p, first: 0, last: 1})
	var texts []string
	for _, part := range parts {
		texts = append(texts, part.Text)
	}
	got := strings.Join(texts, " ")
	if want := p.Text[p.Sentences[0].Start:p.Sentences[1].End]; got != want {
		t.Errorf("answer %q, want the span %q", got, want)
	}
}
