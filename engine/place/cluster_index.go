package place

import "slices"

// maxSpreadIndexes bounds the spread indexes a cluster keeps at once: each
// costs a tree update on every change of allocation. A spread placement of
// a group beyond them scans the hosts.
var maxSpreadIndexes = 4

// best returns the host BestFit chooses for vm, or nil when none has room.
func (c *Cluster) best(vm VM) *hostState {
	if vm.Pin != "" {
		if h := c.byName[vm.Pin]; h != nil && c.feasible(h, vm) {
			return h
		}
		return nil
	}
	c.placements++
	if c.constrained(vm) {
		return c.scan(vm)
	}
	x := c.indexFor(vm)
	if x == nil {
		return c.scan(vm)
	}
	if i := x.first(vm.CPU, vm.MemoryMiB); i != none {
		return c.hosts[i]
	}
	return nil
}

// scan checks every host and keeps the best feasible one.
func (c *Cluster) scan(vm VM) *hostState {
	var best *hostState
	for _, h := range c.hosts {
		if c.feasible(h, vm) && (best == nil || better(h, best, vm)) {
			best = h
		}
	}
	return best
}

// indexFor returns the index that ranks hosts for vm, building it at first
// use; nil when vm's placement should scan.
func (c *Cluster) indexFor(vm VM) *index {
	c.dropIdleSpread()
	if !vm.Spread {
		if c.fit == nil {
			c.fit = newIndex(c.hosts, "", false)
		}
		return c.fit
	}
	for _, x := range c.spread {
		if x.group == vm.Group {
			x.lastUse = c.placements
			return x
		}
	}
	if len(c.spread) == maxSpreadIndexes {
		return nil
	}
	x := newIndex(c.hosts, vm.Group, true)
	x.lastUse = c.placements
	c.spread = append(c.spread, x)
	return x
}

// dropIdleSpread drops the spread indexes no placement used in the last
// len(hosts) placements: keeping one costs an update per allocation,
// building it again about len(hosts) of them, so an idle index goes once it
// has cost as much as a rebuild.
func (c *Cluster) dropIdleSpread() {
	c.spread = slices.DeleteFunc(c.spread, func(x *index) bool {
		return c.placements-x.lastUse > len(c.hosts)
	})
}

// unindex takes h out of the indexes before its allocation changes.
func (c *Cluster) unindex(h *hostState) {
	if c.fit != nil {
		c.fit.remove(h.pos)
	}
	for _, x := range c.spread {
		x.remove(h.pos)
	}
}

// reindex puts h back into the indexes under its new allocation.
func (c *Cluster) reindex(h *hostState) {
	if c.fit != nil {
		c.fit.insert(h.pos, h)
	}
	for _, x := range c.spread {
		x.insert(h.pos, h)
	}
}
