package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// ModifyPlan completes the plan with what only the backend knows: the
// template's digest, whether a host change can be a migration, and the
// engine's own plan of the VM, so that a VM no host can take, a name in use
// or a restart the change needs shows when Terraform plans. (The apply
// stops if the VM changed since Terraform read it.)
func (r *VMResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.backends == nil {
		return
	}
	var prior *vmModel
	if !req.State.Raw.IsNull() {
		prior = &vmModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	var m vmModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	in, diags := readVMInputs(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !m.known(in.secret) || in.host.IsUnknown() {
		return
	}
	s, diags := openSession(ctx, r.backends, m.Backend.ValueString(), path.Root("backend"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	sp, diags := m.spec(ctx, s, in.host.ValueString(), in.secret)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if prior == nil {
		m.TemplateID = types.StringUnknown()
		resp.Diagnostics.Append(r.planCreate(ctx, s, &m, sp)...)
	} else {
		resp.Diagnostics.Append(recallDigest(ctx, req.Private, prior.Lineage.ValueString(), prior.TemplateID)...)
		m.TemplateID = types.StringValue(templateDigest(m.Lineage.ValueString(), sp.Fleets[0].TemplateRef.ID()))
		resp.RequiresReplace = r.replaces(s, prior, &m, in.host)
		resp.Diagnostics.Append(r.planUpdate(ctx, s, prior, &m, sp, len(resp.RequiresReplace) > 0)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &m)...)
}

// planCreate runs the engine's diff of a new VM: a name another owner's VM
// has, a host that does not exist or no host with room is a plan error.
// VMs of the configuration's other resources are left out: this may be the
// replacement of one of them, whose VM Terraform deletes first.
func (r *VMResource) planCreate(ctx context.Context, s *session, m *vmModel, sp *spec.Spec) diag.Diagnostics {
	inv, diags := s.inventory(ctx)
	if diags.HasError() {
		return diags
	}
	want := []wantedName{{m.Name.ValueString(), path.Root("name")}}
	inv, ds := withoutReplaced(inv, "novacron_vm", m.Name.ValueString(), want)
	diags.Append(ds...)
	diags.Append(nameConflicts(inv, owner{backend: s.b.name}, want)...)
	if diags.HasError() {
		return diags
	}
	_, ds = s.plan(inv, sp, state.New(""), false, onVMAttribute)
	return append(diags, ds...)
}

// replaces lists what makes the update a replacement that the attribute
// plan modifiers cannot see: a template_id that differs from the
// configured template's (a change of sensitive_template, which Terraform
// does not store, or a template that drifted), and a host change on a
// backend that cannot migrate. (Terraform replaces only for paths whose
// value changes.)
func (r *VMResource) replaces(s *session, prior, m *vmModel, host types.String) path.Paths {
	var out path.Paths
	if id := prior.TemplateID.ValueString(); id != "" && !isLegacyDigest(id) && id != m.TemplateID.ValueString() {
		out = append(out, path.Root("template_id"))
	}
	if !host.IsNull() && host.ValueString() != prior.Host.ValueString() && !s.d.Capabilities().Migrate {
		out = append(out, path.Root("host"))
	}
	return out
}

// planUpdate runs the engine's diff of the update: its errors and the
// restarts it plans are plan-time diagnostics (a replacement is planned as
// a new VM instead). The IP addresses stay known unless the power state
// changes. The apply stops if the VM changed since Terraform read it.
func (r *VMResource) planUpdate(ctx context.Context, s *session, prior, m *vmModel, sp *spec.Spec, replacing bool) diag.Diagnostics {
	inv, diags := s.inventory(ctx)
	if diags.HasError() {
		return diags
	}
	st := prior.engineState(ctx, s.b, sp.Fleets[0].TemplateRef.ID())
	taken := takenOver(inv, st)
	if vm := findVM(inv, prior.ID.ValueString()); vm != nil && vm.Marker == nil {
		m.Lineage = types.StringUnknown() // the apply marks the VM (markImported)
		diags.AddWarning("novacron_vm "+m.Name.ValueString()+" will be marked", fmt.Sprintf(
			"VM %s carries no ownership marker (it was imported from outside NovaCron). The apply writes this resource's marker on it, "+
				"as nova-plan's import does, so no other configuration or nova-plan workspace takes it without naming this resource's lineage.", vm.Name))
	}
	if replacing {
		if len(taken) > 0 { // the replacement deletes the VM
			return takenDiags(diag.Diagnostics{diag.NewErrorDiagnostic(plan.SummaryTakenOver, "")}, taken, s.b.name)
		}
		return diags
	}
	if m.Power.Equal(prior.Power) {
		m.IPAddresses = prior.IPAddresses
	} else {
		m.IPAddresses = types.ListUnknown(types.StringType)
	}
	p, ds := s.plan(inv, sp, st, false, onVMAttribute)
	diags.Append(takenDiags(ds, taken, s.b.name)...)
	if diags.HasError() {
		return diags
	}
	for _, note := range planSummary(p.Plan, prior.Lineage.ValueString()) {
		diags.AddWarning("novacron_vm "+m.Name.ValueString(), note)
	}
	return diags
}

// configuredBackends reads the provider's data in a Configure call; it is
// nil before the provider is configured.
func configuredBackends(data any, diags *diag.Diagnostics) *backends {
	if data == nil {
		return nil
	}
	bs, ok := data.(*backends)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *backends, got %T. This is a bug in the provider; please report it.", data))
	}
	return bs
}

// findByName returns the one VM with the name, for an import.
func findByName(inv driver.Inventory, backendName, name string) (*driver.VM, diag.Diagnostics) {
	var diags diag.Diagnostics
	var found []*driver.VM
	for i := range inv.VMs {
		if inv.VMs[i].Name == name {
			found = append(found, &inv.VMs[i])
		}
	}
	switch len(found) {
	case 0:
		diags.AddError("VM not found", fmt.Sprintf("Backend %q has no VM named %q.", backendName, name))
	case 1:
		return found[0], diags
	default:
		diags.AddError("VM name not unique", fmt.Sprintf("Backend %q has %d VMs named %q; NovaCron cannot tell which to import.", backendName, len(found), name))
	}
	return nil, diags
}

// importedVM is the state of an imported VM, under its new lineage:
// everything the backend reports, and the template read back from its
// canonical ID where it can be (null where it cannot: the configuration's
// then fills it).
func importedVM(backendName, lineage string, vm *driver.VM) vmModel {
	m := vmModel{
		Lineage: types.StringValue(lineage),
		Backend: types.StringValue(backendName), Template: types.MapNull(types.StringType),
		SensitiveTemplate: types.MapNull(types.StringType), TemplateID: types.StringNull(), Tags: types.MapNull(types.StringType),
	}
	if tmpl, ok := parseTemplateID(vm.Template); ok {
		m.Template = mapValue(tmpl)
	}
	m.Timeouts.Object = types.ObjectNull(timeoutsTypes())
	m.fromVM(vm)
	return m
}

// recordVM is a state record as the VM it describes.
func recordVM(rec *state.VM) *driver.VM {
	return &driver.VM{
		ID: rec.ID, Name: rec.Name, Host: rec.Host, CPU: rec.CPU, MemoryMiB: rec.MemoryMiB,
		DiskGB: rec.DiskGB, Power: driver.Power(rec.Power), Template: rec.Template, Tags: rec.Tags,
	}
}
