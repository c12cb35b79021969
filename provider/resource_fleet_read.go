package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
)

// Read refreshes every VM of the fleet from one bulk inventory: a VM that
// changed out of band shows in vms and the records (and the next plan
// changes it back), a VM that is gone leaves them (and the next plan
// creates it). changes empties: nothing is pending.
func (r *FleetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m fleetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	recs, diags := readRecords(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, s, diags := startSession(ctx, r.backends, m.Backend.ValueString(), m.Timeouts.Read, defaultReadTimeout)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	inv, diags := s.inventory(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(m.refresh(ctx, inv, recs, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// refresh updates vms and the records from the inventory.
func (m *fleetModel) refresh(ctx context.Context, inv driver.Inventory, prev fleetRecords, private privateData) diag.Diagnostics {
	live := indexByID(inv)
	vms, recs := map[string]fleetVM{}, fleetRecords{}
	for k, v := range vmsOf(m.VMs) {
		vm := live[v.ID]
		if vm == nil {
			continue
		}
		vms[k] = fleetVMOf(vm)
		p, ok := prev[k]
		if ok && p.ID == vm.ID {
			recs[k] = recordOf(vm, m.Lineage.ValueString(), &p)
		} else {
			recs[k] = recordOf(vm, m.Lineage.ValueString(), nil)
		}
	}
	m.VMs = fleetVMsValue(vms)
	m.Changes = emptyList(changeTypes())
	return writeRecords(ctx, private, recs)
}

// ImportState imports a fleet by BACKEND/NAME@LINEAGE: the VMs whose
// ownership marker carries fleet NAME's addresses and lineage LINEAGE,
// which then carry the fleet's own (adopt).
// Without @LINEAGE it imports nothing and lists the lineages whose markers
// name fleet NAME: an import takes VMs over from their owner, who must be
// named. The fleet gets a lineage of its own; its attributes are read from
// its first VM, and per-VM differences become changes in the next plan.
func (r *FleetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := parseImportID(req.ID, "lab/web@LINEAGE")
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() && !fleetNameRe.MatchString(id.name) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%q is not a fleet name: a letter, then letters, digits, '_' and '-'.", id.name))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	s, diags := openSession(ctx, r.backends, id.backend, path.Root("backend"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	inv, diags := s.inventory(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	byLineage := markedVMs(inv, id.name)
	lineage := id.fleetLineage()
	owned := byLineage[id.lineage].with(byLineage[lineage]) // the latter taken over by an earlier run
	if id.lineage == "" || len(owned.vms) == 0 {
		resp.Diagnostics.AddError(notFoundSummary(id, byLineage), notFound(id, byLineage))
		return
	}
	vms, diags := s.adoptFleet(ctx, inv, lineage, id.name, owned)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, diags := importedFleet(id.backend, id.name, lineage, vms, owned.keyed)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(writeRecords(ctx, resp.Private, importedRecords(vms, lineage))...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// adoptFleet adopts a fleet's VMs that do not carry its lineage yet
// (session.adopt), in key order, and returns them all by key as the
// backend now reports them.
func (s *session) adoptFleet(ctx context.Context, inv driver.Inventory, lineage, name string, owned *markedFleet) (map[string]*driver.VM, diag.Diagnostics) {
	keys := sortedKeys(owned.vms, owned.keyed)
	var vms []adoption
	for _, k := range keys {
		if owned.vms[k].Marker.Lineage != lineage {
			vms = append(vms, adoption{instanceAddress(name, k, owned.keyed), owned.vms[k]})
		}
	}
	if len(vms) == 0 {
		return owned.vms, nil
	}
	now, diags := s.adopt(ctx, inv, lineage, fleetAddress(name), vms)
	if diags.HasError() {
		return nil, diags
	}
	out := make(map[string]*driver.VM, len(keys))
	for _, k := range keys {
		out[k] = owned.vms[k]
		if vm := now[out[k].ID]; vm != nil {
			out[k] = vm
		}
	}
	return out, diags
}

// markedFleet is the VMs one lineage's markers place in a fleet, by key.
type markedFleet struct {
	vms   map[string]*driver.VM
	keyed bool
}

// with is f and g's VMs together (either may be nil).
func (f *markedFleet) with(g *markedFleet) *markedFleet {
	out := &markedFleet{vms: map[string]*driver.VM{}}
	for _, x := range []*markedFleet{f, g} {
		if x != nil {
			maps.Copy(out.vms, x.vms)
			out.keyed = out.keyed || x.keyed
		}
	}
	return out
}

// markedVMs groups the VMs whose markers carry the addresses of fleet
// name's instances by the markers' lineage.
func markedVMs(inv driver.Inventory, name string) map[string]*markedFleet {
	out := map[string]*markedFleet{}
	for i := range inv.VMs {
		mk := inv.VMs[i].Marker
		if mk == nil {
			continue
		}
		a, err := addrs.ParseInstance(mk.Address)
		if err != nil || a.Fleet() != fleetAddress(name) || a.Key().IsNone() {
			continue
		}
		f := out[mk.Lineage]
		if f == nil {
			f = &markedFleet{vms: map[string]*driver.VM{}}
			out[mk.Lineage] = f
		}
		_, keyed := a.Key().Str()
		f.keyed = f.keyed || keyed
		f.vms[keyOf(a)] = &inv.VMs[i]
	}
	return out
}

// notFound explains a fleet import that found nothing to import, listing
// the import IDs of the fleets of that name.
// notFoundSummary says which of the three it is: no fleet of the name, an
// import that names no lineage, or one that names a lineage no VM carries.
func notFoundSummary(id importID, byLineage map[string]*markedFleet) string {
	switch {
	case len(byLineage) == 0:
		return "Fleet not found"
	case id.lineage == "":
		return "Import names no lineage"
	default:
		return "Lineage does not match"
	}
}

func notFound(id importID, byLineage map[string]*markedFleet) string {
	if len(byLineage) == 0 {
		return fmt.Sprintf("Backend %q has no VM whose ownership marker names fleet %q (addresses fleet.%s[…]). "+
			"Only fleets made by novacron_fleet or nova-plan can be imported; import single VMs as novacron_vm.", id.backend, id.name, id.name)
	}
	var ids []string
	for _, l := range slices.Sorted(maps.Keys(byLineage)) {
		f := byLineage[l]
		names := make([]string, 0, len(f.vms))
		for _, vm := range f.vms {
			names = append(names, vm.Name)
		}
		slices.Sort(names)
		ids = append(ids, fmt.Sprintf("  %s/%s@%s  (%d VM(s): %s)", id.backend, id.name, l, len(names), abbreviate(names)))
	}
	head := "Import names the owner whose VMs it takes over: the lineage in the VMs' ownership markers."
	if id.lineage != "" {
		head = fmt.Sprintf("No VM of fleet %q carries lineage %s.", id.name, id.lineage)
	}
	return head + " Remove the VMs from their owner's state first if it still manages them (nova-plan state rm, or terraform state rm in the other configuration). " +
		"The fleets of that name on backend " + id.backend + " are:\n" + strings.Join(ids, "\n")
}

// importedRecords are the records of an imported fleet's VMs.
func importedRecords(owned map[string]*driver.VM, lineage string) fleetRecords {
	out := make(fleetRecords, len(owned))
	for k, vm := range owned {
		out[k] = recordOf(vm, lineage, nil)
	}
	return out
}

// importedFleet is the state of an imported fleet, under its new lineage.
func importedFleet(backendName, name, lineage string, owned map[string]*driver.VM, keyed bool) (fleetModel, diag.Diagnostics) {
	keys := sortedKeys(owned, keyed)
	first := owned[keys[0]]
	m := fleetModel{
		ID: types.StringValue(backendName + "/" + name), Lineage: types.StringValue(lineage),
		Backend: types.StringValue(backendName), Name: types.StringValue(name),
		InstanceCount: types.NumberNull(), Instances: types.MapNull(types.ObjectType{AttrTypes: instanceTypes()}),
		NamePattern: types.StringNull(), Template: types.MapNull(types.StringType), SensitiveTemplate: types.MapNull(types.StringType),
		CPU: numberOf(first.CPU), MemoryGB: types.Float64Value(gib(first.MemoryMiB)),
		DiskGB: numberOf(first.DiskGB), Power: types.StringValue(string(first.Power)),
		Tags:      tagsValue(first.Tags, types.MapNull(types.StringType)),
		Placement: types.ObjectNull(placementTypes()), Rollout: types.ObjectNull(rolloutTypes()),
		Changes: emptyList(changeTypes()), LastApply: emptyList(applyTypes()),
	}
	m.Timeouts.Object = types.ObjectNull(timeoutsTypes())
	if tmpl, ok := parseTemplateID(first.Template); ok {
		m.Template = mapValue(tmpl)
	}
	names, vms := make([]string, len(keys)), make(map[string]fleetVM, len(keys))
	for i, k := range keys {
		names[i], vms[k] = owned[k].Name, fleetVMOf(owned[k])
	}
	if p := inferPattern(name, keyed, keys, names); p != "" {
		m.NamePattern = types.StringValue(p)
	}
	m.setShape(keys, keyed)
	m.VMs = fleetVMsValue(vms)
	return m, nil
}

// setShape sets instance_count (one past the highest index) or instances
// (the keys, with no overrides).
func (m *fleetModel) setShape(keys []string, keyed bool) {
	if !keyed {
		last, _ := strconv.Atoi(keys[len(keys)-1])
		m.InstanceCount = numberOf(last + 1)
		return
	}
	elems := make(map[string]attr.Value, len(keys))
	for _, k := range keys {
		elems[k] = noOverrides()
	}
	m.Instances, _ = types.MapValue(types.ObjectType{AttrTypes: instanceTypes()}, elems)
}

// noOverrides is an instances element that overrides nothing: `{}`.
func noOverrides() types.Object {
	vals := map[string]attr.Value{}
	for k, t := range instanceTypes() {
		v, _ := t.ValueFromTerraform(context.Background(), tftypes.NewValue(t.TerraformType(context.Background()), nil))
		vals[k] = v
	}
	return types.ObjectValueMust(instanceTypes(), vals)
}

func instanceTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"name": types.StringType, "host": types.StringType, "cpu": types.NumberType, "memory_gb": types.Float64Type,
		"disk_gb": types.NumberType, "power": types.StringType, "tags": types.MapType{ElemType: types.StringType},
	}
}

func placementTypes() map[string]attr.Type {
	return map[string]attr.Type{"spread_by": types.StringType}
}

func rolloutTypes() map[string]attr.Type {
	return map[string]attr.Type{"batch_size": types.NumberType, "max_unavailable": types.NumberType}
}
