package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// objectOptions read a block's object leniently: unset attributes are null.
var objectOptions = basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}

// fleetVM is one element of a fleet's vms.
type fleetVM struct {
	ID         types.String  `tfsdk:"id"`
	Name       types.String  `tfsdk:"name"`
	Host       types.String  `tfsdk:"host"`
	CPU        types.Int64   `tfsdk:"cpu"`
	MemoryGB   types.Float64 `tfsdk:"memory_gb"`
	DiskGB     types.Int64   `tfsdk:"disk_gb"`
	Power      types.String  `tfsdk:"power"`
	TemplateID types.String  `tfsdk:"template_id"`
	IPAddress  types.String  `tfsdk:"ip_address"`
}

// fleetVMOf is a live VM as a vms element.
func fleetVMOf(vm *driver.VM) fleetVM {
	return fleetVM{
		ID: types.StringValue(vm.ID), Name: types.StringValue(vm.Name), Host: types.StringValue(vm.Host),
		CPU: types.Int64Value(int64(vm.CPU)), MemoryGB: types.Float64Value(gib(vm.MemoryMiB)),
		DiskGB: types.Int64Value(int64(vm.DiskGB)), Power: types.StringValue(string(vm.Power)),
		TemplateID: types.StringValue(vm.Template), IPAddress: types.StringValue(firstAddress(vm.Addresses)),
	}
}

func firstAddress(addrs []string) string {
	if len(addrs) == 0 {
		return ""
	}
	return addrs[0]
}

// record is the element as an engine state record.
func (v fleetVM) record(provider, fleet string) *state.VM {
	return &state.VM{
		Provider: provider, ID: v.ID.ValueString(), Fleet: fleet, Name: v.Name.ValueString(), Host: v.Host.ValueString(),
		CPU: int(v.CPU.ValueInt64()), MemoryMiB: mib(v.MemoryGB.ValueFloat64()), DiskGB: int(v.DiskGB.ValueInt64()),
		Power: v.Power.ValueString(), Template: v.TemplateID.ValueString(),
	}
}

// refreshed is the element updated from the live VM; a template the driver
// cannot tell keeps the applied one.
func (v fleetVM) refreshed(vm *driver.VM) fleetVM {
	out := fleetVMOf(vm)
	if vm.Template == "" {
		out.TemplateID = v.TemplateID
	}
	return out
}

// object is the element as a Terraform value, built directly: a fleet
// converts thousands of them.
func (v fleetVM) object(attrTypes map[string]attr.Type) (types.Object, diag.Diagnostics) {
	return types.ObjectValue(attrTypes, map[string]attr.Value{
		"id": v.ID, "name": v.Name, "host": v.Host, "cpu": v.CPU, "memory_gb": v.MemoryGB, "disk_gb": v.DiskGB,
		"power": v.Power, "template_id": v.TemplateID, "ip_address": v.IPAddress,
	})
}

func fleetVMsValue(vms map[string]fleetVM) (types.Map, diag.Diagnostics) {
	attrTypes := fleetVMTypes()
	elems := make(map[string]attr.Value, len(vms))
	var diags diag.Diagnostics
	for k, v := range vms {
		o, ds := v.object(attrTypes)
		diags.Append(ds...)
		elems[k] = o
	}
	m, ds := types.MapValue(types.ObjectType{AttrTypes: attrTypes}, elems)
	diags.Append(ds...)
	return m, diags
}

// vmsAfter is the fleet's vms after an apply: every VM the engine's state
// records, as the backend now reports it.
func vmsAfter(st *state.State, inv driver.Inventory) map[string]fleetVM {
	byID := make(map[string]*driver.VM, len(inv.VMs))
	for i := range inv.VMs {
		byID[inv.VMs[i].ID] = &inv.VMs[i]
	}
	out := make(map[string]fleetVM, len(st.VMs))
	for addr, rec := range st.VMs {
		vm := byID[rec.ID]
		if vm == nil {
			vm = recordVM(rec)
		}
		v := fleetVMOf(vm)
		if vm.Template == "" {
			v.TemplateID = types.StringValue(rec.Template)
		}
		out[instanceKey(addr)] = v
	}
	return out
}

// changesValue is the plan's changes as the changes attribute, built
// directly (no reflection): a fleet plan has thousands of them.
func changesValue(p *plan.Plan) (types.List, diag.Diagnostics) {
	attrTypes := changeTypes()
	elems := make([]attr.Value, len(p.Changes))
	var diags diag.Diagnostics
	for i, c := range p.Changes {
		o, ds := types.ObjectValue(attrTypes, map[string]attr.Value{
			"address": types.StringValue(c.Address), "name": types.StringValue(changeName(c)),
			"action": types.StringValue(c.Action.String()), "batch": types.Int64Value(int64(c.Batch)),
			"reasons": types.StringValue(strings.Join(c.Reasons, "; ")),
		})
		diags.Append(ds...)
		elems[i] = o
	}
	l, ds := types.ListValue(types.ObjectType{AttrTypes: attrTypes}, elems)
	return l, append(diags, ds...)
}

// batchLog is one element of last_apply: one rollout batch.
type batchLog struct {
	Batch     types.Int64  `tfsdk:"batch"`
	Started   types.String `tfsdk:"started"`
	Finished  types.String `tfsdk:"finished"`
	Changes   types.Int64  `tfsdk:"changes"`
	Succeeded types.Int64  `tfsdk:"succeeded"`
	Failed    types.Int64  `tfsdk:"failed"`
	NotMade   types.Int64  `tfsdk:"not_made"`
}

// batchTally is a batch as the apply log adds it up.
type batchTally struct {
	started, finished            time.Time
	changes, ok, failed, notMade int64
}

func (b *batchTally) add(o exec.Outcome, started, finished time.Time) {
	b.changes++
	switch o.Status {
	case exec.Succeeded:
		b.ok++
	case exec.Failed:
		b.failed++
	default:
		b.notMade++
	}
	if !started.IsZero() && (b.started.IsZero() || started.Before(b.started)) {
		b.started = started
	}
	if finished.After(b.finished) {
		b.finished = finished
	}
}

// lastApplyValue tallies the apply per rollout batch, in batch order.
func lastApplyValue(p *plan.Plan, res *exec.Result, log *applyLog) (types.List, diag.Diagnostics) {
	tallies := map[int]*batchTally{}
	for i, c := range p.Changes {
		if tallies[c.Batch] == nil {
			tallies[c.Batch] = &batchTally{}
		}
		tallies[c.Batch].add(res.Outcomes[i], log.started[c], log.finished[c])
	}
	elems := make([]batchLog, 0, len(tallies))
	for _, n := range slices.Sorted(maps.Keys(tallies)) {
		t := tallies[n]
		elems = append(elems, batchLog{
			Batch: types.Int64Value(int64(n)), Started: timeValue(t.started), Finished: timeValue(t.finished),
			Changes: types.Int64Value(t.changes), Succeeded: types.Int64Value(t.ok),
			Failed: types.Int64Value(t.failed), NotMade: types.Int64Value(t.notMade),
		})
	}
	return types.ListValueFrom(context.Background(), types.ObjectType{AttrTypes: applyTypes()}, elems)
}

func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringValue("")
	}
	return types.StringValue(t.Format(time.RFC3339Nano))
}

func emptyList(attrTypes map[string]attr.Type) types.List {
	return types.ListValueMust(types.ObjectType{AttrTypes: attrTypes}, []attr.Value{})
}
