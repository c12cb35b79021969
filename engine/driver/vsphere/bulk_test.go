package vsphere

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// The bulk figures of issue 9: 2,000 unmanaged VMs on 8 hosts, and a
// fleet of 500 beside them. The target is that `nova-plan inventory -json`
// and a no-change `nova-plan plan` each take under 2 s, whole process:
// BenchmarkBulk measures them (performance is measured in benchmarks, not
// timed tests: the machines are shared and noisy).
const (
	bulkHosts     = 8
	bulkUnmanaged = 2000
	bulkFleet     = 500
)

// bulkSpec is a fleet of stopped VMs; the allocation ratios let it be
// placed on the simulator's small hosts (2 threads, 4 GiB each).
func bulkSpec() string {
	return fmt.Sprintf(`
provider "vsphere" "lab" {
  datacenter              = "DC0"
  cluster                 = "DC0_C0"
  cpu_allocation_ratio    = 100
  memory_allocation_ratio = 100
}

template "small" {
  vsphere { vm = "novacron-template" }
}

fleet "bulk" {
  count     = %d
  template  = template.small
  cpu       = 1
  memory_gb = 0.5
  disk_gb   = 10
  power     = "stopped"
}
`, bulkFleet)
}

// bulkWorkspace starts a simulator of 2,000 unmanaged VMs on 8 hosts,
// points nova-plan at it, and applies the 500-VM fleet in a workspace.
func bulkWorkspace(tb testing.TB) string {
	start := time.Now()
	s := startSim(tb, vcsim.Options{Hosts: bulkHosts, VMs: bulkUnmanaged})
	tb.Logf("simulator with %d hosts and %d VMs: %s", bulkHosts, bulkUnmanaged, time.Since(start).Round(10*time.Millisecond))
	useSim(tb, s)
	dir := tb.TempDir()
	clitest.WriteSpec(tb, dir, bulkSpec())
	nova.ApplyBulk(tb, dir, fmt.Sprintf("%d stopped VMs", bulkFleet))
	return dir
}

// TestBulk: among 2,000 unmanaged VMs on 8 hosts, a 500-VM fleet is
// applied, listed with the rest by `inventory -json`, and planned again
// with no change. It logs how long each took.
func TestBulk(t *testing.T) {
	dir := bulkWorkspace(t)
	start := time.Now()
	vms := nova.Inventory(t, dir)
	inv := time.Since(start)
	clitest.CheckListed(t, vms, bulkUnmanaged+bulkFleet, bulkFleet, "VMs")
	start = time.Now()
	nova.NoChanges(t, dir, "the apply of 500 VMs")
	t.Logf("%d VMs on %d hosts (whole process): inventory -json %s, no-change plan %s",
		len(vms), bulkHosts, inv.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// BenchmarkBulk times the whole nova-plan process for `inventory -json`
// and a no-change `plan` of a 500-VM fleet among 2,000 unmanaged VMs on 8
// hosts:
//
//	go test -run '^$' -bench Bulk -benchtime 5x ./engine/driver/vsphere/
func BenchmarkBulk(b *testing.B) {
	dir := bulkWorkspace(b)
	nova.BenchInventoryAndPlan(b, dir)
}

// BenchmarkInventory is Driver.Inventory of 2,000 VMs on 8 hosts, in
// process: go test -run '^$' -bench Inventory ./engine/driver/vsphere/
func BenchmarkInventory(b *testing.B) {
	s := startSim(b, vcsim.Options{Hosts: bulkHosts, VMs: bulkUnmanaged})
	d, err := Open(context.Background(), driverRequest(s))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	for b.Loop() {
		inv, err := d.Inventory(context.Background())
		if err != nil || len(inv.VMs) != bulkUnmanaged {
			b.Fatalf("Inventory: %d VMs, %v", len(inv.VMs), err)
		}
	}
}
