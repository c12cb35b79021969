package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Schema version 1 of both resources adds lineage, sensitive_template, and
// template_id as a digest. A new resource's lineage is random; version 0
// derived it from the name (terraform:novacron_fleet:NAME), and the VMs
// made then carry it in their markers, so an upgraded resource keeps it
// (v0Lineage): its state and its VMs' markers agree, every run of the
// upgrade gives the same lineage, and a VM made by an interrupted apply
// right after the upgrade is found by the next. (A new random lineage
// would leave the VMs under markers the resource no longer owns: the
// engine takes them for another owner's, refuses to change them and
// forgets them on destroy.) To move such a resource to a lineage of its
// own, terraform state rm it and import it naming the old lineage. A fleet's
// vms keep id, name, host and ip_address (the engine's record of each VM
// moves to the private state, filled by the next refresh) and changes
// empties. The upgrades work on the state's JSON: a fleet of 10,000 VMs
// upgrades in linear time.

var (
	_ resource.ResourceWithUpgradeState = &FleetResource{}
	_ resource.ResourceWithUpgradeState = &VMResource{}
)

// UpgradeState upgrades a fleet's state from version 0.
func (r *FleetResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeJSON(upgradeFleetV0)}}
}

// UpgradeState upgrades a VM's state from version 0.
func (r *VMResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeJSON(upgradeVMV0)}}
}

// upgradeJSON is a state upgrader that rewrites the state's JSON object.
func upgradeJSON(upgrade func(map[string]any)) func(context.Context, resource.UpgradeStateRequest, *resource.UpgradeStateResponse) {
	return func(_ context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
		var obj map[string]any
		if req.RawState == nil || json.Unmarshal(req.RawState.JSON, &obj) != nil || obj == nil {
			resp.Diagnostics.AddError("Unreadable state", "The resource's state (schema version 0) is not a JSON object.")
			return
		}
		upgrade(obj)
		data, err := json.Marshal(obj)
		if err != nil {
			resp.Diagnostics.AddError("Cannot upgrade the state", err.Error())
			return
		}
		resp.DynamicValue = &tfprotov6.DynamicValue{JSON: data}
	}
}

func upgradeFleetV0(obj map[string]any) {
	name, _ := obj["name"].(string)
	obj["lineage"] = v0Lineage("novacron_fleet", name)
	obj["sensitive_template"] = nil
	obj["changes"] = []any{}
	vms, _ := obj["vms"].(map[string]any)
	for k, v := range vms {
		old, _ := v.(map[string]any)
		vms[k] = map[string]any{"id": old["id"], "name": old["name"], "host": old["host"], "ip_address": old["ip_address"]}
	}
}

func upgradeVMV0(obj map[string]any) {
	name, _ := obj["name"].(string)
	lineage := v0Lineage("novacron_vm", name)
	obj["lineage"] = lineage
	obj["sensitive_template"] = nil
	if id, ok := obj["template_id"].(string); ok {
		obj["template_id"] = templateDigest(lineage, id)
	}
}

// v0Lineage is the lineage schema version 0 gave a resource of type typ
// named name, which its VMs' markers carry.
func v0Lineage(typ, name string) string { return lineagePrefix + typ + ":" + name }
