package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/novacron/novacron/engine/driver"
)

// Read refreshes every VM of the fleet from one bulk inventory: a VM that
// changed out of band shows its drift in vms (and the next plan changes it
// back), a VM that is gone leaves vms (and the next plan creates it).
func (r *FleetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m fleetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
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
	resp.Diagnostics.Append(m.refresh(ctx, inv)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// refresh updates vms from the inventory.
func (m *fleetModel) refresh(ctx context.Context, inv driver.Inventory) diag.Diagnostics {
	vms := map[string]fleetVM{}
	diags := m.VMs.ElementsAs(ctx, &vms, false)
	byID := make(map[string]*driver.VM, len(inv.VMs))
	for i := range inv.VMs {
		byID[inv.VMs[i].ID] = &inv.VMs[i]
	}
	for k, v := range vms {
		if live := byID[v.ID.ValueString()]; live != nil {
			vms[k] = v.refreshed(live)
		} else {
			delete(vms, k)
		}
	}
	var ds diag.Diagnostics
	m.VMs, ds = fleetVMsValue(vms)
	return append(diags, ds...)
}

// ImportState imports a fleet by BACKEND/NAME: the VMs carrying the
// ownership marker of fleet NAME (as this provider writes it). The fleet's
// attributes are read from its first VM; per-VM differences become changes
// in the next plan.
func (r *FleetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	backendName, name, ok := strings.Cut(req.ID, "/")
	if !ok || backendName == "" || !fleetNameRe.MatchString(name) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import a novacron_fleet by BACKEND/NAME, e.g. lab/web; got %q.", req.ID))
		return
	}
	s, diags := openSession(ctx, r.backends, backendName, path.Root("backend"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	inv, diags := s.inventory(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	owned, keyed := ownedVMs(inv, name)
	if len(owned) == 0 {
		resp.Diagnostics.AddError("Fleet not found", fmt.Sprintf(
			"Backend %q has no VM carrying the ownership marker of fleet %q (lineage %s). Only fleets made by novacron_fleet can be imported; import single VMs as novacron_vm.",
			backendName, name, fleetLineage(name)))
		return
	}
	m, diags := importedFleet(backendName, name, owned, keyed)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ownedVMs returns the VMs carrying fleet name's marker, by instance key,
// and whether they are keyed (instances) rather than counted.
func ownedVMs(inv driver.Inventory, name string) (map[string]*driver.VM, bool) {
	out := map[string]*driver.VM{}
	keyed := false
	prefix := fleetAddress(name) + "["
	for i := range inv.VMs {
		mk := inv.VMs[i].Marker
		if mk == nil || mk.Lineage != fleetLineage(name) || !strings.HasPrefix(mk.Address, prefix) {
			continue
		}
		keyed = keyed || strings.Contains(mk.Address, `["`)
		out[instanceKey(mk.Address)] = &inv.VMs[i]
	}
	return out, keyed
}

// importedFleet is the state of an imported fleet.
func importedFleet(backendName, name string, owned map[string]*driver.VM, keyed bool) (fleetModel, diag.Diagnostics) {
	keys := sortedKeys(owned, keyed)
	first := owned[keys[0]]
	m := fleetModel{
		ID: types.StringValue(backendName + "/" + name), Backend: types.StringValue(backendName), Name: types.StringValue(name),
		InstanceCount: types.Int64Null(), Instances: types.MapNull(types.ObjectType{AttrTypes: instanceTypes()}),
		NamePattern: types.StringNull(), Template: types.MapNull(types.StringType),
		CPU: types.Int64Value(int64(first.CPU)), MemoryGB: types.Float64Value(gib(first.MemoryMiB)),
		DiskGB: types.Int64Value(int64(first.DiskGB)), Power: types.StringValue(string(first.Power)),
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
	var diags diag.Diagnostics
	m.VMs, diags = fleetVMsValue(vms)
	return m, diags
}

// setShape sets instance_count (one past the highest index) or instances
// (the keys, with no overrides).
func (m *fleetModel) setShape(keys []string, keyed bool) {
	if !keyed {
		last, _ := strconv.Atoi(keys[len(keys)-1])
		m.InstanceCount = types.Int64Value(int64(last) + 1)
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
		"name": types.StringType, "host": types.StringType, "cpu": types.Int64Type, "memory_gb": types.Float64Type,
		"disk_gb": types.Int64Type, "power": types.StringType, "tags": types.MapType{ElemType: types.StringType},
	}
}

func placementTypes() map[string]attr.Type {
	return map[string]attr.Type{"spread_by": types.StringType}
}

func rolloutTypes() map[string]attr.Type {
	return map[string]attr.Type{"batch_size": types.Int64Type, "max_unavailable": types.Int64Type}
}
