package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// ModifyPlan runs NovaCron's diff of the fleet: the per-VM changes go in
// `changes`, the values of `vms` they may change become unknown, and a
// warning summarises the plan. A plan with no changes keeps the computed
// attributes as they are, so Terraform shows no difference. An existing
// fleet is planned against its VMs as Terraform last read them (see
// fleetRecords.view), so that Terraform's planning again before the apply
// gives the same plan; the apply stops if the VMs changed since.
func (r *FleetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.backends == nil {
		return
	}
	var m fleetModel
	var secret types.Map
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sensitive_template"), &secret)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.Backend.IsUnknown() && !m.Name.IsUnknown() {
		m.ID = types.StringValue(m.Backend.ValueString() + "/" + m.Name.ValueString())
	}
	var prior *fleetModel
	if !req.State.Raw.IsNull() {
		prior = &fleetModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	// A replacement is planned again as a new object (no prior state).
	if m.known(secret) && len(resp.RequiresReplace) == 0 && !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(r.planFleet(ctx, &m, prior, secret, req.Private)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &m)...)
}

// planFleet diffs the fleet and sets its planned computed attributes.
func (r *FleetResource) planFleet(ctx context.Context, m, prior *fleetModel, secret types.Map, private privateData) diag.Diagnostics {
	s, diags := openSession(ctx, r.backends, m.Backend.ValueString(), path.Root("backend"))
	if diags.HasError() {
		return diags
	}
	sp, ds := m.spec(ctx, s, secret)
	diags.Append(ds...)
	inv, ds := s.inventory(ctx)
	diags.Append(ds...)
	if diags.HasError() {
		return diags
	}
	f := sp.Fleets[0]
	want, st, o := m.wantedNames(f), state.New(""), owner{backend: s.b.name}
	if prior != nil {
		recs, ds := readRecords(ctx, private)
		diags.Append(ds...)
		inv = recs.view(inv)
		st, o = prior.engineState(s.b, recs, f.TemplateRef.ID()), prior.owner(s.b)
	} else {
		inv, ds = withoutReplaced(inv, "novacron_fleet", m.Name.ValueString(), want)
		diags.Append(ds...)
	}
	diags.Append(nameConflicts(inv, o, want)...)
	if diags.HasError() {
		return diags
	}
	p, ds := s.plan(inv, sp, st, false, onFleetVM)
	diags.Append(takenDiags(ds, takenOver(inv, st), s.b.name)...)
	if diags.HasError() {
		return diags
	}
	setPlanned(m, prior, p.Plan, f)
	if !p.Empty() {
		diags.AddWarning("NovaCron plan for fleet "+m.Name.ValueString(), summary(p.Plan, f.Rollout != nil))
	}
	return diags
}

// setPlanned sets the planned computed attributes: as they are when the
// plan changes nothing, else the changes, the VMs as planned, and an
// apply log to come.
func setPlanned(m, prior *fleetModel, p *plan.Plan, f *spec.Fleet) {
	if prior != nil && p.Empty() {
		m.VMs, m.Changes, m.LastApply = prior.VMs, prior.Changes, prior.LastApply
		return
	}
	m.Changes = changesValue(p, m.Lineage.ValueString())
	m.VMs = plannedVMs(m, prior, p, f.Instances)
	m.LastApply = types.ListUnknown(types.ObjectType{AttrTypes: applyTypes()})
}

// plannedVMs is vms as planned: the prior element of a VM the plan leaves
// alone, none for one it deletes, and for one it changes what the change
// keeps known (plannedVM).
func plannedVMs(m, prior *fleetModel, p *plan.Plan, want []*spec.Instance) types.Map {
	byAddr := make(map[string][]*plan.Change, len(p.Changes))
	for _, c := range p.Changes {
		byAddr[c.Address] = append(byAddr[c.Address], c)
	}
	var before map[string]attr.Value
	if prior != nil && !prior.VMs.IsNull() && !prior.VMs.IsUnknown() && prior.keyed() == m.keyed() {
		before = prior.VMs.Elements()
	}
	elems := make(map[string]attr.Value, len(want))
	for _, inst := range want {
		key := instanceKey(inst.Address)
		prev, ok := before[key].(types.Object)
		if cs := byAddr[inst.Address]; len(cs) > 0 || !ok {
			elems[key] = plannedVM(inst, prev, cs)
			continue
		}
		elems[key] = prev
	}
	return vmsValue(elems)
}

// plannedVM is a VM's vms element after its changes cs: its name is the
// desired one; its id stays unless it is created or replaced; its host
// stays unless it moves (a pinned host is known); its address stays only
// through in-place updates that do not restart it.
func plannedVM(inst *spec.Instance, prev types.Object, cs []*plan.Change) types.Object {
	unknown := types.StringUnknown()
	id, host, ip := unknown, unknown, unknown
	if !prev.IsNull() && !prev.IsUnknown() {
		a := prev.Attributes()
		id, host, ip = a["id"].(types.String), a["host"].(types.String), a["ip_address"].(types.String)
	}
	for _, c := range cs {
		switch c.Action {
		case plan.Create, plan.Replace:
			id, host, ip = unknown, pinned(inst.Host), unknown
		case plan.Adopt:
			id, host, ip = types.StringValue(c.ID), types.StringValue(c.Before.Host), unknown
		case plan.Migrate:
			host, ip = pinned(c.After.Host), unknown
		case plan.Update:
			if c.Restart {
				ip = unknown
			}
		case plan.Start, plan.Stop:
			ip = unknown
		}
	}
	return vmObject(id, types.StringValue(inst.Name), host, ip)
}

// pinned is a host the VM is pinned to, else unknown.
func pinned(host string) types.String {
	if host == "" {
		return types.StringUnknown()
	}
	return types.StringValue(host)
}

// summary is the plan warning: "3 to add, 2 to update in 2 batches …".
func summary(p *plan.Plan, rollout bool) string {
	counts := p.Summary()
	parts := []string{
		fmt.Sprintf("%d to add", counts[plan.Create]),
		fmt.Sprintf("%d to update", counts[plan.Update]),
		fmt.Sprintf("%d to replace", counts[plan.Replace]),
		fmt.Sprintf("%d to delete", counts[plan.Delete]),
	}
	for _, a := range []plan.Action{plan.Migrate, plan.Start, plan.Stop, plan.Adopt} {
		if counts[a] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", counts[a], a))
		}
	}
	text := strings.Join(parts, ", ")
	if batches := maxBatch(p); rollout && batches > 0 {
		text += fmt.Sprintf(" — changes to existing VMs in %d rollout batch(es), each after the one before", batches)
	}
	return text + ". The per-VM changes are in the changes attribute."
}

func maxBatch(p *plan.Plan) int {
	n := 0
	for _, c := range p.Changes {
		n = max(n, c.Batch)
	}
	return n
}
