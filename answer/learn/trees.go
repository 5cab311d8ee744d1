package learn

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Node is one node of a regression tree: a split, which sends a row whose
// feature Feature is below Threshold to node Left and any other to node
// Right, or, when Left is 0, a leaf worth Value. The root is node 0, which
// no node has as a child.
type Node struct {
	Feature   int
	Threshold float64
	Left      int32
	Right     int32
	Value     float64
}

// Tree is a regression tree, its nodes with the root first.
type Tree []Node

// Score is the value of the leaf row x falls in.
func (t Tree) Score(x []float64) float64 {
	i := int32(0)
	for t[i].Left != 0 {
		if n := &t[i]; x[n.Feature] < n.Threshold {
			i = n.Left
		} else {
			i = n.Right
		}
	}
	return t[i].Value
}

// Forest is a sum of regression trees.
type Forest []Tree

// Score is the sum of the trees' scores of row x.
func (f Forest) Score(x []float64) float64 {
	s := 0.0
	for _, t := range f {
		s += t.Score(x)
	}
	return s
}

// BoostOptions tune Boost.
type BoostOptions struct {
	// Trees is how many trees are grown, Depth how many splits deep each
	// is at most.
	Trees, Depth int
	// Shrinkage scales every leaf's value: the share of a tree's best step
	// that the forest takes.
	Shrinkage float64
	// L2 is the penalty on the square of a leaf's value.
	L2 float64
	// MinLeaf is the least sum of second derivatives a leaf holds: a split
	// leaving less on either side is not taken.
	MinLeaf float64
}

// Boost grows a forest of regression trees by gradient boosting, each a
// Newton step on the loss of Softmax: the share exp(F(xᵢ)) / Σⱼ exp(F(xⱼ))
// of a group that its right items take together, F being the forest's
// score plus the item's Base score. A tree's splits are exact: every threshold between two values of
// a feature that its rows take is tried, features in their order and
// thresholds from the least, and a split is taken only when it gains
// strictly more than the best before it. A group with no right item, or
// only right ones, tells nothing and is skipped. The same groups in the
// same order give the same forest, bit for bit.
func Boost(groups []Group, opts BoostOptions) (Forest, error) {
	if opts.Trees <= 0 || opts.Depth <= 0 || opts.Shrinkage <= 0 || opts.L2 < 0 || opts.MinLeaf < 0 {
		return nil, fmt.Errorf("grow a forest: bad options %+v", opts)
	}
	gs, d, err := checkGroups(groups, SoftmaxOptions{})
	if err != nil {
		return nil, fmt.Errorf("grow a forest: %w", err)
	}
	b := newBooster(gs, d, opts)
	forest := make(Forest, 0, opts.Trees)
	for range opts.Trees {
		b.gradients()
		t := b.grow()
		for i, x := range b.x {
			b.f[i] += t.Score(x)
		}
		forest = append(forest, t)
	}
	return forest, nil
}

// booster is the state of a forest being grown: the rows of every group
// one after the other, each group's rows from start[g] to start[g+1].
type booster struct {
	opts  BoostOptions
	d     int
	x     [][]float64
	right []bool
	start []int
	// f are the rows' scores so far, g and h the loss's first and second
	// derivatives by them.
	f, g, h []float64
	// sorted are, feature by feature, the rows in ascending order of the
	// feature, ties in the rows' order.
	sorted [][]int32
	// node is the node of the tree being grown that each row is in.
	node []int32
}

func newBooster(gs []Group, d int, opts BoostOptions) *booster {
	b := &booster{opts: opts, d: d}
	for _, g := range gs {
		b.start = append(b.start, len(b.x))
		b.x = append(b.x, g.X...)
		b.right = append(b.right, g.Right...)
		if g.Base != nil {
			b.f = append(b.f, g.Base...)
		} else {
			b.f = append(b.f, make([]float64, len(g.X))...)
		}
	}
	b.start = append(b.start, len(b.x))
	n := len(b.x)
	b.g, b.h = make([]float64, n), make([]float64, n)
	b.node = make([]int32, n)
	b.sorted = make([][]int32, d)
	for k := range d {
		rows := make([]int32, n)
		for i := range rows {
			rows[i] = int32(i)
		}
		slices.SortStableFunc(rows, func(a, c int32) int { return cmp.Compare(b.x[a][k], b.x[c][k]) })
		b.sorted[k] = rows
	}
	return b
}

// minHessian is the least second derivative a row counts for: a row the
// forest is sure of still weighs a little in its leaf.
const minHessian = 1e-6

// gradients finds the loss's derivatives by each row's score: for a row
// of share p of its group, p less its share of the right items' together
// if it is right; the second derivative p(1-p).
func (b *booster) gradients() {
	for g := 0; g+1 < len(b.start); g++ {
		lo, hi := b.start[g], b.start[g+1]
		top := math.Inf(-1)
		for i := lo; i < hi; i++ {
			top = max(top, b.f[i])
		}
		all, right := 0.0, 0.0
		for i := lo; i < hi; i++ {
			e := math.Exp(b.f[i] - top)
			b.g[i] = e
			all += e
			if b.right[i] {
				right += e
			}
		}
		for i := lo; i < hi; i++ {
			p := b.g[i] / all
			b.g[i] = p
			if b.right[i] {
				b.g[i] -= b.g[i] * all / right
			}
			b.h[i] = max(minHessian, p*(1-p))
		}
	}
}

// nodeSums are a node's sums of the derivatives of its rows.
type nodeSums struct{ g, h float64 }

// split is the best split found for a node.
type split struct {
	gain      float64
	feature   int
	threshold float64
	found     bool
}

// grow grows one tree on the rows' derivatives, level by level.
func (b *booster) grow() Tree {
	clear(b.node)
	t := Tree{{}}
	level := []int32{0}
	for depth := 0; depth < b.opts.Depth && len(level) > 0; depth++ {
		sums := b.sums(len(t))
		best := b.splits(len(t), sums)
		var next []int32
		for _, n := range level {
			s := best[n]
			if !s.found {
				continue
			}
			l, r := int32(len(t)), int32(len(t)+1)
			t[n] = Node{Feature: s.feature, Threshold: s.threshold, Left: l, Right: r}
			t = append(t, Node{}, Node{})
			next = append(next, l, r)
		}
		// Rows follow the splits just made.
		for i, n := range b.node {
			if nd := t[n]; nd.Left != 0 {
				if b.x[i][nd.Feature] < nd.Threshold {
					b.node[i] = nd.Left
				} else {
					b.node[i] = nd.Right
				}
			}
		}
		level = next
	}
	sums := b.sums(len(t))
	for i := range t {
		if t[i].Left == 0 {
			t[i].Value = -b.opts.Shrinkage * sums[i].g / (sums[i].h + b.opts.L2)
		}
	}
	return t
}

// sums are the derivatives' sums of each of the tree's nodes nodes, of the
// rows in it.
func (b *booster) sums(nodes int) []nodeSums {
	out := make([]nodeSums, nodes)
	for i, n := range b.node {
		out[n].g += b.g[i]
		out[n].h += b.h[i]
	}
	return out
}

// splits finds the best split of each node of the tree that has rows, by
// the gain in the penalised loss's second-order estimate.
func (b *booster) splits(nodes int, sums []nodeSums) []split {
	best := make([]split, nodes)
	left := make([]nodeSums, nodes)
	last := make([]float64, nodes)
	seen := make([]bool, nodes)
	l2, minLeaf := b.opts.L2, b.opts.MinLeaf
	score := func(s nodeSums) float64 { return s.g * s.g / (s.h + l2) }
	for k := range b.d {
		clear(left)
		clear(seen)
		for _, i := range b.sorted[k] {
			n := b.node[i]
			v := b.x[i][k]
			if seen[n] && v != last[n] {
				l, all := left[n], sums[n]
				r := nodeSums{all.g - l.g, all.h - l.h}
				if l.h >= minLeaf && r.h >= minLeaf {
					gain := score(l) + score(r) - score(all)
					if gain > 0 && (!best[n].found || gain > best[n].gain) {
						// Halfway between the two values, or the
						// higher where no float lies between them.
						thr := last[n] + (v-last[n])/2
						if thr <= last[n] {
							thr = v
						}
						best[n] = split{gain: gain, feature: k, threshold: thr, found: true}
					}
				}
			}
			seen[n], last[n] = true, v
			left[n].g += b.g[i]
			left[n].h += b.h[i]
		}
	}
	return best
}
