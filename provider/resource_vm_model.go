package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// vmModel is novacron_vm's data.
type vmModel struct {
	ID          types.String   `tfsdk:"id"`
	Backend     types.String   `tfsdk:"backend"`
	Name        types.String   `tfsdk:"name"`
	Template    types.Map      `tfsdk:"template"`
	TemplateID  types.String   `tfsdk:"template_id"`
	CPU         types.Int64    `tfsdk:"cpu"`
	MemoryGB    types.Float64  `tfsdk:"memory_gb"`
	DiskGB      types.Int64    `tfsdk:"disk_gb"`
	Power       types.String   `tfsdk:"power"`
	Host        types.String   `tfsdk:"host"`
	Tags        types.Map      `tfsdk:"tags"`
	IPAddresses types.List     `tfsdk:"ip_addresses"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

// A novacron_vm is its own engine workspace: its VM's ownership marker
// carries the address vm.NAME and a lineage made from the name, so a VM
// created by an apply that crashed before Terraform saved it is found and
// adopted by the next apply, and no two novacron_vm resources claim each
// other's VMs (the engine deletes VMs of its lineage that it does not want).
func vmLineage(name string) string { return "terraform:novacron_vm:" + name }

func vmAddress(name string) string { return "vm." + name }

// known reports whether every input the engine needs is known.
func (m *vmModel) known() bool {
	return fullyKnown(m.Backend, m.Name, m.Template, m.CPU, m.MemoryGB, m.DiskGB, m.Power, m.Tags)
}

// spec is the engine's spec of the VM: a fleet of one. host is the pinned
// host, from configuration ("" lets the engine place the VM and follow it).
func (m *vmModel) spec(ctx context.Context, s *session, host string) (*spec.Spec, diag.Diagnostics) {
	var diags diag.Diagnostics
	ref, err := s.b.templateRef(stringMap(ctx, m.Template, &diags))
	if err != nil {
		diags.AddAttributeError(path.Root("template"), "Invalid template", sentence(err.Error()))
		return nil, diags
	}
	f := &spec.Fleet{Kind: spec.KindVM, Name: m.Name.ValueString(), TemplateRef: ref}
	inst := &spec.Instance{
		Address: vmAddress(m.Name.ValueString()), Fleet: f, Name: m.Name.ValueString(), Host: host,
		CPU: int(m.CPU.ValueInt64()), MemoryMiB: mib(m.MemoryGB.ValueFloat64()), DiskGB: int(m.DiskGB.ValueInt64()),
		Power: driver.Power(m.Power.ValueString()), Tags: stringMap(ctx, m.Tags, &diags),
	}
	if inst.Tags == nil {
		inst.Tags = map[string]string{}
	}
	f.Instances = []*spec.Instance{inst}
	return s.newSpec(f), diags
}

// engineState is the resource's Terraform state as the engine's state
// document: empty before the VM exists.
func (m *vmModel) engineState(ctx context.Context, b *backend) *state.State {
	st := state.New(vmLineage(m.Name.ValueString()))
	if m.ID.IsNull() || m.ID.IsUnknown() {
		return st
	}
	var diags diag.Diagnostics
	addr := vmAddress(m.Name.ValueString())
	st.VMs[addr] = &state.VM{
		Provider: b.key(), ID: m.ID.ValueString(), Fleet: addr, Name: m.Name.ValueString(),
		Host: m.Host.ValueString(), CPU: int(m.CPU.ValueInt64()), MemoryMiB: mib(m.MemoryGB.ValueFloat64()),
		DiskGB: int(m.DiskGB.ValueInt64()), Power: m.Power.ValueString(), Template: m.TemplateID.ValueString(),
		Tags: stringMap(ctx, m.Tags, &diags),
	}
	return st
}

// fromVM sets every attribute the backend reports from the live VM.
func (m *vmModel) fromVM(vm *driver.VM) {
	m.ID = types.StringValue(vm.ID)
	m.Name = types.StringValue(vm.Name)
	m.Host = types.StringValue(vm.Host)
	m.CPU = types.Int64Value(int64(vm.CPU))
	m.MemoryGB = types.Float64Value(gib(vm.MemoryMiB))
	m.DiskGB = types.Int64Value(int64(vm.DiskGB))
	m.Power = types.StringValue(string(vm.Power))
	if vm.Template != "" || m.TemplateID.IsUnknown() {
		m.TemplateID = types.StringValue(vm.Template)
	}
	m.Tags = tagsValue(vm.Tags, m.Tags)
	m.IPAddresses = listValue(vm.Addresses)
}

// timeoutsTypes is the object type of a resource's timeouts block.
func timeoutsTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"create": types.StringType, "read": types.StringType,
		"update": types.StringType, "delete": types.StringType,
	}
}
