package place

import (
	"cmp"
	"slices"
)

// PlaceAll implements BatchPlacer. The VMs that constrain where they go
// (a pin, spread, anti-affinity, prefer = spread) are placed first, each by
// Place: pinned ones, then those that require host labels (a fixed set of
// hosts), then those anti-affinity or a spread label keeps off some hosts,
// then the biggest; when the batch has such
// VMs, the ones that ask only for host labels join them, so that a VM
// that may go anywhere (spread is a preference) never takes the only
// hosts a restricted one can use. The rest are packed together: the
// batch is packed by each strategy of packers on a scratch copy of the
// hosts' room, and the packing that places the most VMs on the fewest hosts
// is kept (the first strategy on a tie). So the batch never uses more hosts
// than first-fit decreasing by CPU, by memory or by their sum would.
func (v Vector) PlaceAll(c *Cluster, vms []VM) []Decision {
	return placeAll(c, vms, packers)
}

// placeAll places the constrained VMs of vms one by one with Vector.Place,
// then packs the others by the best of strategies.
func placeAll(c *Cluster, vms []VM, strategies []strategy) []Decision {
	for _, vm := range vms {
		c.SetAvoid(vm.Group, vm.Avoid)
	}
	plain, rest := c.splitBatch(vms)
	out := make([]Decision, len(vms))
	size := c.sizer()
	slices.SortStableFunc(rest, func(a, b int) int {
		pa, pb := vms[a].Pin != "", vms[b].Pin != ""
		if pa != pb {
			return boolFirst(pa)
		}
		if ra, rb := c.restriction(vms[a]), c.restriction(vms[b]); ra != rb {
			return cmp.Compare(rb, ra)
		}
		return cmp.Compare(size(vms[b]), size(vms[a]))
	})
	for _, i := range rest {
		out[i] = Vector{}.Place(c, vms[i])
	}
	c.commit(vms, plain, bestPacking(newPacking(c, vms, plain), strategies), out)
	return out
}

// splitBatch parts a batch into the VMs packed together (plain) and those
// placed one by one (rest). A VM that asks only for host labels is packed,
// unless the batch has VMs placed one by one: then it is placed with them,
// before those that may go anywhere.
func (c *Cluster) splitBatch(vms []VM) (plain, rest []int) {
	plain = make([]int, 0, len(vms))
	for i, vm := range vms {
		if c.packable(vm) {
			plain = append(plain, i)
		} else {
			rest = append(rest, i)
		}
	}
	if len(rest) == 0 {
		return plain, rest
	}
	kept := plain[:0]
	for _, i := range plain {
		if len(vms[i].Labels) > 0 {
			rest = append(rest, i)
		} else {
			kept = append(kept, i)
		}
	}
	return kept, rest
}

// restriction ranks how few hosts may take vm: 2 when it requires host
// labels (a set of hosts fixed before any VM is placed), 1 when it asks for
// a spread label or it and another group avoid each other (the hosts it
// may use depend on where the others go), 0 otherwise. So a labelled VM
// that another fleet avoids takes one of its few hosts before the avoider,
// bigger or not, can fill them.
func (c *Cluster) restriction(vm VM) int {
	switch {
	case len(vm.Labels) > 0:
		return 2
	case vm.SpreadBy != "" || len(vm.Avoid) > 0 || len(c.avoidedBy[vm.Group]) > 0:
		return 1
	}
	return 0
}

func boolFirst(a bool) int {
	if a {
		return -1
	}
	return 1
}

// packable reports whether vm can be packed with others in a batch: it
// asks only for capacity and labels, which do not change as VMs are added.
func (c *Cluster) packable(vm VM) bool {
	return vm.Pin == "" && !vm.Spread && vm.SpreadBy == "" && len(vm.Avoid) == 0 &&
		vm.Prefer == PreferPack && len(c.avoidedBy[vm.Group]) == 0
}

// sizer returns a VM's size as the sum of its shares of the mean host's
// capacity in each dimension: the order "biggest first" sorts by.
func (c *Cluster) sizer() func(VM) float64 {
	var cpu, mem, disk float64
	for _, h := range c.hosts {
		cpu, mem, disk = cpu+float64(h.CPU), mem+float64(h.MemoryMiB), disk+float64(h.DiskGiB)
	}
	return func(vm VM) float64 {
		s := float64(vm.CPU)/max(cpu, 1) + float64(vm.MemoryMiB)/max(mem, 1)
		if disk > 0 {
			s += float64(vm.DiskGiB) / disk
		}
		return s
	}
}

// commit allocates the chosen packing on the cluster, and gives the VMs
// it could not place their rejections.
func (c *Cluster) commit(vms []VM, plain []int, assign []int32, out []Decision) {
	for k, i := range plain {
		if assign[k] >= 0 {
			h := c.hosts[assign[k]]
			c.AddVM(h.Name, vms[i])
			out[i] = Decision{Host: h.Name}
		}
	}
	for k, i := range plain {
		if assign[k] < 0 {
			out[i] = Decision{Rejected: rejections(c, vms[i])}
		}
	}
}
