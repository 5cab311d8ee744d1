package answer

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// TestLookupSharedMaskBits looks up term IDs that share a bit of the
// question's mask: only the question's own come back, each with its forms.
func TestLookupSharedMaskBits(t *testing.T) {
	var q questionIDs
	forms := []termForm{{id: 7, term: 0}, {id: 64, term: 3}, {id: 7 + maskBits, term: 1}, {id: 7 + maskBits, term: 2}}
	for _, f := range forms {
		q.mask.set(f.id)
	}
	q.group(forms, nil)
	for _, tt := range []struct {
		id    index.TermID
		terms []int
	}{
		{7, []int{0}}, {7 + maskBits, []int{1, 2}}, {7 + 2*maskBits, nil}, {64, []int{3}}, {64 + maskBits, nil}, {8, nil},
	} {
		var got []int
		for _, f := range q.lookup(tt.id) {
			got = append(got, int(f.term))
		}
		if !slices.Equal(got, tt.terms) {
			t.Errorf("lookup(%d) = terms %v, want %v", tt.id, got, tt.terms)
		}
	}
}

// TestStopBits checks that a sentence's stop-word bits say which of the
// stop words it holds, each word its own bit.
func TestStopBits(t *testing.T) {
	seen := uint64(0)
	for w := range stopWords {
		b := stopBit[w]
		if b == 0 || b&(b-1) != 0 || seen&b != 0 || stopBitOf(w) != b {
			t.Fatalf("stop word %q has bits %b (%b by its shape)", w, b, stopBitOf(w))
		}
		seen |= b
	}
	ws := wordsOf("Under the bridge, not before dawn, the keeper waited by the café's door with Ünal.")
	var held uint64
	for w := range ws.all {
		held |= stopBitOf(w)
	}
	for _, w := range []string{"", "the", "tower", "überall", "b", "keeper's"} {
		if b := stopBitOf(w); b != 0 {
			t.Errorf("stopBitOf(%q) = %b, want none", w, b)
		}
	}
	for w := range stopWords {
		if got, want := held&stopBit[w] != 0, ws.has(w); got != want {
			t.Errorf("%q: bit %v, word %v", w, got, want)
		}
	}
}

// TestRankScratchReused ranks the golden questions one after the other,
// then again in the opposite order: what ranking reuses between questions
// (term weights by document, the cover of each passage, docStats's
// buffers) must leave each question's spans and their scores as they were.
func TestRankScratchReused(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	qs := goldenQuestions(t)
	if len(qs) < 10 {
		t.Fatalf("%d questions, want the golden list", len(qs))
	}
	type ranking struct{ best, all []candidate }
	rank := func(q string) ranking {
		ctx := context.Background()
		pq := e.prepare(q)
		hits, _, err := e.ix.Search(ctx, pq.query(), 0, e.opts.Candidates)
		if err != nil {
			t.Fatal(err)
		}
		var r ranking
		r.best, err = e.rankSpans(ctx, pq, hits, func(c candidate) { r.all = append(r.all, c) })
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := make([]ranking, len(qs))
	for i, q := range qs {
		first[i] = rank(q)
	}
	for i := len(qs) - 1; i >= 0; i-- {
		if again := rank(qs[i]); !reflect.DeepEqual(again, first[i]) {
			t.Errorf("%q ranked after other questions: %d best, %d spans; first %d, %d, or the same number with other scores",
				qs[i], len(again.best), len(again.all), len(first[i].best), len(first[i].all))
		}
	}
}

// TestLogLength checks that the table of FeatLength holds log(1+n) itself.
func TestLogLength(t *testing.T) {
	for n := range 2 * len(logLengths) {
		if got, want := logLength(n), math.Log(1+float64(n)); got != want {
			t.Fatalf("logLength(%d) = %v, want %v", n, got, want)
		}
	}
}

// TestQuestionIDsOneByOne checks the IDs prepare looks up for the golden
// questions, and a few with synonyms of one word and of many, against IDs
// looked up one term at a time with TermID, added in the same order and
// sorted by a stable sort, each question's in the arrays of the one before.
func TestQuestionIDsOneByOne(t *testing.T) {
	e := testEngine(t, "testdata/corpus")
	qs := append([]string{"What did Tobias Penhallow carry up the tower?", "Who lit the lamp?", "Who is Toby Penhallow's lantern keeper?"}, goldenQuestions(t)...)
	members := 0
	for _, q := range qs {
		pq := e.prepare(q)
		got, want := *pq.ids, oneByOne(e, pq)
		members += len(want.members)
		// An empty list of IDs is nil or not, as the arrays it was cut
		// from were kept or not.
		if !slices.EqualFunc(got.forms, want.forms, slices.Equal) || !slices.EqualFunc(got.formIDs, want.formIDs, slices.Equal) ||
			!slices.Equal(got.members, want.members) || got.mask != want.mask {
			t.Errorf("%q: IDs looked up at once differ from one at a time:\n got  %+v\n want %+v", q, got, want)
		}
		checkLookups(t, q, &got, want.all)
		// The next question's IDs are looked up in this one's arrays.
		e.release(pq, nil)
	}
	if members == 0 {
		t.Error("no question has a synonym of many words")
	}
}

// checkLookups checks that q finds for each ID the forms of sorted, forms
// sorted by a stable sort by ID, that hold it, and for IDs of none of them
// nothing; and that q holds no other forms.
func checkLookups(t *testing.T, name string, q *questionIDs, sorted []termForm) {
	t.Helper()
	if len(q.all) != len(sorted) {
		t.Errorf("%s: %d forms, want %d", name, len(q.all), len(sorted))
	}
	for i := 0; i < len(sorted); {
		j := i
		for j < len(sorted) && sorted[j].id == sorted[i].id {
			j++
		}
		if got := q.lookup(sorted[i].id); !slices.Equal(got, sorted[i:j]) {
			t.Errorf("%s: lookup(%d) = %+v, want %+v", name, sorted[i].id, got, sorted[i:j])
		}
		i = j
	}
	for id := range index.TermID(3 * maskBits) {
		if _, ok := slices.BinarySearchFunc(sorted, id, func(f termForm, id index.TermID) int { return cmp.Compare(f.id, id) }); !ok {
			if got := q.lookup(id); got != nil {
				t.Fatalf("%s: lookup(%d) = %+v, want none", name, id, got)
			}
		}
	}
}

// oneByOne is questionIDs with every term looked up on its own.
func oneByOne(e *Engine, pq question) questionIDs {
	q := questionIDs{forms: make([][]index.TermID, len(pq.terms)), formIDs: make([][]index.TermID, len(pq.terms))}
	from := 0
	add := func(j int, term string, ch channel, member int, bit uint64) bool {
		id, ok := e.ix.TermID(term)
		if !ok {
			return false
		}
		for i, f := range q.all[from:] {
			if f.id == id && int(f.term) == j && int(f.member) == member {
				q.all[from+i].ch = min(f.ch, ch)
				return true
			}
		}
		q.all = append(q.all, termForm{id, int32(j), ch, int32(member), bit})
		q.mask.set(id)
		if ch.lexical() && member == noMember && !slices.Contains(q.forms[j], id) {
			q.forms[j] = append(q.forms[j], id)
		}
		return true
	}
	for j, t := range pq.terms {
		from = len(q.all)
		for k, f := range t.forms {
			if id, ok := e.ix.TermID(f); ok {
				q.formIDs[j] = append(q.formIDs[j], id)
			}
			ch := chForm
			if k == 0 || k == 1 && t.corrected {
				ch = chExact
			}
			add(j, f, ch, noMember, 0)
		}
		for _, m := range t.synonyms {
			if len(m) == 1 {
				add(j, m[0], chSynonym, noMember, 0)
				continue
			}
			n := len(q.all)
			id, all := len(q.members), uint64(0)
			for k, f := range m[:min(len(m), maxMemberWords)] {
				if !add(j, f, chSynonym, id, 1<<k) {
					all = 0
					break
				}
				all |= 1 << k
			}
			if all == 0 {
				q.all = q.all[:n]
				continue
			}
			q.members = append(q.members, all)
		}
		for _, r := range t.related {
			add(j, r.term, r.ch, noMember, 0)
		}
	}
	slices.SortStableFunc(q.all, func(a, b termForm) int { return cmp.Compare(a.id, b.id) })
	return q
}

// TestGroupLookups groups forms many of which share an ID, or whose IDs
// share the top bits or the mask's bits: lookup finds each ID's forms in
// the order they came, as a stable sort by ID has them.
func TestGroupLookups(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		forms := make([]termForm, r.IntN(400))
		spread := []int{40, 1000, 3 * maskBits}[round%3]
		for i := range forms {
			id := index.TermID(r.IntN(spread))
			if round%5 == 0 {
				id = index.TermID(r.IntN(8)) * maskBits // one bit of the mask
			}
			forms[i] = termForm{id: id, term: int32(i)}
		}
		var q questionIDs
		for _, f := range forms {
			q.mask.set(f.id)
		}
		q.group(slices.Clone(forms), nil)
		sorted := slices.Clone(forms)
		slices.SortStableFunc(sorted, func(a, b termForm) int { return cmp.Compare(a.id, b.id) })
		checkLookups(t, fmt.Sprintf("round %d, %d forms", round, len(forms)), &q, sorted)
	}
}

// TestSortedByScoreIsStable puts candidates in their places one by one,
// in a random order, and compares the order they make with sort.SliceStable
// in the search's order, best first, on candidates many of which score the
// same.
func TestSortedByScoreIsStable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	sc := newSpanScratch(1)
	for range 200 {
		cs := make([]candidate, r.IntN(60))
		for i := range cs {
			cs[i] = candidate{first: i, score: float64(r.IntN(8))}
		}
		want := slices.Clone(cs)
		sort.SliceStable(want, func(i, j int) bool { return want[i].score > want[j].score })
		var out []candidate
		var hits []int
		sc.top = sc.top[:0]
		for _, i := range r.Perm(len(cs)) {
			out, hits = append(out, cs[i]), append(hits, i)
			sc.insertTop(out, hits)
		}
		if got := sortedByScore(out, sc.top, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("sortedByScore of %d candidates differs from a stable sort", len(cs))
		}
	}
}

// TestLocalRarities checks that localRarities gives back the rarity kept
// for a count of sentences, and none for a count not kept, or too many to
// keep.
func TestLocalRarities(t *testing.T) {
	var lr localRarities
	for f := -1; f <= maxKeptRarities; f++ {
		lr.keep(f, float64(f)+0.5)
	}
	for f := -1; f <= maxKeptRarities+1; f++ {
		v, ok := lr.of(f)
		if want := f >= 0 && f < maxKeptRarities; ok != want || ok && v != float64(f)+0.5 {
			t.Errorf("of(%d) = %v, %v; want %v, %v", f, v, ok, float64(f)+0.5, want)
		}
	}
	var empty localRarities
	if _, ok := empty.of(0); ok {
		t.Error("a rarity found where none was kept")
	}
}

// TestNeighbourCoverByOrdinals checks that the covers of a passage's
// neighbours found by their places in their document are those found
// through the document's list of passages, for every passage of a corpus
// some of whose passages were covered; and that a corpus whose passages
// do not stand where their ordinals say is not read by them.
func TestNeighbourCoverByOrdinals(t *testing.T) {
	e := storyEngine(t)
	if !e.ordinals {
		t.Fatal("the corpus's ordinals are not taken to hold")
	}
	ps := e.c.Passages()
	if len(ps) < 3 {
		t.Fatalf("%d passages, too few to have neighbours", len(ps))
	}
	sc := newSpanScratch(1)
	for k, p := range ps {
		if k%3 != 1 {
			sc.setCover(p, float64(k+1)/float64(len(ps)))
		}
	}
	nonzero := 0
	for _, p := range ps {
		e.ordinals = true
		got, gotBefore := e.neighbourCover(p, sc)
		e.ordinals = false
		want, wantBefore := e.neighbourCover(p, sc)
		if got != want || gotBefore != wantBefore {
			t.Errorf("%s: neighbours' cover %v by ordinals, %v by the document's passages", p.ID, got, want)
		}
		if got != 0 {
			nonzero++
		}
	}
	if nonzero == 0 {
		t.Error("no passage has a covered neighbour")
	}
	d := ps[0].Doc
	if len(d.Passages) < 2 {
		t.Skip("the first document has one passage")
	}
	swapped := &corpus.Document{ID: d.ID, Passages: []*corpus.Passage{d.Passages[1], d.Passages[0]}}
	if ordinalsHold(&corpus.Corpus{Documents: []*corpus.Document{swapped}}) {
		t.Error("passages out of order taken to stand where their ordinals say")
	}
}
