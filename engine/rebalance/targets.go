package rebalance

import "fmt"

// target chooses the host vm moves to: not a source, not hot, with room
// for its allocation, at or under the threshold once it arrives, and no
// VM of its spread group. Hot mode takes the host left least loaded
// (spread the load); consolidation the one left most loaded that still
// holds a VM (pack, so empty hosts stay empty). "" and the reason when
// none can.
func (f *fleet) target(vm *VM) (string, string) {
	best, bestLoad := "", 0.0
	last, lastWhy := "", refusal(0)
	for _, h := range f.hostNames() {
		if why := f.check(vm, h); why != fits {
			if why != ownHost {
				last, lastWhy = h, why
			}
			continue
		}
		l := f.loadWith(h, vm).Max()
		if best == "" || f.better(l, bestLoad) {
			best, bestLoad = h, l
		}
	}
	if best == "" {
		return "", fmt.Sprintf("no host can take %s (last refusal: %s)", vm.Address, f.explain(vm, last, lastWhy))
	}
	return best, ""
}

func (f *fleet) better(l, than float64) bool {
	if f.in.Mode == Consolidate {
		return l > than
	}
	return l < than
}

// refusal is why a host cannot take a VM; explain words it.
type refusal int

const (
	fits refusal = iota
	ownHost
	isSource
	isHot
	isEmpty
	holdsGroup
	noRoom
	breaksRules
	worseSpread
	wouldBeHot
)

// check says why host cannot take vm, or fits.
func (f *fleet) check(vm *VM, host string) refusal {
	switch {
	case host == vm.Host:
		return ownHost
	case f.sources[host]:
		return isSource
	case f.hot(host):
		return isHot
	case f.in.Mode == Consolidate && len(f.vms[host]) == 0:
		return isEmpty
	case vm.Spread != "" && f.groups[host][vm.Spread] > 0:
		return holdsGroup
	case !f.room(vm, host):
		return noRoom
	case f.alloc.FitsVM(host, vm.placed()) != "":
		return breaksRules
	case f.worsensSpread(vm, host):
		return worseSpread
	case f.loadWith(host, vm).Max() > f.in.Threshold:
		return wouldBeHot
	}
	return fits
}

// room asks engine/place whether host has room for vm's allocation, once
// the host's own sums say it may.
func (f *fleet) room(vm *VM, host string) bool {
	a, h := f.allocated[host], f.cap[host]
	if a[0]+int64(vm.CPU) > int64(h.CPU) || a[1]+vm.MemoryMiB > h.MemoryMiB {
		return false
	}
	return f.alloc.Fits(host, vm.CPU, vm.MemoryMiB) == ""
}

func (f *fleet) explain(vm *VM, host string, r refusal) string {
	switch r {
	case isSource:
		return host + " is a source of this plan"
	case isHot:
		return host + " is hot"
	case isEmpty:
		return host + " is empty"
	case holdsGroup:
		return fmt.Sprintf("%s holds another VM of %s, which spreads by host", host, vm.Spread)
	case noRoom:
		if why := f.alloc.Fits(host, vm.CPU, vm.MemoryMiB); why != "" {
			return why
		}
		return fmt.Sprintf("%s has no room for %d vCPU and %d MiB", host, vm.CPU, vm.MemoryMiB)
	case breaksRules:
		return f.alloc.FitsVM(host, vm.placed())
	case worseSpread:
		return fmt.Sprintf("%s is in a %s that holds as many VMs of %s as the one it leaves (spread_by = %q)",
			host, vm.Rules.SpreadBy, vm.Rules.Group, vm.Rules.SpreadBy)
	case wouldBeHot:
		l := f.loadWith(host, vm)
		return fmt.Sprintf("%s would be hot (cpu %s %%, memory %s %%)", host, Percent(l.CPU), Percent(l.Mem))
	}
	return "no other host"
}

// place moves each VM of set off from to a target, tentatively; on a VM
// no host takes, it undoes them all and returns the reason.
func (f *fleet) place(set []*VM, from string) ([]Move, string) {
	f.sources[from] = true
	var moves []Move
	for _, vm := range set {
		to, why := f.target(vm)
		if to == "" {
			f.undo(moves, set)
			delete(f.sources, from)
			return nil, why
		}
		f.remove(vm, from)
		f.add(vm, to)
		moves = append(moves, Move{Address: vm.Address, From: from, To: to})
	}
	for _, m := range moves {
		f.targets[m.To] = true
	}
	return moves, ""
}

func (f *fleet) undo(moves []Move, set []*VM) {
	for i, m := range moves {
		f.remove(set[i], m.To)
		f.add(set[i], m.From)
	}
}
