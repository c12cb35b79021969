package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// vmModel is novacron_vm's data.
type vmModel struct {
	ID                types.String   `tfsdk:"id"`
	Lineage           types.String   `tfsdk:"lineage"`
	Backend           types.String   `tfsdk:"backend"`
	Name              types.String   `tfsdk:"name"`
	Template          types.Map      `tfsdk:"template"`
	SensitiveTemplate types.Map      `tfsdk:"sensitive_template"`
	TemplateID        types.String   `tfsdk:"template_id"`
	CPU               types.Number   `tfsdk:"cpu"`
	MemoryGB          types.Float64  `tfsdk:"memory_gb"`
	DiskGB            types.Number   `tfsdk:"disk_gb"`
	Power             types.String   `tfsdk:"power"`
	Host              types.String   `tfsdk:"host"`
	Tags              types.Map      `tfsdk:"tags"`
	IPAddresses       types.List     `tfsdk:"ip_addresses"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

// A novacron_vm is its own engine workspace of lineage m.Lineage: its VM's
// ownership marker carries the address vm.NAME and that lineage.
func vmAddress(name string) string {
	return addrs.Fleet{Kind: addrs.KindVM, Name: name}.Instance(addrs.NoKey).String()
}

// known reports whether every input the engine needs is known.
// sensitive_template comes from the configuration (write-only).
func (m *vmModel) known(secret types.Map) bool {
	return fullyKnown(m.Backend, m.Name, m.Template, secret, m.CPU, m.MemoryGB, m.DiskGB, m.Power, m.Tags)
}

// spec is the engine's spec of the VM: a fleet of one. host is the pinned
// host, from configuration ("" lets the engine place the VM and follow it);
// secret is sensitive_template, from configuration. Its sensitive template
// settings are sealed with the resource's lineage.
func (m *vmModel) spec(ctx context.Context, s *session, host string, secret types.Map) (*spec.Spec, diag.Diagnostics) {
	var diags diag.Diagnostics
	ref, ds := s.b.templateRef(ctx, m.Template, secret)
	diags.Append(ds...)
	if diags.HasError() {
		return nil, diags
	}
	f := &spec.Fleet{Kind: spec.KindVM, Name: m.Name.ValueString(), TemplateRef: ref}
	inst := &spec.Instance{
		Address: vmAddress(m.Name.ValueString()), Fleet: f, Name: m.Name.ValueString(), Host: host,
		CPU: intOf(m.CPU), MemoryMiB: mib(m.MemoryGB.ValueFloat64()), DiskGB: intOf(m.DiskGB),
		Power: driver.Power(m.Power.ValueString()), Tags: stringMap(ctx, m.Tags, &diags),
	}
	if inst.Tags == nil {
		inst.Tags = map[string]string{}
	}
	f.Instances = []*spec.Instance{inst}
	sp := s.newSpec(f)
	sealTemplates(sp, m.Lineage.ValueString())
	return sp, diags
}

// record is the resource's VM as its attributes describe it.
func (m *vmModel) record(ctx context.Context) vmRecord {
	var diags diag.Diagnostics
	r := vmRecord{
		ID: m.ID.ValueString(), Name: m.Name.ValueString(), Host: m.Host.ValueString(), CPU: intOf(m.CPU),
		MemoryMiB: mib(m.MemoryGB.ValueFloat64()), DiskGB: intOf(m.DiskGB), Power: m.Power.ValueString(),
		Template: m.TemplateID.ValueString(), Tags: stringMap(ctx, m.Tags, &diags),
	}
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	return r
}

// engineState is the resource's Terraform state as the engine's state
// document: empty before the VM exists. desiredID is the configured
// template's ID, which the record's digest stands for when they match.
func (m *vmModel) engineState(ctx context.Context, b *backend, desiredID string) *state.State {
	st := state.New(m.Lineage.ValueString())
	if m.ID.IsNull() || m.ID.IsUnknown() {
		return st
	}
	addr := vmAddress(m.Name.ValueString())
	st.VMs[addr] = m.record(ctx).state(b.key(), addr, m.Lineage.ValueString(), desiredID)
	return st
}

// fromVM sets every attribute the backend reports from the live VM.
func (m *vmModel) fromVM(vm *driver.VM) {
	m.ID = types.StringValue(vm.ID)
	m.Name = types.StringValue(vm.Name)
	m.Host = types.StringValue(vm.Host)
	m.CPU = numberOf(vm.CPU)
	m.MemoryGB = types.Float64Value(gib(vm.MemoryMiB))
	m.DiskGB = numberOf(vm.DiskGB)
	m.Power = types.StringValue(string(vm.Power))
	if vm.Template != "" || m.TemplateID.IsUnknown() || m.TemplateID.IsNull() {
		m.TemplateID = types.StringValue(templateDigest(m.Lineage.ValueString(), vm.Template))
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
