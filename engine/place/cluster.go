package place

import (
	"fmt"
	"sort"

	"github.com/novacron/novacron/engine/driver"
)

// Cluster is the capacity and allocation of a provider's hosts.
type Cluster struct {
	hosts  []*hostState // sorted by name: placement is deterministic
	byName map[string]*hostState
	// indexes order the hosts for BestFit (index.go): fit for packing and
	// spread ones per group, each built at its first placement. Add and
	// Remove keep them current.
	fit        *index
	spread     []*index
	placements int // placements so far: when each spread index was last used
	// avoidedBy lists, per group, the groups that must not share a host
	// with it (the reverse of VM.Avoid), learnt from the VMs placed and
	// from SetAvoid.
	avoidedBy map[string][]string
}

type hostState struct {
	driver.Host
	pos      int32 // in Cluster.hosts
	usedCPU  int
	usedMiB  int64
	usedDisk int64
	groups   map[string]int // VMs per group (fleet address)
}

// NewCluster returns a cluster of hosts with nothing allocated.
func NewCluster(hosts []driver.Host) *Cluster {
	c := &Cluster{byName: make(map[string]*hostState, len(hosts)), avoidedBy: map[string][]string{}}
	for _, h := range hosts {
		hs := &hostState{Host: h, groups: map[string]int{}}
		c.hosts = append(c.hosts, hs)
		c.byName[h.Name] = hs
	}
	sort.Slice(c.hosts, func(i, j int) bool { return c.hosts[i].Name < c.hosts[j].Name })
	for i, h := range c.hosts {
		h.pos = int32(i)
	}
	return c
}

// Empty reports whether the provider reports no hosts (a cloud chooses).
func (c *Cluster) Empty() bool { return len(c.hosts) == 0 }

// ReportsDisk reports whether some host reports its disk (DiskGiB > 0),
// so that disk is checked and worth naming.
func (c *Cluster) ReportsDisk() bool {
	for _, h := range c.hosts {
		if h.DiskGiB > 0 {
			return true
		}
	}
	return false
}

// Has reports whether a host exists.
func (c *Cluster) Has(host string) bool { return c.byName[host] != nil }

// Hosts returns the host names, sorted.
func (c *Cluster) Hosts() []string {
	out := make([]string, len(c.hosts))
	for i, h := range c.hosts {
		out[i] = h.Name
	}
	return out
}

// Add allocates a VM on a host; unknown hosts are ignored.
func (c *Cluster) Add(host, group string, cpu int, mib int64) {
	c.AddVM(host, VM{Group: group, CPU: cpu, MemoryMiB: mib})
}

// Remove releases what Add allocated.
func (c *Cluster) Remove(host, group string, cpu int, mib int64) {
	c.RemoveVM(host, VM{Group: group, CPU: cpu, MemoryMiB: mib})
}

// AddVM allocates vm (every dimension, its group) on a host; unknown hosts
// are ignored. The groups vm avoids are remembered, so that a later VM of
// an avoided group does not land beside it either.
func (c *Cluster) AddVM(host string, vm VM) {
	c.SetAvoid(vm.Group, vm.Avoid)
	if h := c.byName[host]; h != nil {
		c.unindex(h)
		h.usedCPU += vm.CPU
		h.usedMiB += vm.MemoryMiB
		h.usedDisk += vm.DiskGiB
		h.groups[vm.Group]++
		c.reindex(h)
	}
}

// RemoveVM releases what AddVM allocated.
func (c *Cluster) RemoveVM(host string, vm VM) {
	if h := c.byName[host]; h != nil {
		c.unindex(h)
		h.usedCPU -= vm.CPU
		h.usedMiB -= vm.MemoryMiB
		h.usedDisk -= vm.DiskGiB
		h.groups[vm.Group]--
		c.reindex(h)
	}
}

// SetAvoid records that group's VMs must not share a host with any VM of
// the avoid groups, in both directions.
func (c *Cluster) SetAvoid(group string, avoid []string) {
	for _, a := range avoid {
		if !containsString(c.avoidedBy[a], group) {
			c.avoidedBy[a] = append(c.avoidedBy[a], group)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Fits says why a host cannot take cpu and mib more, or "" when it can.
func (c *Cluster) Fits(host string, cpu int, mib int64) string {
	h := c.byName[host]
	if h == nil {
		return "no such host"
	}
	return h.fits(cpu, mib)
}

// FitsVM says why a host cannot take vm (capacity in every dimension,
// labels, anti-affinity, the failure domain's key), or "" when it can.
// Spread is a preference, not a reason.
func (c *Cluster) FitsVM(host string, vm VM) string {
	h := c.byName[host]
	if h == nil {
		return "no such host"
	}
	return c.reject(h, vm)
}

// room reports whether the host has cpu and mib free.
func (h *hostState) room(cpu int, mib int64) bool {
	return cpu <= h.CPU-h.usedCPU && mib <= h.MemoryMiB-h.usedMiB
}

// diskRoom reports whether the host has disk free, or does not report it.
func (h *hostState) diskRoom(disk int64) bool {
	return h.DiskGiB == 0 || disk <= h.DiskGiB-h.usedDisk
}

func (h *hostState) fits(cpu int, mib int64) string {
	if h.room(cpu, mib) {
		return ""
	}
	if cpu > h.CPU || mib > h.MemoryMiB {
		return fmt.Sprintf("larger than %s's whole capacity: needs %d vCPU and %s, the host has %d vCPU and %s in all",
			h.Name, cpu, FormatMiB(mib), h.CPU, FormatMiB(h.MemoryMiB))
	}
	freeCPU, freeMiB := h.CPU-h.usedCPU, h.MemoryMiB-h.usedMiB
	return fmt.Sprintf("insufficient capacity on %s: needs %d vCPU and %s, has %d vCPU and %s free",
		h.Name, cpu, FormatMiB(mib), max(freeCPU, 0), FormatMiB(max(freeMiB, 0)))
}

// FormatMiB renders memory as GiB when whole, MiB otherwise.
func FormatMiB(mib int64) string {
	if mib%1024 == 0 {
		return fmt.Sprintf("%d GiB", mib/1024)
	}
	return fmt.Sprintf("%d MiB", mib)
}
