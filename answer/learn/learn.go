// Package learn fits the linear models the answer engine scores with: a
// logistic regression by Newton's method, with an L2 penalty. It is small,
// has no dependencies and is deterministic: the same rows in the same order
// give bit-identical weights on every machine Go supports, so the weights
// the engine ships can be fitted again and compared byte for byte.
//
// A pairwise ranker is a logistic regression over differences: for each
// pair of a better and a worse item, the row f(better)−f(worse) labelled 1
// (and, for balance, f(worse)−f(better) labelled 0), fitted without a bias.
package learn

import (
	"errors"
	"fmt"
	"math"
)

// Options tune Logistic; the zero value fits with a bias and no penalty.
type Options struct {
	// L2 is the penalty on the squared size of the weights (not the
	// bias). Rows that one weight can separate perfectly need one, or the
	// weight grows without bound.
	L2 float64
	// Iterations bounds the Newton steps (default DefaultIterations).
	Iterations int
	// Bias fits an intercept besides the weights.
	Bias bool
	// SampleWeights, when not nil, weigh each row (default 1 each).
	SampleWeights []float64
}

// DefaultIterations is the default of Options.Iterations. Newton's method
// converges in a handful of steps on a logistic loss; the rest are spare.
const DefaultIterations = 50

// tolerance ends the fit once no weight moves by more than it in a step.
const tolerance = 1e-12

// ridge keeps the Newton system solvable for a feature that is zero on
// every row (or the bias without a penalty); it moves no weight measurably.
const ridge = 1e-9

// Model is a fitted linear model.
type Model struct {
	Weights []float64
	Bias    float64
}

// Score is the model's linear score of x: w·x + b.
func (m Model) Score(x []float64) float64 {
	s := m.Bias
	for i, w := range m.Weights {
		s += w * x[i]
	}
	return s
}

// Prob is the probability the model gives x of being labelled 1.
func (m Model) Prob(x []float64) float64 { return sigmoid(m.Score(x)) }

// ErrNotConverged is returned, with the model of the last step, when the
// fit has not settled within Options.Iterations steps.
var ErrNotConverged = errors.New("the fit did not converge")

// Logistic fits a logistic regression to rows x and labels y (each from 0 to
// 1) by Newton's method: it minimises the weighted log loss plus
// opts.L2/2·|w|². Every row must have as many features as the first.
func Logistic(x [][]float64, y []float64, opts Options) (Model, error) {
	if len(x) == 0 {
		return Model{}, errors.New("fit a logistic regression: no rows")
	}
	if len(y) != len(x) {
		return Model{}, fmt.Errorf("fit a logistic regression: %d labels for %d rows", len(y), len(x))
	}
	if opts.SampleWeights != nil && len(opts.SampleWeights) != len(x) {
		return Model{}, fmt.Errorf("fit a logistic regression: %d sample weights for %d rows", len(opts.SampleWeights), len(x))
	}
	if opts.L2 < 0 || math.IsNaN(opts.L2) || math.IsInf(opts.L2, 0) {
		return Model{}, fmt.Errorf("fit a logistic regression: L2 penalty %v is not a finite number ≥ 0", opts.L2)
	}
	d := len(x[0])
	for i, row := range x {
		if len(row) != d {
			return Model{}, fmt.Errorf("fit a logistic regression: row %d has %d features, row 0 has %d", i, len(row), d)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Model{}, fmt.Errorf("fit a logistic regression: row %d, feature %d is %v", i, j, v)
			}
		}
		if y[i] < 0 || y[i] > 1 || math.IsNaN(y[i]) {
			return Model{}, fmt.Errorf("fit a logistic regression: label %v of row %d is not from 0 to 1", y[i], i)
		}
		if opts.SampleWeights != nil {
			if sw := opts.SampleWeights[i]; sw < 0 || math.IsNaN(sw) || math.IsInf(sw, 0) {
				return Model{}, fmt.Errorf("fit a logistic regression: sample weight %v of row %d is not a finite number ≥ 0", sw, i)
			}
		}
	}
	iters := opts.Iterations
	if iters <= 0 {
		iters = DefaultIterations
	}
	// The bias, when fitted, is the last coordinate of beta.
	n := d
	if opts.Bias {
		n++
	}
	beta := make([]float64, n)
	grad := make([]float64, n)
	hess := make([]float64, n*n)
	step := make([]float64, n)
	loss := objective(x, y, opts, beta)
	for range iters {
		gradient(x, y, opts, beta, grad, hess)
		if err := solve(hess, grad, step, n); err != nil {
			return model(beta, d, opts.Bias), fmt.Errorf("fit a logistic regression: %w", err)
		}
		// A full Newton step, halved until the loss does not grow: the
		// log loss is convex, so a few halvings at most.
		t := 1.0
		next := make([]float64, n)
		var nextLoss float64
		for halvings := 0; ; halvings++ {
			for i := range beta {
				next[i] = beta[i] - t*step[i]
			}
			nextLoss = objective(x, y, opts, next)
			if nextLoss <= loss || halvings == 30 {
				break
			}
			t /= 2
		}
		moved := 0.0
		for i := range beta {
			moved = max(moved, math.Abs(next[i]-beta[i]))
		}
		beta, loss = next, nextLoss
		if moved <= tolerance {
			return model(beta, d, opts.Bias), nil
		}
	}
	return model(beta, d, opts.Bias), ErrNotConverged
}

func model(beta []float64, d int, bias bool) Model {
	m := Model{Weights: append([]float64(nil), beta[:d]...)}
	if bias {
		m.Bias = beta[d]
	}
	return m
}

// linear is beta's score of row: the weights, then the bias if fitted.
func linear(row, beta []float64) float64 {
	s := 0.0
	if len(beta) > len(row) {
		s = beta[len(row)]
	}
	for j, v := range row {
		s += beta[j] * v
	}
	return s
}

// objective is the weighted log loss of beta plus its penalty.
func objective(x [][]float64, y []float64, opts Options, beta []float64) float64 {
	loss := 0.0
	for i, row := range x {
		s := linear(row, beta)
		// log(1+e^s) − y·s, computed without overflow.
		l := softplus(s) - y[i]*s
		if opts.SampleWeights != nil {
			l *= opts.SampleWeights[i]
		}
		loss += l
	}
	for j := range len(x[0]) {
		loss += opts.L2 / 2 * beta[j] * beta[j]
	}
	return loss
}

// gradient fills grad and hess (row-major, n×n) with the objective's
// gradient and Hessian at beta.
func gradient(x [][]float64, y []float64, opts Options, beta, grad, hess []float64) {
	n := len(beta)
	d := len(x[0])
	clear(grad)
	clear(hess)
	xi := make([]float64, n)
	for i, row := range x {
		copy(xi, row)
		if n > d {
			xi[d] = 1
		}
		p := sigmoid(linear(row, beta))
		sw := 1.0
		if opts.SampleWeights != nil {
			sw = opts.SampleWeights[i]
		}
		g := sw * (p - y[i])
		h := sw * p * (1 - p)
		for a := range n {
			grad[a] += g * xi[a]
			if xi[a] == 0 {
				continue
			}
			ha := h * xi[a]
			for b := a; b < n; b++ {
				hess[a*n+b] += ha * xi[b]
			}
		}
	}
	for a := range n {
		for b := range a {
			hess[a*n+b] = hess[b*n+a]
		}
		hess[a*n+a] += ridge
		if a < d {
			grad[a] += opts.L2 * beta[a]
			hess[a*n+a] += opts.L2
		}
	}
}

// solve solves the symmetric positive definite system a·s = b by Cholesky
// decomposition, into s; a is overwritten.
func solve(a, b, s []float64, n int) error {
	for j := range n {
		sum := a[j*n+j]
		for k := range j {
			sum -= a[j*n+k] * a[j*n+k]
		}
		if sum <= 0 || math.IsNaN(sum) {
			return errors.New("the Newton system is not positive definite")
		}
		a[j*n+j] = math.Sqrt(sum)
		for i := j + 1; i < n; i++ {
			sum := a[i*n+j]
			for k := range j {
				sum -= a[i*n+k] * a[j*n+k]
			}
			a[i*n+j] = sum / a[j*n+j]
		}
	}
	// L·z = b, then Lᵀ·s = z.
	for i := range n {
		sum := b[i]
		for k := range i {
			sum -= a[i*n+k] * s[k]
		}
		s[i] = sum / a[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		sum := s[i]
		for k := i + 1; k < n; k++ {
			sum -= a[k*n+i] * s[k]
		}
		s[i] = sum / a[i*n+i]
	}
	return nil
}

func sigmoid(s float64) float64 {
	if s >= 0 {
		return 1 / (1 + math.Exp(-s))
	}
	e := math.Exp(s)
	return e / (1 + e)
}

// softplus is log(1+e^s).
func softplus(s float64) float64 {
	if s > 0 {
		return s + math.Log1p(math.Exp(-s))
	}
	return math.Log1p(math.Exp(s))
}
