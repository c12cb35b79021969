package vsphere

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/vim25/mo"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// lifecycleSpec is a 5-VM fleet and a VM pinned to a host.
func lifecycleSpec(cpu int, memoryGB float64, power, dbHost string) string {
	return fmt.Sprintf(`
provider "vsphere" "lab" {
  datacenter              = "DC0"
  cluster                 = "DC0_C0"
  datastore               = "LocalDS_0"
  network                 = "DC0_DVPG0"
  shutdown_timeout        = "5s"
  memory_allocation_ratio = 2
}

template "small" {
  vsphere { vm = "novacron-template" }
}

fleet "web" {
  count     = 5
  template  = template.small
  cpu       = %d
  memory_gb = %g
  disk_gb   = 10
  power     = %q
  tags      = { tier = "web" }
  placement {
    spread_by = "host"
  }
}

vm "db" {
  template  = template.small
  cpu       = 1
  memory_gb = 1
  disk_gb   = 20
  host      = %q
}
`, cpu, memoryGB, power, dbHost)
}

// TestLifecycle drives a 5-VM fleet and a pinned VM through nova-plan
// against the simulator: apply, resize (hot, no restart), move the pin (a
// vMotion, verified on vCenter), power the fleet off, destroy; a plan
// after each apply finds nothing to change.
func TestLifecycle(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	useSim(t, s)
	dir := t.TempDir()
	h1, h2 := vcsim.HostName(1), vcsim.HostName(2)

	clitest.WriteSpec(t, dir, lifecycleSpec(1, 1, "running", h1))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	vms := nova.Managed(t, dir)
	if len(vms) != 6 || vms["vm.db"].Host != h1 || vms["vm.db"].DiskGB != 20 {
		t.Fatalf("after apply: %+v; want 6 VMs, db on %s with 20 GB", vms, h1)
	}
	hosts := map[string]int{}
	for i := range 5 {
		hosts[vms[fmt.Sprintf("fleet.web[%d]", i)].Host]++
	}
	if len(hosts) != 3 {
		t.Errorf("the web fleet, spread by host, is on %v; want all 3 hosts", hosts)
	}
	nova.NoChanges(t, dir, "apply")

	clitest.WriteSpec(t, dir, lifecycleSpec(2, 1.5, "running", h1))
	var want []string
	for i := range 5 {
		want = append(want, fmt.Sprintf("fleet.web[%d] update", i))
	}
	if diff := cmp.Diff(want, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of growing cpu and memory, hot (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the resize")
	for addr, vm := range nova.Managed(t, dir) {
		if addr != "vm.db" && (vm.CPU != 2 || vm.MemoryGB != 1.5 || vm.Power != "running") {
			t.Errorf("%s after the resize: %d vCPU, %g GB, %s; want 2, 1.5, running", addr, vm.CPU, vm.MemoryGB, vm.Power)
		}
	}
	nova.NoChanges(t, dir, "the resize")

	clitest.WriteSpec(t, dir, lifecycleSpec(2, 1.5, "running", h2))
	if diff := cmp.Diff([]string{"vm.db migrate (live)"}, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of moving the pin (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the move")
	if got := hostOnVCenter(t, s, "db"); got != h2 {
		t.Errorf("vCenter has db on %s after the move, want %s", got, h2)
	}
	nova.NoChanges(t, dir, "the move")

	clitest.WriteSpec(t, dir, lifecycleSpec(2, 1.5, "stopped", h2))
	want = want[:0]
	for i := range 5 {
		want = append(want, fmt.Sprintf("fleet.web[%d] stop", i))
	}
	if diff := cmp.Diff(want, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of powering off (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the power-off")
	for addr, vm := range nova.Managed(t, dir) {
		if addr != "vm.db" && vm.Power != "stopped" {
			t.Errorf("%s after the power-off is %s", addr, vm.Power)
		}
	}
	nova.NoChanges(t, dir, "the power-off")

	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	if vms := nova.Inventory(t, dir); len(vms) != 0 {
		t.Errorf("after destroy the inventory lists %+v, want nothing (the template is not listed)", vms)
	}
}

// hostOnVCenter reads the host of the named VM from vCenter itself.
func hostOnVCenter(t *testing.T, s *vcsim.Sim, name string) string {
	t.Helper()
	c, f := simClient(t, s)
	vm := simVM(t, f, name)
	var m mo.VirtualMachine
	if err := vm.Properties(context.Background(), vm.Reference(), []string{"runtime.host"}, &m); err != nil {
		t.Fatal(err)
	}
	var h mo.HostSystem
	if err := c.RetrieveOne(context.Background(), *m.Runtime.Host, []string{"name"}, &h); err != nil {
		t.Fatal(err)
	}
	return h.Name
}
