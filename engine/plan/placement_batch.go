package plan

import "github.com/novacron/novacron/engine/place"

// newRun is how many changes from the first of changes are creates and
// replaces on the same provider, in a row: one batch for the placer.
// Migrations and updates between them end a run, so each still sees the
// room the changes before it in plan order took.
func newRun(changes []*Change) int {
	pk := changes[0].Provider()
	n := 0
	for n < len(changes) && (changes[n].Action == Create || changes[n].Action == Replace) && changes[n].Provider() == pk {
		n++
	}
	return n
}

// placeRun places a run of new VMs: a replace without
// create_before_destroy first releases its old VM, then a BatchPlacer
// places them all at once (it orders and packs them), any other placer one
// by one in plan order.
func (d *differ) placeRun(placer place.Placer, cl *place.Cluster, run []*Change, free bool) {
	vms := make([]place.VM, len(run))
	for i, c := range run {
		if c.Action == Replace && !c.CreateBeforeDestroy && c.Before.Provider == c.After.Provider && uses(c.Before, free) {
			cl.RemoveVM(c.Before.Host, sized(c.Fleet, c.Before))
		}
		vms[i] = placementVM(c, d.fleet(c.Fleet))
	}
	if bp, ok := placer.(place.BatchPlacer); ok && len(run) > 1 {
		for i, dec := range bp.PlaceAll(cl, vms) {
			d.record(cl, run[i], vms[i], dec)
		}
		return
	}
	for i, c := range run {
		d.record(cl, c, vms[i], placer.Place(cl, vms[i]))
	}
}
