package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/searcher"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// segmentPostings is what a handle reads the postings of its index's
// segments through, for the searches that score a question's terms
// themselves (see handle.topTerms): the segments of the reader's snapshot,
// where each one's passages start among the reader's numbers, and how many
// passages the reader counts, which is what bleve's tf-idf weighs a term's
// rarity by. It reads each segment's dictionary of the text field as
// scorch's term readers do, but for the fields a change of mapping took
// out of an index in place, which an index built once never has.
type segmentPostings struct {
	segs []*scorch.SegmentSnapshot
	// offsets is the number of the first passage of each segment: the
	// counts of the segments before it, deleted passages included, as
	// scorch numbers them.
	offsets []uint64
	// numbers is how many numbers the passages of all segments take.
	numbers uint64
	// docCount is how many passages the reader holds.
	docCount uint64

	// scans holds the scans searches used (each a *scan), for the next
	// searches to reuse.
	scans sync.Pool
	// kept holds the postings of the terms searches read, decoded, in
	// keptBytes; mu guards both. keepLimit is the most bytes kept
	// (maxKeptBytes).
	mu        sync.RWMutex
	kept      map[string]*termPostings
	keptBytes int
	keepLimit int

	// names holds the ID of each passage a search has named, and its
	// number in the corpus, by bleve's number: bleve reads a passage's ID
	// from its stored fields, decompressing them, each time it is asked.
	names []atomic.Pointer[passageName]
}

// passageName is a passage's ID and its number in the corpus (see
// Hit.N).
type passageName struct {
	id string
	n  int
}

// name is the ID and number in the corpus of the passage with number num,
// if a search named it before.
func (s *segmentPostings) name(num uint64) (passageName, bool) {
	if s == nil || num >= uint64(len(s.names)) {
		return passageName{}, false
	}
	if p := s.names[num].Load(); p != nil {
		return *p, true
	}
	return passageName{}, false
}

// keepName keeps name as the ID and number of the passage with number num.
func (s *segmentPostings) keepName(num uint64, name passageName) {
	if s != nil && num < uint64(len(s.names)) {
		s.names[num].Store(&name)
	}
}

// newSegmentPostings reads what the searches of terms need of the snapshot r; nil
// when r is not a scorch snapshot, whose searches then go through bleve's
// searchers.
func newSegmentPostings(r any, docCount uint64) *segmentPostings {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	s := &segmentPostings{segs: snap.Segments(), docCount: docCount, kept: map[string]*termPostings{}, keepLimit: maxKeptBytes}
	for _, seg := range s.segs {
		s.offsets = append(s.offsets, s.numbers)
		s.numbers += seg.Segment().Count()
	}
	if s.numbers > maxPassageNumber {
		return nil
	}
	s.names = make([]atomic.Pointer[passageName], s.numbers)
	return s
}

// maxKeptBytes bounds the memory segmentPostings keeps terms' postings
// decoded in (12 bytes a posting, keptTermBytes a term): the postings of
// every term a million words' questions use, after which the postings of
// the terms not kept are read from the segments at each search.
const maxKeptBytes = 16 << 20

// keptTermBytes is about what keeping a term's postings costs besides
// the postings: its entry in the map, its name, the slices' headers.
const keptTermBytes = 128

// termPostings are the postings of a term in the text field, decoded: the
// number of each passage that holds it, in the order of the segments, and
// √freq × norm there (the frequency's weight and the field length's, what
// bleve's tf-idf multiplies by the term's idf).
type termPostings struct {
	nums []uint32
	tfn  []float64
}

// postings returns term's postings: those kept, or read from the segments
// with sc into spare, and kept if there is room.
func (s *segmentPostings) postings(ctx context.Context, sc *scan, term string, spare *termPostings) (*termPostings, error) {
	s.mu.RLock()
	tp := s.kept[term]
	s.mu.RUnlock()
	if tp != nil {
		return tp, nil
	}
	spare.nums, spare.tfn = spare.nums[:0], spare.tfn[:0]
	sc.term = append(sc.term[:0], term...)
	for j, seg := range s.segs {
		pl, err := sc.dicts[j].PostingsList(sc.term, seg.Deleted(), sc.list)
		if err != nil {
			return nil, fmt.Errorf("read the postings of %q: %w", term, err)
		}
		sc.list = pl
		it := pl.Iterator(true, true, false, sc.iters[j])
		sc.iters[j] = it
		off := s.offsets[j]
		for {
			if len(spare.nums)%checkDoneEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			p, err := it.Next()
			if err != nil {
				return nil, fmt.Errorf("read the postings of %q: %w", term, err)
			}
			if p == nil {
				break
			}
			num := p.Number() + off
			if num >= s.numbers {
				return nil, fmt.Errorf("%w: term %q: passage number %d of %d", ErrCorrupt, term, num, s.numbers)
			}
			// As bleve's scorer computes it: tf × norm, then × idf.
			spare.nums = append(spare.nums, uint32(num))
			spare.tfn = append(spare.tfn, math.Sqrt(float64(p.Frequency()))*p.Norm())
		}
	}
	if len(spare.nums) == 0 {
		// A term no passage holds costs a look in the dictionaries alone,
		// and there is no end to them.
		return spare, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if tp := s.kept[term]; tp != nil {
		return tp, nil
	}
	cost := keptTermBytes + len(term) + 12*len(spare.nums)
	if s.keptBytes+cost > s.keepLimit {
		return spare, nil
	}
	tp = &termPostings{nums: slices.Clone(spare.nums), tfn: slices.Clone(spare.tfn)}
	s.kept[term] = tp
	s.keptBytes += cost
	return tp, nil
}

// scan is what one search at a time reads postings with and adds scores
// up in, kept from search to search so that none of it is made again: each
// segment's dictionary of the text field, a postings list and an iterator
// per segment, reused through zapx's prealloc arguments, for the terms
// whose postings are not kept decoded; and a score and a count of matching
// terms for every passage, by number, which a search leaves as it found
// them (zero) for the passages it touched alone.
type scan struct {
	dicts []segment.TermDictionary
	list  segment.PostingsList
	iters []segment.PostingsIterator
	term  []byte

	// postings holds each term's postings, and spare the postings read
	// for each term that are not kept.
	postings []*termPostings
	spare    []termPostings
	// kept are the postings of each term that segmentPostings keeps, nil
	// for those it does not.
	kept []*termPostings
	// weights holds each term's idf and query weight (see termWeight).
	weights []termWeight
	// order is the order the terms are read and added up in; grouped
	// and groupStart serve groupTerms.
	order      []int
	grouped    []int
	groupStart []int

	// acc is, for each passage by number, what the terms it holds add up
	// to (see passageAcc).
	acc []passageAcc
	// group is each term's group, for a query whose terms are grouped
	// (see Term.Group), numbered from 1 in the order of the groups' first
	// terms.
	group []uint32
	// touched are the numbers of the passages some term matched, in the
	// order they were first matched.
	touched []uint32
	// matches are the touched passages with their scores.
	matches []match
}

// passageAcc is what a search adds up of one passage, side by side, as a
// term's postings are added passage by passage: the sum of the terms'
// scores, how many groups of terms it holds, and the group it last held
// a term of (0 for none yet), each term a group of its own when
// ungrouped.
type passageAcc struct {
	sum       float64
	matched   uint32
	lastGroup uint32
}

// termWeight is what bleve's TermQueryScorer computes of a term of a
// query before it scores a posting: the term's idf, and its query weight,
// its boost × idf × the query's norm.
type termWeight struct {
	idf, query float64
	// df is how many passages hold the term.
	df int
}

// scan returns a scan of s's segments, made or reused.
func (s *segmentPostings) scan() (*scan, error) {
	if sc, ok := s.scans.Get().(*scan); ok {
		return sc, nil
	}
	sc := &scan{
		dicts: make([]segment.TermDictionary, len(s.segs)),
		iters: make([]segment.PostingsIterator, len(s.segs)),
		acc:   make([]passageAcc, s.numbers),
	}
	for i, seg := range s.segs {
		d, err := seg.Segment().Dictionary(fieldText)
		if err != nil {
			return nil, fmt.Errorf("read the dictionary of segment %d: %w", i, err)
		}
		sc.dicts[i] = d
	}
	return sc, nil
}

// topTerms is top for the query textQuery(Query{Terms: terms}) (a
// disjunction of term queries over the passages' text), scored as bleve
// scores it, without bleve's searchers: each term's postings, read from
// bleve's segments the first time a search needs them and kept decoded
// (up to maxKeptBytes), add each posting's score to its passage's.
// Building a searcher per term, a heap of them and a match per posting
// was most of what a question's search cost, and reading the postings
// again (a term's place in the dictionary, its bitmap, its frequencies)
// most of the rest.
//
// The scores are those of bleve's tf-idf (search/scorer TermQueryScorer,
// which a mapping's BM25 does not reach: the searcher is made without the
// request that would say so): a term's idf is 1 + ln(passages /
// (passages holding it + 1)), its query weight boost × idf × the query's
// norm, 1/√(Σ (boost × idf)²) over every term; a posting scores √freq ×
// norm × idf × the query weight (not multiplied when that is 1); a passage
// scores the sum of its postings' scores × the share of the query's terms
// it holds (the disjunction's coordination factor). The sums run over the
// terms rarest first (the first of those equally rare first), as bleve's
// disjunction of a few terms (up to searcher.DisjunctionHeapTakeover) adds
// them, so that its scores are bleve's to the bit; for more, bleve adds
// the postings' scores in the order its heap gives them, and the scores
// differ from these by rounding alone.
//
// A query whose terms are grouped (see Term.Group) is scored the same way,
// but for the share of its terms a passage holds, which counts groups: a
// passage holding any term of a group holds the group.
func (h *handle) topTerms(ctx context.Context, terms []Term, n int, r raise) ([]Hit, int, error) {
	s := h.segs
	sc, err := s.scan()
	if err != nil {
		return nil, 0, err
	}
	// Whatever happens, the scan goes back with every passage's score
	// and count at zero.
	defer func() {
		for _, num := range sc.touched {
			sc.acc[num] = passageAcc{}
		}
		sc.touched = sc.touched[:0]
		clear(sc.postings)
		clear(sc.kept)
		s.scans.Put(sc)
	}()
	if len(sc.spare) < len(terms) {
		sc.spare = append(sc.spare, make([]termPostings, len(terms)-len(sc.spare))...)
	}
	sc.postings = sc.postings[:0]
	sc.weights = sc.weights[:0]
	sc.order = sc.order[:0]
	// The postings kept are looked up first, under one lock, the lookups
	// waiting on memory together; then the others are read.
	sc.kept = slices.Grow(sc.kept[:0], len(terms))[:len(terms)]
	s.mu.RLock()
	for i, t := range terms {
		sc.kept[i] = s.kept[t.Term]
	}
	s.mu.RUnlock()
	for i, t := range terms {
		tp := sc.kept[i]
		if tp == nil {
			var err error
			if tp, err = s.postings(ctx, sc, t.Term, &sc.spare[i]); err != nil {
				return nil, 0, err
			}
		}
		df := len(tp.nums)
		idf := 1.0 + math.Log(float64(s.docCount)/float64(uint64(df)+1.0))
		sc.postings = append(sc.postings, tp)
		sc.weights = append(sc.weights, termWeight{idf: idf, df: df})
		sc.order = append(sc.order, i)
	}
	if len(terms) <= searcher.DisjunctionHeapTakeover {
		// bleve's disjunction of a few terms reads them rarest first,
		// the order it adds their weights and scores in.
		slices.SortStableFunc(sc.order, func(a, b int) int { return cmp.Compare(sc.weights[a].df, sc.weights[b].df) })
	}
	sumSquares := 0.0
	for _, i := range sc.order {
		w := terms[i].weight() * sc.weights[i].idf
		sumSquares += w * w
	}
	norm := 1.0 / math.Sqrt(sumSquares)
	for i, t := range terms {
		sc.weights[i].query = t.weight() * sc.weights[i].idf * norm
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	ngroups := sc.groupTerms(terms)
	for k, i := range sc.order {
		// Ungrouped, every term is a group of its own.
		g := uint32(k + 1)
		if ngroups > 0 {
			g = sc.group[i]
		}
		sc.addGroup(sc.weights[i], sc.postings[i], g)
	}
	total := len(sc.touched)
	if n <= 0 || total == 0 {
		return nil, total, nil
	}
	nterms := float64(len(terms))
	if ngroups > 0 {
		nterms = float64(ngroups)
	}
	all := sc.matches[:0]
	for _, num := range sc.touched {
		a := &sc.acc[num]
		coord := float64(a.matched) / nterms
		all = append(all, match{score: r.score(uint64(num), a.sum*coord), num: uint64(num)})
	}
	sc.matches = all
	hits, err := h.named(selectBest(all, n), n)
	return hits, total, err
}

// groupTerms numbers the groups of terms (see Term.Group) from 1 into
// sc.group, every term of group 0 a group of its own, and orders sc.order
// group by group, keeping the order within each; it returns how many
// groups there are, or 0 when no term has a group, and the terms are
// scored one by one as bleve scores them.
func (sc *scan) groupTerms(terms []Term) int {
	if !slices.ContainsFunc(terms, func(t Term) bool { return t.Group > 0 }) {
		return 0
	}
	sc.group = sc.group[:0]
	n := uint32(0)
	for i, t := range terms {
		// A group's number is that of its first term; queries have few.
		first := -1
		if t.Group > 0 {
			first = slices.IndexFunc(terms[:i], func(u Term) bool { return u.Group == t.Group })
		}
		if first >= 0 {
			sc.group = append(sc.group, sc.group[first])
			continue
		}
		n++
		sc.group = append(sc.group, n)
	}
	// A stable sort by group: the terms counted group by group, then each
	// put after those of the groups before its own.
	start := slices.Grow(sc.groupStart[:0], int(n)+2)[:n+2]
	clear(start)
	for _, g := range sc.group {
		start[g+1]++
	}
	for g := 1; g < len(start); g++ {
		start[g] += start[g-1]
	}
	grouped := slices.Grow(sc.grouped[:0], len(sc.order))[:len(sc.order)]
	for _, i := range sc.order {
		g := sc.group[i]
		grouped[start[g]] = i
		start[g]++
	}
	sc.order, sc.grouped, sc.groupStart = grouped, sc.order, start
	return int(n)
}

// addGroup adds the postings tp of a term of weights tw and group g to
// their passages' scores, the terms of a group being added one after
// another, so that a passage's count of the terms it holds counts the
// group once: a posting scores √freq × norm × idf × the query weight
// (not multiplied when that is 1), as in topTerms.
func (sc *scan) addGroup(tw termWeight, tp *termPostings, g uint32) {
	for k, num := range tp.nums {
		score := tp.tfn[k] * tw.idf
		if tw.query != 1.0 {
			score *= tw.query
		}
		a := &sc.acc[num]
		if a.matched == 0 {
			sc.touched = append(sc.touched, num)
		}
		if a.lastGroup != g {
			a.lastGroup = g
			a.matched++
		}
		a.sum += score
	}
}
