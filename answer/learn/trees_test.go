package learn

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// xorGroups are groups of four items where the right one has exactly one
// of its two features above a half: no linear score picks it out.
func xorGroups(n int, seed uint64) []Group {
	r := rand.New(rand.NewPCG(seed, 1))
	var gs []Group
	for range n {
		var g Group
		right := r.IntN(4)
		for i := range 4 {
			a, b := r.Float64()/2, r.Float64()/2
			switch {
			case i == right && r.IntN(2) == 0:
				a += 0.5
			case i == right:
				b += 0.5
			case r.IntN(2) == 0:
				a, b = a+0.5, b+0.5
			}
			g.X = append(g.X, []float64{a, b, r.Float64()})
			g.Right = append(g.Right, i == right)
		}
		gs = append(gs, g)
	}
	return gs
}

// picks is the share of groups whose best scored item is right.
func picks(gs []Group, score func([]float64) float64) float64 {
	right := 0
	for _, g := range gs {
		best := 0
		for i := range g.X {
			if score(g.X[i]) > score(g.X[best]) {
				best = i
			}
		}
		if g.Right[best] {
			right++
		}
	}
	return float64(right) / float64(len(gs))
}

func TestBoostLearnsAnInteraction(t *testing.T) {
	train, test := xorGroups(400, 1), xorGroups(200, 2)
	f, err := Boost(train, BoostOptions{Trees: 60, Depth: 2, Shrinkage: 0.3, L2: 1, MinLeaf: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := picks(test, f.Score); got < 0.95 {
		t.Errorf("the forest picks the right item of %.2f of held-out groups, want ≥ 0.95", got)
	}
	m, err := Softmax(train, SoftmaxOptions{L2: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := picks(test, m.Score); got > 0.6 {
		t.Errorf("a linear score picks %.2f: the groups do not need an interaction", got)
	}
}

func TestBoostIsDeterministic(t *testing.T) {
	opts := BoostOptions{Trees: 20, Depth: 3, Shrinkage: 0.1, L2: 1, MinLeaf: 0.5}
	a, err := Boost(xorGroups(100, 3), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Boost(xorGroups(100, 3), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("the same groups grow two forests")
	}
	for _, tr := range a {
		if len(tr) > 1<<(opts.Depth+1)-1 {
			t.Errorf("a tree of %d nodes, deeper than %d", len(tr), opts.Depth)
		}
	}
}

func TestBoostRefusesBadInput(t *testing.T) {
	ok := xorGroups(5, 4)
	for name, c := range map[string]struct {
		gs   []Group
		opts BoostOptions
	}{
		"no trees":     {ok, BoostOptions{Depth: 2, Shrinkage: 0.1}},
		"no depth":     {ok, BoostOptions{Trees: 2, Shrinkage: 0.1}},
		"no shrinkage": {ok, BoostOptions{Trees: 2, Depth: 2}},
		"no group":     {[]Group{{X: [][]float64{{1}}, Right: []bool{true}}}, BoostOptions{Trees: 2, Depth: 2, Shrinkage: 0.1}},
	} {
		if _, err := Boost(c.gs, c.opts); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestBoostAddsToBase grows a forest on groups whose base scores already
// pick their right items with a wide margin: the trees, adding to them,
// have little to add, where grown from nothing they add much.
func TestBoostAddsToBase(t *testing.T) {
	gs := xorGroups(200, 5)
	for i := range gs {
		gs[i].Base = make([]float64, len(gs[i].X))
		for j, r := range gs[i].Right {
			if r {
				gs[i].Base[j] = 20
			}
		}
	}
	opts := BoostOptions{Trees: 10, Depth: 2, Shrinkage: 0.3, L2: 1, MinLeaf: 0}
	based, err := Boost(gs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range gs {
		gs[i].Base = nil
	}
	bare, err := Boost(gs, opts)
	if err != nil {
		t.Fatal(err)
	}
	most := func(f Forest) float64 {
		m := 0.0
		for _, g := range gs {
			for _, x := range g.X {
				m = max(m, math.Abs(f.Score(x)))
			}
		}
		return m
	}
	if b, n := most(based), most(bare); b > 1e-3 || n < 0.5 {
		t.Errorf("the forest adds at most %g to base scores that pick the right items, %g to none; want < 1e-3 and ≥ 0.5", b, n)
	}
	gs[0].Base = []float64{1}
	if _, err := Boost(gs, opts); err == nil {
		t.Error("no error for a group with fewer base scores than items")
	}
}
