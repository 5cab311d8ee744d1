package learn

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// synthetic draws rows whose labels follow a known logistic model.
func synthetic(n int, w []float64, bias float64, seed uint64) ([][]float64, []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([][]float64, n)
	y := make([]float64, n)
	m := Model{Weights: w, Bias: bias}
	for i := range x {
		x[i] = make([]float64, len(w))
		for j := range x[i] {
			x[i][j] = r.NormFloat64()
		}
		if r.Float64() < m.Prob(x[i]) {
			y[i] = 1
		}
	}
	return x, y
}

func TestLogisticRecoversTheModel(t *testing.T) {
	want := []float64{1.5, -2, 0.5, 0}
	x, y := synthetic(20000, want, -0.7, 7)
	m, err := Logistic(x, y, Options{Bias: true})
	if err != nil {
		t.Fatal(err)
	}
	for j, w := range want {
		if math.Abs(m.Weights[j]-w) > 0.1 {
			t.Errorf("weight %d = %.3f, want about %.1f (all: %.3f)", j, m.Weights[j], w, m.Weights)
		}
	}
	if math.Abs(m.Bias+0.7) > 0.1 {
		t.Errorf("bias = %.3f, want about -0.7", m.Bias)
	}
}

// At the optimum the penalised loss's gradient vanishes.
func TestLogisticMinimisesThePenalisedLoss(t *testing.T) {
	x, y := synthetic(2000, []float64{3, -1}, 0.4, 9)
	sw := make([]float64, len(x))
	for i := range sw {
		sw[i] = float64(1 + i%3)
	}
	opts := Options{Bias: true, L2: 5, SampleWeights: sw}
	m, err := Logistic(x, y, opts)
	if err != nil {
		t.Fatal(err)
	}
	beta := append(slices.Clone(m.Weights), m.Bias)
	grad := make([]float64, 3)
	gradient(x, y, opts, beta, grad, make([]float64, 9))
	for j, g := range grad {
		if math.Abs(g) > 1e-6 {
			t.Errorf("gradient %d at the fit = %g, want 0", j, g)
		}
	}
	// Any nearby point has a higher loss.
	at := objective(x, y, opts, beta)
	for j := range beta {
		for _, d := range []float64{-1e-3, 1e-3} {
			b := slices.Clone(beta)
			b[j] += d
			if l := objective(x, y, opts, b); l < at {
				t.Errorf("moving coordinate %d by %g lowers the loss from %v to %v", j, d, at, l)
			}
		}
	}
}

func TestLogisticIsDeterministic(t *testing.T) {
	x, y := synthetic(5000, []float64{1, 2, -3, 0.1, 0.2}, 0.3, 11)
	a, err := Logistic(x, y, Options{Bias: true, L2: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Logistic(x, y, Options{Bias: true, L2: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Weights, b.Weights) || a.Bias != b.Bias {
		t.Errorf("two fits of the same rows differ: %v %v, %v %v", a.Weights, a.Bias, b.Weights, b.Bias)
	}
}

// Rows that one feature separates perfectly fit to finite weights with a
// penalty; a pairwise fit has no bias.
func TestSeparableRowsWithPenalty(t *testing.T) {
	var x [][]float64
	var y []float64
	for i := range 100 {
		v := float64(i%10) + 1
		x = append(x, []float64{v, 0.5}, []float64{-v, -0.5})
		y = append(y, 1, 0)
	}
	m, err := Logistic(x, y, Options{L2: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Bias != 0 {
		t.Errorf("bias %v fitted without Options.Bias", m.Bias)
	}
	if !(m.Weights[0] > 0) || math.IsInf(m.Weights[0], 0) {
		t.Errorf("weights %v: want a finite positive first weight", m.Weights)
	}
	if p := m.Prob([]float64{1, 0.5}); p <= 0.5 {
		t.Errorf("Prob of a positive row = %v, want > 0.5", p)
	}
}

// A feature that is zero on every row gets weight zero, not an error.
func TestConstantZeroFeature(t *testing.T) {
	x, y := synthetic(500, []float64{1, 0}, 0, 3)
	for _, row := range x {
		row[1] = 0
	}
	m, err := Logistic(x, y, Options{Bias: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.Weights[1] != 0 {
		t.Errorf("weight of an all-zero feature = %v, want 0", m.Weights[1])
	}
}

func TestNotConverged(t *testing.T) {
	x, y := synthetic(500, []float64{1, -1}, 0, 5)
	_, err := Logistic(x, y, Options{Iterations: 1})
	if !errors.Is(err, ErrNotConverged) {
		t.Errorf("one step: err = %v, want ErrNotConverged", err)
	}
}

func TestLogisticRefusesBadInput(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		x    [][]float64
		y    []float64
		opts Options
		want string
	}{
		{"no rows", nil, nil, Options{}, "no rows"},
		{"labels", [][]float64{{1}}, []float64{1, 0}, Options{}, "2 labels for 1 rows"},
		{"ragged", [][]float64{{1}, {1, 2}}, []float64{1, 0}, Options{}, "row 1 has 2 features"},
		{"nan feature", [][]float64{{nan}}, []float64{1}, Options{}, "row 0, feature 0 is NaN"},
		{"label", [][]float64{{1}}, []float64{2}, Options{}, "label 2 of row 0"},
		{"penalty", [][]float64{{1}}, []float64{1}, Options{L2: -1}, "L2 penalty -1"},
		{"sample weights", [][]float64{{1}}, []float64{1}, Options{SampleWeights: []float64{1, 2}}, "2 sample weights"},
		{"negative weight", [][]float64{{1}}, []float64{1}, Options{SampleWeights: []float64{-1}}, "sample weight -1"},
	} {
		_, err := Logistic(c.x, c.y, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one saying %q", c.name, err, c.want)
		}
	}
}

func BenchmarkLogistic(b *testing.B) {
	x, y := synthetic(100000, make([]float64, 24), 0, 13)
	for b.Loop() {
		if _, err := Logistic(x, y, Options{Bias: true, L2: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
