package plan

import "slices"

// The order place looks at the changes in, so that bursting costs no VM
// its room:
//
//  1. what must have room where the plan puts it: new VMs of fleets that
//     cannot burst, migrations, updates, starts;
//  2. new VMs (creates, replaces) of fleets that can burst: what home
//     cannot take goes to burst_to;
//  3. burst VMs coming home: optional, they take only what is left, and
//     stay on burst_to otherwise. A new VM of the same fleet comes first,
//     so the plan never brings one VM home to burst another.
//
// Within a tier the plan's order holds, and a tier's runs of creates are
// batched apart from the next tier's. The plan's changes keep their
// order: this is the placement's alone.
const (
	tierRequired = iota
	tierMayBurst
	tierComingHome
	tiers
)

// placementTiers are the plan's changes by tier, each tier placed after
// the one before (its runs never mix with the next tier's); the plan's own
// slice alone when no fleet bursts.
func (d *differ) placementTiers() [][]*Change {
	changes := d.plan.Changes
	first := slices.IndexFunc(changes, func(c *Change) bool { return d.placementTier(c) != tierRequired })
	if first < 0 {
		return [][]*Change{changes}
	}
	var by [tiers][]*Change
	by[tierRequired] = slices.Clip(changes[:first])
	for _, c := range changes[first:] {
		t := d.placementTier(c)
		by[t] = append(by[t], c)
	}
	return by[:]
}

// placementTier is the tier of c (above).
func (d *differ) placementTier(c *Change) int {
	if c.Action != Create && c.Action != Replace {
		return tierRequired
	}
	b := burstTo(d.fleet(c.Fleet))
	switch {
	case b == nil || c.After.Provider == b.Key():
		return tierRequired
	case c.Action == Replace && c.Before.Provider == b.Key():
		return tierComingHome
	}
	return tierMayBurst
}
