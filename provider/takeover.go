package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// Takeover. Another configuration (or a nova-plan workspace) takes a VM
// over by importing it naming this resource's lineage: the import rewrites
// the VM's marker to its own lineage. This resource's state still records
// the VM; the engine then treats it as another workspace's (plan's
// refuseForeign): a plan that would change or delete it is refused, and a
// destroy forgets it instead of deleting it. This file words that for a
// Terraform user.

// takenVM is a VM a resource's state records at addr that carries another
// lineage's marker.
type takenVM struct {
	addr string
	vm   *driver.VM
}

// takenOver lists the VMs st records that the inventory shows under
// another lineage's marker, by address.
func takenOver(inv driver.Inventory, st *state.State) []takenVM {
	live := indexByID(inv)
	var out []takenVM
	for _, addr := range st.Addresses() {
		vm := live[st.VMs[addr].ID]
		if vm != nil && vm.Marker != nil && vm.Marker.Lineage != "" && vm.Marker.Lineage != st.Lineage {
			out = append(out, takenVM{addr: addr, vm: vm})
		}
	}
	return out
}

// withoutTaken is st without the VMs taken over.
func withoutTaken(st *state.State, taken []takenVM) *state.State {
	out := st.Clone()
	for _, t := range taken {
		delete(out.VMs, t.addr)
	}
	return out
}

// takenWho says who took the VMs over.
func takenWho(taken []takenVM, backendName string) string {
	var each []string
	for _, t := range taken {
		m := t.vm.Marker
		who := "another NovaCron owner, such as a nova-plan workspace,"
		if madeByTerraform(m.Lineage) {
			who = "another Terraform resource (of another configuration, or another resource of this one)"
		}
		each = append(each, fmt.Sprintf("VM %s (%s) on backend %s now carries the ownership marker of %s: lineage %s, address %s",
			t.vm.Name, t.vm.ID, backendName, who, m.Lineage, m.Address))
	}
	return strings.Join(each, "; ") + ". It was taken over by an import that named this resource's lineage."
}

// takenDiags words the engine's refusal of a change to a VM taken over in
// Terraform's terms: the engine's error (plan.SummaryTakenOver) becomes
// the provider's, and a plan that leaves the VMs alone gets a warning.
func takenDiags(engine diag.Diagnostics, taken []takenVM, backendName string) diag.Diagnostics {
	if len(taken) == 0 {
		return engine
	}
	var out diag.Diagnostics
	refused := false
	for _, d := range engine {
		if d.Severity() == diag.SeverityError && d.Summary() == plan.SummaryTakenOver {
			refused = true
			continue
		}
		out.Append(d)
	}
	how := "To stop managing it here, remove the resource from the configuration and apply (its destroy forgets a VM taken over " +
		"instead of deleting it) or run terraform state rm on the resource. To manage it here again, first remove it from its new owner's state, " +
		"then run terraform state rm here and import it naming the new owner: terraform import ADDRESS '" + backendName + "/NAME@LINEAGE'."
	if refused {
		out.AddError("VM taken over by another owner", takenWho(taken, backendName)+
			" NovaCron does not change or delete a VM another owner holds, and this plan would. "+how)
		return out
	}
	out.AddWarning("VM taken over by another owner", takenWho(taken, backendName)+" This resource leaves it alone. "+how)
	return out
}

// forgetTaken is the destroy's warning about VMs it forgets.
func forgetTaken(taken []takenVM, backendName string) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(taken) == 0 {
		return diags
	}
	names := make([]string, len(taken))
	for i, t := range taken {
		names[i] = t.vm.Name
	}
	slices.Sort(names)
	diags.AddWarning("VM taken over by another owner: forgotten, not deleted",
		takenWho(taken, backendName)+" The destroy removed "+abbreviate(names)+" from this resource's state and left the VM(s) to their owner.")
	return diags
}
