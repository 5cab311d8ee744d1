package learn

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// choices draws n groups of 2 to 9 items, one of them drawn from the
// conditional logit with weights w and marked right; with cells, the items
// are paired up beforehand and the drawn one's partner is right too: the
// pair is then drawn with the sum of its shares, as the model says.
func choices(n int, w []float64, cells bool, seed uint64) []Group {
	r := rand.New(rand.NewPCG(seed, 2))
	gs := make([]Group, n)
	for g := range gs {
		k := 2 + r.IntN(8)
		x := make([][]float64, k)
		p := make([]float64, k)
		sum := 0.0
		for i := range x {
			x[i] = make([]float64, len(w))
			for j := range x[i] {
				x[i][j] = r.NormFloat64()
			}
			p[i] = math.Exp(Model{Weights: w}.Score(x[i]))
			sum += p[i]
		}
		right := make([]bool, k)
		u := r.Float64() * sum
		for i := range p {
			u -= p[i]
			if u <= 0 || i == k-1 {
				right[i] = true
				if partner := i ^ 1; cells && partner < k {
					right[partner] = true
				}
				break
			}
		}
		gs[g] = Group{X: x, Right: right}
	}
	return gs
}

// TestSoftmaxRecoversTheWeights fits groups drawn with known weights. With
// two right items in a group the loss is not convex; the fit still finds
// the weights the groups were drawn with.
func TestSoftmaxRecoversTheWeights(t *testing.T) {
	for _, tt := range []struct {
		name      string
		want      []float64
		manyRight bool
		seed      uint64
		opts      SoftmaxOptions
		tol       float64
	}{
		{"one right", []float64{1.5, -2, 0.5, 0}, false, 7, SoftmaxOptions{}, 0.1},
		{"many right", []float64{1, -1.5, 0}, true, 8, SoftmaxOptions{L2: 1}, 0.15},
	} {
		m, err := Softmax(choices(8000, tt.want, tt.manyRight, tt.seed), tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range tt.want {
			if math.Abs(m.Weights[j]-w) > tt.tol {
				t.Errorf("%s: weight %d = %.3f, want about %.1f (all: %.3f)", tt.name, j, m.Weights[j], w, m.Weights)
			}
		}
	}
}

// The gradient and Hessian agree with finite differences of the
// objective, with one right item a group and with several.
func TestSoftmaxGradientMatchesFiniteDifferences(t *testing.T) {
	for _, extra := range []bool{false, true} {
		gs := choices(50, []float64{1, -1, 0.5}, extra, 3)
		const l2 = 0.7
		w := []float64{0.3, -0.2, 0.9}
		d := len(w)
		grad := make([]float64, d)
		hess := make([]float64, d*d)
		gradient := func(w []float64) []float64 {
			g := make([]float64, d)
			softmaxGradient(gs, l2, w, g, make([]float64, d*d), make([]float64, d*d))
			return g
		}
		softmaxGradient(gs, l2, w, grad, hess, make([]float64, d*d))
		const h = 1e-5
		for a := range d {
			up, down := slices.Clone(w), slices.Clone(w)
			up[a] += h
			down[a] -= h
			num := (softmaxObjective(gs, l2, up) - softmaxObjective(gs, l2, down)) / (2 * h)
			if math.Abs(num-grad[a]) > 1e-5*max(1, math.Abs(num)) {
				t.Errorf("several right %v: gradient %d = %.9g, finite difference %.9g", extra, a, grad[a], num)
			}
			gu, gd := gradient(up), gradient(down)
			for b := range d {
				num := (gu[b] - gd[b]) / (2 * h)
				if math.Abs(num-hess[a*d+b]) > 1e-5*max(1, math.Abs(num)) {
					t.Errorf("several right %v: Hessian %d,%d = %.9g, finite difference %.9g", extra, a, b, hess[a*d+b], num)
				}
			}
		}
	}
}

// At the fit the penalised loss's gradient vanishes.
func TestSoftmaxMinimisesThePenalisedLoss(t *testing.T) {
	gs := choices(500, []float64{2, -1}, true, 9)
	m, err := Softmax(gs, SoftmaxOptions{L2: 3})
	if err != nil {
		t.Fatal(err)
	}
	grad := make([]float64, 2)
	softmaxGradient(gs, 3, m.Weights, grad, make([]float64, 4), make([]float64, 4))
	for j, g := range grad {
		if math.Abs(g) > 1e-8 {
			t.Errorf("gradient %d at the fit = %g, want 0", j, g)
		}
	}
}

func TestSoftmaxIsDeterministic(t *testing.T) {
	gs := choices(3000, []float64{1, 2, -3, 0.1, 0.2}, true, 11)
	a, err := Softmax(gs, SoftmaxOptions{L2: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Softmax(gs, SoftmaxOptions{L2: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Weights, b.Weights) {
		t.Errorf("two fits of the same groups differ: %v, %v", a.Weights, b.Weights)
	}
}

// Groups that one feature separates perfectly fit to finite weights with
// a penalty; groups with no wrong or no right item are skipped; a feature
// that is zero everywhere gets weight zero.
func TestSoftmaxSeparableSkippedAndZero(t *testing.T) {
	gs := []Group{
		{X: [][]float64{{1, 0}, {0, 0}, {-1, 0}}, Right: []bool{true, false, false}},
		{X: [][]float64{{2, 0}, {1, 0}}, Right: []bool{true, false}},
		{X: [][]float64{{5, 0}}, Right: []bool{false}},
		{X: [][]float64{{-9, 0}, {-8, 0}}, Right: []bool{true, true}},
	}
	m, err := Softmax(gs, SoftmaxOptions{L2: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if !(m.Weights[0] > 0) || math.IsInf(m.Weights[0], 0) {
		t.Errorf("weights %v: want a finite positive first weight", m.Weights)
	}
	if m.Weights[1] != 0 {
		t.Errorf("weight of an all-zero feature = %v, want 0", m.Weights[1])
	}
	if m.Bias != 0 {
		t.Errorf("bias %v", m.Bias)
	}
}

func TestSoftmaxNotConverged(t *testing.T) {
	_, err := Softmax(choices(500, []float64{1, -1}, false, 5), SoftmaxOptions{Iterations: 1})
	if !errors.Is(err, ErrNotConverged) {
		t.Errorf("one step: err = %v, want ErrNotConverged", err)
	}
}

func TestSoftmaxRefusesBadInput(t *testing.T) {
	nan := math.NaN()
	ok := []bool{true, false}
	for _, c := range []struct {
		name string
		gs   []Group
		opts SoftmaxOptions
		want string
	}{
		{"no groups", nil, SoftmaxOptions{}, "no group with both"},
		{"only right", []Group{{X: [][]float64{{1}}, Right: []bool{true}}}, SoftmaxOptions{}, "no group with both"},
		{"labels", []Group{{X: [][]float64{{1}}, Right: ok}}, SoftmaxOptions{}, "group 0: 2 labels for 1 items"},
		{"ragged", []Group{{X: [][]float64{{1}, {1, 2}}, Right: ok}}, SoftmaxOptions{}, "item 1 has 2 features"},
		{"nan", []Group{{X: [][]float64{{1}, {nan}}, Right: ok}}, SoftmaxOptions{}, "item 1, feature 0 is NaN"},
		{"penalty", []Group{{X: [][]float64{{1}, {0}}, Right: ok}}, SoftmaxOptions{L2: -1}, "L2 penalty -1"},
	} {
		_, err := Softmax(c.gs, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// Where the Hessian is not positive definite (two right items on either
// side of a wrong one, at the start), the fit steps with its positive
// definite part and still reaches a point where the gradient vanishes.
func TestSoftmaxIndefiniteHessian(t *testing.T) {
	gs := []Group{{X: [][]float64{{-1}, {2}, {0}}, Right: []bool{true, true, false}}}
	const l2 = 0.1
	grad, hess := make([]float64, 1), make([]float64, 1)
	softmaxGradient(gs, l2, []float64{0}, grad, hess, make([]float64, 1))
	if hess[0] >= 0 {
		t.Fatalf("Hessian at the start %v: the test needs a negative one", hess[0])
	}
	m, err := Softmax(gs, SoftmaxOptions{L2: l2})
	if err != nil {
		t.Fatal(err)
	}
	softmaxGradient(gs, l2, m.Weights, grad, hess, make([]float64, 1))
	if math.Abs(grad[0]) > 1e-8 {
		t.Errorf("gradient at the fit %v = %g, want 0", m.Weights, grad[0])
	}
	if at, start := softmaxObjective(gs, l2, m.Weights), softmaxObjective(gs, l2, []float64{0}); at >= start {
		t.Errorf("loss at the fit %v ≥ loss at the start %v", at, start)
	}
}
