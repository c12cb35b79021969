package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/numberdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/numberplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

func vmSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Version: 1,
		Description: "One virtual machine on a NovaCron backend, planned and applied by NovaCron's engine " +
			"(a fleet of one). CPU, memory, disk growth, tags and power change in place; a host change is a " +
			"(live, where the backend can) migration; name and template changes and disk shrinks replace the VM. " +
			"The VM carries an ownership marker with the resource's lineage: no other resource or configuration takes it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, Description: "The VM's ID in its backend.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"lineage":            lineageAttribute(),
			"backend":            backendAttribute(),
			"name":               vmNameAttribute(),
			"template":           templateAttribute("the VM is made from. Changing it replaces the VM."),
			"sensitive_template": sensitiveTemplateAttribute("A change of value is seen through template_id (a digest) and replaces the VM."),
			"template_id":        templateIDAttribute(),
			"cpu":                cpuAttribute(true),
			"memory_gb":          memoryAttribute(true),
			"disk_gb":            diskAttribute(),
			"power":              powerAttribute(),
			"host":               vmHostAttribute(),
			"tags":               tagsAttribute(),
			"ip_addresses":       ipAddressesAttribute(),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func lineageAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed: true,
		Description: "The ownership lineage of the resource's VMs, made at random when the resource is created or imported " +
			"(an import that takes VMs over from an owner makes it from that owner's lineage, the same for every run of that import): " +
			"every VM it creates or takes over carries it in its ownership marker, so that an apply finds its own VMs and no other resource's.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func backendAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required:      true,
		Description:   "Name of the backend (a block of the provider configuration) the VMs live on. Changing it replaces them.",
		Validators:    []validator.String{stringvalidator.RegexMatches(backendNameRe, "must be a backend name")},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func vmNameAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required:      true,
		Description:   "The VM's name in its backend. Changing it replaces the VM (a VM is renamed by replacing it).",
		Validators:    []validator.String{stringvalidator.RegexMatches(vmNameRe.Regexp(), vmNameRule)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func templateAttribute(what string) schema.MapAttribute {
	return schema.MapAttribute{
		ElementType: types.StringType,
		Optional:    true,
		Description: "The backend's template settings for the image " + what +
			" The keys are the driver's template settings, e.g. `{ image = \"ubuntu-22.04\" }` for sim. " +
			"Set template, sensitive_template or both. Terraform keeps template in its state, as it keeps every argument: " +
			"put secrets in sensitive_template.",
		Validators:    []validator.Map{mapvalidator.SizeAtLeast(1)},
		PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplaceIf(replaceIfPriorKnown, "Changing the template replaces the VM.", "Changing the template replaces the VM.")},
	}
}

// replaceIfPriorKnown replaces on a change from a known prior value; an
// import that could not read the template back records null, and setting
// it afterwards only fills state.
func replaceIfPriorKnown(_ context.Context, req planmodifier.MapRequest, resp *mapplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !req.StateValue.IsNull()
}

// sensitiveTemplateAttribute holds template settings Terraform never
// stores (write-only): their digest tells a change (seen, says seen).
func sensitiveTemplateAttribute(seen string) schema.MapAttribute {
	return schema.MapAttribute{
		ElementType: types.StringType, Optional: true, Sensitive: true, WriteOnly: true,
		Description: "Template settings kept out of Terraform's state and plan files (write-only), such as cloud-init user data: " +
			"the same keys as template, which must not set them too. " + seen + " Needs Terraform 1.11 or newer.",
	}
}

func templateIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed: true,
		Description: "A digest of the template's settings (template and sensitive_template) as the backend reports them, the engine's, salted with the lineage: " +
			"never the settings themselves, which may be secret. A VM whose template_id drifts from the configured template is replaced.",
	}
}

func cpuAttribute(required bool) schema.NumberAttribute {
	return schema.NumberAttribute{
		Required: required, Optional: !required,
		Description: fmt.Sprintf("vCPUs, a whole number from 1 to %d. Changes in place (a restart where the backend cannot hot-add or to lower it on a running VM).", maxCPU),
		Validators:  []validator.Number{wholeNumber{1, maxCPU}},
	}
}

func memoryAttribute(required bool) schema.Float64Attribute {
	return schema.Float64Attribute{
		Required: required, Optional: !required,
		Description: fmt.Sprintf("Memory in GiB, more than 0 and at most %d, in whole MiB (0.5 is 512 MiB). Changes in place.", maxMemoryGB),
		Validators:  []validator.Float64{memoryValidator{}, float64validator.AtMost(maxMemoryGB)},
	}
}

func diskAttribute() schema.NumberAttribute {
	return schema.NumberAttribute{
		Optional: true, Computed: true, Default: numberdefault.StaticBigFloat(big.NewFloat(spec.DefaultDiskGB)),
		Description: fmt.Sprintf("Disk size in GB, a whole number from 1 to %d; default %d. Growing it is in place; shrinking it replaces the VM.", maxDiskGB, spec.DefaultDiskGB),
		Validators:  []validator.Number{wholeNumber{1, maxDiskGB}},
		PlanModifiers: []planmodifier.Number{numberplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.NumberRequest, resp *numberplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !req.StateValue.IsNull() && !req.PlanValue.IsUnknown() && intOf(req.PlanValue) < intOf(req.StateValue)
		}, "A disk cannot shrink in place: shrinking it replaces the VM.", "A disk cannot shrink in place: shrinking it replaces the VM.")},
	}
}

func powerAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true, Default: stringdefault.StaticString(string(driver.PowerRunning)),
		Description: "Power state: `running` (default) or `stopped`. A change starts or stops the VM.",
		Validators:  []validator.String{stringvalidator.OneOf(string(driver.PowerRunning), string(driver.PowerStopped))},
	}
}

func vmHostAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true,
		Description: "The host the VM runs on. Set it to pin the VM: a change migrates it (live where the backend can; " +
			"replaced where it cannot migrate). Unset, the backend places the VM when it is created, and the resource follows it where it moves.",
		Validators:    []validator.String{stringvalidator.LengthBetween(1, 255)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func tagsAttribute() schema.MapAttribute {
	return schema.MapAttribute{
		ElementType: types.StringType, Optional: true,
		Description: "Tags (key/value labels) of the VM. Keys starting with `novacron:` are reserved for the ownership marker. Change in place.",
		Validators:  []validator.Map{tagKeysValidator{}},
	}
}

func ipAddressesAttribute() schema.ListAttribute {
	return schema.ListAttribute{
		ElementType: types.StringType, Computed: true,
		Description: "The VM's IP addresses where the backend knows them (empty otherwise, e.g. when stopped).",
	}
}
