package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/state"
)

// vmRecord is what a resource knows of one of its VMs as the backend last
// reported it (template as a digest, user tags only). A fleet keeps one per
// VM in its private state; a novacron_vm's attributes hold the same. It is
// the engine's state record of the VM, and what a plan was made against:
// the apply compares it with the live VM and stops if they differ.
type vmRecord struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Host      string            `json:"host"`
	CPU       int               `json:"cpu"`
	MemoryMiB int64             `json:"memory_mib"`
	DiskGB    int               `json:"disk_gb"`
	Power     string            `json:"power"`
	Template  string            `json:"template,omitempty"` // templateDigest
	Tags      map[string]string `json:"tags,omitempty"`
	// MaxCPU and MaxMemoryMiB are the VM's hot-add ceiling (driver.VM).
	MaxCPU       int   `json:"max_cpu,omitempty"`
	MaxMemoryMiB int64 `json:"max_memory_mib,omitempty"`
}

// recordOf is the record of a live VM; a template the driver cannot tell
// keeps the previous record's.
func recordOf(vm *driver.VM, lineage string, prev *vmRecord) vmRecord {
	r := vmRecord{
		ID: vm.ID, Name: vm.Name, Host: vm.Host, CPU: vm.CPU, MemoryMiB: vm.MemoryMiB, DiskGB: vm.DiskGB,
		Power: string(vm.Power), Template: vm.Template, Tags: userTags(vm.Tags),
		MaxCPU: vm.MaxCPU, MaxMemoryMiB: vm.MaxMemoryMiB,
	}
	switch {
	case vm.Template == "" && prev != nil:
		r.Template = prev.Template
	case !isDigest(vm.Template): // else a record's, already a digest
		r.Template = templateDigest(lineage, vm.Template)
	}
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	return r
}

// asVM is the VM as recorded, on the live VM's marker and marker tags
// (live may be nil: a VM gone since it was recorded). Its template is
// unknown to the engine, which then takes the state record's (see state).
func (r vmRecord) asVM(live *driver.VM) driver.VM {
	vm := driver.VM{
		ID: r.ID, Name: r.Name, Host: r.Host, CPU: r.CPU, MemoryMiB: r.MemoryMiB, DiskGB: r.DiskGB,
		Power: driver.Power(r.Power), Tags: maps.Clone(r.Tags), MaxCPU: r.MaxCPU, MaxMemoryMiB: r.MaxMemoryMiB,
	}
	if vm.Tags == nil {
		vm.Tags = map[string]string{}
	}
	if live != nil {
		vm.Marker, vm.Addresses = live.Marker, live.Addresses
		for k, v := range live.Tags {
			if strings.HasPrefix(k, "novacron:") {
				vm.Tags[k] = v
			}
		}
	}
	return vm
}

// view is the inventory with the fleet's recorded VMs as its records
// describe them. A plan is made against it, not against the live VMs: it
// is what Terraform read when it refreshed the fleet, so planning again
// before the apply plans the same changes, and the apply, which compares
// the live VMs with the records, stops if they differ. (With
// -refresh=false, the plan is made against the state, as Terraform plans.)
func (recs fleetRecords) view(inv driver.Inventory) driver.Inventory {
	if recs == nil {
		return inv
	}
	byID := make(map[string]vmRecord, len(recs))
	for _, r := range recs {
		byID[r.ID] = r
	}
	out := inv
	out.VMs = make([]driver.VM, 0, len(inv.VMs)+len(recs))
	for i := range inv.VMs {
		live := &inv.VMs[i]
		if r, ok := byID[live.ID]; ok {
			out.VMs = append(out.VMs, r.asVM(live))
			delete(byID, live.ID)
			continue
		}
		out.VMs = append(out.VMs, *live)
	}
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		out.VMs = append(out.VMs, byID[id].asVM(nil))
	}
	return out
}

// state is the record as the engine's state record of a VM of fleet on
// provider pk. The engine compares templates by ID and trusts the record's
// only when the driver cannot tell a VM's template: the digest stands for
// desiredID when it is desiredID's, and is itself (an ID no template has,
// so the VM is replaced) when it is not.
func (r vmRecord) state(pk, fleet, lineage, desiredID string) *state.VM {
	tmpl := r.Template
	switch {
	case isLegacyDigest(tmpl):
		tmpl = "" // unknown until the next refresh: nothing to replace for
	case tmpl != "" && tmpl == templateDigest(lineage, desiredID):
		tmpl = desiredID
	}
	return &state.VM{
		Provider: pk, ID: r.ID, Fleet: fleet, Name: r.Name, Host: r.Host, CPU: r.CPU, MemoryMiB: r.MemoryMiB,
		DiskGB: r.DiskGB, Power: r.Power, Template: tmpl, Tags: maps.Clone(r.Tags),
	}
}

// drift says how a live VM differs from its record: "" when it does not.
func (r vmRecord) drift(live *driver.VM, lineage string) string {
	if live == nil {
		return fmt.Sprintf("VM %s (%s) no longer exists", r.Name, r.ID)
	}
	now := recordOf(live, lineage, &r)
	var diffs []string
	add := func(what string, was, is any) {
		if fmt.Sprint(was) != fmt.Sprint(is) {
			diffs = append(diffs, fmt.Sprintf("%s %v → %v", what, was, is))
		}
	}
	add("name", r.Name, now.Name)
	add("host", r.Host, now.Host)
	add("cpu", r.CPU, now.CPU)
	add("memory_mib", r.MemoryMiB, now.MemoryMiB)
	add("disk_gb", r.DiskGB, now.DiskGB)
	add("power", r.Power, now.Power)
	add("template", r.Template, now.Template)
	if !maps.Equal(r.Tags, now.Tags) {
		diffs = append(diffs, "tags changed")
	}
	if len(diffs) == 0 {
		return ""
	}
	return fmt.Sprintf("VM %s (%s): %s", r.Name, r.ID, strings.Join(diffs, ", "))
}

// staleDiag is the error of an apply whose VMs changed since its plan.
func staleDiag(drifts []string) diag.Diagnostic {
	if len(drifts) > 5 {
		drifts = append(drifts[:5], fmt.Sprintf("… and %d more", len(drifts)-5))
	}
	return diag.NewErrorDiagnostic("The VMs changed since the plan was made",
		"Nothing was changed: "+strings.Join(drifts, "; ")+". The plan was made against the VMs as Terraform read them, "+
			"and applying it now could do something else than it showed; run terraform apply again to plan against the VMs as they are now "+
			"(with refresh: a plan made with -refresh=false is made against the VMs as Terraform last read them).")
}

// privateData is the framework's private state of a resource, as requests
// and responses carry it.
type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// recordsKey is the private state key of a fleet's records.
const recordsKey = "vms"

// fleetRecords are a fleet's records by instance key.
type fleetRecords map[string]vmRecord

// readRecords reads a fleet's records; nil when it has none (a state
// written before schema version 1, until it is refreshed).
func readRecords(ctx context.Context, p privateData) (fleetRecords, diag.Diagnostics) {
	if p == nil {
		return nil, nil
	}
	data, diags := p.GetKey(ctx, recordsKey)
	if diags.HasError() || len(data) == 0 {
		return nil, diags
	}
	var recs fleetRecords
	if err := json.Unmarshal(data, &recs); err != nil {
		diags.AddError("Unreadable private state", "The fleet's records in its private state cannot be read: "+err.Error()+
			". Run terraform apply -refresh-only to read them again from the backend.")
	}
	return recs, diags
}

// writeRecords stores a fleet's records.
func writeRecords(ctx context.Context, p privateData, recs fleetRecords) diag.Diagnostics {
	data, err := json.Marshal(recs)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Cannot save the fleet's records", err.Error())
		return diags
	}
	return p.SetKey(ctx, recordsKey, data)
}

// fleetDrift lists how the fleet's VMs differ from its records: VMs
// changed or gone. nil records (none kept yet) check nothing. (A VM that
// came to carry the fleet's lineage since changes the engine's plan, which
// the apply compares with the planned changes.)
func fleetDrift(recs fleetRecords, inv driver.Inventory, lineage string) []string {
	byID := indexByID(inv)
	var out []string
	for _, key := range slices.Sorted(maps.Keys(recs)) {
		r := recs[key]
		if d := r.drift(byID[r.ID], lineage); d != "" {
			out = append(out, d)
		}
	}
	return out
}
