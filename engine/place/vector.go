package place

// Vector places VMs by vector packing over CPU, memory and disk. One VM at
// a time (Place), it takes the feasible host whose room after the VM is
// nearest to empty by the L2 norm of the room left in each dimension as a
// share of the host's capacity (the norm-based greedy of Panigrahy et al.,
// 2011), which packs a VM beside ones of a complementary shape; with prefer
// = spread it takes the host left with the most room. A group spread by
// host or failure domain goes first to the hosts or domains holding the
// fewest of its VMs; a group spread by host with no other constraint is
// ranked as BestFit ranks it (then the least free memory), through its
// index, so that spreading costs log n at thousands of hosts. Many VMs at once (PlaceAll) go as a batch: see
// pack.go. Ties go to the first host by name: decisions are deterministic.
type Vector struct{}

var (
	_ Placer      = Vector{}
	_ BatchPlacer = Vector{}
)

// BatchPlacer places many VMs at once, which lets it choose their order
// and packing; the decisions come back in the order of vms.
type BatchPlacer interface {
	Placer
	PlaceAll(c *Cluster, vms []VM) []Decision
}

// Place implements Placer.
func (Vector) Place(c *Cluster, vm VM) Decision {
	h := c.vectorBest(vm)
	if h == nil {
		return Decision{Rejected: rejections(c, vm)}
	}
	c.AddVM(h.Name, vm)
	return Decision{Host: h.Name}
}

// vectorBest scans the hosts for the best feasible one, or nil.
func (c *Cluster) vectorBest(vm VM) *hostState {
	if vm.Pin != "" {
		if h := c.byName[vm.Pin]; h != nil && c.reject(h, vm) == "" {
			return h
		}
		return nil
	}
	if vm.Spread && vm.Prefer == PreferPack && !c.constrained(vm) {
		return c.best(vm) // BestFit's index: log n at any number of hosts
	}
	var counts map[string]int
	if vm.Spread || vm.SpreadBy != "" {
		counts = c.domainCounts(vm)
	}
	constrained := len(vm.Labels) > 0 || len(vm.Avoid) > 0 || vm.SpreadBy != "" || len(c.avoidedBy[vm.Group]) > 0
	var best *hostState
	bestCount, bestScore := 0, 0.0
	for _, h := range c.hosts {
		if !h.room(vm.CPU, vm.MemoryMiB) || !h.diskRoom(vm.DiskGiB) || (constrained && c.reject(h, vm) != "") {
			continue
		}
		n := counts[domain(h, vm)]
		s := score(h, vm)
		if best == nil || n < bestCount || (n == bestCount && s < bestScore) {
			best, bestCount, bestScore = h, n, s
		}
	}
	return best
}

// domainCounts counts the group's VMs per failure domain (host or label
// value).
func (c *Cluster) domainCounts(vm VM) map[string]int {
	out := map[string]int{}
	for _, h := range c.hosts {
		if n := h.groups[vm.Group]; n > 0 {
			out[domain(h, vm)] += n
		}
	}
	return out
}

// score ranks a feasible host for vm, lower first: the squared L2 norm of
// the room h has left after vm, each dimension as a share of h's capacity
// (disk only where h reports it); negated to prefer room when spreading.
func score(h *hostState, vm VM) float64 {
	cpu := float64(h.CPU-h.usedCPU-vm.CPU) / float64(max(h.CPU, 1))
	mem := float64(h.MemoryMiB-h.usedMiB-vm.MemoryMiB) / float64(max(h.MemoryMiB, 1))
	s := cpu*cpu + mem*mem
	if h.DiskGiB > 0 {
		d := float64(h.DiskGiB-h.usedDisk-vm.DiskGiB) / float64(h.DiskGiB)
		s += d * d
	}
	if vm.Prefer == PreferSpread {
		return -s
	}
	return s
}
