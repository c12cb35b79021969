package plan

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// An import adopts a VM this workspace does not manage into an address of
// the spec, as Terraform's import block does: the plan shows an adopt
// (which writes the workspace's marker on the VM and records it in state),
// followed in the same plan by whatever else makes the VM match the spec
// (update, migrate, start, stop). An import that would replace the VM at
// once is refused, unless -replace names the address: nobody imports a VM
// to destroy it.

// diffImport plans the import asked for instance inst. It returns false
// when there is nothing to import (the state already records that VM at
// that address), so the instance is diffed as usual.
func (d *differ) diffImport(inst *spec.Instance, imp *spec.Import, rec *state.VM) bool {
	inst = d.importOn(inst, imp)
	pk := inst.Fleet.Provider.Key()
	if rec != nil && rec.Provider == pk && rec.ID == d.importID(pk, imp) {
		return false
	}
	vm, ok := d.checkImport(inst, imp, rec)
	if !ok {
		return true
	}
	for x := range d.live[pk].byAddr.all(inst.Address) {
		d.claimed[x] = true
		if x != vm {
			d.add(d.deleteChange(inst.Address, inst.Fleet.Address(), pk, x, nil,
				fmt.Sprintf("carries this address's ownership marker (left by an interrupted apply), and VM %s is imported into the address instead", vm.ID)))
		}
	}
	d.claimed[vm] = true
	d.importing[inst.Address] = imp
	d.compare(inst, vm, nil)
	return true
}

// checkImport finds the VM to import and checks that it may be: it exists,
// the address does not manage another VM, the workspace does not manage it
// elsewhere, and it carries no other workspace's marker (unless forced).
// The words differ for `nova-plan import`, which has no block to remove.
func (d *differ) checkImport(inst *spec.Instance, imp *spec.Import, rec *state.VM) (*driver.VM, bool) {
	pk := inst.Fleet.Provider.Key()
	vm := d.live[pk].byID[d.importID(pk, imp)]
	switch {
	case vm == nil:
		d.errorf(imp.IDRange.Ptr(), "VM to import not found",
			"Provider %s has no VM with id %q, so it cannot be imported into %s. %s", pk, imp.ID, imp.Address, d.idHint(pk, imp.ID))
	case rec != nil:
		undo := "Remove the import block, or first"
		if fromCommand(imp) {
			undo = "Nothing was imported. To import it there all the same, first"
		}
		d.errorf(imp.ToRange.Ptr(), "Import into an address already managed",
			"%s already manages VM %s on provider %s; importing VM %s there would leave that VM unmanaged. "+
				"%s stop managing VM %s with `nova-plan state rm %s` (it keeps running, unmanaged).",
			imp.Address, rec.ID, rec.Provider, imp.ID, undo, rec.ID, imp.Address)
	default:
		if addr, inState := d.managedAt(pk, vm); addr != "" && addr != imp.Address {
			d.errorf(imp.IDRange.Ptr(), "VM already managed",
				"VM %s (%s) is already managed by this workspace as %s, so it cannot be imported into %s too. %s",
				vm.ID, vm.Name, addr, imp.Address, moveHint(addr, inState, fromCommand(imp)))
			return nil, false
		}
		return vm, d.checkOwner(vm, imp)
	}
	return nil, false
}

// fromCommand tells an import asked for by `nova-plan import` from an
// import block: it has no place in the spec.
func fromCommand(imp *spec.Import) bool { return imp.DeclRange.Filename == "" }

// moveHint says how to manage a VM that the workspace manages at addr at
// another address instead. Removing addr from the spec would delete the VM.
func moveHint(addr string, inState, command bool) string {
	again := "plan the import again"
	if command {
		again = "import it again"
	}
	if !inState {
		return fmt.Sprintf("It carries this workspace's ownership marker for %s (an interrupted apply made it and did not save the state), "+
			"so the next apply adopts it there. To manage it elsewhere, apply first, then `nova-plan state rm %s` (the VM keeps running), then %s.", addr, addr, again)
	}
	return fmt.Sprintf("To manage it at the new address instead, first `nova-plan state rm %s`: the VM keeps running, and the state forgets it; then %s. "+
		"(Removing %s from the spec instead would destroy the VM.)", addr, again, addr)
}

// idHint helps with an id the provider does not have: ids are compared
// exactly, so one that differs only in case names another VM's.
func (d *differ) idHint(pk, id string) string {
	for vid, vm := range d.live[pk].byID {
		if strings.EqualFold(vid, id) {
			return fmt.Sprintf("Ids are case-sensitive, and VM %s (%q) has this id in other letters (libvirt's UUIDs, for one, are lower case): import it as %s.", vid, vm.Name, vid)
		}
	}
	return "`nova-plan inventory` lists the VMs and their ids."
}

// importID is the id an import names, in the provider's spelling: an
// import may give a UUID in upper case, as another tool prints it.
func (d *differ) importID(pk string, imp *spec.Import) string {
	if id, ok := d.canonicalID(pk, imp.ID); ok {
		return id
	}
	return imp.ID
}

// managedAt returns the address at which the workspace manages vm: the
// state's (inState), or that of its marker when the workspace owns it.
func (d *differ) managedAt(pk string, vm *driver.VM) (addr string, inState bool) {
	if d.recordedAt == nil {
		d.recordedAt = make(map[state.Ref]string, len(d.st.VMs))
		for addr, rec := range d.st.VMs {
			d.recordedAt[state.Ref{Provider: rec.Provider, ID: rec.ID}] = addr
		}
	}
	if addr, ok := d.recordedAt[state.Ref{Provider: pk, ID: vm.ID}]; ok {
		return addr, true
	}
	if owned(vm, pk, d.lineage, d.st) {
		return vm.Marker.Address, false
	}
	return "", false
}

// checkOwner refuses a VM carrying another workspace's marker, unless the
// import is forced. A VM abandoned by this workspace (`state rm`) may be
// imported back.
func (d *differ) checkOwner(vm *driver.VM, imp *spec.Import) bool {
	m := vm.Marker
	if m == nil || (m.Lineage == d.lineage && d.lineage != "") || d.in.ForceImport {
		return true
	}
	d.errorf(imp.IDRange.Ptr(), "VM belongs to another workspace",
		"VM %s (%s) carries the ownership marker of another workspace: state lineage %s, address %s. "+
			"That workspace still manages it (by its state or by that marker), so importing it here would leave two workspaces changing one VM. "+
			"Run `nova-plan state rm %s` in that workspace first, then import with -force-import (plan, apply) or `nova-plan import -force`.",
		vm.ID, vm.Name, m.Lineage, m.Address, m.Address)
	return false
}

// importChange is the adopt that imports vm into inst's address.
func (d *differ) importChange(inst *spec.Instance, vm *driver.VM, imp *spec.Import, before *Attrs) *Change {
	f := inst.Fleet
	how := "`nova-plan import`"
	if imp.DeclRange.Filename != "" {
		how = fmt.Sprintf("the import block at %s:%d", filepath.Base(imp.DeclRange.Filename), imp.DeclRange.Start.Line)
	}
	reasons := []string{fmt.Sprintf("%s adopts VM %s (%q) into %s: it gets this workspace's ownership marker", how, vm.ID, vm.Name, inst.Address)}
	if m := vm.Marker; m != nil && m.Lineage != d.lineage {
		reasons = append(reasons, fmt.Sprintf("it is taken over from another workspace (lineage %s, address %s), as the import was forced", m.Lineage, m.Address))
	}
	return &Change{
		Address: inst.Address, Fleet: f.Address(), Action: Adopt, ID: vm.ID,
		Before: before.Clone(), After: before.Clone(), Reasons: reasons,
		DependsOn: f.DependsOn, Marker: d.marker(inst), Imported: true,
	}
}

// refuseImportReplace reports an import whose VM the plan would replace at
// once.
func (d *differ) refuseImportReplace(inst *spec.Instance, vm *driver.VM, imp *spec.Import, reasons []string) {
	d.errorf(imp.DeclRange.Ptr(), "Import would replace the VM",
		"Importing VM %s (%q) into %s would destroy it at once and create a new one, because %s. "+
			"Make the spec describe the VM as it is (its name, template, disk size, host), or add -replace=%s if replacing it is what you want.",
		vm.ID, vm.Name, inst.Address, strings.Join(reasons, "; "), inst.Address)
}

// importAlone plans the adopt of `nova-plan import` — unless the next plan
// would replace the VM (its name, template, disk or host differ from the
// spec's), which it refuses as an import block's is refused: nobody imports
// a VM to have it destroyed.
func (d *differ) importAlone(inst *spec.Instance, vm *driver.VM, imp *spec.Import) {
	f := inst.Fleet
	before := liveAttrs(f.Provider.Key(), vm)
	after := wanted(inst, before)
	d.sameTemplateAs(inst, before, after)
	if reasons := d.replaceReasons(inst, before, after, d.in.Capabilities[f.Provider.Key()]); len(reasons) > 0 {
		d.errorf(nil, "Import would replace the VM",
			"Importing VM %s (%q) into %s would have the next plan destroy it and create a new one, because %s. "+
				"Make the spec describe the VM as it is (its name, template, disk size, host); or, if replacing it is what you want, "+
				"import it with an import block and plan with -replace=%s.",
			vm.ID, vm.Name, inst.Address, strings.Join(reasons, "; "), inst.Address)
		return
	}
	d.add(d.importChange(inst, vm, imp, before))
}

// DiffImport plans `nova-plan import`: the adopt of in.Imports[0] alone,
// whatever else differs between the spec and the VM (the next plan shows
// that). The checks are those of an import block.
func DiffImport(in Input) (*Plan, hcl.Diagnostics) {
	d := newDiffer(in)
	d.indexLive()
	if d.diags.HasErrors() || len(in.Imports) != 1 {
		return nil, d.diags
	}
	imp := in.Imports[0]
	inst := in.Spec.Instance(imp.Address)
	if inst == nil {
		d.errorf(nil, "Import into an address the spec does not declare",
			"The spec declares no VM at %s. Add it to the spec (a fleet or vm block) first: an import only adopts a VM into an address the spec describes.", imp.Address)
		return nil, d.diags
	}
	inst = d.importOn(inst, imp)
	pk := inst.Fleet.Provider.Key()
	rec := d.st.VMs[imp.Address]
	if rec != nil && rec.Provider == pk && rec.ID == d.importID(pk, imp) {
		d.errorf(nil, "Already imported", "%s already manages VM %s: there is nothing to import.", imp.Address, imp.ID)
		return nil, d.diags
	}
	if vm, ok := d.checkImport(inst, imp, rec); ok {
		d.importAlone(inst, vm, imp)
	}
	if d.diags.HasErrors() {
		return nil, d.diags
	}
	return d.plan, d.diags
}
