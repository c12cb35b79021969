package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/novacron/novacron/engine/driver"
)

// importID is a parsed import ID: BACKEND/NAME, or BACKEND/NAME@LINEAGE to
// take over VMs that carry the ownership marker of lineage LINEAGE (a
// nova-plan workspace, another configuration's resource, or this
// resource's own VMs made by an apply that stopped before Terraform saved
// it). Naming the owner is the consent: an import never takes a VM another
// owner claims without it.
type importID struct {
	backend, name, lineage string
}

// parseImportID reads BACKEND/NAME[@LINEAGE]; example is shown when the
// ID is malformed.
func parseImportID(id, example string) (importID, diag.Diagnostics) {
	var diags diag.Diagnostics
	rest, lineage, hasLineage := strings.Cut(id, "@")
	backendName, name, ok := strings.Cut(rest, "/")
	if !ok || backendName == "" || name == "" || (hasLineage && lineage == "") {
		diags.AddError("Invalid import ID", fmt.Sprintf(
			"Import by BACKEND/NAME, e.g. %s, or by BACKEND/NAME@LINEAGE to take over VMs that carry the ownership marker of LINEAGE; got %q.",
			example, id))
	}
	return importID{backend: backendName, name: name, lineage: lineage}, diags
}

// vmLineage is the lineage of the novacron_vm an import of vm makes: a new
// random one for a VM no owner's marker claims (the import leaves the VM
// as it is), else the one the import takes it over with (importedLineage).
func (id importID) vmLineage(vm *driver.VM) string {
	if vm.Marker == nil {
		return newLineage("novacron_vm", vm.Name)
	}
	return importedLineage("novacron_vm", vm.Name, id.lineage, id.backend, vm.ID)
}

// fleetLineage is the lineage of the novacron_fleet an import makes.
func (id importID) fleetLineage() string {
	return importedLineage("novacron_fleet", id.name, id.lineage, id.backend)
}

// checkOwner refuses a VM whose marker names an owner other than the one
// the import ID names (none named: no owner allowed). A VM an earlier run
// of the same import took over (terraform plan of an import block) is the
// named owner's.
func (id importID) checkOwner(vm *driver.VM) diag.Diagnostics {
	var diags diag.Diagnostics
	m := vm.Marker
	if m == nil || m.Lineage == id.lineage || (id.lineage != "" && m.Lineage == id.vmLineage(vm)) {
		return diags
	}
	explicit := fmt.Sprintf("%s/%s@%s", id.backend, id.name, m.Lineage)
	what := "another NovaCron owner, such as a nova-plan workspace"
	if madeByTerraform(m.Lineage) {
		what = "another Terraform resource (of this configuration or another)"
	}
	diags.AddError("VM owned elsewhere", fmt.Sprintf(
		"VM %s (%s) is owned by %s: its ownership marker names lineage %s and address %s. "+
			"Importing it would let two owners manage one VM and revert each other's changes. "+
			"To take it over, first remove it from its owner's state (nova-plan state rm %s, or terraform state rm in the other configuration), "+
			"then import it naming its owner: %q.", vm.Name, vm.ID, what, m.Lineage, m.Address, m.Address, explicit))
	return diags
}
