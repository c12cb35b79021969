package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// fleetModel is novacron_fleet's data.
type fleetModel struct {
	ID            types.String   `tfsdk:"id"`
	Backend       types.String   `tfsdk:"backend"`
	Name          types.String   `tfsdk:"name"`
	InstanceCount types.Int64    `tfsdk:"instance_count"`
	Instances     types.Map      `tfsdk:"instances"`
	NamePattern   types.String   `tfsdk:"name_pattern"`
	Template      types.Map      `tfsdk:"template"`
	CPU           types.Int64    `tfsdk:"cpu"`
	MemoryGB      types.Float64  `tfsdk:"memory_gb"`
	DiskGB        types.Int64    `tfsdk:"disk_gb"`
	Power         types.String   `tfsdk:"power"`
	Tags          types.Map      `tfsdk:"tags"`
	Placement     types.Object   `tfsdk:"placement"`
	Rollout       types.Object   `tfsdk:"rollout"`
	VMs           types.Map      `tfsdk:"vms"`
	Changes       types.List     `tfsdk:"changes"`
	LastApply     types.List     `tfsdk:"last_apply"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

type instanceModel struct {
	Name     types.String  `tfsdk:"name"`
	Host     types.String  `tfsdk:"host"`
	CPU      types.Int64   `tfsdk:"cpu"`
	MemoryGB types.Float64 `tfsdk:"memory_gb"`
	DiskGB   types.Int64   `tfsdk:"disk_gb"`
	Power    types.String  `tfsdk:"power"`
	Tags     types.Map     `tfsdk:"tags"`
}

type placementModel struct {
	SpreadBy types.String `tfsdk:"spread_by"`
}

type rolloutModel struct {
	BatchSize      types.Int64 `tfsdk:"batch_size"`
	MaxUnavailable types.Int64 `tfsdk:"max_unavailable"`
}

// A novacron_fleet is its own engine workspace: its VMs' markers carry
// fleet.NAME[KEY] and a lineage made from the fleet's name, so the engine
// adopts VMs an interrupted apply made, and deletes only its own.
func fleetLineage(name string) string { return "terraform:novacron_fleet:" + name }

func fleetAddress(name string) string { return "fleet." + name }

// known reports whether every input the engine needs is known.
func (m *fleetModel) known() bool {
	return fullyKnown(m.Backend, m.Name, m.InstanceCount, m.Instances, m.NamePattern, m.Template,
		m.CPU, m.MemoryGB, m.DiskGB, m.Power, m.Tags, m.Placement, m.Rollout)
}

// keyed reports whether the fleet's VMs are keyed by instances.
func (m *fleetModel) keyed() bool { return !m.Instances.IsNull() }

// spec is the engine's spec of the fleet.
func (m *fleetModel) spec(ctx context.Context, s *session) (*spec.Spec, diag.Diagnostics) {
	var diags diag.Diagnostics
	ref, err := s.b.templateRef(stringMap(ctx, m.Template, &diags))
	if err != nil {
		diags.AddAttributeError(path.Root("template"), "Invalid template", sentence(err.Error()))
		return nil, diags
	}
	f := &spec.Fleet{Kind: spec.KindFleet, Name: m.Name.ValueString(), TemplateRef: ref, ForEach: m.keyed()}
	diags.Append(m.placementAndRollout(ctx, f)...)
	shape := m.shape(ctx, &diags)
	if diags.HasError() {
		return nil, diags
	}
	if err := shape.build(f); err != nil {
		diags.AddAttributeError(path.Root("name_pattern"), "Invalid VM names", sentence(err.Error()))
		return nil, diags
	}
	return s.newSpec(f), diags
}

func (m *fleetModel) placementAndRollout(ctx context.Context, f *spec.Fleet) diag.Diagnostics {
	var diags diag.Diagnostics
	if !m.Placement.IsNull() {
		var p placementModel
		diags.Append(m.Placement.As(ctx, &p, objectOptions)...)
		if p.SpreadBy.ValueString() == "host" {
			f.Placement.SpreadBy = "host"
		}
	}
	if m.Rollout.IsNull() {
		return diags
	}
	var r rolloutModel
	diags.Append(m.Rollout.As(ctx, &r, objectOptions)...)
	if r.BatchSize.IsNull() {
		diags.AddAttributeError(path.Root("rollout").AtName("batch_size"), "Missing batch_size", "A rollout block must set batch_size.")
		return diags
	}
	f.Rollout = &spec.Rollout{BatchSize: int(r.BatchSize.ValueInt64()), MaxUnavailable: int(r.BatchSize.ValueInt64())}
	if !r.MaxUnavailable.IsNull() {
		f.Rollout.MaxUnavailable = int(r.MaxUnavailable.ValueInt64())
	}
	return diags
}

// shape reads the desired VMs and what they share.
func (m *fleetModel) shape(ctx context.Context, diags *diag.Diagnostics) *fleetShape {
	s := &fleetShape{
		name: m.Name.ValueString(), keyed: m.keyed(), pattern: m.NamePattern.ValueString(),
		cpu: int(m.CPU.ValueInt64()), memoryMiB: mib(m.MemoryGB.ValueFloat64()), diskGB: int(m.DiskGB.ValueInt64()),
		power: driver.Power(m.Power.ValueString()), tags: stringMap(ctx, m.Tags, diags),
	}
	if !s.keyed {
		s.instances = countKeys(int(m.InstanceCount.ValueInt64()))
		return s
	}
	byKey := map[string]instanceModel{}
	diags.Append(m.Instances.ElementsAs(ctx, &byKey, false)...)
	for _, k := range sortedKeys(byKey, true) {
		s.instances = append(s.instances, byKey[k].spec(ctx, k, diags))
	}
	return s
}

func (im instanceModel) spec(ctx context.Context, key string, diags *diag.Diagnostics) instanceSpec {
	in := instanceSpec{key: key, name: im.Name.ValueString(), host: im.Host.ValueString(),
		power: driver.Power(im.Power.ValueString()), tags: stringMap(ctx, im.Tags, diags)}
	if !im.CPU.IsNull() {
		in.cpu = new(int(im.CPU.ValueInt64()))
	}
	if !im.MemoryGB.IsNull() {
		in.memoryMiB = new(mib(im.MemoryGB.ValueFloat64()))
	}
	if !im.DiskGB.IsNull() {
		in.diskGB = new(int(im.DiskGB.ValueInt64()))
	}
	return in
}

// engineState is the fleet's Terraform state as the engine's state
// document: one record per VM in vms.
func (m *fleetModel) engineState(ctx context.Context, b *backend) *state.State {
	st := state.New(fleetLineage(m.Name.ValueString()))
	if m.VMs.IsNull() || m.VMs.IsUnknown() {
		return st
	}
	var diags diag.Diagnostics
	vms := map[string]fleetVM{}
	diags.Append(m.VMs.ElementsAs(ctx, &vms, false)...)
	for key, v := range vms {
		addr := instanceAddress(m.Name.ValueString(), key, m.keyed())
		st.VMs[addr] = v.record(b.key(), fleetAddress(m.Name.ValueString()))
	}
	return st
}
