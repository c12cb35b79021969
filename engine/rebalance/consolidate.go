package rebalance

import (
	"cmp"
	"fmt"
	"slices"
)

// consolidate empties the hosts it can, the emptiest first (fewest VMs,
// then least use), so they can be powered off. A host is emptied whole or
// not at all: it holds no pinned VM, has received no VM of this plan, its
// VMs fit in what is left of the move budget, and each finds a target.
func (f *fleet) consolidate(r *Result) {
	hosts := slices.Clone(f.hostNames())
	slices.SortStableFunc(hosts, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(f.vms[a]), len(f.vms[b])), cmp.Compare(f.load(a).Max(), f.load(b).Max()))
	})
	for _, h := range hosts {
		if len(f.vms[h]) > 0 {
			f.empty(h, r)
		}
	}
}

func (f *fleet) empty(host string, r *Result) {
	vms := slices.Clone(f.vms[host])
	gain := 100 / float64(len(vms))
	budget := f.in.MaxMoves - len(r.Moves)
	switch {
	case f.targets[host]:
		r.Skipped = append(r.Skipped, Skip{host, "it receives VMs of this plan"})
		return
	case slices.ContainsFunc(vms, func(vm *VM) bool { return vm.Pinned }):
		r.Skipped = append(r.Skipped, Skip{host, "it holds a VM whose spec pins its host"})
		return
	case slices.ContainsFunc(vms, func(vm *VM) bool { return vm.PreferSpread }):
		i := slices.IndexFunc(vms, func(vm *VM) bool { return vm.PreferSpread })
		r.Skipped = append(r.Skipped, Skip{host, fmt.Sprintf("it holds %s, of a fleet that prefers spread (prefer = \"spread\"): consolidation does not pack it", vms[i].Address)})
		return
	case len(vms) > budget:
		r.Skipped = append(r.Skipped, Skip{host, fmt.Sprintf("emptying it takes %d moves; the plan's budget has %d left (-max-moves)", len(vms), budget)})
		return
	}
	for _, vm := range vms {
		if gain/f.disruption(vm) < f.in.MinRatio {
			r.Skipped = append(r.Skipped, Skip{host, fmt.Sprintf("moving %s is not worth its disruption (gain %.1f pp ÷ disruption %.1f pp < %.2g)", vm.Address, gain, f.disruption(vm), f.in.MinRatio)})
			return
		}
	}
	slices.SortStableFunc(vms, func(a, b *VM) int { return cmp.Compare(b.UseMemoryMiB+b.UseCPU, a.UseMemoryMiB+a.UseCPU) })
	moves, why := f.place(vms, host)
	if moves == nil {
		r.Skipped = append(r.Skipped, Skip{host, why})
		return
	}
	for i := range moves {
		moves[i].Gain, moves[i].Disruption = gain, f.disruption(vms[i])
	}
	r.Moves = append(r.Moves, moves...)
	r.Bound += len(vms)
	r.Emptied = append(r.Emptied, host)
}
