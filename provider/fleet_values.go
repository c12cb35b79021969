package provider

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// objectOptions read a block's object leniently: unset attributes are null.
var objectOptions = basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}

// fleetVM is one element of vms, as the backend reports the VM.
type fleetVM struct {
	ID, Name, Host, IPAddress string
}

// fleetVMOf is a live VM as a vms element.
func fleetVMOf(vm *driver.VM) fleetVM {
	return fleetVM{ID: vm.ID, Name: vm.Name, Host: vm.Host, IPAddress: firstAddress(vm.Addresses)}
}

func firstAddress(addrs []string) string {
	if len(addrs) == 0 {
		return ""
	}
	return addrs[0]
}

// object is the element as a Terraform value, built directly: a fleet
// converts thousands of them.
func (v fleetVM) object() types.Object {
	return vmObject(types.StringValue(v.ID), types.StringValue(v.Name), types.StringValue(v.Host), types.StringValue(v.IPAddress))
}

// vmObject is a vms element of these (possibly unknown) values.
func vmObject(id, name, host, ip types.String) types.Object {
	return types.ObjectValueMust(fleetVMTypes(), map[string]attr.Value{"id": id, "name": name, "host": host, "ip_address": ip})
}

// vmsOf reads the known values of vms by key; an unknown value reads "".
func vmsOf(m types.Map) map[string]fleetVM {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := make(map[string]fleetVM, len(m.Elements()))
	for k, e := range m.Elements() {
		o, ok := e.(types.Object)
		if !ok || o.IsNull() || o.IsUnknown() {
			continue
		}
		a := o.Attributes()
		out[k] = fleetVM{ID: str(a["id"]), Name: str(a["name"]), Host: str(a["host"]), IPAddress: str(a["ip_address"])}
	}
	return out
}

// str is a known string value, else "".
func str(v attr.Value) string {
	s, _ := v.(types.String)
	return s.ValueString()
}

// vmsValue is vms of these elements.
func vmsValue(elems map[string]attr.Value) types.Map {
	return types.MapValueMust(types.ObjectType{AttrTypes: fleetVMTypes()}, elems)
}

func fleetVMsValue(vms map[string]fleetVM) types.Map {
	elems := make(map[string]attr.Value, len(vms))
	for k, v := range vms {
		elems[k] = v.object()
	}
	return vmsValue(elems)
}

// vmsAfter is the fleet's vms after an apply: every VM the engine's state
// records, as the backend now reports it.
func vmsAfter(st *state.State, byID map[string]*driver.VM) map[string]fleetVM {
	out := make(map[string]fleetVM, len(st.VMs))
	for addr, rec := range st.VMs {
		vm := byID[rec.ID]
		if vm == nil {
			vm = recordVM(rec)
		}
		out[instanceKey(addr)] = fleetVMOf(vm)
	}
	return out
}

// recordsAfter are the fleet's records after an apply (or a destroy that
// left VMs): the live VM of each VM the engine's state records, its
// template as the engine applied it where the driver cannot tell.
func recordsAfter(st *state.State, byID map[string]*driver.VM, lineage string, prev fleetRecords) fleetRecords {
	out := make(fleetRecords, len(st.VMs))
	for addr, rec := range st.VMs {
		key := instanceKey(addr)
		vm := byID[rec.ID]
		if vm == nil {
			vm = recordVM(rec)
		}
		var r vmRecord
		if p, ok := prev[key]; ok {
			r = recordOf(vm, lineage, &p)
		} else {
			r = recordOf(vm, lineage, nil)
		}
		if vm.Template == "" && rec.Template != "" && !isDigest(rec.Template) {
			r.Template = templateDigest(lineage, rec.Template)
		}
		out[key] = r
	}
	return out
}

func indexByID(inv driver.Inventory) map[string]*driver.VM {
	out := make(map[string]*driver.VM, len(inv.VMs))
	for i := range inv.VMs {
		out[inv.VMs[i].ID] = &inv.VMs[i]
	}
	return out
}

// changeName is the VM name a change is about.
func changeName(c *plan.Change) string {
	if c.After != nil {
		return c.After.Name
	}
	return c.Before.Name
}

// changesValue is the plan's changes as the changes attribute, template
// IDs shown as digests of lineage.
func changesValue(p *plan.Plan, lineage string) types.List {
	attrTypes := changeTypes()
	elems := make([]attr.Value, len(p.Changes))
	for i, c := range p.Changes {
		elems[i] = types.ObjectValueMust(attrTypes, map[string]attr.Value{
			"address": types.StringValue(c.Address), "name": types.StringValue(changeName(c)),
			"action": types.StringValue(c.Action.String()), "batch": types.Int64Value(int64(c.Batch)),
			"reasons": types.StringValue(scrubbedReasons(c, lineage)),
		})
	}
	return types.ListValueMust(types.ObjectType{AttrTypes: attrTypes}, elems)
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

func (b *batchTally) add(o operation.Outcome, started, finished time.Time) {
	b.changes++
	switch o.Status {
	case operation.Succeeded:
		b.ok++
	case operation.Failed:
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
func lastApplyValue(p *plan.Plan, res *operation.Result, log *applyLog) (types.List, diag.Diagnostics) {
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
