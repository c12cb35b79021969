package place

import "fmt"

// VM is what a Placer places.
type VM struct {
	Address   string
	Group     string // the fleet address: spread counts VMs per group
	CPU       int
	MemoryMiB int64
	Pin       string // a required host, or ""
	Spread    bool   // spread the group across hosts
}

// Decision is a placement: the host chosen, or none with the reason each
// host was rejected.
type Decision struct {
	Host     string
	Rejected []Rejection
}

// Rejection says why a host was not chosen.
type Rejection struct {
	Host   string
	Reason string
}

// Placer chooses a host for a VM and allocates it on the cluster.
type Placer interface {
	Place(c *Cluster, vm VM) Decision
}

// BestFit honours pins, spreads a group across hosts when asked (fewest VMs
// of the group first), and otherwise packs: the feasible host left with the
// least free memory, then the least free CPU.
type BestFit struct{}

var _ Placer = BestFit{}

// Place implements Placer. The hosts are kept in an index by free capacity
// (index.go), so a placement costs about log n, not a look at every host;
// the choice is the one a scan in name order would make. Reasons are written only for a VM no host can
// take: building them for every host of every placement would cost more
// than the placement itself.
func (BestFit) Place(c *Cluster, vm VM) Decision {
	if best := c.best(vm); best != nil {
		c.Add(best.Name, vm.Group, vm.CPU, vm.MemoryMiB)
		return Decision{Host: best.Name}
	}
	return Decision{Rejected: rejections(c, vm)}
}

// rejections says why each host cannot take vm.
func rejections(c *Cluster, vm VM) []Rejection {
	var out []Rejection
	for _, h := range c.hosts {
		reason := h.fits(vm.CPU, vm.MemoryMiB)
		if vm.Pin != "" && vm.Pin != h.Name {
			reason = "not the pinned host " + vm.Pin
		}
		out = append(out, Rejection{Host: h.Name, Reason: reason})
	}
	if vm.Pin != "" && c.byName[vm.Pin] == nil {
		out = append(out, Rejection{Host: vm.Pin, Reason: fmt.Sprintf("the pinned host %s does not exist", vm.Pin)})
	}
	return out
}

func feasible(h *hostState, vm VM) bool {
	return (vm.Pin == "" || vm.Pin == h.Name) && h.room(vm.CPU, vm.MemoryMiB)
}

// better reports whether a is a better choice than b.
func better(a, b *hostState, vm VM) bool {
	if vm.Spread && a.groups[vm.Group] != b.groups[vm.Group] {
		return a.groups[vm.Group] < b.groups[vm.Group]
	}
	freeA, freeB := a.MemoryMiB-a.usedMiB, b.MemoryMiB-b.usedMiB
	if freeA != freeB {
		return freeA < freeB
	}
	return a.CPU-a.usedCPU < b.CPU-b.usedCPU
}
