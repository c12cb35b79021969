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
	why := ""
	for _, h := range f.hostNames() {
		if reason := f.refuse(vm, h); reason != "" {
			if why == "" || h != vm.Host {
				why = reason
			}
			continue
		}
		l := f.loadWith(h, vm).Max()
		if best == "" || f.better(l, bestLoad) {
			best, bestLoad = h, l
		}
	}
	if best == "" {
		return "", fmt.Sprintf("no host can take %s (last refusal: %s)", vm.Address, why)
	}
	return best, ""
}

func (f *fleet) better(l, than float64) bool {
	if f.in.Mode == Consolidate {
		return l > than
	}
	return l < than
}

// refuse says why host cannot take vm; "" when it can.
func (f *fleet) refuse(vm *VM, host string) string {
	switch {
	case host == vm.Host:
		return "its own host"
	case f.sources[host]:
		return host + " is a source of this plan"
	case f.hot(host):
		return host + " is hot"
	case f.in.Mode == Consolidate && len(f.vms[host]) == 0:
		return host + " is empty"
	case vm.Spread != "" && f.groups[host][vm.Spread] > 0:
		return fmt.Sprintf("%s holds another VM of %s, which spreads by host", host, vm.Spread)
	}
	if why := f.alloc.Fits(host, vm.CPU, vm.MemoryMiB); why != "" {
		return why
	}
	if l := f.loadWith(host, vm); l.Max() > f.in.Threshold {
		return fmt.Sprintf("%s would be hot (cpu %.0f %%, memory %.0f %%)", host, l.CPU, l.Mem)
	}
	return ""
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
