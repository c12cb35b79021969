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

	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// ModifyPlan runs NovaCron's diff of the fleet: the per-VM changes go in
// `changes`, the VMs they touch become unknown in `vms`, and a warning
// summarises the plan. A plan with no changes keeps the computed
// attributes as they are, so Terraform shows no difference.
func (r *FleetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.backends == nil {
		return
	}
	var m fleetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.Backend.IsUnknown() && !m.Name.IsUnknown() {
		m.ID = types.StringValue(m.Backend.ValueString() + "/" + m.Name.ValueString())
	}
	if m.known() {
		var prior *fleetModel
		if !req.State.Raw.IsNull() {
			prior = &fleetModel{}
			resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
		}
		resp.Diagnostics.Append(r.planFleet(ctx, &m, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &m)...)
}

// planFleet diffs the fleet and sets its planned computed attributes.
func (r *FleetResource) planFleet(ctx context.Context, m, prior *fleetModel) diag.Diagnostics {
	s, diags := openSession(ctx, r.backends, m.Backend.ValueString(), path.Root("backend"))
	if diags.HasError() {
		return diags
	}
	sp, ds := m.spec(ctx, s)
	diags.Append(ds...)
	if diags.HasError() {
		return diags
	}
	st := state.New(fleetLineage(m.Name.ValueString()))
	if prior != nil {
		st = prior.engineState(ctx, s.b)
	}
	p, ds := s.diff(ctx, sp, st, false)
	diags.Append(ds...)
	if diags.HasError() {
		return diags
	}
	if prior != nil && p.Empty() {
		m.VMs, m.Changes, m.LastApply = prior.VMs, prior.Changes, prior.LastApply
		return diags
	}
	var vdiags diag.Diagnostics
	m.Changes, vdiags = changesValue(p)
	diags.Append(vdiags...)
	m.VMs = plannedVMs(m, prior, p, sp.Fleets[0].Instances)
	m.LastApply = types.ListUnknown(types.ObjectType{AttrTypes: applyTypes()})
	if !p.Empty() {
		diags.AddWarning("NovaCron plan for fleet "+m.Name.ValueString(), summary(p, sp.Fleets[0].Rollout != nil))
	}
	return diags
}

// plannedVMs is vms as planned: the prior element of a VM the plan leaves
// alone, unknown for one it creates or changes, none for one it deletes.
func plannedVMs(m, prior *fleetModel, p *plan.Plan, want []*spec.Instance) types.Map {
	changed := make(map[string]bool, len(p.Changes))
	for _, c := range p.Changes {
		changed[c.Address] = true
	}
	var before map[string]attr.Value
	if prior != nil && !prior.VMs.IsNull() && prior.keyed() == m.keyed() {
		before = prior.VMs.Elements()
	}
	elemType := types.ObjectType{AttrTypes: fleetVMTypes()}
	elems := make(map[string]attr.Value, len(want))
	for _, inst := range want {
		key := instanceKey(inst.Address)
		if v, ok := before[key]; ok && !changed[inst.Address] {
			elems[key] = v
			continue
		}
		elems[key] = types.ObjectUnknown(fleetVMTypes())
	}
	out, _ := types.MapValue(elemType, elems)
	return out
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

// setApplied sets the computed attributes after an apply: vms from what
// the engine recorded and the backend reports, the changes applied, and
// each change's outcome and timing.
func (r *FleetResource) setApplied(ctx context.Context, s *session, m *fleetModel, p *plan.Plan, after *state.State, res *exec.Result, log *applyLog) diag.Diagnostics {
	inv, diags := s.inventory(ctx)
	if diags.HasError() {
		return diags
	}
	var ds diag.Diagnostics
	m.VMs, ds = fleetVMsValue(vmsAfter(after, inv))
	diags.Append(ds...)
	m.Changes, ds = changesValue(p)
	diags.Append(ds...)
	m.LastApply, ds = lastApplyValue(p, res, log)
	diags.Append(ds...)
	m.ID = types.StringValue(m.Backend.ValueString() + "/" + m.Name.ValueString())
	return diags
}

// saveRemaining sets m's vms to the VMs a failed destroy left.
func (r *FleetResource) saveRemaining(ctx context.Context, s *session, m *fleetModel, after *state.State) diag.Diagnostics {
	inv, diags := s.inventory(ctx)
	if diags.HasError() {
		return diags
	}
	var ds diag.Diagnostics
	m.VMs, ds = fleetVMsValue(vmsAfter(after, inv))
	return append(diags, ds...)
}
