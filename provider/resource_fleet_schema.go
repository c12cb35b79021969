package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// maxInstances is the most VMs one fleet resource holds.
const maxInstances = 100000

var instanceKeyRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

func fleetSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Version: 1,
		Description: "A whole fleet of VMs as one resource. NovaCron's engine plans it (the per-VM changes show in " +
			"`changes` and in a plan warning), applies it in parallel with rolling batches of changes to existing VMs, " +
			"and reports each VM's id, name, host and address in `vms`. Template changes, disk shrinks and renames replace VMs one rollout batch " +
			"at a time instead of replacing the resource. The VMs carry an ownership marker with the resource's lineage: " +
			"no other resource or configuration takes them, and a replacement of the resource never adopts them.",
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
					"batch_size": schema.NumberAttribute{
						Optional: true, Description: fmt.Sprintf("VMs per batch, 1 to %d. Required in a rollout block.", maxInstances),
						Validators: []validator.Number{wholeNumber{1, maxInstances}},
					},
					"max_unavailable": schema.NumberAttribute{
						Optional: true, Description: "At most this many VMs of a batch are disrupted (restarted, stopped, replaced); default batch_size.",
						Validators: []validator.Number{wholeNumber{1, maxInstances}},
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
		"lineage": lineageAttribute(),
		"backend": backendAttribute(),
		"name": schema.StringAttribute{
			Required:      true,
			Description:   "The fleet's name: a letter, then letters, digits, '_' and '-'. It names the VMs (see name_pattern) and their ownership markers. Changing it replaces the fleet.",
			Validators:    []validator.String{stringvalidator.RegexMatches(fleetNameRe, "must be a letter followed by letters, digits, '_' and '-', at most 63 characters")},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"instance_count": schema.NumberAttribute{
			Optional:    true,
			Description: fmt.Sprintf("Number of VMs, 0 to %d, indexed from 0. Exactly one of instance_count and instances is required.", maxInstances),
			Validators:  []validator.Number{wholeNumber{0, maxInstances}},
		},
		"instances":          instancesAttribute(),
		"name_pattern":       namePatternAttribute(),
		"template":           fleetTemplateAttribute(),
		"sensitive_template": sensitiveTemplateAttribute("A change of value is seen through the digest the fleet keeps of each VM's template, and replaces the VMs in rollout batches as a template change does."),
		"cpu":                cpuAttribute(true),
		"memory_gb":          memoryAttribute(true),
		"disk_gb":            diskSizeAttribute(),
		"power":              powerAttribute(),
		"tags":               tagsAttribute(),
		"vms":                vmsAttribute(),
		"changes":            changesAttribute(),
		"last_apply":         lastApplyAttribute(),
	}
}

func fleetTemplateAttribute() schema.MapAttribute {
	a := templateAttribute("the fleet's VMs are made from. Changing it replaces the VMs in rollout batches, not the resource.")
	a.PlanModifiers = nil
	return a
}

// diskSizeAttribute is disk_gb without the VM's replace-on-shrink: in a
// fleet the engine replaces the VMs in rollout batches.
func diskSizeAttribute() schema.NumberAttribute {
	a := diskAttribute()
	a.PlanModifiers = nil
	a.Description = fmt.Sprintf("Disk size in GB, a whole number from 1 to %d; default %d. Growing it is in place; shrinking it replaces the VMs in rollout batches.", maxDiskGB, 20)
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
			instancesValidator{},
		},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"name":      schema.StringAttribute{Optional: true, Description: "The VM's name, instead of name_pattern's; " + vmNameRule + "."},
			"host":      schema.StringAttribute{Optional: true, Description: "Pins the VM to a host (1 to 255 characters); a change migrates it."},
			"cpu":       schema.NumberAttribute{Optional: true, Description: fmt.Sprintf("vCPUs, a whole number from 1 to %d, instead of the fleet's.", maxCPU)},
			"memory_gb": schema.Float64Attribute{Optional: true, Description: fmt.Sprintf("Memory in GiB, more than 0 and at most %d, in whole MiB, instead of the fleet's.", maxMemoryGB)},
			"disk_gb":   schema.NumberAttribute{Optional: true, Description: fmt.Sprintf("Disk size in GB, a whole number from 1 to %d, instead of the fleet's.", maxDiskGB)},
			"power":     schema.StringAttribute{Optional: true, Description: "`running` or `stopped`, instead of the fleet's."},
			"tags": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				Description: "Tags added to (or overriding) the fleet's; keys must not start with `novacron:`.",
			},
		}},
	}
}

// The computed collections are map and list attributes of objects, not
// nested attributes: terraform-plugin-framework v1.19 walks a nested
// attribute's values at a cost that grows with the square of their number
// (a 5,000-VM fleet took 110 s to plan), and an attribute of objects at a
// cost that grows with their number. vms keeps four values per VM; the
// engine's own record of each VM lives in the private state; changes are
// emptied by the next refresh.

func vmsAttribute() schema.MapAttribute {
	return schema.MapAttribute{
		Computed:    true,
		ElementType: types.ObjectType{AttrTypes: fleetVMTypes()},
		Description: "The fleet's VMs by key (the index with instance_count), as the backend last reported them: " +
			"`id` (the VM's ID in the backend), `name`, `host` (the host it runs on) and `ip_address` (its first IP address " +
			"where the backend knows one, \"\" otherwise; novacron_inventory lists all of them). A plan shows as unknown only what it may change: " +
			"the id, host and address of a VM it creates or replaces, the address of a VM it restarts, the host of a VM it migrates.",
	}
}

func changesAttribute() schema.ListAttribute {
	return schema.ListAttribute{
		Computed:    true,
		ElementType: types.ObjectType{AttrTypes: changeTypes()},
		Description: "The per-VM changes NovaCron's engine plans (during a plan) or last applied (until the next refresh empties it): " +
			"`address` (the VM's engine address, `fleet.NAME[KEY]`), `name`, `action` (create, update, replace, delete, migrate, start, stop or adopt), " +
			"`batch` (the rollout batch, 1, 2, …; 0 outside rollouts) and `reasons` (why, in words, separated by \"; \"; a template shows as a digest).",
	}
}

func lastApplyAttribute() schema.ListAttribute {
	return schema.ListAttribute{
		Computed:    true,
		ElementType: types.ObjectType{AttrTypes: applyTypes()},
		Description: "What the last apply did, per rollout batch (batch 0: the changes outside rollouts, such as creates), " +
			"with timings, so that the rollout order can be audited: batch k+1 starts after batch k finished. Each element has " +
			"`batch`, `started` and `finished` (RFC 3339, UTC; empty if no action started), `changes`, `succeeded`, `failed` " +
			"(the apply's errors name each VM) and `not_made` (changes skipped or not started: a failed batch halts the fleet).",
	}
}

func fleetVMTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "name": types.StringType, "host": types.StringType, "ip_address": types.StringType,
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
