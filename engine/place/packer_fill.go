package place

import "slices"

// packFill fills one host at a time, hosts in use first, with the mix of
// VMs that fills it best: an exact (up to fillNodes) knapsack over the
// classes left, valuing each VM by its weighted size, so that what binds
// in the batch counts most. Hosts in a row with the same room get the same
// mix while the classes last, so a batch of few shapes solves few
// knapsacks.
func packFill(p *packing) []int32 {
	free := slices.Clone(p.free)
	a, queue := p.unplacedQueues()
	var mix []int
	var mixRoom [dims]int64
	for _, j := range p.hostOrder() {
		if mix == nil || free[j] != mixRoom || !available(mix, queue) {
			mixRoom = free[j]
			mix = p.bestMix(free[j], j, queue)
		}
		for k, n := range mix {
			for range n {
				i := queue[k][0]
				queue[k] = queue[k][1:]
				a[i] = int32(j)
				take(free, j, p.class[k].dem)
			}
		}
	}
	return a
}

func available(mix []int, queue [][]int) bool {
	for k, n := range mix {
		if n > len(queue[k]) {
			return false
		}
	}
	return true
}

// fillNodes bounds the search for one host's mix; below it the mix is
// the best.
const fillNodes = 20_000

// mixSearch is the knapsack of one host: how many VMs of each class.
type mixSearch struct {
	p          *packing
	order      []int // classes that fit the host, by weighted size, biggest first
	left       []int // VMs left per class
	take, best []int
	bestValue  float64
	nodes      int
	rate       [dims]float64 // the most value per unit of each dimension
}

func (p *packing) bestMix(room [dims]int64, j int, queue [][]int) []int {
	s := &mixSearch{p: p, take: make([]int, len(p.class)), best: make([]int, len(p.class)), left: make([]int, len(p.class))}
	for k := range p.class {
		s.left[k] = len(queue[k])
		if s.left[k] > 0 && p.class[k].ok[j] && fitsRoom(p.class[k].dem, room) {
			s.order = append(s.order, k)
			for d := range dims {
				if dem := p.class[k].dem[d]; dem > 0 && p.inv[j][d] > 0 {
					s.rate[d] = max(s.rate[d], p.class[k].weighted/float64(dem))
				}
			}
		}
	}
	slices.SortStableFunc(s.order, func(a, b int) int {
		wa, wb := p.class[a].weighted, p.class[b].weighted
		switch {
		case wa > wb:
			return -1
		case wa < wb:
			return 1
		}
		return 0
	})
	s.search(0, room, 0)
	return s.best
}

func fitsRoom(dem, room [dims]int64) bool {
	for d := range dims {
		if dem[d] > room[d] {
			return false
		}
	}
	return true
}

// bound is the most value room can still hold, by the dimension that
// limits it most.
func (s *mixSearch) bound(room [dims]int64) float64 {
	b := -1.0
	for d := range dims {
		if s.rate[d] > 0 {
			if v := s.rate[d] * float64(room[d]); b < 0 || v < b {
				b = v
			}
		}
	}
	return max(b, 0)
}

func (s *mixSearch) search(depth int, room [dims]int64, value float64) {
	s.nodes++
	if value > s.bestValue+1e-12 {
		s.bestValue = value
		copy(s.best, s.take)
	}
	if depth == len(s.order) || s.nodes > fillNodes || value+s.bound(room) <= s.bestValue+1e-12 {
		return
	}
	k := s.order[depth]
	dem := s.p.class[k].dem
	most := s.left[k]
	for d := range dims {
		if dem[d] > 0 {
			most = min(most, int(room[d]/dem[d]))
		}
	}
	for n := most; n >= 0; n-- {
		next := room
		for d := range dims {
			next[d] -= int64(n) * dem[d]
		}
		s.take[k] = n
		s.search(depth+1, next, value+float64(n)*s.p.class[k].weighted)
	}
	s.take[k] = 0
}
