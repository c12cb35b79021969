package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/spec"
)

// place chooses hosts for new VMs and checks that migrations and growing
// updates fit, on every provider that reports hosts. Deletes release no
// capacity here: they are not ordered before creates, so counting on them
// could plan what cannot run. The changes are placed in tiers
// (placement_order.go): what must have room, then new VMs that may burst,
// then burst VMs coming home into what is left.
func (d *differ) place() {
	if !slices.ContainsFunc(d.plan.Changes, needsRoom) {
		return // a plan without creates or moves leaves the clusters unbuilt
	}
	placer := d.in.Placer
	if placer == nil {
		placer = place.Vector{}
	}
	clusters := d.clusters()
	d.placer, d.placing.clusters = placer, clusters
	d.unplaced = map[string][]string{}
	defer d.reportUnplaced()
	for _, changes := range d.placementTiers() {
		d.placeTier(placer, clusters, changes)
	}
}

// placeTier places a tier's changes (placement_order.go) in plan order,
// creates and replaces in runs, one batch each.
func (d *differ) placeTier(placer place.Placer, clusters map[string]*place.Cluster, changes []*Change) {
	for i := 0; i < len(changes); {
		c := changes[i]
		cl := clusters[c.Provider()]
		free := d.in.Capabilities[c.Provider()].StoppedUseNoCapacity
		switch {
		case cl == nil || cl.Empty():
			i++
		case c.Action == Create || c.Action == Replace:
			n := newRun(changes[i:])
			d.placeRun(placer, cl, changes[i:i+n], free)
			i += n
		case c.Action == Migrate || c.Action == Update || c.Action == Start:
			d.reserve(cl, c, free)
			i++
		default:
			i++
		}
	}
	d.stayOnBurst() // before reportUnplaced: a change there may not fit either
}

// needsRoom reports whether place must look at c: a change that takes or
// moves capacity.
func needsRoom(c *Change) bool {
	switch c.Action {
	case Create, Replace, Migrate, Update, Start:
		return true
	}
	return false
}

// reportUnplaced adds one error per fleet for its VMs, after the first,
// that found no host either: a fleet that does not fit is one problem.
func (d *differ) reportUnplaced() {
	for _, fleet := range slices.Sorted(maps.Keys(d.unplaced)) {
		rest := d.unplaced[fleet][1:]
		if len(rest) == 0 {
			continue
		}
		f, what := d.fleet(fleet), fmt.Sprintf("%d more VMs of %s cannot be placed either (%s … %s)", len(rest), fleet, rest[0], rest[len(rest)-1])
		if len(rest) == 1 {
			what = fmt.Sprintf("1 more VM of %s cannot be placed either (%s)", fleet, rest[0])
		}
		d.errorf(f.DeclRange.Ptr(), "No host can take the VM", "%s.", what)
	}
}

// clusters builds each provider's hosts with every live VM allocated.
func (d *differ) clusters() map[string]*place.Cluster {
	out := map[string]*place.Cluster{}
	for pk, inv := range d.in.Inventories {
		cl := place.NewCluster(inv.Hosts)
		d.learnAvoid(cl)
		free := d.in.Capabilities[pk].StoppedUseNoCapacity
		idx := d.live[pk]
		var vm driver.VM
		var m driver.Marker
		for k := range idx.len() {
			idx.fill(k, &vm, &m)
			if free && vm.Power != driver.PowerRunning {
				continue
			}
			group := ""
			if vm.Marker != nil {
				group = fleetOf(vm.Marker.Address)
			}
			cl.AddVM(vm.Host, place.VM{Group: group, CPU: vm.CPU, MemoryMiB: vm.MemoryMiB, DiskGiB: int64(vm.DiskGB)})
		}
		out[pk] = cl
	}
	return out
}

// learnAvoid tells the cluster which fleets must not share a host, so a
// live VM of an avoided fleet keeps new VMs off its host.
func (d *differ) learnAvoid(cl *place.Cluster) {
	for _, f := range d.in.Spec.Fleets {
		cl.SetAvoid(f.Address(), f.Placement.AvoidSameHostAs)
	}
}

// placementVM is what the placer places for a change: its size and the
// fleet's placement block.
func placementVM(c *Change, f *spec.Fleet) place.VM {
	vm := place.VM{
		Address: c.Address, Group: c.Fleet, CPU: c.After.CPU, MemoryMiB: c.After.MemoryMiB,
		DiskGiB: int64(c.After.DiskGB), Pin: c.After.Host,
	}
	if f == nil {
		return vm
	}
	p := f.Placement
	vm.Spread = p.SpreadBy == "host"
	if p.SpreadBy != "host" {
		vm.SpreadBy = p.SpreadBy
	}
	vm.Avoid, vm.Labels = p.AvoidSameHostAs, p.HostLabels
	if p.Prefer == "spread" {
		vm.Prefer = place.PreferSpread
	}
	return vm
}

// sized is the capacity a VM with attributes a takes, for Add and Remove.
func sized(group string, a *Attrs) place.VM {
	return place.VM{Group: group, CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGiB: int64(a.DiskGB)}
}

// closestHosts is how many hosts an unplaceable VM's error lists.
const closestHosts = 5

// record takes a placement decision for c: its host, or an error.
func (d *differ) record(cl *place.Cluster, c *Change, vm place.VM, dec place.Decision) {
	f := d.fleet(c.Fleet)
	if dec.Host != "" {
		c.After.Host = dec.Host
		return
	}
	if d.burst(c, f) {
		return
	}
	d.unplaced[c.Fleet] = append(d.unplaced[c.Fleet], c.Address)
	if len(d.unplaced[c.Fleet]) > 1 {
		return // one detailed error per fleet; reportUnplaced counts the rest
	}
	var why []string
	closest := cl.Closest(dec.Rejected, vm, closestHosts)
	for _, r := range closest {
		why = append(why, "  - "+r.Host+": "+r.Reason)
	}
	// A pin to a host the cluster lacks is a rejection too, not a host.
	hosts, shown := realHosts(cl, dec.Rejected), realHosts(cl, closest)
	if hosts > shown {
		why = append(why, fmt.Sprintf("  (the %d closest hosts of %d; the others are further from taking it)", shown, hosts))
	}
	needs := fmt.Sprintf("%d vCPU and %s", vm.CPU, place.FormatMiB(vm.MemoryMiB))
	if vm.DiskGiB > 0 && cl.ReportsDisk() {
		needs = fmt.Sprintf("%d vCPU, %s and %d GiB of disk", vm.CPU, place.FormatMiB(vm.MemoryMiB), vm.DiskGiB)
	}
	d.errorf(f.DeclRange.Ptr(), "No host can take the VM",
		"%s needs %s on provider %s, and no host can take it:\n%s%s",
		c.Address, needs, c.Provider(), strings.Join(why, "\n"), d.burstWhy(c, f))
}

// realHosts counts the rejections of hosts the cluster has.
func realHosts(cl *place.Cluster, rs []place.Rejection) int {
	n := 0
	for _, r := range rs {
		if cl.Has(r.Host) {
			n++
		}
	}
	return n
}

// reserve moves the allocation of a VM that migrates, grows or starts,
// reporting a host without room. A change that needs no more room releases
// nothing: deletes and shrinks are not ordered before other changes.
func (d *differ) reserve(cl *place.Cluster, c *Change, free bool) {
	b, a := c.Before, c.After
	before, after := uses(b, free), uses(a, free)
	grows := after && (!before || a.Host != b.Host || a.CPU > b.CPU || a.MemoryMiB > b.MemoryMiB || a.DiskGB > b.DiskGB)
	if !grows {
		return
	}
	if before {
		cl.RemoveVM(b.Host, sized(c.Fleet, b))
	}
	if a.Host == "" && !cl.Empty() {
		d.reserveUnplaced(cl, c)
		return
	}
	if why := cl.FitsVM(a.Host, sized("", a)); why != "" {
		f := d.fleet(c.Fleet)
		d.errorf(f.DeclRange.Ptr(), "Not enough capacity for the change",
			"%s cannot %s: %s.", c.Address, c.Action, why)
		return
	}
	cl.AddVM(a.Host, sized(c.Fleet, a))
}

// reserveUnplaced reserves room for a VM that starts without a host: one
// the platform has not placed (a halted Xen VM without affinity, left by an
// interrupted create), which the platform places when it starts it. The
// plan cannot say where, so it checks that some host has room and counts
// the VM on the first that does, so that many such VMs are not all let
// through on the same free room.
func (d *differ) reserveUnplaced(cl *place.Cluster, c *Change) {
	a := c.After
	for _, h := range cl.Hosts() {
		if cl.FitsVM(h, sized("", a)) == "" {
			cl.AddVM(h, sized(c.Fleet, a))
			return
		}
	}
	f := d.fleet(c.Fleet)
	d.errorf(f.DeclRange.Ptr(), "Not enough capacity for the change",
		"%s cannot %s: no host has room for %d vCPU and %s.", c.Address, c.Action, a.CPU, place.FormatMiB(a.MemoryMiB))
}

// uses reports whether a VM with these attributes holds capacity on its
// host: always, unless the provider frees a stopped VM's resources.
func uses(a *Attrs, stoppedFree bool) bool {
	return !stoppedFree || a.Power == driver.PowerRunning
}
