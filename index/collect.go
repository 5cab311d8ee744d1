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
	n = max(n, 0)
	// The matches held are kept for the next search too.
	held, _ := h.held.Get().(*[]match)
	if held == nil {
		held = new([]match)
	}
	defer func() {
		if cap(*held) <= maxHeldKept {
			h.held.Put(held)
		}
	}()
	var (
		all = (*held)[:0]
		// floor is the n-th best score of the matches read so far, once
		// they have been cut down to the best n (and their ties): a match
		// that scores less is counted, not kept.
		floor   = math.Inf(-1)
		cutAt   = max(2*n, minCut)
		total   int
		cutDown bool
	)
	for {
		if total%checkDoneEvery == 0 {
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
		total++
		num := dm.IndexInternalID.Value()
		score := r.score(num, dm.Score)
		sctx.DocumentMatchPool.Put(dm)
		if n > 0 && (!cutDown || score >= floor) {
			all = append(all, match{score: score, num: num})
		}
		if len(all) >= cutAt {
			all = best(all, n)
			floor, cutDown = all[n-1].score, true
			cutAt = max(2*len(all), minCut)
		}
	}
	*held = all
	if n == 0 || total == 0 {
		return nil, total, nil
	}
	all = best(all, n)
	hits := make([]Hit, 0, len(all))
	var buf bindex.IndexInternalID
	for _, m := range all {
		buf = bindex.NewIndexInternalID(buf, m.num)
		id, err := h.reader.ExternalID(buf)
		if err != nil {
			return nil, 0, err
		}
		hits = append(hits, Hit{ID: id, Score: m.score})
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return hits[:min(n, len(hits))], total, nil
}

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
