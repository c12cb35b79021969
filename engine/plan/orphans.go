package plan

import (
	"fmt"
	"strings"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// diffOrphans deletes what the workspace owns but no longer wants: VMs in
// state whose address left the spec, and VMs carrying the workspace's marker
// that nothing claimed (created by an apply that crashed, then removed from
// the spec).
func (d *differ) diffOrphans() {
	if d.recordedWanted == len(d.st.VMs) {
		d.deleteUnclaimed() // the plan wants every address the state records
		return
	}
	for _, addr := range d.stateAddrs() {
		if d.wanted()[addr] != nil {
			continue
		}
		rec := d.st.VMs[addr]
		idx := d.live[rec.Provider]
		k, found := idx.find(rec.ID)
		reason := d.removedReason(addr, "no longer in the spec")
		if d.in.Destroy {
			reason = "destroy requested"
		}
		if !found {
			d.add(d.deleteChange(addr, rec.Fleet, rec.Provider, nil, rec, fmt.Sprintf(
				"%s; VM %s is not in the provider's inventory: the driver is asked to remove what may be left of it, and the state forgets it", reason, rec.ID)))
			continue
		}
		idx.claimed[k] = true
		d.add(d.deleteChange(addr, rec.Fleet, rec.Provider, idx.vm(k), rec, reason))
	}
	d.deleteUnclaimed()
}

// deleteUnclaimed deletes the VMs that carry the workspace's marker and
// that nothing claimed.
func (d *differ) deleteUnclaimed() {
	for pk, idx := range d.live {
		for i := range idx.len() {
			if idx.claimed[i] {
				continue
			}
			vm := idx.vm(i)
			if !owned(vm, pk, d.lineage, d.st) {
				continue
			}
			d.add(d.deleteChange(vm.Marker.Address, fleetOf(vm.Marker.Address), pk, vm, nil,
				"carries this workspace's ownership marker but is not in state and not wanted (left by an interrupted apply)"))
		}
	}
}

// deleteChange builds a delete of a live VM (vm) or of a state record whose
// VM is gone (vm nil).
func (d *differ) deleteChange(addr, fleet, pk string, vm *driver.VM, rec *state.VM, reason string) *Change {
	c := &Change{Address: addr, Fleet: fleet, Action: Delete, Reasons: []string{reason}}
	if vm != nil {
		c.ID, c.Before = vm.ID, liveAttrs(pk, vm)
	} else {
		c.ID, c.Before = rec.ID, stateAttrs(rec)
	}
	if rec != nil {
		c.DependsOn = rec.DependsOn
	}
	return c
}

func (d *differ) fleet(addr string) *spec.Fleet {
	if d.fleets == nil && d.in.Spec != nil {
		d.fleets = make(map[string]*spec.Fleet, len(d.in.Spec.Fleets))
		for _, f := range d.in.Spec.Fleets {
			d.fleets[f.Address()] = f
		}
	}
	return d.fleets[addr]
}

// preventDestroy refuses the deletes and replaces left after -target in
// fleets that set lifecycle.prevent_destroy; changes -target leaves out
// are not made, so they are not refused.
func (d *differ) preventDestroy() {
	for _, c := range d.plan.Changes {
		if f := d.fleet(c.Fleet); f != nil && (c.Action == Delete || c.Action == Replace) {
			d.checkPreventDestroy(f, c)
		}
	}
}

func (d *differ) checkPreventDestroy(f *spec.Fleet, c *Change) {
	if !f.Lifecycle.PreventDestroy {
		return
	}
	d.errorf(f.Range("lifecycle").Ptr(), "VM cannot be destroyed",
		"The plan would %s %s (%s), but %s sets lifecycle.prevent_destroy. Change the spec so the VM is kept, or remove prevent_destroy.",
		c.Action, c.Address, strings.Join(c.Reasons, "; "), f.Address())
}

// fleetOf returns the fleet address of an instance address, or "" when
// addr is not one (a marker that something other than NovaCron wrote).
func fleetOf(addr string) string {
	fleet, _ := addrs.FleetOf(addr)
	return fleet
}
