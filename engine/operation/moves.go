package operation

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// Move is one VM the state records at From, to record at To (`state mv`).
type Move struct {
	From, To addrs.Instance
}

// PlanMove plans moves of VMs the state records: one adopt per VM, that
// rewrites its ownership marker to name its new address (engine/exec's
// adopt with MovedFrom), so that state and markers agree once it is
// applied. A VM missing from its provider's inventory only moves in the
// state. A move is refused when the VM's provider is not open, when its
// marker names another workspace or an address other than From and To,
// or when another VM already carries this workspace's marker for To: every
// refusal is a diagnostic, and nothing is planned then.
func (o *Operation) PlanMove(ctx context.Context, moves []Move) (*Planned, hcl.Diagnostics) {
	if o.State == nil || len(moves) == 0 {
		return nil, errorDiag("Nothing to move", errors.New("no VM was named to move"))
	}
	invs, diags := o.Inventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	p := &plan.Plan{Lineage: o.State.Lineage}
	for _, mv := range moves {
		c, err := o.moveChange(invs, mv)
		if err != nil {
			diags = append(diags, errorDiag("Cannot move "+mv.From.String(), err)...)
			continue
		}
		p.Changes = append(p.Changes, c)
	}
	return o.finish(p, invs, diags)
}

// moveChange is the adopt that moves one VM.
func (o *Operation) moveChange(invs map[string]driver.Inventory, mv Move) (*plan.Change, error) {
	from, to := mv.From.String(), mv.To.String()
	rec := o.State.VMs[from]
	if rec == nil {
		return nil, fmt.Errorf("the state records no VM at %s", from)
	}
	if _, ok := o.Providers[rec.Provider]; !ok {
		return nil, fmt.Errorf("VM %s is on provider %s, which the spec does not declare, so its ownership marker cannot be rewritten: declare the provider in the spec, then run the move again", rec.ID, rec.Provider)
	}
	live := findVM(invs[rec.Provider].List(), rec.ID)
	if err := o.checkMoveMarkers(invs, rec, live, from, to); err != nil {
		return nil, err
	}
	c := &plan.Change{
		Address: to, Fleet: mv.To.Fleet().String(), Action: plan.Adopt, ID: rec.ID,
		Before: plan.StateAttrs(rec), After: plan.StateAttrs(rec), DependsOn: slices.Clone(rec.DependsOn),
		Marker:    &driver.Marker{Address: to, Lineage: o.State.Lineage, SpecHash: rec.SpecHash},
		MovedFrom: from, Imported: live != nil,
		Reasons: []string{fmt.Sprintf("moved from %s: its ownership marker is rewritten to name %s", from, to)},
	}
	if live == nil {
		c.Reasons = []string{fmt.Sprintf("moved from %s; VM %s is not in the provider's inventory, so only the state moves", from, rec.ID)}
	}
	return c, nil
}

// checkMoveMarkers refuses a move the markers contradict: the VM's marker
// must be this workspace's and name From (or To, written by an earlier
// move that stopped before it saved the state), and no other VM may carry
// this workspace's marker for To.
func (o *Operation) checkMoveMarkers(invs map[string]driver.Inventory, rec *state.VM, live *driver.VM, from, to string) error {
	lineage := o.State.Lineage
	if live != nil && live.Marker != nil && live.Marker.Lineage != "" {
		m := live.Marker
		switch {
		case m.Lineage != lineage:
			return fmt.Errorf("VM %s carries the ownership marker of another workspace (lineage %s, address %s): that workspace took it over. Run `nova-plan state rm %s` to stop managing it here", rec.ID, m.Lineage, m.Address, from)
		case m.Address != from && m.Address != to:
			return fmt.Errorf("the state records VM %s at %s, but its ownership marker says %s: `nova-plan plan` explains how to make them agree before it can move", rec.ID, from, m.Address)
		}
	}
	for _, pk := range slices.Sorted(maps.Keys(invs)) {
		for _, vm := range invs[pk].List() {
			if vm.Marker != nil && vm.Marker.Lineage == lineage && vm.Marker.Address == to && !(pk == rec.Provider && vm.ID == rec.ID) &&
				!o.State.IsAbandoned(pk, vm.ID) {
				return fmt.Errorf("VM %s (%s) on provider %s carries this workspace's ownership marker for %s though the state does not record it (left by an interrupted apply): the next plan adopts or deletes it there. Apply first, or choose another address", vm.ID, vm.Name, pk, to)
			}
		}
	}
	return nil
}

func findVM(vms []driver.VM, id string) *driver.VM {
	for i := range vms {
		if vms[i].ID == id {
			return &vms[i]
		}
	}
	return nil
}
