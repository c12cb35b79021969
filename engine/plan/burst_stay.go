package plan

import (
	"fmt"
	"slices"

	"github.com/novacron/novacron/engine/spec"
)

// stayOnBurst plans, for each burst VM whose home still has no room, what
// the spec asks of it where it is instead of the replace that would have
// brought it home: the VM is diffed as it runs on the burst provider
// against the spec on that provider (its template mapping there, no pin of
// a home host), so a new cpu, memory, disk or tags is an update there and
// a new template a replace there, placed on the burst provider's hosts.
// A VM with nothing to change gets no change.
func (d *differ) stayOnBurst() {
	if len(d.stays) == 0 {
		return
	}
	stays := d.stays
	d.plan.Changes = slices.DeleteFunc(d.plan.Changes, func(c *Change) bool { return slices.Contains(stays, c) })
	for _, c := range stays {
		d.planOnBurst(c)
	}
}

// planOnBurst plans the changes of one burst VM that stays, from the
// replace set aside for it, and places them.
func (d *differ) planOnBurst(home *Change) {
	inst := d.wanted()[home.Address]
	f := d.fleet(home.Fleet)
	if inst == nil || f == nil {
		return
	}
	b := burstTo(f)
	if d.live[b.Key()] == nil {
		return // its inventory was not read: indexLive reported it
	}
	there := d.onBurst(inst, b)
	rec := d.st.VMs[home.Address]
	n := len(d.plan.Changes)
	if vm := d.live[b.Key()].byID(home.ID); vm != nil {
		d.compare(there, vm, rec)
	} else {
		d.create(there, rec) // the burst VM is gone: made again where it was
	}
	why := fmt.Sprintf("stays on burst provider %s: no host of %s has room for it", b.Key(), f.Provider.Key())
	for _, c := range d.plan.Changes[n:] {
		c.Burst, c.Reasons = true, append(c.Reasons, why)
		if c.Marker != nil {
			c.Marker = d.marker(inst) // as a VM that bursts is marked
		}
		d.placeOnBurst(c, b)
	}
}

// placeOnBurst places a change of a burst VM that stays on the burst
// provider's hosts, as place places any change.
func (d *differ) placeOnBurst(c *Change, b *spec.Provider) {
	cl := d.placing.clusters[b.Key()]
	if cl == nil || cl.Empty() {
		return
	}
	free := d.in.Capabilities[b.Key()].StoppedUseNoCapacity
	switch c.Action {
	case Create, Replace:
		d.placeRun(d.placer, cl, []*Change{c}, free)
	case Migrate, Update, Start:
		d.reserve(cl, c, free)
	}
}

// onBurst is a copy of inst on its fleet's burst provider b: the fleet
// copied once (fleetOn: the template mapping for b's type), and no pinned
// host (a pin names a host of home).
func (d *differ) onBurst(inst *spec.Instance, b *spec.Provider) *spec.Instance {
	g := d.burstFleets[inst.Fleet]
	if g == nil {
		g = fleetOn(inst.Fleet, b)
		if d.burstFleets == nil {
			d.burstFleets = map[*spec.Fleet]*spec.Fleet{}
		}
		d.burstFleets[inst.Fleet] = g
	}
	c := *inst
	c.Fleet, c.Host = g, ""
	return &c
}
