package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// fleetModel is novacron_fleet's data.
type fleetModel struct {
	ID                types.String   `tfsdk:"id"`
	Lineage           types.String   `tfsdk:"lineage"`
	Backend           types.String   `tfsdk:"backend"`
	Name              types.String   `tfsdk:"name"`
	InstanceCount     types.Number   `tfsdk:"instance_count"`
	Instances         types.Map      `tfsdk:"instances"`
	NamePattern       types.String   `tfsdk:"name_pattern"`
	Template          types.Map      `tfsdk:"template"`
	SensitiveTemplate types.Map      `tfsdk:"sensitive_template"`
	CPU               types.Number   `tfsdk:"cpu"`
	MemoryGB          types.Float64  `tfsdk:"memory_gb"`
	DiskGB            types.Number   `tfsdk:"disk_gb"`
	Power             types.String   `tfsdk:"power"`
	Tags              types.Map      `tfsdk:"tags"`
	Placement         types.Object   `tfsdk:"placement"`
	Rollout           types.Object   `tfsdk:"rollout"`
	VMs               types.Map      `tfsdk:"vms"`
	Changes           types.List     `tfsdk:"changes"`
	LastApply         types.List     `tfsdk:"last_apply"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

type instanceModel struct {
	Name     types.String  `tfsdk:"name"`
	Host     types.String  `tfsdk:"host"`
	CPU      types.Number  `tfsdk:"cpu"`
	MemoryGB types.Float64 `tfsdk:"memory_gb"`
	DiskGB   types.Number  `tfsdk:"disk_gb"`
	Power    types.String  `tfsdk:"power"`
	Tags     types.Map     `tfsdk:"tags"`
}

type placementModel struct {
	SpreadBy types.String `tfsdk:"spread_by"`
}

type rolloutModel struct {
	BatchSize      types.Number `tfsdk:"batch_size"`
	MaxUnavailable types.Number `tfsdk:"max_unavailable"`
}

// A novacron_fleet is its own engine workspace of lineage m.Lineage: its
// VMs' markers carry fleet.NAME[KEY] and that lineage, so the engine adopts
// VMs an interrupted update made, and deletes only its own.
func fleetAddress(name string) addrs.Fleet { return addrs.Fleet{Kind: addrs.KindFleet, Name: name} }

// known reports whether every input the engine needs is known;
// sensitive_template comes from the configuration (write-only).
func (m *fleetModel) known(secret types.Map) bool {
	return fullyKnown(m.Backend, m.Name, m.InstanceCount, m.Instances, m.NamePattern, m.Template, secret,
		m.CPU, m.MemoryGB, m.DiskGB, m.Power, m.Tags, m.Placement, m.Rollout)
}

// keyed reports whether the fleet's VMs are keyed by instances.
func (m *fleetModel) keyed() bool { return !m.Instances.IsNull() }

// spec is the engine's spec of the fleet, its sensitive template settings
// sealed with the fleet's lineage; secret is sensitive_template, from the
// configuration.
func (m *fleetModel) spec(ctx context.Context, s *session, secret types.Map) (*spec.Spec, diag.Diagnostics) {
	ref, diags := s.b.templateRef(ctx, m.Template, secret)
	if diags.HasError() {
		return nil, diags
	}
	f := &spec.Fleet{Kind: spec.KindFleet, Name: m.Name.ValueString(), TemplateRef: ref, ForEach: m.keyed()}
	diags.Append(m.placementAndRollout(ctx, f)...)
	shape := m.shape(ctx, &diags)
	if diags.HasError() {
		return nil, diags
	}
	if err := shape.build(f); err != nil {
		diags.AddAttributeError(path.Root("name_pattern"), "Invalid VM names", spec.Sentence(err.Error()))
		return nil, diags
	}
	sp := s.newSpec(f)
	sealTemplates(sp, m.Lineage.ValueString())
	return sp, diags
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
	f.Rollout = &spec.Rollout{BatchSize: intOf(r.BatchSize), MaxUnavailable: intOf(r.BatchSize)}
	if !r.MaxUnavailable.IsNull() {
		f.Rollout.MaxUnavailable = intOf(r.MaxUnavailable)
	}
	return diags
}

// shape reads the desired VMs and what they share.
func (m *fleetModel) shape(ctx context.Context, diags *diag.Diagnostics) *fleetShape {
	s := &fleetShape{
		name: m.Name.ValueString(), keyed: m.keyed(), pattern: m.NamePattern.ValueString(),
		cpu: intOf(m.CPU), memoryMiB: mib(m.MemoryGB.ValueFloat64()), diskGB: intOf(m.DiskGB),
		power: driver.Power(m.Power.ValueString()), tags: stringMap(ctx, m.Tags, diags),
	}
	if !s.keyed {
		s.instances = countKeys(intOf(m.InstanceCount))
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
		in.cpu = new(intOf(im.CPU))
	}
	if !im.MemoryGB.IsNull() {
		in.memoryMiB = new(mib(im.MemoryGB.ValueFloat64()))
	}
	if !im.DiskGB.IsNull() {
		in.diskGB = new(intOf(im.DiskGB))
	}
	return in
}

// wantedNames are the names of the fleet's VMs, each with the attribute
// that names it.
func (m *fleetModel) wantedNames(f *spec.Fleet) []wantedName {
	at := path.Root("name")
	if !m.NamePattern.IsNull() {
		at = path.Root("name_pattern")
	}
	out := make([]wantedName, len(f.Instances))
	for i, inst := range f.Instances {
		out[i] = wantedName{inst.Name, at}
		if m.keyed() {
			out[i].at = path.Root("instances").AtMapKey(inst.Key)
		}
	}
	return out
}

// engineState is the fleet's Terraform state as the engine's state
// document: one record per VM in vms, from the records where they are
// kept (recs), else from vms alone. desiredID is the configured template's
// ID (see vmRecord.state).
func (m *fleetModel) engineState(b *backend, recs fleetRecords, desiredID string) *state.State {
	lineage, name := m.Lineage.ValueString(), m.Name.ValueString()
	st := state.New(lineage)
	for key, v := range vmsOf(m.VMs) {
		if v.ID == "" {
			continue
		}
		r, ok := recs[key]
		if !ok || r.ID != v.ID {
			r = vmRecord{ID: v.ID, Name: v.Name, Host: v.Host}
		}
		st.VMs[instanceAddress(name, key, m.keyed()).String()] = r.state(b.key(), fleetAddress(name).String(), lineage, desiredID)
	}
	return st
}

// owner is what the fleet owns: the VMs in vms and its lineage.
func (m *fleetModel) owner(b *backend) owner {
	o := owner{backend: b.name, lineage: m.Lineage.ValueString(), ids: map[string]bool{}}
	for _, v := range vmsOf(m.VMs) {
		o.ids[v.ID] = true
	}
	return o
}
