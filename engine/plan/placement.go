package plan

import (
	"strings"

	"github.com/novacron/novacron/engine/place"
)

// place chooses hosts for new VMs and checks that migrations and growing
// updates fit, on every provider that reports hosts. Deletes release no
// capacity here: they are not ordered before creates, so counting on them
// could plan what cannot run.
func (d *differ) place() {
	placer := d.in.Placer
	if placer == nil {
		placer = place.BestFit{}
	}
	clusters := d.clusters()
	for _, c := range d.plan.Changes {
		cl := clusters[c.Provider()]
		if cl == nil || cl.Empty() {
			continue
		}
		switch c.Action {
		case Create, Replace:
			d.placeNew(placer, cl, c)
		case Migrate, Update:
			d.reserve(cl, c)
		}
	}
}

// clusters builds each provider's hosts with every live VM allocated.
func (d *differ) clusters() map[string]*place.Cluster {
	out := map[string]*place.Cluster{}
	for pk, inv := range d.in.Inventories {
		cl := place.NewCluster(inv.Hosts)
		for _, vm := range d.live[pk].vms {
			group := ""
			if vm.Marker != nil {
				group = fleetOf(vm.Marker.Address)
			}
			cl.Add(vm.Host, group, vm.CPU, vm.MemoryMiB)
		}
		out[pk] = cl
	}
	return out
}

func (d *differ) placeNew(placer place.Placer, cl *place.Cluster, c *Change) {
	if c.Action == Replace && !c.CreateBeforeDestroy && c.Before.Provider == c.After.Provider {
		cl.Remove(c.Before.Host, c.Fleet, c.Before.CPU, c.Before.MemoryMiB)
	}
	f := d.fleet(c.Fleet)
	vm := place.VM{
		Address: c.Address, Group: c.Fleet, CPU: c.After.CPU, MemoryMiB: c.After.MemoryMiB,
		Pin: c.After.Host, Spread: f != nil && f.Placement.SpreadBy == "host",
	}
	dec := placer.Place(cl, vm)
	if dec.Host != "" {
		c.After.Host = dec.Host
		return
	}
	var why []string
	for _, r := range dec.Rejected {
		why = append(why, "  - "+r.Host+": "+r.Reason)
	}
	d.errorf(f.DeclRange.Ptr(), "No host can take the VM",
		"%s needs %d vCPU and %s on provider %s, and no host can take it:\n%s",
		c.Address, vm.CPU, place.FormatMiB(vm.MemoryMiB), c.Provider(), strings.Join(why, "\n"))
}

// reserve moves a migrating or growing VM's allocation, reporting a target
// host without room.
func (d *differ) reserve(cl *place.Cluster, c *Change) {
	b, a := c.Before, c.After
	if c.Action == Update && a.CPU <= b.CPU && a.MemoryMiB <= b.MemoryMiB {
		return
	}
	cl.Remove(b.Host, c.Fleet, b.CPU, b.MemoryMiB)
	if why := cl.Fits(a.Host, a.CPU, a.MemoryMiB); why != "" {
		f := d.fleet(c.Fleet)
		d.errorf(f.DeclRange.Ptr(), "Not enough capacity for the change",
			"%s cannot %s: %s.", c.Address, c.Action, why)
		return
	}
	cl.Add(a.Host, c.Fleet, a.CPU, a.MemoryMiB)
}
