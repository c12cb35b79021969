package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
)

// wantedName is a VM name a resource wants, and the attribute that names
// it, for diagnostics.
type wantedName struct {
	name string
	at   path.Path
}

// owner is what a resource owns: the VMs its state records and the VMs
// carrying its lineage.
type owner struct {
	backend string // for the import hint
	lineage string
	ids     map[string]bool
}

func (o owner) owns(vm *driver.VM) bool {
	return o.ids[vm.ID] || (vm.Marker != nil && o.lineage != "" && vm.Marker.Lineage == o.lineage)
}

// nameConflicts is one error per wanted name that a VM the resource does
// not own already has: the resource would make a second VM of that name.
func nameConflicts(inv driver.Inventory, o owner, want []wantedName) diag.Diagnostics {
	byName := make(map[string][]*driver.VM, len(inv.VMs))
	for i := range inv.VMs {
		byName[inv.VMs[i].Name] = append(byName[inv.VMs[i].Name], &inv.VMs[i])
	}
	var diags diag.Diagnostics
	for _, w := range want {
		for _, vm := range byName[w.name] {
			if !o.owns(vm) {
				diags.AddAttributeError(w.at, "VM name already in use", conflictDetail(vm, o))
			}
		}
	}
	return diags
}

func conflictDetail(vm *driver.VM, o owner) string {
	head := fmt.Sprintf("The resource would create a VM named %q, but VM %s on backend %s already has that name", vm.Name, vm.ID, o.backend)
	switch m := vm.Marker; {
	case m == nil:
		return head + " and is not managed by NovaCron. Choose another name, or import the VM: terraform import ADDRESS '" +
			o.backend + "/" + vm.Name + "'."
	case madeByTerraform(m.Lineage):
		return head + fmt.Sprintf(" and belongs to another Terraform resource (lineage %s, address %s). ", m.Lineage, m.Address) +
			"If that is the object this resource replaces under create_before_destroy, nothing was changed and Terraform keeps it; the new VMs need names the old ones do not use: " +
			"change the name (or name_pattern), or remove create_before_destroy and apply again (Terraform then deletes the old VMs first). " +
			"If it is a resource of another configuration, choose other names. " +
			"If it is this resource's own VM, made by an apply that stopped before Terraform saved it, import it: terraform import ADDRESS '" +
			o.backend + "/" + importName(m) + "@" + m.Lineage + "'."
	default:
		return head + fmt.Sprintf(" and belongs to another NovaCron owner, such as a nova-plan workspace (lineage %s, address %s). ", m.Lineage, m.Address) +
			"Choose another name; to take the VM over, remove it from its owner's state, then import it naming the owner: terraform import ADDRESS '" +
			o.backend + "/" + vm.Name + "@" + m.Lineage + "'."
	}
}

// importName is what an import of a VM's resource names: the fleet of a
// fleet's VM, else the VM.
func importName(m *driver.Marker) string {
	if a, err := addrs.ParseInstance(m.Address); err == nil {
		return a.Fleet().Name
	}
	return strings.TrimPrefix(m.Address, "vm.") // a VM name the address rules refuse (with a dot)
}

// withoutReplaced is the inventory without the VMs with a wanted name of
// a resource of this type and name (sameResource), for the plan of a new
// object: when Terraform replaces a resource (-replace, taint, a change
// that forces it) it deletes the old object's VMs before it creates the new
// ones, and under create_before_destroy it plans the new object again
// after it set the old one aside, where an error would leave the state with
// no current object. The rule depends on the inventory alone, so every
// plan of the object, in any provider process, plans the same. Create then
// refuses a name still in use (nameConflicts), and Terraform keeps the old
// object. It warns about the VMs it hides.
func withoutReplaced(inv driver.Inventory, typ, name string, want []wantedName) (driver.Inventory, diag.Diagnostics) {
	wanted := make(map[string]bool, len(want))
	for _, w := range want {
		wanted[w.name] = true
	}
	out := inv
	out.VMs = make([]driver.VM, 0, len(inv.VMs))
	hidden := map[string]string{}
	for _, vm := range inv.VMs {
		if wanted[vm.Name] && vm.Marker != nil && sameResource(vm.Marker.Lineage, typ, name) {
			hidden[vm.Name] = vm.Marker.Lineage
			continue
		}
		out.VMs = append(out.VMs, vm)
	}
	var diags diag.Diagnostics
	if len(hidden) > 0 {
		names := slices.Sorted(maps.Keys(hidden))
		diags.AddWarning("VM names of a replaced resource",
			fmt.Sprintf("%d VM(s) with names this resource wants (%s) belong to a %s named %q (lineage %s): "+
				"the plan takes them for the VMs of the object this resource replaces, which Terraform deletes first. "+
				"Under create_before_destroy the new VMs need other names: the apply then stops before creating anything, "+
				"Terraform keeps the old object, and changing the name (or name_pattern) or removing create_before_destroy lets the next apply go through. "+
				"If they belong to another configuration, the apply stops the same way: choose other names.",
				len(names), abbreviate(names), typ, name, hidden[names[0]]))
	}
	return out, diags
}
