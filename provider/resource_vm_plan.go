package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/state"
)

// ModifyPlan completes the plan with what only the backend knows: the
// template's canonical ID, whether a host change can be a migration, and,
// for an update, the engine's own plan of it, so that a restart the change
// needs (or a capacity problem) shows when Terraform plans.
func (r *VMResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.backends == nil {
		return
	}
	var m vmModel
	var host types.String
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("host"), &host)...)
	if resp.Diagnostics.HasError() || !m.known() || host.IsUnknown() {
		return
	}
	s, diags := openSession(ctx, r.backends, m.Backend.ValueString(), path.Root("backend"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	sp, diags := m.spec(ctx, s, host.ValueString())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.TemplateID = types.StringValue(sp.Fleets[0].TemplateRef.ID())
	if !req.State.Raw.IsNull() {
		var prior vmModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		resp.RequiresReplace = r.replaces(s, &prior, &m, host)
		if len(resp.RequiresReplace) == 0 && !resp.Diagnostics.HasError() {
			resp.Diagnostics.Append(r.planUpdate(ctx, s, &prior, &m, host.ValueString())...)
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &m)...)
}

// replaces lists what makes the update a replacement that the attribute
// plan modifiers cannot see: a template that drifted from the configured one,
// and a host change on a backend that cannot migrate.
func (r *VMResource) replaces(s *session, prior, m *vmModel, host types.String) path.Paths {
	var out path.Paths
	if id := prior.TemplateID.ValueString(); id != "" && id != m.TemplateID.ValueString() {
		out = append(out, path.Root("template"))
	}
	if !host.IsNull() && host.ValueString() != prior.Host.ValueString() && !s.d.Capabilities().Migrate {
		out = append(out, path.Root("host"))
	}
	return out
}

// planUpdate runs the engine's diff of the update: its errors and the
// restarts it plans are plan-time diagnostics. The IP addresses stay known
// unless the power state changes.
func (r *VMResource) planUpdate(ctx context.Context, s *session, prior, m *vmModel, host string) diag.Diagnostics {
	if m.Power.Equal(prior.Power) {
		m.IPAddresses = prior.IPAddresses
	} else {
		m.IPAddresses = types.ListUnknown(types.StringType)
	}
	sp, diags := m.spec(ctx, s, host)
	if diags.HasError() {
		return diags
	}
	p, ds := s.diff(ctx, sp, prior.engineState(ctx, s.b), false)
	diags.Append(ds...)
	if diags.HasError() {
		return diags
	}
	for _, note := range planSummary(p) {
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

// importedVM is the state of an imported VM: everything the backend
// reports, and the template read back from its canonical ID where it can
// be (null where it cannot: the configuration's then fills it).
func importedVM(backendName string, vm *driver.VM) vmModel {
	m := vmModel{
		Backend: types.StringValue(backendName), Template: types.MapNull(types.StringType),
		TemplateID: types.StringNull(), Tags: types.MapNull(types.StringType),
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
