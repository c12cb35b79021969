package hyperv

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/hypervtest"
)

// The bulk figures of issue 14: 2,000 VMs the workspace does not manage
// on the test server's two hosts, and a fleet of 500 beside them. The
// figures are measured in benchmarks (the machines are shared and noisy).
const (
	bulkUnmanaged = 2000
	bulkFleet     = 500
)

// bulkSpec is a fleet of stopped VMs (which hold no host memory).
func bulkSpec(s *hypervtest.Server) string {
	return fmt.Sprintf(`
provider "hyperv" "lab" {
  url      = %q
  username = %q
  auth     = "basic"
  ca_file  = %q
  hosts    = ["HV1", "HV2"]

  cpu_allocation_ratio    = 100
  memory_allocation_ratio = 100
}

template "tiny" {
  hyperv { vhdx = %q }
}

fleet "bulk" {
  count     = %d
  template  = template.tiny
  cpu       = 1
  memory_gb = 0.5
  disk_gb   = 2
  power     = "stopped"
}
`, s.URL, s.User, s.CAFile, hypervtest.Template, bulkFleet)
}

// bulkWorkspace starts a server with 2,000 VMs, points nova-plan at it,
// and applies the 500-VM fleet in a workspace.
func bulkWorkspace(tb testing.TB) (string, *hypervtest.Server) {
	s := startServer(tb, hypervtest.Options{VMs: bulkUnmanaged})
	usePassword(tb, s)
	dir := tb.TempDir()
	clitest.WriteSpec(tb, dir, bulkSpec(s))
	nova.ApplyBulk(tb, dir, fmt.Sprintf("%d VMs", bulkFleet))
	return dir, s
}

// TestBulk: among 2,000 VMs, a 500-VM fleet is applied, listed with the
// rest by `inventory -json`, and planned again with no change; each
// nova-plan run sends two scripts (the hosts' check and the inventory),
// whatever the number of VMs.
func TestBulk(t *testing.T) {
	dir, s := bulkWorkspace(t)
	before := s.Requests("Command")
	start := time.Now()
	vms := nova.Inventory(t, dir)
	inv := time.Since(start)
	clitest.CheckListed(t, vms, bulkUnmanaged+bulkFleet, bulkFleet, "VMs")
	if n := s.Requests("Command") - before; n != 2 {
		t.Errorf("inventory -json of %d VMs ran %d scripts, want 2 (check and inventory)", len(vms), n)
	}
	start = time.Now()
	nova.NoChanges(t, dir, "the apply of 500 VMs")
	t.Logf("%d VMs (whole process): inventory -json %s, no-change plan %s", len(vms), inv.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// TestInventoryIsOneScript: Driver.Inventory of 2,000 VMs is one script,
// one shell, one command.
func TestInventoryIsOneScript(t *testing.T) {
	s := startServer(t, hypervtest.Options{VMs: bulkUnmanaged})
	d := openDriver(t, serverConfig(s))
	shells, cmds := s.Requests("Create"), s.Requests("Command")
	inv, err := d.Inventory(context.Background())
	if err != nil || len(inv.VMs) != bulkUnmanaged || len(inv.Hosts) != 2 {
		t.Fatalf("Inventory: %d VMs on %d hosts, %v", len(inv.VMs), len(inv.Hosts), err)
	}
	if n, m := s.Requests("Create")-shells, s.Requests("Command")-cmds; n != 1 || m != 1 {
		t.Errorf("Inventory of %d VMs opened %d shells and ran %d commands, want 1 and 1", bulkUnmanaged, n, m)
	}
}

// BenchmarkBulk times the whole nova-plan process for `inventory -json`
// and a no-change `plan` of a 500-VM fleet among 2,000 other VMs:
//
//	go test -run '^$' -bench Bulk -benchtime 5x ./engine/driver/hyperv/
func BenchmarkBulk(b *testing.B) {
	dir, _ := bulkWorkspace(b)
	nova.BenchInventoryAndPlan(b, dir)
}

// BenchmarkInventory is Driver.Inventory of 2,000 VMs, in process:
//
//	go test -run '^$' -bench Inventory ./engine/driver/hyperv/
func BenchmarkInventory(b *testing.B) {
	s := startServer(b, hypervtest.Options{VMs: bulkUnmanaged})
	d := openDriver(b, serverConfig(s))
	for b.Loop() {
		inv, err := d.Inventory(context.Background())
		if err != nil || len(inv.VMs) != bulkUnmanaged {
			b.Fatalf("Inventory: %d VMs, %v", len(inv.VMs), err)
		}
	}
}
