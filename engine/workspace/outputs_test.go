package workspace_test

import (
	"strconv"
	"testing"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// Outputs evaluate the fleets they name and no other: a 5,000-VM fleet
// that no output names costs the outputs nothing.
func TestOutputsEvaluateTheFleetsTheyName(t *testing.T) {
	body := simBlocks + `
fleet "big" {
  provider  = provider.sim.lab
  count     = 5000
  template  = template.img
  cpu       = 1
  memory_gb = 1
}
vm "db" {
  provider  = provider.sim.lab
  template  = template.img
  cpu       = 1
  memory_gb = 1
}
output "db_name" { value = vm.db.name }
`
	sess := begin(t, newWorkspace(t, map[string]string{"main.nova.hcl": body}), spec.Options{})
	st := state.New("outputs")
	for i := range 5000 {
		st.VMs["fleet.big["+strconv.Itoa(i)+"]"] = &state.VM{Provider: "sim.lab", ID: "vm-" + strconv.Itoa(i), Fleet: "fleet.big",
			Name: "big-" + strconv.Itoa(i), CPU: 1, MemoryMiB: 1024, Power: "running", Tags: map[string]string{"tier": "app"}}
	}
	st.VMs["vm.db"] = &state.VM{Provider: "sim.lab", ID: "vm-db", Fleet: "vm.db", Name: "db", CPU: 1, MemoryMiB: 1024, Power: "running"}
	sess.State = st
	allocs := testing.AllocsPerRun(3, func() {
		outs, diags := sess.Outputs()
		if diags.HasErrors() || len(outs) != 1 || outs[0].Value.AsString() != "db" {
			t.Fatalf("Outputs: %v, %s; want db_name = \"db\"", outs, diagText(diags))
		}
	})
	if allocs > 1000 {
		t.Errorf("Outputs naming one VM allocated %.0f times beside a 5,000-VM fleet no output names", allocs)
	}
}
