package learn

import (
	"errors"
	"fmt"
	"math"
)

// Group is one choice among items: a question's candidate answers, the
// features of each and which of them are right.
type Group struct {
	X     [][]float64
	Right []bool
}

// SoftmaxOptions tune Softmax; the zero value fits with no penalty.
type SoftmaxOptions struct {
	// L2 is the penalty on the squared size of the weights.
	L2 float64
	// Iterations bounds the Newton steps (default DefaultIterations).
	Iterations int
}

// Softmax fits a conditional logit to groups by Newton's method: the model
// gives item i of a group the share exp(w·xᵢ) / Σⱼ exp(w·xⱼ) of the
// group, and the fit maximises, over the groups, the log of the share of
// the group's right items together, less opts.L2/2·|w|². Every group
// counts the same, whatever its size. There is no bias: it would cancel
// within a group. A group with no right item, or only right ones, tells
// nothing and is skipped. The same groups in the same order give
// bit-identical weights.
//
// With more than one right item in a group the loss need not be convex;
// where the Hessian is not positive definite, the step is taken with its
// positive definite part (the covariance of the features under the
// model's shares, plus the penalty), which still descends.
func Softmax(groups []Group, opts SoftmaxOptions) (Model, error) {
	gs, d, err := checkGroups(groups, opts)
	if err != nil {
		return Model{}, fmt.Errorf("fit a conditional logit: %w", err)
	}
	iters := opts.Iterations
	if iters <= 0 {
		iters = DefaultIterations
	}
	w := make([]float64, d)
	grad := make([]float64, d)
	hess := make([]float64, d*d)
	bound := make([]float64, d*d)
	step := make([]float64, d)
	next := make([]float64, d)
	loss := softmaxObjective(gs, opts.L2, w)
	for range iters {
		softmaxGradient(gs, opts.L2, w, grad, hess, bound)
		if err := solve(hess, grad, step, d); err != nil {
			if err := solve(bound, grad, step, d); err != nil {
				return Model{Weights: w}, fmt.Errorf("fit a conditional logit: %w", err)
			}
		}
		// A Newton step, halved until the loss does not grow by more than
		// its rounding: near the optimum a full step lowers it by less.
		t := 1.0
		slack := lossRounding * math.Abs(loss)
		var nextLoss float64
		for halvings := 0; ; halvings++ {
			for i := range w {
				next[i] = w[i] - t*step[i]
			}
			nextLoss = softmaxObjective(gs, opts.L2, next)
			if nextLoss <= loss+slack || halvings == 30 {
				break
			}
			t /= 2
		}
		moved := 0.0
		for i := range w {
			moved = max(moved, math.Abs(next[i]-w[i]))
		}
		copy(w, next)
		loss = nextLoss
		if moved <= tolerance {
			return Model{Weights: w}, nil
		}
	}
	return Model{Weights: w}, ErrNotConverged
}

// lossRounding is the relative rounding error allowed the loss in the
// line search: a sum over thousands of groups is not exact to the last bit.
const lossRounding = 1e-12

// checkGroups checks groups and returns those that tell something, and
// the number of features.
func checkGroups(groups []Group, opts SoftmaxOptions) ([]Group, int, error) {
	if opts.L2 < 0 || math.IsNaN(opts.L2) || math.IsInf(opts.L2, 0) {
		return nil, 0, fmt.Errorf("L2 penalty %v is not a finite number ≥ 0", opts.L2)
	}
	d := -1
	var gs []Group
	for g, gr := range groups {
		if len(gr.Right) != len(gr.X) {
			return nil, 0, fmt.Errorf("group %d: %d labels for %d items", g, len(gr.Right), len(gr.X))
		}
		right := 0
		for i, row := range gr.X {
			if d < 0 {
				d = len(row)
			}
			if len(row) != d {
				return nil, 0, fmt.Errorf("group %d, item %d has %d features, the first has %d", g, i, len(row), d)
			}
			for j, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, 0, fmt.Errorf("group %d, item %d, feature %d is %v", g, i, j, v)
				}
			}
			if gr.Right[i] {
				right++
			}
		}
		if right > 0 && right < len(gr.X) {
			gs = append(gs, gr)
		}
	}
	if len(gs) == 0 {
		return nil, 0, errors.New("no group with both a right and a wrong item")
	}
	return gs, d, nil
}

// shares fills p with the model's shares of the items of g at w, and
// returns the log of the sum of exp(w·x) over all items and over the right
// ones, computed without overflow.
func shares(g Group, w, p []float64) (all, right float64) {
	top := math.Inf(-1)
	for i, row := range g.X {
		p[i] = linear(row, w)
		top = max(top, p[i])
	}
	sum, sumRight := 0.0, 0.0
	for i := range p {
		p[i] = math.Exp(p[i] - top)
		sum += p[i]
		if g.Right[i] {
			sumRight += p[i]
		}
	}
	for i := range p {
		p[i] /= sum
	}
	return top + math.Log(sum), top + math.Log(sumRight)
}

// softmaxObjective is the groups' negative log share of the right items at
// w plus the penalty.
func softmaxObjective(gs []Group, l2 float64, w []float64) float64 {
	loss := 0.0
	var p []float64
	for _, g := range gs {
		p = grow(p, len(g.X))
		all, right := shares(g, w, p)
		loss += all - right
	}
	for _, v := range w {
		loss += l2 / 2 * v * v
	}
	return loss
}

// softmaxGradient fills grad with the objective's gradient at w, hess with
// its Hessian and bound with the Hessian's positive definite part (all
// row-major, d×d).
//
// For a group, with p the shares of all items and r those of the right
// items among themselves, the gradient is E_p[x] − E_r[x] and the Hessian
// Cov_p[x] − Cov_r[x].
func softmaxGradient(gs []Group, l2 float64, w, grad, hess, bound []float64) {
	d := len(w)
	clear(grad)
	clear(hess)
	clear(bound)
	var p, r []float64
	mp := make([]float64, d)
	mr := make([]float64, d)
	for _, g := range gs {
		p, r = grow(p, len(g.X)), grow(r, len(g.X))
		shares(g, w, p)
		sumRight := 0.0
		for i := range p {
			r[i] = 0
			if g.Right[i] {
				r[i] = p[i]
				sumRight += p[i]
			}
		}
		for i := range r {
			r[i] /= sumRight
		}
		clear(mp)
		clear(mr)
		for i, row := range g.X {
			for a, v := range row {
				mp[a] += p[i] * v
				mr[a] += r[i] * v
			}
		}
		for a := range d {
			grad[a] += mp[a] - mr[a]
		}
		// Cov_p = E_p[xxᵀ] − mp·mpᵀ, and the same for r; upper triangles.
		for i, row := range g.X {
			for a, va := range row {
				if va == 0 {
					continue
				}
				pa, ra := p[i]*va, r[i]*va
				for b := a; b < d; b++ {
					bound[a*d+b] += pa * row[b]
					hess[a*d+b] -= ra * row[b]
				}
			}
		}
		for a := range d {
			for b := a; b < d; b++ {
				bound[a*d+b] -= mp[a] * mp[b]
				hess[a*d+b] += mr[a] * mr[b]
			}
		}
	}
	for a := range d {
		for b := a; b < d; b++ {
			hess[a*d+b] += bound[a*d+b]
		}
		for b := range a {
			hess[a*d+b] = hess[b*d+a]
			bound[a*d+b] = bound[b*d+a]
		}
		hess[a*d+a] += l2 + ridge
		bound[a*d+a] += l2 + ridge
		grad[a] += l2 * w[a]
	}
}

// grow returns s with length n, reusing its storage when it can.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
