package xen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/xentest"
)

// lifecycleSpec is a 3-VM fleet and a VM pinned to a host, on the
// server's pool, storage and network.
func lifecycleSpec(s *xentest.Server, ca string, cpu int, memoryGB float64, dbHost string) string {
	return fmt.Sprintf(`
provider "xen" "lab" {
  url              = %q
  ca_file          = %q
  pool             = %q
  sr               = %q
  network          = %q
  max_cpu          = 4
  max_memory_gb    = 4
  poll_interval    = "5ms"
  shutdown_timeout = "1s"
}

template "debian" {
  xen { template = %q }
}

fleet "web" {
  count     = 3
  template  = template.debian
  cpu       = %d
  memory_gb = %g
  disk_gb   = 10
  tags      = { tier = "web" }
}

vm "db" {
  template  = template.debian
  cpu       = 1
  memory_gb = 1
  disk_gb   = 20
  host      = %q
}
`, s.URL, ca, xentest.PoolName, xentest.SRName, xentest.NetworkName, xentest.TemplateName, cpu, memoryGB, dbHost)
}

// TestLifecycle drives a fleet and a pinned VM through nova-plan against
// the XenAPI test server: apply, grow (live), shrink (a restart the plan
// announces), move the pin (a live pool_migrate, checked on the server),
// destroy; a plan after each apply finds nothing to change, and the
// server is checked for markers, sizes and leftovers.
func TestLifecycle(t *testing.T) {
	s := startServer(t, xentest.Options{TaskPolls: 1})
	usePassword(t, s)
	dir := t.TempDir()
	ca, err := s.WriteCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := s.Count()
	h1, h2 := xentest.HostName(1), xentest.HostName(2)

	clitest.WriteSpec(t, dir, lifecycleSpec(s, ca, 1, 1, h1))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	vms := onServer(t, s)
	if len(vms) != 4 || vms["vm.db"].HostName != h1 || !cmp.Equal(vms["vm.db"].Disks, []int64{20}) {
		t.Fatalf("after apply the server has %d VMs, db on %q with disks %v; want 4, db on %s with one 20 GB disk", len(vms), vms["vm.db"].HostName, vms["vm.db"].Disks, h1)
	}
	for addr, vm := range vms {
		if vm.PowerState != "Running" || vm.OtherConfig["novacron:lineage"] == "" || vm.CDs != 1 || len(vm.VIFs) != 1 {
			t.Errorf("%s on the server: %s, lineage %q, %d CD drives, %d VIFs; want running, marked, with the template's CD drive and one VIF",
				addr, vm.PowerState, vm.OtherConfig["novacron:lineage"], vm.CDs, len(vm.VIFs))
		}
	}
	nova.NoChanges(t, dir, "apply")

	clitest.WriteSpec(t, dir, lifecycleSpec(s, ca, 2, 1.5, h1))
	want := []string{"fleet.web[0] update", "fleet.web[1] update", "fleet.web[2] update"}
	if diff := cmp.Diff(want, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of growing cpu and memory within the ceilings, live (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the growth")
	for addr, vm := range onServer(t, s) {
		if addr != "vm.db" && (vm.VCPUsAtStartup != 2 || vm.MemoryDynMax != 1536<<20 || vm.PowerState != "Running") {
			t.Errorf("%s after the growth: %d vCPUs, %d bytes, %s", addr, vm.VCPUsAtStartup, vm.MemoryDynMax, vm.PowerState)
		}
	}
	nova.NoChanges(t, dir, "the growth")

	clitest.WriteSpec(t, dir, lifecycleSpec(s, ca, 1, 1.5, h1))
	want = []string{"fleet.web[0] update (restart)", "fleet.web[1] update (restart)", "fleet.web[2] update (restart)"}
	if diff := cmp.Diff(want, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of lowering the vCPUs, a restart (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the shrink")
	nova.NoChanges(t, dir, "the shrink")

	clitest.WriteSpec(t, dir, lifecycleSpec(s, ca, 1, 1.5, h2))
	if diff := cmp.Diff([]string{"vm.db migrate (live)"}, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of moving the pin (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the move")
	if db := onServer(t, s)["vm.db"]; db.HostName != h2 || db.PowerState != "Running" || s.Calls("Async.VM.pool_migrate") != 1 {
		t.Errorf("after the move db is on %q, %s, after %d pool_migrate calls; want running on %s after one", db.HostName, db.PowerState, s.Calls("Async.VM.pool_migrate"), h2)
	}
	nova.NoChanges(t, dir, "the move")

	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	if vms := onServer(t, s); len(vms) != 0 {
		t.Errorf("after destroy the server has %d VMs", len(vms))
	}
	if after := s.Count(); after != before {
		t.Errorf("after destroy the server holds %+v, before apply %+v: something was left behind (or an ISO or template disk went)", after, before)
	}
	if n := s.Sessions(); n != 0 {
		t.Errorf("%d sessions are still open: nova-plan did not log out", n)
	}
	noSecret(t, dir, s.Password)
}

// onServer lists the server's VMs by their marker's address.
func onServer(t *testing.T, s *xentest.Server) map[string]xentest.VMInfo {
	t.Helper()
	out := map[string]xentest.VMInfo{}
	for _, vm := range s.VMs() {
		out[vm.OtherConfig["novacron:address"]] = vm
	}
	return out
}

// noSecret fails when a file under dir holds the password.
func noSecret(t *testing.T, dir, secret string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		if b, _ := os.ReadFile(p); strings.Contains(string(b), secret) {
			t.Errorf("%s holds the password", p)
		}
		return nil
	})
}
