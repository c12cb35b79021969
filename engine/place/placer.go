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
	// DiskGiB is checked on hosts that report disk (driver.Host.DiskGiB > 0).
	DiskGiB int64
	// Labels are the host labels the VM requires (placement.host_labels).
	Labels map[string]string
	// SpreadBy, when set to a host label key ("rack"), spreads the group
	// across the label's values (failure domains) rather than hosts; a host
	// without the label cannot take the VM.
	SpreadBy string
	// Avoid are groups whose VMs must not share a host with this one
	// (placement.avoid_same_host_as); the cluster enforces it both ways.
	Avoid []string
	// Prefer ranks the hosts that can take the VM: pack (the default) or
	// spread the load.
	Prefer Prefer
}

// Prefer is how a placer ranks the hosts that can take a VM.
type Prefer int

// The preferences of placement.prefer.
const (
	PreferPack   Prefer = iota // fill the fullest host that fits: fewer hosts used
	PreferSpread               // the host left with the most room: load spread
)

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
		c.AddVM(best.Name, vm)
		return Decision{Host: best.Name}
	}
	return Decision{Rejected: rejections(c, vm)}
}

// rejections says why each host cannot take vm; a pinned host the
// cluster does not have comes first, the reason that matters.
func rejections(c *Cluster, vm VM) []Rejection {
	var out []Rejection
	if vm.Pin != "" && c.byName[vm.Pin] == nil {
		out = append(out, Rejection{Host: vm.Pin, Reason: fmt.Sprintf("the pinned host %q does not exist", vm.Pin)})
	}
	for _, h := range c.hosts {
		out = append(out, Rejection{Host: h.Name, Reason: c.reject(h, vm)})
	}
	return out
}

// feasible reports whether h can take vm.
func (c *Cluster) feasible(h *hostState, vm VM) bool {
	if !c.constrained(vm) {
		return (vm.Pin == "" || vm.Pin == h.Name) && h.room(vm.CPU, vm.MemoryMiB)
	}
	return c.reject(h, vm) == ""
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
