package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A Terraform refactor that renames a novacron_fleet resource — a moved
// block, or terraform state mv — moves its state to the new address: the
// VMs, their ownership markers and the fleet's lineage stay as they are,
// and nothing is created or deleted.

// fleetAt is a fleet of n VMs named web-N (the fleet's name is web
// whatever the resource's), at resource novacron_fleet.RESOURCE.
func fleetAt(resource string, n int, extra string) string {
	return fmt.Sprintf(`
resource "novacron_fleet" %q {
  backend        = "lab"
  name           = "web"
  instance_count = %d
  template       = { image = "u" }
  cpu            = 1
  memory_gb      = 1
}
%s`, resource, n, extra)
}

// resourceChange is what the tests read of a saved plan's resource_changes.
type resourceChange struct {
	Address         string `json:"address"`
	PreviousAddress string `json:"previous_address"`
	Change          struct {
		Actions []string `json:"actions"`
	} `json:"change"`
}

// planChanges saves a plan and returns its resource changes, from
// `terraform show -json` of the saved plan, and what plan printed.
func (w *workdir) planChanges() ([]resourceChange, string) {
	w.t.Helper()
	out := w.run(0, "plan", "-out=tfplan")
	var p struct {
		ResourceChanges []resourceChange `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(w.run(0, "show", "-json", "tfplan")), &p); err != nil {
		w.t.Fatalf("terraform show -json tfplan: %v", err)
	}
	return p.ResourceChanges, out
}

// ownership is every VM's id, marker address and lineage on the backend,
// by VM name.
func ownership(t *testing.T, dataDir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, vm := range simVMs(t, dataDir) {
		if vm.Marker == nil {
			t.Fatalf("VM %s carries no marker", name)
		}
		out[name] = vm.ID + " " + vm.Marker.Address + " " + vm.Marker.Lineage
	}
	return out
}

// checkMoved asserts that the saved plan moves novacron_fleet.FROM to
// novacron_fleet.TO and changes nothing else.
func checkMoved(t *testing.T, changes []resourceChange, from, to string) {
	t.Helper()
	want := []resourceChange{{Address: "novacron_fleet." + to, PreviousAddress: "novacron_fleet." + from}}
	want[0].Change.Actions = []string{"no-op"}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("the plan's resource_changes (-want +got):\n%s", diff)
	}
}

// TestMovedFleetKeepsVMs: apply a fleet of three, rename its resource with
// a moved block: the plan moves it (no-op at its previous address, no
// create, no destroy), the apply keeps every VM, marker and the lineage,
// and the next plan is clean. Then the same with terraform state mv.
func TestMovedFleetKeepsVMs(t *testing.T) {
	data := t.TempDir()
	w := bareWorkdir(t, data, fleetAt("web", 3, ""))
	w.run(0, "apply", "-auto-approve")
	before := ownership(t, data)
	if len(before) != 3 {
		t.Fatalf("the backend holds %d VMs, want 3: %v", len(before), before)
	}
	lineage := w.show().resource("novacron_fleet.web")["lineage"]

	w.write("main.tf", bareMain(data, fleetAt("frontend", 3, `
moved {
  from = novacron_fleet.web
  to   = novacron_fleet.frontend
}
`)))
	changes, out := w.planChanges()
	checkMoved(t, changes, "web", "frontend")
	for _, want := range []string{"novacron_fleet.web has moved to novacron_fleet.frontend", "Plan: 0 to add, 0 to change, 0 to destroy."} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	w.run(0, "apply", "tfplan")
	if diff := cmp.Diff(before, ownership(t, data)); diff != "" {
		t.Errorf("the VMs after the moved block's apply (-before +after):\n%s", diff)
	}
	moved := w.show().resource("novacron_fleet.frontend")
	if moved == nil || moved["lineage"] != lineage {
		t.Errorf("novacron_fleet.frontend's lineage is %v, want novacron_fleet.web's %v", moved["lineage"], lineage)
	}
	if w.show().resource("novacron_fleet.web") != nil {
		t.Error("novacron_fleet.web is still in state after the move")
	}
	if got := w.stateVMIDs("novacron_fleet.frontend"); !slices.Equal(got, ids(simVMs(t, data))) {
		t.Errorf("state records VMs %v, the backend holds %v", got, ids(simVMs(t, data)))
	}
	w.run(0, "plan", "-detailed-exitcode")

	// The moved block removed (Terraform needs it no longer), then a
	// rename by terraform state mv.
	w.write("main.tf", bareMain(data, fleetAt("frontend", 3, "")))
	w.run(0, "plan", "-detailed-exitcode")
	w.run(0, "state", "mv", "novacron_fleet.frontend", "novacron_fleet.api")
	w.write("main.tf", bareMain(data, fleetAt("api", 3, "")))
	changes, _ = w.planChanges()
	for _, c := range changes {
		if !slices.Equal(c.Change.Actions, []string{"no-op"}) {
			t.Errorf("after terraform state mv the plan has %v %s", c.Change.Actions, c.Address)
		}
	}
	w.run(0, "plan", "-detailed-exitcode")
	w.run(0, "apply", "-auto-approve")
	if diff := cmp.Diff(before, ownership(t, data)); diff != "" {
		t.Errorf("the VMs after terraform state mv and an apply (-before +after):\n%s", diff)
	}
	if got := w.show().resource("novacron_fleet.api")["lineage"]; got != lineage {
		t.Errorf("novacron_fleet.api's lineage is %v, want %v", got, lineage)
	}

	// The fleet still works under its new address: one more VM is
	// created, the three others are untouched.
	w.write("main.tf", bareMain(data, fleetAt("api", 4, "")))
	w.run(0, "apply", "-auto-approve")
	after := ownership(t, data)
	if len(after) != 4 {
		t.Errorf("the backend holds %d VMs after growing the fleet to 4: %v", len(after), after)
	}
	for name, o := range before {
		if after[name] != o {
			t.Errorf("VM %s was %q, is %q after growing the fleet", name, o, after[name])
		}
	}
	w.run(0, "plan", "-detailed-exitcode")
}
