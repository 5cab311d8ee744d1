package answer

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"testing"

	"github.com/storybot/storybot/index"
)

// TestPrepareKeepsAnalysis checks that a question made ready keeps the
// terms the index analyses it into, misspelt or not, which the checks for
// near misses and the answerability features read instead of analysing it
// again, and that the engine's words of time are those of timeWordsText.
func TestPrepareKeepsAnalysis(t *testing.T) {
	e := storyEngine(t)
	for _, q := range []string{
		"Who was the lighthouse keeper?",
		"Who was the ligthouse keeper in 1887?",
		"What happened after the storm broke the panes?",
	} {
		pq := e.prepare(q)
		if want := e.ix.Analyze(q); !slices.Equal(pq.toks, want) {
			t.Errorf("%q: prepared terms %v, want %v", q, pq.toks, want)
		}
	}
	var want []string
	for _, tok := range e.ix.Analyze(timeWordsText) {
		want = append(want, tok.Term)
	}
	if got := e.timeTerms(); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("words of time %v, want %v", got, want)
	}
}

// TestRelatedTermAnalysed: the analysis of a word WordNet relates to a
// question word, kept or not, is the index's, and its ID and count of
// passages the index's.
func TestRelatedTermAnalysed(t *testing.T) {
	e := storyEngine(t)
	for _, w := range []string{"weapons", "arms", "the", "zqxjv", "lighthouse"} {
		var want analysedWord
		if toks := e.ix.Analyze(w); len(toks) == 1 {
			want.term, want.one = toks[0].Term, true
			want.id, want.known = e.ix.TermID(want.term)
			if want.known {
				want.df = e.ix.DocFreq(want.term)
			}
		}
		for _, round := range []string{"first", "kept"} {
			if got := e.relatedTerm(w); got != want {
				t.Errorf("%s %q: %+v, want %+v", round, w, got, want)
			}
		}
	}
	if a := e.relatedTerm("weapons"); !a.one || !a.known {
		t.Errorf("weapons: %+v, want a term the story uses", a)
	}
}

// TestEachField: eachAlnumField gives strings.FieldsFunc's fields.
func TestEachField(t *testing.T) {
	for _, s := range []string{"", "  ", "who was it?", "1887's storm, the keeper—Odo", "é\xffa b\x80", "x", "how many? 3",
		"@A[Z`a{z/0:9_", "ÀB-Ωx"} {
		want := strings.FieldsFunc(s, notAlnum)
		var got []string
		eachAlnumField(s, func(w string) { got = append(got, w) })
		if !slices.Equal(got, want) {
			t.Errorf("%q: alphanumeric fields %q, want %q", s, got, want)
		}
	}
}

// TestQueryFromPooledSet: a question's query made with the engine's sets
// of terms, kept from one question to the next, is the one made afresh.
func TestQueryFromPooledSet(t *testing.T) {
	e := storyEngine(t)
	qs := []string{
		"Who said South Korea may send weapons to Ukraine?",
		"What did Russia sign with North Korea?",
		"Who said South Korea may send weapons to Ukraine?",
		"What did Russsia sign?",
	}
	for round := range 2 {
		for _, q := range qs {
			pq := e.prepare(q)
			want := pq.query()
			if got := e.query(pq); !slices.Equal(got.Terms, want.Terms) || got.All != want.All || got.Doc != want.Doc || len(want.Terms) == 0 {
				t.Errorf("round %d, %q: query %+v, want %+v", round, q, got, want)
			}
		}
	}
}

// TestPreparedTermIDs checks that the IDs of the question's terms that
// prepare finds with each word, asked again or not, are those the index
// finds of its forms, and that the question's term IDs are as when they
// are all looked up anew.
func TestPreparedTermIDs(t *testing.T) {
	e := storyEngine(t)
	for _, q := range []string{"Who was the lighthouse keeper?", "Who was the ligthouse keeper?", "What did Toby send?", "Who was the lighthouse keeper?"} {
		pq := e.prepare(q)
		anew := pq
		anew.terms = slices.Clone(pq.terms)
		for i, tm := range pq.terms {
			want := make([]index.TermID, len(tm.forms))
			e.ix.TermIDs(tm.forms, want)
			if !tm.hasIDs() || !slices.Equal(tm.ids, want) {
				t.Errorf("%q, %v: prepared IDs %v, the index's %v", q, tm.forms, tm.ids, want)
			}
			anew.terms[i].ids = nil
		}
		got, all := e.questionIDs(pq), e.questionIDs(anew)
		if !slices.Equal(got.all, all.all) || !slices.EqualFunc(got.forms, all.forms, slices.Equal) ||
			!slices.EqualFunc(got.formIDs, all.formIDs, slices.Equal) || !slices.Equal(got.members, all.members) {
			t.Errorf("%q: term IDs %+v, looked up anew %+v", q, got, all)
		}
	}
}

// TestTermSet checks that a termSet, used again and again for sets of
// other sizes, holds a term once as a map does.
func TestTermSet(t *testing.T) {
	s := &termSet{seed: maphash.MakeSeed()}
	for round, n := range []int{0, 1, 7, 300, 5, 2000, 40} {
		s.reset(n)
		var terms []index.Term
		seen := map[string]bool{}
		for i := range n {
			term := fmt.Sprintf("t%d", (i*7919)%(n/2+1))
			if got, want := s.add(terms, term), !seen[term]; got != want {
				t.Fatalf("round %d: add %q = %v, want %v", round, term, got, want)
			}
			if !seen[term] {
				seen[term] = true
				terms = append(terms, index.Term{Term: term})
			}
		}
		if len(terms) != len(seen) {
			t.Errorf("round %d: %d terms added, %d distinct", round, len(terms), len(seen))
		}
	}
}
