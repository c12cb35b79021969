package provider

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/novacron/novacron/engine/operation"
)

// placer says on which attribute of a resource a diagnostic about one
// change lands (from the change's address and the attribute it is about,
// as the core's operation.Context gives them); ok is false for the
// resource as a whole.
type placer func(c operation.ChangeContext) (at path.Path, ok bool)

// fromEngine converts the core's diagnostics, in the core's words: one
// about a single change lands where place says, the others on the
// resource. (The provider's specs have no source, so they carry no range.)
func fromEngine(hd hcl.Diagnostics, place placer) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, d := range hd {
		at, placed := pathOf(d, place)
		switch {
		case placed && d.Severity == hcl.DiagError:
			diags.AddAttributeError(at, d.Summary, d.Detail)
		case placed:
			diags.AddAttributeWarning(at, d.Summary, d.Detail)
		case d.Severity == hcl.DiagError:
			diags.AddError(d.Summary, d.Detail)
		default:
			diags.AddWarning(d.Summary, d.Detail)
		}
	}
	return diags
}

// pathOf is where a diagnostic about one change lands.
func pathOf(d *hcl.Diagnostic, place placer) (path.Path, bool) {
	ctx, ok := hcl.DiagnosticExtra[*operation.Context](d)
	if !ok || place == nil || len(ctx.Changes) != 1 {
		return path.Empty(), false
	}
	return place(ctx.Changes[0])
}

// onVMAttribute places a novacron_vm's diagnostic on the attribute the
// change is about (cpu, host, power, …), else on the resource.
func onVMAttribute(c operation.ChangeContext) (path.Path, bool) {
	if c.Attribute == "" {
		return path.Empty(), false
	}
	return path.Root(c.Attribute), true
}

// onFleetVM places a diagnostic about one of the fleet's VMs on its entry in
// instances (Terraform shows that entry's line; a path inside the entry
// would show on the fleet's own attribute of that name), or, with
// instance_count, on the fleet's attribute the change is about, else on
// the VM's element of vms.
func onFleetVM(c operation.ChangeContext) (path.Path, bool) {
	key := c.Address.Key()
	if k, ok := key.Str(); ok {
		return path.Root("instances").AtMapKey(k), true
	}
	switch c.Attribute {
	case "cpu", "memory_gb", "disk_gb", "power", "tags":
		return path.Root(c.Attribute), true
	}
	if i, ok := key.Int(); ok {
		return path.Root("vms").AtMapKey(strconv.Itoa(i)), true
	}
	return path.Empty(), false
}
