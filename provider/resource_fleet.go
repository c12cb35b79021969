package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

var (
	_ resource.Resource                = &FleetResource{}
	_ resource.ResourceWithConfigure   = &FleetResource{}
	_ resource.ResourceWithModifyPlan  = &FleetResource{}
	_ resource.ResourceWithImportState = &FleetResource{}

	_ resource.ResourceWithConfigValidators = &FleetResource{}
)

// FleetResource is novacron_fleet.
type FleetResource struct{ backends *backends }

// NewFleetResource returns the resource.
func NewFleetResource() resource.Resource { return &FleetResource{} }

// Metadata names the resource.
func (r *FleetResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_fleet"
}

// Schema describes the resource.
func (r *FleetResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = fleetSchema(ctx)
}

// ConfigValidators require exactly one of instance_count and instances.
func (r *FleetResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("instance_count"), path.MatchRoot("instances")),
	}
}

// Configure receives the provider's backends.
func (r *FleetResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.backends = configuredBackends(req.ProviderData, &resp.Diagnostics)
}

// Create makes the fleet's VMs under a new lineage.
func (r *FleetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m fleetModel
	var secret types.Map
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sensitive_template"), &secret)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, m.Timeouts.Create, defaultCreateTimeout)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Lineage = types.StringValue(newLineage("novacron_fleet", m.Name.ValueString()))
	saved, diags := r.apply(ctx, &m, nil, secret, resp.Private)
	resp.Diagnostics.Append(diags...)
	if saved {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// Update applies the engine's plan of the fleet, in rollout batches.
func (r *FleetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior fleetModel
	var secret types.Map
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sensitive_template"), &secret)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, m.Timeouts.Update, defaultUpdateTimeout)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	saved, diags := r.apply(ctx, &m, &prior, secret, resp.Private)
	resp.Diagnostics.Append(diags...)
	if saved {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// Delete deletes the fleet's VMs: those its state records and those that
// carry its lineage, and no other. On a partial failure the VMs that could
// not be deleted stay in state.
func (r *FleetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m fleetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	recs, diags := readRecords(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, s, diags := startSession(ctx, r.backends, m.Backend.ValueString(), m.Timeouts.Delete, defaultDeleteTimeout)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	after, diags := s.destroy(ctx, m.engineState(s.b, recs, ""), onFleetVM)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() && after != nil && len(after.VMs) > 0 {
		resp.Diagnostics.Append(r.saveRemaining(ctx, s, &m, after, recs, resp.Private)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// apply plans the fleet (m) against its prior state (nil before it exists)
// with the engine, refuses a plan that differs from the one Terraform
// showed (or VMs that changed since), applies it, and sets m's computed
// attributes and the records in private from the result. saved reports
// whether m should be saved: false when nothing was applied.
func (r *FleetResource) apply(ctx context.Context, m, prior *fleetModel, secret types.Map, private privateData) (saved bool, diags diag.Diagnostics) {
	s, diags := openSession(ctx, r.backends, m.Backend.ValueString(), path.Root("backend"))
	if diags.HasError() {
		return false, diags
	}
	sp, ds := m.spec(ctx, s, secret)
	diags.Append(ds...)
	inv, ds := s.inventory(ctx)
	diags.Append(ds...)
	if diags.HasError() {
		return false, diags
	}
	f := sp.Fleets[0]
	st, o, recs := state.New(m.Lineage.ValueString()), owner{backend: s.b.name, lineage: m.Lineage.ValueString()}, fleetRecords(nil)
	if prior != nil {
		recs, ds = readRecords(ctx, private)
		diags.Append(ds...)
		if drifts := fleetDrift(recs, inv, prior.Lineage.ValueString()); len(drifts) > 0 {
			diags.Append(staleDiag(drifts))
			return false, diags
		}
		st, o = prior.engineState(s.b, recs, f.TemplateRef.ID()), prior.owner(s.b)
	}
	diags.Append(nameConflicts(inv, o, m.wantedNames(f))...)
	if diags.HasError() {
		return false, diags
	}
	p, ds := s.plan(inv, sp, st, false, onFleetVM)
	diags.Append(takenDiags(ds, takenOver(inv, st), s.b.name)...)
	if diags.HasError() {
		return false, diags
	}
	if stale := staleReason(m.Changes, p.Plan); stale != "" {
		diags.AddError("The VMs changed since the plan was made",
			stale+" Nothing was applied; run terraform apply again to plan against the VMs as they are now.")
		return false, diags
	}
	a, ds := s.apply(ctx, p, sp, st, onFleetVM)
	diags.Append(ds...)
	diags.Append(r.setApplied(ctx, s, m, a, recs, private)...)
	return true, diags
}

// staleReason compares the changes Terraform showed (when known) with the
// engine's plan now; it says how they differ, or "" when they do not.
func staleReason(planned types.List, p *plan.Plan) string {
	if planned.IsNull() || planned.IsUnknown() {
		return ""
	}
	want := make([]string, 0, len(planned.Elements()))
	for _, e := range planned.Elements() {
		o, _ := e.(types.Object)
		addr, _ := o.Attributes()["address"].(types.String)
		action, _ := o.Attributes()["action"].(types.String)
		want = append(want, addr.ValueString()+" "+action.ValueString())
	}
	got := make([]string, len(p.Changes))
	for i, c := range p.Changes {
		got[i] = c.Address + " " + c.Action.String()
	}
	if slices.Equal(want, got) {
		return ""
	}
	return fmt.Sprintf("The plan showed %d change(s) (%s); the fleet now needs %d (%s).",
		len(want), abbreviate(want), len(got), abbreviate(got))
}

func abbreviate(items []string) string {
	if len(items) > 5 {
		return strings.Join(items[:5], ", ") + fmt.Sprintf(", … %d more", len(items)-5)
	}
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
