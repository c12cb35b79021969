package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/state"
)

// setApplied sets the computed attributes after an apply (vms, changes,
// last_apply) and stores the records. What the plan knew stays as planned
// when every change succeeded (Terraform holds the result to the plan;
// the next refresh reads any drift, such as a new DHCP lease); the rest
// comes from the backend, read even when the apply was cancelled
// (recording), or from the engine's records if it cannot be read: never
// an unknown, and exactly the VMs that were made.
func (r *FleetResource) setApplied(ctx context.Context, s *session, m *fleetModel, a applied, prev fleetRecords, private privateData) diag.Diagnostics {
	ctx, cancel := recording(ctx)
	defer cancel()
	inv, diags := s.inventory(ctx)
	live := indexByID(inv) // empty if unread: the engine's records stand in
	vms := fleetVMsValue(vmsAfter(a.after, live))
	if !a.failed && !m.VMs.IsNull() && !m.VMs.IsUnknown() {
		vms = keepPlanned(m.VMs, vms)
	}
	m.VMs = vms
	if m.Changes.IsUnknown() {
		m.Changes = changesValue(a.plan, m.Lineage.ValueString())
	}
	var ds diag.Diagnostics
	m.LastApply, ds = lastApplyValue(a.plan, a.res, a.log)
	diags.Append(ds...)
	m.ID = types.StringValue(m.Backend.ValueString() + "/" + m.Name.ValueString())
	diags.Append(writeRecords(ctx, private, recordsAfter(a.after, live, m.Lineage.ValueString(), prev))...)
	return diags
}

// keepPlanned is the applied vms with every value the plan knew kept.
func keepPlanned(planned, got types.Map) types.Map {
	elems, plannedElems := got.Elements(), planned.Elements()
	out := make(map[string]attr.Value, len(elems))
	for key, g := range elems {
		p, ok := plannedElems[key].(types.Object)
		if !ok || p.IsUnknown() || p.IsNull() {
			out[key] = g
			continue
		}
		pa, ga := p.Attributes(), g.(types.Object).Attributes()
		vals := make(map[string]attr.Value, len(ga))
		for name, v := range ga {
			if pv := pa[name]; pv != nil && !pv.IsUnknown() {
				v = pv
			}
			vals[name] = v
		}
		out[key] = types.ObjectValueMust(fleetVMTypes(), vals)
	}
	return vmsValue(out)
}

// saveRemaining sets m's vms, and the records, to the VMs a failed or
// interrupted destroy left (read as setApplied reads them).
func (r *FleetResource) saveRemaining(ctx context.Context, s *session, m *fleetModel, after *state.State, prev fleetRecords, private privateData) diag.Diagnostics {
	ctx, cancel := recording(ctx)
	defer cancel()
	inv, diags := s.inventory(ctx)
	live := indexByID(inv)
	m.VMs = fleetVMsValue(vmsAfter(after, live))
	return append(diags, writeRecords(ctx, private, recordsAfter(after, live, m.Lineage.ValueString(), prev))...)
}

// recordTimeout bounds what recording may take after an apply.
const recordTimeout = 2 * time.Minute

// recording is the context of recording what an apply did: it outlives
// the cancellation of ctx (Terraform cancels a request on Ctrl-C and still
// waits for its result), bounded by recordTimeout.
func recording(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
}
