package answer

import (
	"context"
	"testing"
)

// rolesSet is a corpus of one short tale whose deeds are told actively
// and passively.
const rolesSet = "testdata/roles/corpus"

// TestSwappedRoles checks that a question about a deed the best span
// tells with its roles swapped is not found, said actively or passively,
// that the same deeds asked about with their roles as the span tells them
// are answered, and that it is the roles that turn the first down.
func TestSwappedRoles(t *testing.T) {
	e := testEngine(t, rolesSet)
	cases := []answerCase{
		// The miller married Ilka: no one married the miller.
		{"Who married the miller?", ""},
		{"Who did the miller marry?", "Ilka"},
		// Tamsin replaced the ferryman, not the other way about.
		{"Who replaced Old Tamsin?", ""},
		{"Who replaced the ferryman?", "Old Tamsin"},
		// The herons were chased by the otters.
		{"Who did the herons chase from the reeds?", ""},
		{"Who chased the herons from the reeds?", "otters"},
		// A clause ends at a comma: the villagers hung the bell, the
		// blacksmith forged it.
		{"Who forged a bell for the chapel?", "blacksmith"},
		{"What did the villagers hang above the market?", "bell"},
	}
	checkAnswers(t, e, cases)
	for _, tt := range cases {
		pq, ranked, err := e.retrieve(context.Background(), tt.q)
		if err != nil || len(ranked) == 0 {
			t.Fatalf("%q: %v, %d spans ranked", tt.q, err, len(ranked))
		}
		if got := e.swappedRoles(tt.q, pq, ranked[0]); got != (tt.holds == "") {
			t.Errorf("%q: roles swapped %v, want %v", tt.q, got, tt.holds == "")
		}
	}
}

// TestSwappedPossession checks that a question for someone's kin the
// best span names as someone else's kin is not found, and that one the
// span answers is.
func TestSwappedPossession(t *testing.T) {
	e := testEngine(t, rolesSet)
	cases := []answerCase{
		// Brannoc is Tamsin's nephew; Wenna is his cousin.
		{"Who was Brannoc's nephew?", ""},
		{"Who was Wenna's cousin?", ""},
		{"Who was Tamsin's nephew?", "Brannoc"},
		{"Who was Brannoc's cousin?", "Wenna"},
	}
	checkAnswers(t, e, cases)
	for _, tt := range cases {
		pq, ranked, err := e.retrieve(context.Background(), tt.q)
		if err != nil || len(ranked) == 0 {
			t.Fatalf("%q: %v, %d spans ranked", tt.q, err, len(ranked))
		}
		if got := e.swappedPossession(tt.q, pq, ranked[0]); got != (tt.holds == "") {
			t.Errorf("%q: possession swapped %v, want %v", tt.q, got, tt.holds == "")
		}
	}
}

// TestDeedOf checks which deed a question is read as asking about, and
// that questions of other forms are read as asking about none.
func TestDeedOf(t *testing.T) {
	e := testEngine(t, rolesSet)
	tests := []struct {
		q           string
		verb, party string // analysed terms; "" for no deed
		doer        bool
	}{
		{q: "Who replaced the ferryman?", verb: "replac", party: "ferryman", doer: true},
		{q: "Who did the ferryman replace?", verb: "replac", party: "ferryman"},
		{q: "What did the herons chase from the reeds?", verb: "chase", party: "heron"},
		// Speech, "have", "was" and questions of other words ask about no
		// deed whose roles can be read.
		{q: "What did the miller say to Ilka?"},
		{q: "What did the miller have in his mill?"},
		{q: "Who was the miller?"},
		{q: "Where did the otters dig their dens?"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			pq := e.prepare(tt.q)
			d, ok := deedOf(tt.q, pq)
			if tt.verb == "" {
				if ok {
					t.Errorf("read as a deed %q of %q, want none", pq.terms[d.verb].forms[0], pq.terms[d.party].forms[0])
				}
				return
			}
			if !ok {
				t.Fatalf("read as no deed, want %q of %q", tt.verb, tt.party)
			}
			if verb, party := pq.terms[d.verb].forms[0], pq.terms[d.party].forms[0]; verb != tt.verb || party != tt.party || d.doer != tt.doer {
				t.Errorf("read as %q of %q (doer %v), want %q of %q (doer %v)", verb, party, d.doer, tt.verb, tt.party, tt.doer)
			}
		})
	}
}
