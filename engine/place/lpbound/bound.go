package lpbound

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// Dims is the number of dimensions a demand has (CPU, memory, disk).
const Dims = 3

// Type is a VM shape and how many VMs have it.
type Type struct {
	Demand [Dims]int64
	Count  int
}

// Result is the configuration LP's optimum and how it was reached.
type Result struct {
	LP      float64 // the LP optimum: a lower bound on the hosts needed
	Hosts   int     // ⌈LP⌉, the bound in whole hosts
	Columns int     // host configurations generated
	Rounds  int     // master problems solved
}

// maxRounds bounds column generation: each round adds one configuration.
const maxRounds = 2000

// Bound returns the configuration-LP bound for packing types onto hosts of
// capacity host. A type that fits no host alone is an error.
func Bound(host [Dims]int64, types []Type) (Result, error) {
	g := &generator{host: host, types: types}
	for t, ty := range types {
		col := make([]int, len(types))
		col[t] = g.alone(ty.Demand, ty.Count)
		if col[t] == 0 {
			return Result{}, fmt.Errorf("VM type %d (%v) does not fit a host (%v)", t, ty.Demand, host)
		}
		g.cols = append(g.cols, col)
	}
	for round := 1; round <= maxRounds; round++ {
		value, prices, err := g.master()
		if err != nil {
			return Result{}, err
		}
		col, worth, exact := g.price(prices)
		if !exact {
			return Result{}, errors.New("the pricing knapsack gave up: too many VM types for an exact bound")
		}
		if worth <= 1+1e-9 {
			return Result{LP: value, Hosts: int(math.Ceil(value - 1e-6)), Columns: len(g.cols), Rounds: round}, nil
		}
		g.cols = append(g.cols, col)
	}
	return Result{}, errors.New("column generation did not converge")
}

type generator struct {
	host  [Dims]int64
	types []Type
	cols  [][]int // configurations: VMs of each type on one host
}

// alone is how many VMs of a demand fit one host, at most limit.
func (g *generator) alone(dem [Dims]int64, limit int) int {
	n := limit
	for d := range Dims {
		if dem[d] > 0 {
			n = min(n, int(g.host[d]/dem[d]))
		}
	}
	return n
}

// master solves the dual of the restricted master problem,
//
//	max Σ count_t·y_t  s.t.  Σ_t col_c[t]·y_t ≤ 1 for every column c, y ≥ 0,
//
// as gonum's standard form with a slack per column. Its optimum equals the
// master's, and y are the prices of the VM types.
func (g *generator) master() (float64, []float64, error) {
	T, m := len(g.types), len(g.cols)
	c := make([]float64, T+m)
	for t, ty := range g.types {
		c[t] = -float64(ty.Count)
	}
	A := mat.NewDense(m, T+m, nil)
	b := make([]float64, m)
	basic := make([]int, m)
	for i, col := range g.cols {
		for t, k := range col {
			A.Set(i, t, float64(k))
		}
		A.Set(i, T+i, 1)
		b[i], basic[i] = 1, T+i
	}
	opt, x, err := lp.Simplex(c, A, b, 1e-10, basic)
	if err != nil {
		return 0, nil, fmt.Errorf("master problem: %w", err)
	}
	return -opt, x[:T], nil
}
