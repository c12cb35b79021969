package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// differ holds one diff in progress.
type differ struct {
	in      Input
	st      *state.State // never nil
	lineage string
	live    map[string]*liveIndex // by provider key
	scratch vmScratch             // the live VM findLive or checkRecord reads (liveIndex.view)
	// desired holds the instances the plan wants by address, built on
	// first use (wanted); recordedWanted counts those the state records.
	desired        map[string]*spec.Instance
	desiredBuilt   bool
	recordedWanted int
	fleets         map[string]*spec.Fleet // by address, built on first use
	// unplaced lists, per fleet, the new VMs no host could take.
	unplaced map[string][]string
	// imports are the imports asked for, importing those being planned,
	// both by address; recordedAt is the state's address of each VM, built
	// on first use.
	imports, importing map[string]*spec.Import
	recordedAt         map[state.Ref]string
	plan               *Plan
	diags              hcl.Diagnostics

	// liveTemplates keeps what a live template ID written otherwise than
	// the spec's stands for (template_match.go), by the two IDs: a fleet's
	// VMs share one.
	liveTemplates map[[2]string]string
	// foreign are the VMs the state records that another workspace's
	// marker now claims (ownership.go).
	foreign map[state.Ref]*foreignVM
	// fleetKeys holds what each fleet's instances share (keysOf).
	fleetKeys map[*spec.Fleet]fleetKeys
	// addrs are the state's addresses, sorted (stateAddrs).
	addrs []string
	// spelled maps the canonical ids of the records of addrs[:spelledTo]
	// to their addresses (spelledBefore).
	spelled   map[state.Ref]string
	spelledTo int
	// moves is what the spec's moved and removed blocks do to the state
	// (moves.go); nil when it has none.
	moves *moving
	// covered are, under -target, the fleets the plan covers (targeted, or
	// needed by a target): the placement warning is for them only.
	covered map[string]bool
	// placing is the placer and clusters of place, for burst (burst.go).
	placing
	// sizingMoves are, by fleet address, the fleets sizing moves to a
	// cheaper provider (sizing.go).
	sizingMoves map[string]sizingMove
	// tooSmall are the fleets whose template's size setting was reported
	// too small for their VMs (cost.go).
	tooSmall map[string]bool
	// elsewhere holds the fleets' copies on their other providers
	// (burst_adopt.go).
	elsewhere map[elsewhereKey]*spec.Fleet
}

// Diff computes the plan that makes the live VMs match the spec. The steps
// run in order, each small and testable on its own: index the inventories
// (checking the state's ids and addresses against them), refuse providers
// whose inventories show one VM of the workspace (overlap.go), diff the desired
// instances, delete what is no longer wanted, check that no VM is claimed
// twice, narrow to -target, refuse changes to VMs another workspace took
// over and what prevent_destroy forbids, place new VMs, refuse what the
// state could not record, cut rollouts into batches, and sort.
func Diff(in Input) (*Plan, hcl.Diagnostics) {
	d := newDiffer(in)
	steps := []func(){
		d.chooseProviders, d.resolveMoves, d.indexLive, d.checkOverlap, d.diffDesired, d.forgetRemoved, d.diffOrphans, d.addMoves,
		d.checkClaims, d.applyTargets,
		d.refuseForeign, d.preventDestroy, d.place, d.warnPlacement, d.priceChanges, d.checkRecordable, d.batch, d.sortChanges,
	}
	for _, step := range steps {
		step()
		if d.diags.HasErrors() {
			return nil, d.diags
		}
	}
	d.plan.FormatVersion = d.plan.fileVersion()
	return d.plan, d.diags
}

func newDiffer(in Input) *differ {
	st, lineage := in.State, in.Lineage
	if st != nil {
		lineage = st.Lineage
	} else {
		st = state.New(lineage)
	}
	p := &Plan{
		FormatVersion: MovelessFormatVersion, Lineage: lineage, // Diff sets FormatVersion once it holds a move or a forget
		StateSerial: st.Serial, StateExists: in.State != nil,
		Destroy: in.Destroy, Targets: in.Targets, FleetDeps: map[string][]string{},
		Changes: []*Change{},
	}
	if in.Spec != nil {
		p.SpecDigest = in.Spec.Digest
	}
	n := 0 // instances: the size of the maps that hold each
	if in.Spec != nil {
		for _, f := range in.Spec.Fleets {
			n += len(f.Instances)
		}
	}
	d := &differ{
		in: in, st: st, lineage: lineage, plan: p,
		live: map[string]*liveIndex{}, desired: map[string]*spec.Instance{},
		imports: make(map[string]*spec.Import, len(in.Imports)), importing: map[string]*spec.Import{},
	}
	for _, imp := range in.Imports {
		d.imports[imp.Address] = imp
	}
	return d
}

func (d *differ) indexLive() {
	for key, inv := range d.in.Inventories {
		d.live[key] = newLiveIndex(inv, key, d.lineage, d.st, d.renamed)
	}
	p := d.plan
	for i, addr := range d.stateAddrs() {
		rec := d.st.VMs[addr]
		if d.live[rec.Provider] == nil {
			d.errorf(nil, "Provider missing for a VM in state",
				"State records %s on provider %s, which the spec does not declare. Keep the provider block until its VMs are deleted.", addr, rec.Provider)
		}
		d.checkRecord(i, addr, rec)
		if len(rec.DependsOn) > 0 && p.FleetDeps[rec.Fleet] == nil {
			p.FleetDeps[rec.Fleet] = slices.Clone(rec.DependsOn)
		}
	}
	d.checkAbandoned()
	if d.in.Spec == nil {
		return
	}
	for _, f := range d.in.Spec.Fleets {
		p.FleetDeps[f.Address()] = slices.Clone(f.DependsOn)
		if d.live[f.Provider.Key()] == nil {
			d.errorf(f.DeclRange.Ptr(), "No inventory", "The inventory of provider %s was not read.", f.Provider.Key())
		}
	}
}

func (d *differ) diffDesired() {
	if d.in.Destroy || d.in.Spec == nil {
		return
	}
	for _, f := range d.in.Spec.Fleets {
		for _, inst := range f.Instances {
			if d.st.VMs[inst.Address] != nil {
				d.recordedWanted++
			}
			d.diffInstance(inst)
		}
	}
	for _, addr := range d.in.Replace {
		if d.wanted()[addr] == nil {
			d.errorf(nil, "Invalid -replace address", "-replace=%s names no VM in the spec; give an instance address such as fleet.web[0].", addr)
		}
	}
}

// wanted returns the instances the plan wants, by address: none for a
// destroy.
func (d *differ) wanted() map[string]*spec.Instance {
	if d.desiredBuilt {
		return d.desired
	}
	d.desiredBuilt = true
	if d.in.Destroy || d.in.Spec == nil {
		return d.desired
	}
	for _, f := range d.in.Spec.Fleets {
		for _, inst := range f.Instances {
			d.desired[inst.Address] = inst
		}
	}
	return d.desired
}

func (d *differ) diffInstance(inst *spec.Instance) {
	pk := d.keysOf(inst.Fleet).provider
	rec := d.st.VMs[inst.Address]
	if imp := d.imports[inst.Address]; imp != nil && d.diffImport(inst, imp, rec) {
		return
	}
	vm, extras := d.findLive(inst.Address, pk, rec)
	for _, x := range extras {
		d.add(d.deleteChange(inst.Address, inst.Fleet.Address(), pk, x, nil,
			"a second VM carries this address's ownership marker (left by an interrupted replace or apply); the VM in state is kept"))
	}
	if rec != nil && rec.Provider != pk {
		if vm != nil {
			d.moveDone(inst, vm, rec)
			return
		}
		d.moveProvider(inst, rec)
		return
	}
	switch {
	case vm != nil:
		d.compare(inst, vm, rec)
	case !d.adoptElsewhere(inst, rec):
		d.create(inst, rec)
	}
}

// findLive returns the live VM for an address (state first, then marker)
// and any further VMs carrying the same marker.
func (d *differ) findLive(addr, pk string, rec *state.VM) (*driver.VM, []*driver.VM) {
	idx := d.live[pk]
	primary, found := -1, false
	if rec != nil && rec.Provider == pk {
		if primary, found = idx.find(rec.ID); !found {
			primary = -1
		}
	}
	var extras []*driver.VM
	for k := range idx.byAddr.all(addr) {
		idx.claimed[k] = true
		switch {
		case k == primary:
		case primary < 0:
			primary = k
		default:
			extras = append(extras, idx.vm(k))
		}
	}
	if primary < 0 {
		return nil, extras
	}
	idx.claimed[primary] = true
	return idx.view(primary, &d.scratch), extras
}

func (d *differ) create(inst *spec.Instance, rec *state.VM) {
	k := d.keysOf(inst.Fleet)
	if d.nameConflict(inst, k.provider) || d.burstNameConflict(inst) {
		return
	}
	c := &Change{
		Address: inst.Address, Fleet: k.address, Action: Create,
		After: d.desiredOf(inst), Reasons: []string{"not found: no VM carries this address's marker"},
		DependsOn: inst.Fleet.DependsOn, Template: inst.Fleet.TemplateRef,
		Marker: d.marker(inst),
	}
	if rec != nil {
		c.Reasons = []string{fmt.Sprintf("VM %s recorded in state no longer exists", rec.ID)}
	}
	d.add(c)
}

// nameConflict reports an existing VM of the same name that this workspace
// does not own.
func (d *differ) nameConflict(inst *spec.Instance, pk string) bool {
	idx := d.live[pk]
	for k := range idx.named().all(inst.Name) {
		vm := idx.vm(k)
		if owned(vm, pk, d.lineage, d.st) {
			continue
		}
		owner, force := "it carries no NovaCron marker", ""
		abandoned := d.st != nil && d.st.IsAbandoned(pk, vm.ID) // a forget cleared its marker
		switch {
		case vm.Marker == nil && !abandoned:
		case vm.Marker == nil || vm.Marker.Lineage == d.lineage && d.lineage != "": // not owned, so abandoned
			owner = "it was removed from this workspace's management with `state rm` or by a removed block"
		default:
			owner = fmt.Sprintf("its marker belongs to another workspace (lineage %s)", vm.Marker.Lineage)
			force = "; as it belongs to another workspace, first `nova-plan state rm` it there, then plan and apply the import with -force-import"
		}
		d.errorf(inst.Fleet.Range("name").Ptr(), "VM name already in use",
			"%s would create a VM named %q on provider %s, but VM %s already has that name and %s. "+
				"Rename the VM in the spec, remove or rename the existing one, or adopt it with an import block (to = %s, id = %q)%s.",
			inst.Address, inst.Name, pk, vm.ID, owner, hclReference(inst.Address), vm.ID, force)
		return true
	}
	return false
}

// hclReference writes an address as an import block's `to` must be written:
// a key's ${ and %{ escaped as HCL strings escape them.
func hclReference(addr string) string {
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(addr)
}

func (d *differ) moveProvider(inst *spec.Instance, rec *state.VM) {
	c := &Change{
		Address: inst.Address, Fleet: inst.Fleet.Address(), Action: Replace, ID: rec.ID,
		Before: stateAttrs(rec), After: d.desiredOf(inst),
		Reasons:   []string{fmt.Sprintf("provider changes from %s to %s", rec.Provider, inst.Fleet.Provider.Key())},
		DependsOn: inst.Fleet.DependsOn, Template: inst.Fleet.TemplateRef, Marker: d.marker(inst),
	}
	if m, ok := d.sizingMoves[c.Fleet]; ok && rec.Provider == m.from {
		sizingMoved(c, m)
	} else {
		comingBack(c, inst.Fleet)
	}
	if old := d.live[rec.Provider]; old != nil {
		if k, ok := old.find(rec.ID); ok {
			old.claimed[k] = true
			c.Before = liveAttrs(rec.Provider, old.vm(k))
		}
	}
	d.add(c)
}

// stateAddrs returns the state's addresses, sorted once for the steps
// that walk them.
func (d *differ) stateAddrs() []string {
	if d.addrs == nil {
		d.addrs = d.st.Addresses()
	}
	return d.addrs
}

func (d *differ) add(c *Change) { d.plan.Changes = append(d.plan.Changes, c) }

// errorf reports an error at subject; an empty range (an import from the
// command line has no source) is no place at all.
func (d *differ) errorf(subject *hcl.Range, summary, detail string, args ...any) {
	if subject != nil && subject.Filename == "" {
		subject = nil
	}
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(detail, args...), Subject: subject,
	})
}
