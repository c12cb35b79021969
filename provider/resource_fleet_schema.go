package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/novacron/novacron/engine/driver"
)

// maxInstances is the most VMs one fleet resource holds.
const maxInstances = 100000

var instanceKeyRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

func fleetSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Description: "A whole fleet of VMs as one resource. NovaCron's engine plans it (the per-VM changes show in " +
			"`changes` and in a plan warning), applies it in parallel with rolling batches of changes to existing VMs, " +
			"and reports drift per VM in `vms`. Template changes, disk shrinks and renames replace VMs one rollout batch " +
			"at a time instead of replacing the resource.",
		Attributes: fleetAttributes(),
		Blocks: map[string]schema.Block{
			"placement": schema.SingleNestedBlock{
				Description: "Where new VMs land.",
				Attributes: map[string]schema.Attribute{
					"spread_by": schema.StringAttribute{
						Optional:    true,
						Description: "`host` spreads the fleet's VMs across hosts (anti-affinity); `none` (default) packs them best-fit.",
						Validators:  []validator.String{stringvalidator.OneOf("host", "none")},
					},
				},
			},
			"rollout": schema.SingleNestedBlock{
				Description: "Changes to existing VMs go in batches: batch k+1 starts when batch k is done, and a failed batch halts the fleet. Without it every change runs at once (within the backend's parallelism).",
				Attributes: map[string]schema.Attribute{
					"batch_size": schema.Int64Attribute{
						Optional: true, Description: fmt.Sprintf("VMs per batch, 1 to %d. Required in a rollout block.", maxInstances),
						Validators: []validator.Int64{int64validator.Between(1, maxInstances)},
					},
					"max_unavailable": schema.Int64Attribute{
						Optional: true, Description: "At most this many VMs of a batch are disrupted (restarted, stopped, replaced); default batch_size.",
						Validators: []validator.Int64{int64validator.Between(1, maxInstances)},
					},
				},
			},
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func fleetAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed: true, Description: "BACKEND/NAME.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"backend": backendAttribute(),
		"name": schema.StringAttribute{
			Required:      true,
			Description:   "The fleet's name: a letter, then letters, digits, '_' and '-'. It names the VMs (see name_pattern) and their ownership markers. Changing it replaces the fleet.",
			Validators:    []validator.String{stringvalidator.RegexMatches(fleetNameRe, "must be a letter followed by letters, digits, '_' and '-', at most 63 characters")},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"instance_count": schema.Int64Attribute{
			Optional:    true,
			Description: fmt.Sprintf("Number of VMs, 0 to %d, indexed from 0. Exactly one of instance_count and instances is required.", maxInstances),
			Validators:  []validator.Int64{int64validator.Between(0, maxInstances)},
		},
		"instances":    instancesAttribute(),
		"name_pattern": namePatternAttribute(),
		"template":     fleetTemplateAttribute(),
		"cpu":          cpuAttribute(true),
		"memory_gb":    memoryAttribute(true),
		"disk_gb":      diskSizeAttribute(),
		"power":        powerAttribute(),
		"tags":         tagsAttribute(),
		"vms":          vmsAttribute(),
		"changes":      changesAttribute(),
		"last_apply":   lastApplyAttribute(),
	}
}

func fleetTemplateAttribute() schema.MapAttribute {
	a := templateAttribute("the fleet's VMs are made from. Changing it replaces the VMs in rollout batches, not the resource.")
	a.PlanModifiers = nil
	return a
}

// diskSizeAttribute is disk_gb without the VM's replace-on-shrink: in a
// fleet the engine replaces the VMs in rollout batches.
func diskSizeAttribute() schema.Int64Attribute {
	a := diskAttribute()
	a.PlanModifiers = nil
	a.Description = fmt.Sprintf("Disk size in GB, 1 to %d; default %d. Growing it is in place; shrinking it replaces the VMs in rollout batches.", maxDiskGB, 20)
	return a
}

func namePatternAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Description: "VM names: `{fleet}` is the fleet's name, `{index}` the VM's index (its position in key order for instances), " +
			"`{key}` its instances key (the index with instance_count). Default `{fleet}-{index}` with instance_count, " +
			"`{fleet}-{key}` with instances. Names must be unique: use {index} or {key}. Changing it renames (replaces) the VMs.",
		Validators: []validator.String{stringvalidator.LengthBetween(1, 63), stringvalidator.RegexMatches(
			regexp.MustCompile(`^([A-Za-z0-9._-]|\{fleet\}|\{index\}|\{key\})+$`),
			"may hold letters, digits, '.', '_', '-' and the placeholders {fleet}, {index} and {key}")},
	}
}

func instancesAttribute() schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		Optional: true,
		Description: "VMs by key, instead of instance_count; each may override the fleet's attributes. " +
			"Keys are 1 to 63 letters, digits, '.', '_' and '-'.",
		Validators: []validator.Map{
			mapvalidator.SizeAtMost(maxInstances),
			mapvalidator.KeysAre(stringvalidator.RegexMatches(instanceKeyRe, "must be 1 to 63 letters, digits, '.', '_' and '-', starting with a letter or digit")),
		},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				Optional: true, Description: "The VM's name, instead of name_pattern's.",
				Validators: []validator.String{stringvalidator.RegexMatches(vmNameRe, vmNameRule)},
			},
			"host": schema.StringAttribute{
				Optional: true, Description: "Pins the VM to a host; a change migrates it.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"cpu":       cpuAttribute(false),
			"memory_gb": memoryAttribute(false),
			"disk_gb": schema.Int64Attribute{
				Optional: true, Description: "Disk size in GB, instead of the fleet's.",
				Validators: []validator.Int64{int64validator.Between(1, maxDiskGB)},
			},
			"power": schema.StringAttribute{
				Optional: true, Description: "`running` or `stopped`, instead of the fleet's.",
				Validators: []validator.String{stringvalidator.OneOf(string(driver.PowerRunning), string(driver.PowerStopped))},
			},
			"tags": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				Description: "Tags added to (or overriding) the fleet's.",
				Validators:  []validator.Map{tagKeysValidator{}},
			},
		}},
	}
}

// The computed collections are nested attributes, not map(object) or
// list(object) attributes: terraform-plugin-framework v1.19 logs a trace
// line for every value inside an atomic attribute while walking a state,
// at a cost that grows with the state, which made a 1,000-VM fleet slow.

func vmsAttribute() schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		Computed: true,
		Description: "The fleet's VMs by key (the index with instance_count), as the backend last reported them. " +
			"Refreshing shows each VM's drift (a VM whose tags drifted shows as a planned change); VMs a plan changes are unknown until applied.",
		NestedObject: schema.NestedAttributeObject{Attributes: computedAttributes(fleetVMTypes(), map[string]string{
			"id": "The VM's ID in the backend.", "name": "The VM's name.", "host": "The host it runs on.",
			"cpu": "vCPUs.", "memory_gb": "Memory in GiB.", "disk_gb": "Disk size in GB.",
			"power": "`running` or `stopped`.", "template_id": "The template as the backend reports it.",
			"ip_address": "Its first IP address, where the backend knows one (\"\" otherwise); novacron_inventory lists all of them.",
		})},
	}
}

func changesAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Computed:    true,
		Description: "The per-VM changes NovaCron's engine plans (during a plan) or last applied.",
		NestedObject: schema.NestedAttributeObject{Attributes: computedAttributes(changeTypes(), map[string]string{
			"address": "The VM's engine address, `fleet.NAME[KEY]`.", "name": "The VM's name.",
			"action": "create, update, replace, delete, migrate, start, stop or adopt.",
			"batch":  "The rollout batch (1, 2, …); 0 outside rollouts.", "reasons": "Why, in words; reasons are separated by \"; \".",
		})},
	}
}

func lastApplyAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Computed: true,
		Description: "What the last apply did, per rollout batch (batch 0: the changes outside rollouts, such as creates), " +
			"with timings, so that the rollout order can be audited: batch k+1 starts after batch k finished.",
		NestedObject: schema.NestedAttributeObject{Attributes: computedAttributes(applyTypes(), map[string]string{
			"batch":     "The rollout batch; 0 for changes outside rollouts.",
			"started":   "When the batch's first action started (RFC 3339, UTC); empty if none did.",
			"finished":  "When its last action finished; empty if none did.",
			"changes":   "Changes in the batch.",
			"succeeded": "Changes that succeeded.", "failed": "Changes that failed (the apply's errors name each VM).",
			"not_made": "Changes skipped or not started (a failed batch halts the fleet).",
		})},
	}
}

// computedAttributes are computed attributes of the given types.
func computedAttributes(attrTypes map[string]attr.Type, descriptions map[string]string) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrTypes))
	for name, t := range attrTypes {
		out[name] = computedAttribute(t, descriptions[name])
	}
	return out
}

func computedAttribute(t attr.Type, desc string) schema.Attribute {
	switch t {
	case basetypes.Int64Type{}:
		return schema.Int64Attribute{Computed: true, Description: desc}
	case basetypes.Float64Type{}:
		return schema.Float64Attribute{Computed: true, Description: desc}
	case basetypes.StringType{}:
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	if _, isMap := t.(basetypes.MapType); isMap {
		return schema.MapAttribute{Computed: true, ElementType: basetypes.StringType{}, Description: desc}
	}
	return schema.ListAttribute{Computed: true, ElementType: basetypes.StringType{}, Description: desc}
}

func fleetVMTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "name": types.StringType, "host": types.StringType,
		"cpu": types.Int64Type, "memory_gb": types.Float64Type, "disk_gb": types.Int64Type,
		"power": types.StringType, "template_id": types.StringType, "ip_address": types.StringType,
	}
}

func changeTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"address": types.StringType, "name": types.StringType, "action": types.StringType,
		"batch": types.Int64Type, "reasons": types.StringType,
	}
}

func applyTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"batch": types.Int64Type, "started": types.StringType, "finished": types.StringType,
		"changes": types.Int64Type, "succeeded": types.Int64Type, "failed": types.Int64Type, "not_made": types.Int64Type,
	}
}
