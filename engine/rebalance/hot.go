package rebalance

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// searchBudget caps the eviction sets tried per host: past it the host is
// skipped with that reason rather than searched for long.
const searchBudget = 200_000

// clearHot clears the hot hosts, the most loaded first, while the move
// budget lasts.
func (f *fleet) clearHot(r *Result) {
	var hot []HostLoad
	for _, h := range f.hostNames() {
		if f.hot(h) {
			hot = append(hot, f.load(h))
		}
	}
	slices.SortStableFunc(hot, func(a, b HostLoad) int { return cmp.Compare(b.Max(), a.Max()) })
	r.Hot = hot
	for _, l := range hot {
		f.clearHost(l.Host, r)
	}
}

// clearHost moves the fewest VMs it can find off host so that it is no
// longer hot, or records why not.
func (f *fleet) clearHost(host string, r *Result) {
	excess := f.excess(host)
	var movable, eligible []*VM
	for _, vm := range f.vms[host] {
		if vm.Pinned {
			continue
		}
		movable = append(movable, vm)
		if f.hotGain(vm, excess)/f.disruption(vm) >= f.in.MinRatio {
			eligible = append(eligible, vm)
		}
	}
	lb := MinEvictions(movable, excess)
	if lb < 0 {
		r.Skipped = append(r.Skipped, Skip{host, "its pinned VMs alone keep it above the threshold"})
		return
	}
	budget := f.in.MaxMoves - len(r.Moves)
	if lb > budget {
		r.Skipped = append(r.Skipped, Skip{host, fmt.Sprintf("clearing it takes at least %d moves; the plan's budget has %d left (-max-moves)", lb, budget)})
		return
	}
	moves, why := f.evict(host, eligible, excess, MinEvictions(eligible, excess), min(budget, MostMoves(lb)))
	if moves == nil {
		r.Skipped = append(r.Skipped, Skip{host, why})
		return
	}
	for i := range moves {
		vm := f.byAddress(moves[i].Address)
		moves[i].Gain, moves[i].Disruption = f.hotGain(vm, excess), f.disruption(vm)
	}
	r.Moves = append(r.Moves, moves...)
	r.Bound += lb
}

// MostMoves is the most moves clearing a host may take: 1.2 × its
// minimum-eviction bound, rounded down.
func MostMoves(bound int) int { return max(bound, int(math.Floor(1.2*float64(bound)+1e-9))) }

// evict tries eviction sets of size k = from … most, each the VMs of
// eligible that cover excess, largest first, and returns the first whose
// VMs all find a target.
func (f *fleet) evict(host string, eligible []*VM, excess [2]float64, from, most int) ([]Move, string) {
	if from < 0 {
		return nil, "the VMs whose moves are worth their disruption (gain ÷ disruption ≥ the minimum) cannot clear it"
	}
	h := f.cap[host]
	weight := func(vm *VM) float64 {
		return vm.UseCPU/float64(max(h.CPU, 1)) + vm.UseMemoryMiB/float64(max(h.MemoryMiB, 1))
	}
	vms := slices.Clone(eligible)
	slices.SortStableFunc(vms, func(a, b *VM) int { return cmp.Compare(weight(b), weight(a)) })
	s := search{f: f, host: host, vms: vms, excess: excess, left: searchBudget}
	for k := max(from, 1); k <= min(most, len(vms)); k++ {
		if moves := s.sized(k); moves != nil {
			return moves, ""
		}
		if s.left <= 0 {
			break
		}
	}
	if s.why == "" {
		s.why = fmt.Sprintf("no set of at most %d VMs clears it (1.2 × its bound, or the budget)", most)
	}
	return nil, s.why
}

// search enumerates the k-subsets of vms (in order) that cover excess.
type search struct {
	f      *fleet
	host   string
	vms    []*VM
	excess [2]float64
	left   int
	why    string
}

func (s *search) sized(k int) []Move {
	var moves []Move
	set := make([]*VM, 0, k)
	var walk func(i int) bool
	walk = func(i int) bool {
		if s.left--; s.left <= 0 {
			return true
		}
		if len(set) == k {
			if !covers(set, s.excess) {
				return false
			}
			m, why := s.f.place(set, s.host)
			if m == nil {
				s.why = why
				return false
			}
			moves = m
			return true
		}
		for j := i; j <= len(s.vms)-(k-len(set)); j++ {
			set = append(set, s.vms[j])
			if walk(j + 1) {
				return true
			}
			set = set[:len(set)-1]
		}
		return false
	}
	walk(0)
	return moves
}

func (f *fleet) byAddress(addr string) *VM {
	for i := range f.in.VMs {
		if f.in.VMs[i].Address == addr {
			return &f.in.VMs[i]
		}
	}
	return nil
}
