package index

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// checkDoneEvery is how many matches top reads between two looks at its
// context, as bleve's own collector does.
const checkDoneEvery = 1024

// match is a passage that matches a query, by its number in the index,
// and its score.
type match struct {
	score float64
	num   uint64
}

// top returns the n passages that match bq best, by score and then by ID
// (the ID only breaks ties), and how many match in all. Each match's score
// is raised by r as it is read, so that the n best are those of the raised
// scores.
//
// It runs bq's searcher on the handle's reader itself rather than through
// a search request: a request builds a fresh reader, a collector, a pool of
// matches sized to every term of the query and a result, and loads the ID
// of each hit it keeps, which for a question's few dozen terms over a small
// corpus is a good part of the search's cost. The matches a search makes are kept
// for the next (handle.matches). The scores are the searcher's, as a
// request would have them; IDs are loaded only for the matches that score
// at least as well as the n-th.
func (h *handle) top(ctx context.Context, bq query.Query, n int, r raise) (_ []Hit, _ int, err error) {
	s, err := bq.Searcher(ctx, h.reader, h.bi.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		return nil, 0, err
	}
	pool, _ := h.matches.Get().(*bsearch.DocumentMatchPool)
	if pool == nil {
		pool = bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0)
	}
	// The searcher gives back to the pool every match it made once it has
	// read them all, and the next search takes them up again, once this
	// one's searcher is closed.
	defer func() {
		if cerr := s.Close(); err == nil && cerr != nil {
			err = cerr
		}
		h.matches.Put(pool)
	}()
	sctx := &bsearch.SearchContext{DocumentMatchPool: pool, IndexReader: h.reader}
	c := h.collector(n)
	defer h.keep(c)
	for {
		if c.total%checkDoneEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, 0, err
		}
		if dm == nil {
			break
		}
		num := dm.IndexInternalID.Value()
		score := r.score(num, dm.Score)
		sctx.DocumentMatchPool.Put(dm)
		c.add(score, num)
	}
	return h.hits(c)
}

// collector keeps the best n of the matches a search reads, and counts
// them all.
type collector struct {
	n   int
	all []match
	// floor is the n-th best score of the matches read so far, once they
	// have been cut down to the best n (and their ties): a match that
	// scores less is counted, not kept.
	floor   float64
	cutAt   int
	total   int
	cutDown bool
	// held is the buffer all came from, kept for the next search.
	held *[]match
}

// collector starts collecting the n best matches of a search, in a
// buffer an earlier search held.
func (h *handle) collector(n int) *collector {
	n = max(n, 0)
	held, _ := h.held.Get().(*[]match)
	if held == nil {
		held = new([]match)
	}
	return &collector{n: n, all: (*held)[:0], floor: math.Inf(-1), cutAt: max(2*n, minCut), held: held}
}

// keep gives c's buffer back for the next search, unless it grew too
// large.
func (h *handle) keep(c *collector) {
	*c.held = c.all[:0]
	if cap(c.all) <= maxHeldKept {
		h.held.Put(c.held)
	}
}

// add counts the match with number num, and keeps it if it may be among
// the best.
func (c *collector) add(score float64, num uint64) {
	c.total++
	if c.n > 0 && (!c.cutDown || score >= c.floor) {
		c.all = append(c.all, match{score: score, num: num})
	}
	if len(c.all) >= c.cutAt {
		c.all = best(c.all, c.n)
		c.floor, c.cutDown = c.all[c.n-1].score, true
		c.cutAt = max(2*len(c.all), minCut)
	}
}

// hits are the n best of the matches c collected, by score and then by
// ID, with their IDs, and how many matched in all.
func (h *handle) hits(c *collector) ([]Hit, int, error) {
	if c.n == 0 || c.total == 0 {
		return nil, c.total, nil
	}
	c.all = best(c.all, c.n)
	hits, err := h.named(c.all, c.n)
	return hits, c.total, err
}

// named are the n best of kept, by score and then by ID, with their IDs:
// kept, which it reorders, holds at least the n best matches and all that
// score the same as the n-th.
func (h *handle) named(kept []match, n int) ([]Hit, error) {
	// Sorted by score before they are named, the matches leave only those
	// of one score to be sorted by ID, which are few: most scores differ.
	sortByScore(kept)
	hits := make([]Hit, 0, len(kept))
	var buf bindex.IndexInternalID
	for _, m := range kept {
		name, ok := h.segs.name(m.num)
		if !ok {
			buf = bindex.NewIndexInternalID(buf, m.num)
			id, err := h.reader.ExternalID(buf)
			if err != nil {
				return nil, err
			}
			name = passageName{id: id, n: -1}
			if n, ok := h.corpus.Number(id); ok {
				// The passage's own ID, the same string: an engine of the
				// same corpus that compares them finds them equal at once.
				name.id, name.n = h.corpus.PassageAt(n).ID, n
			}
			h.segs.keepName(m.num, name)
		}
		hits = append(hits, Hit{ID: name.id, N: name.n, Score: m.score})
	}
	for i := 0; i < len(hits); {
		j := i + 1
		for j < len(hits) && cmp.Compare(hits[j].Score, hits[i].Score) == 0 {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(hits[i:j], func(a, b Hit) int { return strings.Compare(a.ID, b.ID) })
		}
		i = j
	}
	return hits[:min(n, len(hits))], nil
}

// sortByScore orders ms best first, as slices.SortFunc by score would
// (those that score the same in no order): by insertion when they are as
// few as a search keeps, each comparison made in place.
func sortByScore(ms []match) {
	if len(ms) > maxInsertionSort {
		slices.SortFunc(ms, func(a, b match) int { return cmp.Compare(b.score, a.score) })
		return
	}
	for i := 1; i < len(ms); i++ {
		m := ms[i]
		j := i
		for j > 0 && cmp.Less(ms[j-1].score, m.score) {
			ms[j] = ms[j-1]
			j--
		}
		ms[j] = m
	}
}

// maxInsertionSort is the most matches sortByScore sorts by insertion.
const maxInsertionSort = 64

// minCut is how many matches top holds before it first cuts them down to
// the best.
const minCut = 256

// maxHeldKept is the most matches a search's buffer may hold to be kept
// for the next search: a search for many passages makes a large one,
// which the searches for a few should not keep alive.
const maxHeldKept = 8 * minCut

// best cuts all down to its n best matches and those that score the same
// as the n-th, best first.
func best(all []match, n int) []match {
	slices.SortFunc(all, func(a, b match) int { return cmp.Compare(b.score, a.score) })
	keep := min(n, len(all))
	for keep < len(all) && all[keep].score == all[keep-1].score {
		keep++
	}
	return all[:keep]
}

// selectBest reorders all so that it starts with its n best matches and
// those that score the same as the n-th, in no order, and returns them:
// what best keeps, without sorting every match (a quickselect, whose
// three-way partitions take the many matches that score the same at once).
func selectBest(all []match, n int) []match {
	if n <= 0 {
		return all[:0]
	}
	if n >= len(all) {
		return all
	}
	// The n-th best lies in all[lo:hi]; those before lo score more than
	// any in it, those from hi on less.
	lo, hi := 0, len(all)
	for hi-lo > 1 {
		pivot := medianOf3(all[lo].score, all[lo+(hi-lo)/2].score, all[hi-1].score)
		// all[lo:lt] score more than pivot, all[lt:i] pivot, all[gt:hi]
		// less.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch s := all[i].score; {
			case s > pivot:
				all[lt], all[i] = all[i], all[lt]
				lt++
				i++
			case s < pivot:
				gt--
				all[i], all[gt] = all[gt], all[i]
			default:
				i++
			}
		}
		switch {
		case n <= lt:
			hi = lt
		case n > gt:
			lo = gt
		default:
			// The n-th best scores pivot, as do all up to gt.
			return all[:gt]
		}
	}
	return all[:n]
}

func medianOf3(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	return max(a, b)
}
