package place

import "slices"

// The measures first-fit decreasing sorts by.
func measureCPU(p *packing, k int32) float64      { return float64(p.class[k].dem[0]) }
func measureMemory(p *packing, k int32) float64   { return float64(p.class[k].dem[1]) }
func measureSum(p *packing, k int32) float64      { return p.class[k].size }
func measureWeighted(p *packing, k int32) float64 { return p.class[k].weighted }

// ffdBy is first-fit decreasing: the items by measure, biggest first, each
// on the first host by name with room. Hosts only lose room, so the first
// host that may fit a class never moves back: the search for the next item
// of the class starts there.
func ffdBy(measure func(*packing, int32) float64) packer {
	return func(p *packing) []int32 {
		free := slices.Clone(p.free)
		a := make([]int32, len(p.items))
		next := make([]int, len(p.class))
		for _, i := range p.decreasing(measure) {
			k := p.items[i]
			a[i] = -1
			j := next[k]
			for ; j < len(free) && !p.fits(free, j, k); j++ {
			}
			next[k] = j
			if j < len(free) {
				take(free, j, p.class[k].dem)
				a[i] = int32(j)
			}
		}
		return a
	}
}

// packL2 is best-fit decreasing by the L2 norm: the items biggest first
// (by the sum of their shares), each on the host whose room left after it
// is smallest by the L2 norm of the shares (Vector.Place's choice).
func packL2(p *packing) []int32 {
	free := slices.Clone(p.free)
	a := make([]int32, len(p.items))
	for _, i := range p.decreasing(measureSum) {
		k := p.items[i]
		best, bestScore := -1, 0.0
		for j := range free {
			if !p.fits(free, j, k) {
				continue
			}
			if s := p.residual(free, j, k); best < 0 || s < bestScore {
				best, bestScore = j, s
			}
		}
		a[i] = int32(best)
		if best >= 0 {
			take(free, best, p.class[k].dem)
		}
	}
	return a
}

// residual is the squared L2 norm of host j's room after class k, as
// shares of its capacity.
func (p *packing) residual(free [][dims]int64, j int, k int32) float64 {
	s := 0.0
	for d := range dims {
		r := float64(free[j][d]-p.class[k].dem[d]) * p.inv[j][d]
		s += r * r
	}
	return s
}

// packDotProduct fills one host at a time (bin-centric): hosts already in
// use first, then empty ones, each by name; into each it puts, while any
// fits, an item of the class whose demand has the largest dot product with
// the host's room, both as shares of its capacity (Panigrahy et al.'s
// DotProduct heuristic): big items first, and of a shape that fills what
// the host has left.
func packDotProduct(p *packing) []int32 {
	free := slices.Clone(p.free)
	a, queue := p.unplacedQueues()
	left := len(p.items)
	for _, j := range p.hostOrder() {
		for left > 0 {
			k := p.bestDot(free, j, queue)
			if k < 0 {
				break
			}
			i := queue[k][0]
			queue[k] = queue[k][1:]
			a[i] = int32(j)
			take(free, j, p.class[k].dem)
			left--
		}
	}
	return a
}

// hostOrder lists the hosts in use first, then the empty ones.
func (p *packing) hostOrder() []int {
	order := make([]int, 0, len(p.free))
	for _, want := range []bool{true, false} {
		for j, u := range p.used {
			if u == want {
				order = append(order, j)
			}
		}
	}
	return order
}

// bestDot returns the class with items left that fits host j with the
// largest dot product of demand and room, or -1.
func (p *packing) bestDot(free [][dims]int64, j int, queue [][]int) int32 {
	best, bestDot := int32(-1), -1.0
	for k := range p.class {
		if len(queue[k]) == 0 || !p.fits(free, j, int32(k)) {
			continue
		}
		dot := 0.0
		for d := range dims {
			if p.inv[j][d] > 0 {
				dot += float64(p.class[k].dem[d]) * p.inv[j][d] * float64(free[j][d]) * p.inv[j][d]
			}
		}
		if dot > bestDot {
			best, bestDot = int32(k), dot
		}
	}
	return best
}

// unplacedQueues returns an assignment of no item to any host (-1 each)
// and, per class, its items in batch order, all carved from one slice.
func (p *packing) unplacedQueues() (a []int32, queue [][]int) {
	a = make([]int32, len(p.items))
	queue = make([][]int, len(p.class))
	all := make([]int, 0, len(p.items))
	for k := range p.class {
		queue[k] = all[len(all) : len(all) : len(all)+p.class[k].count]
		all = all[:len(all)+p.class[k].count]
	}
	for i, k := range p.items {
		a[i] = -1
		queue[k] = append(queue[k], i)
	}
	return a, queue
}
