package plan

import (
	"slices"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// A fleet's VMs may live on other providers than the one the diff sees it
// on: its burst_to provider, and, for a sizing fleet, every provider it
// lists. A VM found there by its marker (an apply killed while it created
// a burst VM) or by an import is adopted where it is, diffed as the fleet
// would be on that provider; the plans after it treat it as any VM the
// state records away from home (moveProvider, burst).

// otherProviders are the providers besides f's own where f's VMs may live,
// each once: burst_to first, then the sizing fleet's list in its order.
func otherProviders(f *spec.Fleet) []*spec.Provider {
	var out []*spec.Provider
	add := func(p *spec.Provider) {
		if p != nil && p.Key() != f.Provider.Key() && !slices.ContainsFunc(out, func(q *spec.Provider) bool { return q.Key() == p.Key() }) {
			out = append(out, p)
		}
	}
	add(burstTo(f))
	for _, p := range f.Providers {
		add(p)
	}
	return out
}

// adoptElsewhere looks for a VM carrying inst's marker on the fleet's other
// providers and, on the first that has one, diffs inst against it there.
// It reports whether it found one.
func (d *differ) adoptElsewhere(inst *spec.Instance, rec *state.VM) bool {
	for _, p := range otherProviders(inst.Fleet) {
		pk := p.Key()
		if d.live[pk] == nil {
			continue
		}
		vm, extras := d.findLive(inst.Address, pk, nil)
		if vm == nil {
			continue
		}
		for _, x := range extras {
			d.add(d.deleteChange(inst.Address, inst.Fleet.Address(), pk, x, nil,
				"a second VM carries this address's ownership marker (left by an interrupted apply); the first is adopted"))
		}
		d.compare(d.instanceOn(inst, p), vm, rec)
		return true
	}
	return false
}

// burstNameConflict reports a VM of inst's name on the fleet's burst_to
// provider that the workspace does not own: a create that bursts would
// make a second VM of that name there.
func (d *differ) burstNameConflict(inst *spec.Instance) bool {
	b := burstTo(inst.Fleet)
	return b != nil && d.live[b.Key()] != nil && d.nameConflict(inst, b.Key())
}

// instanceOn is inst as its fleet would have it on provider p: p's
// template, and no pinned host (a pin names a host of the fleet's own
// provider). The fleet's copy is made once per provider.
func (d *differ) instanceOn(inst *spec.Instance, p *spec.Provider) *spec.Instance {
	key := elsewhereKey{inst.Fleet, p.Key()}
	g := d.elsewhere[key]
	if g == nil {
		g = fleetOn(inst.Fleet, p)
		if d.elsewhere == nil {
			d.elsewhere = map[elsewhereKey]*spec.Fleet{}
		}
		d.elsewhere[key] = g
	}
	c := *inst
	c.Fleet, c.Host = g, ""
	return &c
}

// elsewhereKey names a fleet's copy on another provider.
type elsewhereKey struct {
	fleet    *spec.Fleet
	provider string
}

// importOn is inst on the provider that has the VM an import names: the
// fleet's own, or one of its other providers (burst_to first). Ids are
// each provider's own, so several may have it: then the VM named as the
// instance is taken, else the first not yet managed, else the fleet's
// own provider's (and when none has it, the fleet's own, for the error).
func (d *differ) importOn(inst *spec.Instance, imp *spec.Import) *spec.Instance {
	var found []*spec.Instance
	var vms []*driver.VM
	for _, p := range append([]*spec.Provider{inst.Fleet.Provider}, otherProviders(inst.Fleet)...) {
		vm := d.importVM(p.Key(), imp)
		switch {
		case vm == nil:
		case p == inst.Fleet.Provider:
			found, vms = append(found, inst), append(vms, vm)
		default:
			found, vms = append(found, d.instanceOn(inst, p)), append(vms, vm)
		}
	}
	if i := slices.IndexFunc(vms, func(vm *driver.VM) bool { return vm.Name == inst.Name }); i >= 0 {
		return found[i]
	}
	for i, vm := range vms {
		if addr, _ := d.managedAt(found[i].Fleet.Provider.Key(), vm); addr == "" {
			return found[i]
		}
	}
	return inst
}

// importVM is provider pk's VM of the id imp names, or nil.
func (d *differ) importVM(pk string, imp *spec.Import) *driver.VM {
	if idx := d.live[pk]; idx != nil {
		return idx.byID[d.importID(pk, imp)]
	}
	return nil
}
