package xen

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
)

// TestExampleAgainstXensim builds and starts examples/xen/xensim, reads
// the environment it prints, and runs examples/xen as written through
// nova-plan: apply makes the fleet of 3 and the pinned VM, a plan finds
// nothing to change, moving the pin plans a live migration, destroy
// removes them. Stopped, xensim removes its folder.
func TestExampleAgainstXensim(t *testing.T) {
	sim := clitest.StartSimulator(t, clitest.BuildCommand(t, "./examples/xen/xensim"), false)
	sim.Setenv(t, "NOVACRON_XEN_URL", "NOVACRON_XEN_USERNAME", "NOVACRON_XEN_PASSWORD", "NOVACRON_XEN_CA_FILE")
	dir := clitest.Example(t, "xen")
	nova.Run(t, dir, "validate").Must(t, 0, "validate")
	r := nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	if !strings.Contains(r.Stdout, "Apply complete! VMs: 4 added") {
		t.Errorf("the example does not make 4 VMs:\n%s", r.Stdout)
	}
	hosts := map[string]int{}
	for _, vm := range nova.Inventory(t, dir) {
		hosts[vm.Host]++
		if vm.Address == "vm.db-01" && (vm.Host != "xen-01" || vm.DiskGB != 40) {
			t.Errorf("db-01 is on %s with %d GB, want xen-01 with 40 GB", vm.Host, vm.DiskGB)
		}
	}
	if len(hosts) != 2 {
		t.Errorf("the VMs are on %v, want both hosts", hosts)
	}
	nova.NoChanges(t, dir, "apply")
	if diff := nova.Plan(t, dir); len(diff.Changes) != 0 {
		t.Errorf("plan after apply: %v", diff.Actions())
	}
	r = nova.Run(t, dir, "plan", "-var", "db_host=xen-02")
	if r.Code != 0 || !strings.Contains(r.Stdout, "1 to migrate") {
		t.Errorf("moving the pin does not plan a migration:\n%s\n%s", r.Stdout, r.Stderr)
	}
	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")

	sim.Stop(t, "NOVACRON_XEN_CA_FILE")
}
