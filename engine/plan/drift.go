package plan

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// DiffDrift compares the live inventories with the state and the spec: per
// VM, what changed out of band (live ≠ state; the spec's drift ignore rules
// applied), and apart from it the changes the spec asks of the state
// (spec ≠ state). It indexes the inventories and checks the state against
// them as Diff does (ids, markers, VMs another workspace took over), and
// compares with the planner's attributes (liveAttrs, stateAttrs, wanted).
// It plans nothing and changes nothing.
func DiffDrift(in Input) (*Drift, hcl.Diagnostics) {
	d := newDiffer(in)
	d.indexLive()
	if d.diags.HasErrors() {
		return nil, d.diags
	}
	out := &Drift{Lineage: d.lineage, StateSerial: d.st.Serial, VMs: []*VMDrift{}, Pending: []*PendingChange{}}
	for _, addr := range d.st.Addresses() {
		if v := d.driftOf(addr, d.st.VMs[addr]); v != nil {
			out.VMs = append(out.VMs, v)
		}
	}
	out.VMs = append(out.VMs, d.strangers()...)
	slices.SortStableFunc(out.VMs, func(a, b *VMDrift) int {
		return cmp.Or(cmp.Compare(a.Address, b.Address), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	out.Pending = d.pending(plannedProviders(in))
	return out, d.diags
}

// plannedProviders runs the plan's own diff on in and returns, by address,
// the provider each VM it changes ends on: where burst, placement and
// sizing put it. Pending changes compare the spec on that provider (a VM
// the plan leaves where it runs stays on the state's provider), so drift
// never reports a move the plan would not make. Nil when the plan fails:
// then each fleet's own provider is compared, as before any decision.
func plannedProviders(in Input) map[string]string {
	p, diags := Diff(in)
	if p == nil || diags.HasErrors() {
		return nil
	}
	out := map[string]string{}
	for _, c := range p.Changes {
		if c.After != nil && c.After.Provider != "" {
			out[c.Address] = c.After.Provider
		}
	}
	return out
}

// driftOf is the drift of the VM the state records at addr, or nil.
func (d *differ) driftOf(addr string, rec *state.VM) *VMDrift {
	v := &VMDrift{Address: addr, Fleet: rec.Fleet, Provider: rec.Provider, ID: rec.ID, Name: rec.Name}
	vm := d.live[rec.Provider].byID(rec.ID)
	if f := d.foreign[state.Ref{Provider: rec.Provider, ID: rec.ID}]; f != nil {
		v.Kind = DriftTakenOver
		v.Detail = fmt.Sprintf("VM %s now carries the ownership marker of another workspace (lineage %s, address %s)", vm.ID, f.marker.Lineage, f.marker.Address)
		return v
	}
	if vm == nil {
		v.Kind = DriftDeleted
		v.Detail = fmt.Sprintf("VM %s recorded in state is not in the inventory of provider %s", rec.ID, rec.Provider)
		return v
	}
	v.Kind = DriftChanged
	f := d.fleet(rec.Fleet)
	live := liveAttrs(rec.Provider, vm)
	if d.sameTemplateID(f, rec.Template, live.Template) {
		live.Template = rec.Template
	} else {
		live.Template = d.shownTemplate(f, live.Template)
	}
	for _, a := range attrDiffs(stateAttrs(rec), live) {
		if d.driftIgnores(f, a.Path) {
			v.Ignored = append(v.Ignored, a.Path)
			continue
		}
		v.Attrs = append(v.Attrs, a)
	}
	if len(v.Attrs) == 0 {
		return nil
	}
	return v
}

// driftIgnores reports whether the spec's drift rules, its top-level
// block's or fleet f's, ignore path.
func (d *differ) driftIgnores(f *spec.Fleet, path string) bool {
	if d.in.Spec == nil {
		return false
	}
	return d.in.Spec.Drift.Ignores(path) || f != nil && f.Drift.Ignores(path)
}

// strangers are the live VMs the state does not record that look like
// ones it does: carrying this workspace's marker (unrecorded), or not
// managed here and named as a managed or wanted VM (unmanaged).
func (d *differ) strangers() []*VMDrift {
	names := d.managedNames()
	var out []*VMDrift
	for _, pk := range slices.Sorted(maps.Keys(d.live)) {
		idx := d.live[pk]
		for k := range idx.len() {
			if d.recorded(pk, idx.id(k)) {
				continue
			}
			vm := idx.vm(k)
			if owned(vm, pk, d.lineage, d.st) {
				out = append(out, &VMDrift{Address: vm.Marker.Address, Fleet: fleetOf(vm.Marker.Address), Provider: pk, ID: vm.ID, Name: vm.Name,
					Kind: DriftUnrecorded, Detail: fmt.Sprintf("VM %s carries this workspace's ownership marker for %s, but the state does not record it (an apply was interrupted before saving it)", vm.ID, vm.Marker.Address)})
				continue
			}
			if addr, ok := names[[2]string{pk, vm.Name}]; ok {
				out = append(out, &VMDrift{Address: addr, Fleet: fleetOf(addr), Provider: pk, ID: vm.ID, Name: vm.Name,
					Kind: DriftUnmanaged, Detail: fmt.Sprintf("VM %s is not managed by this workspace (%s) but has the name %q of %s", vm.ID, ownerOf(vm), vm.Name, addr)})
			}
		}
	}
	return out
}

// managedNames maps provider key and VM name to the address that manages
// or wants that name: the state's, then the spec's.
func (d *differ) managedNames() map[[2]string]string {
	out := map[[2]string]string{}
	if d.in.Spec != nil {
		for _, f := range d.in.Spec.Fleets {
			for _, inst := range f.Instances {
				out[[2]string{f.Provider.Key(), inst.Name}] = inst.Address
			}
		}
	}
	for addr, rec := range d.st.VMs {
		out[[2]string{rec.Provider, rec.Name}] = addr
	}
	return out
}

// recorded reports whether the state records VM id of provider pk.
func (d *differ) recorded(pk, id string) bool {
	if d.recordedAt == nil {
		d.recordedAt = make(map[state.Ref]string, len(d.st.VMs))
		for addr, rec := range d.st.VMs {
			d.recordedAt[state.Ref{Provider: rec.Provider, ID: rec.ID}] = addr
		}
	}
	_, ok := d.recordedAt[state.Ref{Provider: pk, ID: id}]
	return ok
}

// ownerOf says whose a VM is, for a VM this workspace does not own.
func ownerOf(vm *driver.VM) string {
	if vm.Marker == nil {
		return "it carries no NovaCron marker"
	}
	return fmt.Sprintf("its marker is of lineage %s", vm.Marker.Lineage)
}

// pending lists what the spec asks of the state: creates, deletes, and the
// attributes an update changes (wanted, as a plan compares them).
func (d *differ) pending(where map[string]string) []*PendingChange {
	out := []*PendingChange{}
	wantedAt := map[string]bool{}
	if d.in.Spec != nil {
		for _, f := range d.in.Spec.Fleets {
			for _, inst := range f.Instances {
				wantedAt[inst.Address] = true
				if p := d.pendingOf(inst, where); p != nil {
					out = append(out, p)
				}
			}
		}
	}
	for addr := range d.st.VMs {
		if !wantedAt[addr] {
			out = append(out, &PendingChange{Address: addr, Action: Delete})
		}
	}
	slices.SortFunc(out, func(a, b *PendingChange) int { return cmp.Compare(a.Address, b.Address) })
	return out
}

func (d *differ) pendingOf(inst *spec.Instance, where map[string]string) *PendingChange {
	rec := d.st.VMs[inst.Address]
	if rec == nil {
		return &PendingChange{Address: inst.Address, Action: Create}
	}
	inst = d.plannedOn(inst, rec, where)
	before := stateAttrs(rec)
	after := wanted(inst, before)
	if d.sameTemplateID(inst.Fleet, before.Template, after.Template) {
		after.Template = before.Template
	}
	if rec.Provider != after.Provider {
		return &PendingChange{Address: inst.Address, Action: Replace, Attrs: []AttrDiff{{Path: "provider", Before: rec.Provider, After: after.Provider}}}
	}
	diffs := attrDiffs(before, after)
	if len(diffs) == 0 {
		return nil
	}
	return &PendingChange{Address: inst.Address, Action: Update, Attrs: diffs}
}

// plannedOn is inst on the provider the plan leaves or puts it on (where;
// the state's provider when the plan does not change it), when that is one
// of its fleet's other providers (burst_to, a sizing fleet's list); else
// inst as its fleet has it.
func (d *differ) plannedOn(inst *spec.Instance, rec *state.VM, where map[string]string) *spec.Instance {
	if where == nil {
		return inst
	}
	pk, ok := where[inst.Address]
	if !ok {
		pk = rec.Provider
	}
	for _, p := range otherProviders(inst.Fleet) {
		if p.Key() == pk {
			return d.instanceOn(inst, p)
		}
	}
	return inst
}
