package lpbound

import (
	"math"
	"slices"
)

// price finds the host configuration worth the most at prices y: an exact
// bounded knapsack in every dimension, by depth-first branch and bound
// over the types in decreasing price order, most VMs of a type first.
// exact is false when the search gave up (maxNodes): the LP is then not a
// proven bound.
func (g *generator) price(y []float64) (col []int, worth float64, exact bool) {
	k := &knapsack{g: g, y: y}
	for t := range g.types {
		if y[t] > 1e-12 {
			k.order = append(k.order, t)
		}
	}
	slices.SortStableFunc(k.order, func(a, b int) int {
		switch {
		case y[a] > y[b]:
			return -1
		case y[a] < y[b]:
			return 1
		}
		return 0
	})
	k.rates()
	k.seen = map[state]float64{}
	k.take = make([]int, len(g.types))
	k.best = make([]int, len(g.types))
	k.search(0, g.host, 0)
	return k.best, k.bestValue, k.nodes <= maxNodes
}

// state is a node of the search: the depth and the room left.
type state struct {
	depth int
	room  [Dims]int64
}

// maxSeen bounds the states remembered to prune a search reaching one again.
const maxSeen = 1 << 20

type knapsack struct {
	g          *generator
	y          []float64
	order      []int         // types with a positive price
	byRate     [][Dims][]int // per depth and dimension: order[depth:] by price per unit, best first
	seen       map[state]float64
	take, best []int
	bestValue  float64
	nodes      int
}

// maxNodes bounds one pricing search; the bound stays exact below it, and
// instances of a few VM types stay far below.
const maxNodes = 5_000_000

// rates precomputes, per depth and dimension, the types left in
// decreasing order of price per unit of the dimension, for bound.
func (k *knapsack) rates() {
	n := len(k.order)
	k.byRate = make([][Dims][]int, n+1)
	for i := range n {
		for d := range Dims {
			rest := slices.Clone(k.order[i:])
			slices.SortStableFunc(rest, func(a, b int) int {
				ra, rb := k.perUnit(a, d), k.perUnit(b, d)
				switch {
				case ra > rb:
					return -1
				case ra < rb:
					return 1
				}
				return 0
			})
			k.byRate[i][d] = rest
		}
	}
}

// perUnit is type t's price per unit of dimension d; +Inf when t uses none.
func (k *knapsack) perUnit(t, d int) float64 {
	if dem := k.g.types[t].Demand[d]; dem > 0 {
		return k.y[t] / float64(dem)
	}
	return math.Inf(1)
}

// bound is an upper bound on the value the types from depth on can add
// with room left: the fractional knapsack in each dimension alone, the
// least of them.
func (k *knapsack) bound(depth int, room [Dims]int64) float64 {
	b := math.Inf(1)
	for d := range Dims {
		v, left := 0.0, float64(room[d])
		for _, t := range k.byRate[depth][d] {
			dem, n := float64(k.g.types[t].Demand[d]), float64(k.g.types[t].Count)
			if dem == 0 || dem*n <= left {
				v += n * k.y[t]
				left -= dem * n
				continue
			}
			v += left / dem * k.y[t]
			break
		}
		b = min(b, v)
	}
	return b
}

func (k *knapsack) search(depth int, room [Dims]int64, value float64) {
	k.nodes++
	if v, ok := k.seen[state{depth, room}]; ok && v >= value {
		return // reached before with as much value
	}
	if len(k.seen) < maxSeen {
		k.seen[state{depth, room}] = value
	}
	if value > k.bestValue {
		k.bestValue = value
		copy(k.best, k.take)
	}
	if depth == len(k.order) || k.nodes > maxNodes || value+k.bound(depth, room) <= k.bestValue+1e-12 {
		return
	}
	t := k.order[depth]
	dem := k.g.types[t].Demand
	most := k.g.alone(dem, k.g.types[t].Count)
	for d := range Dims {
		if dem[d] > 0 {
			most = min(most, int(room[d]/dem[d]))
		}
	}
	for n := most; n >= 0; n-- {
		next := room
		for d := range Dims {
			next[d] -= int64(n) * dem[d]
		}
		k.take[t] = n
		k.search(depth+1, next, value+float64(n)*k.y[t])
	}
	k.take[t] = 0
}
