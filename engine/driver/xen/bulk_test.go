package xen

import (
	"context"
	"fmt"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/xentest"
)

// The bulk figures of issue 14: 2,000 unmanaged VMs in the pool and a
// fleet of 200 beside them. The figures are measured in benchmarks.
const (
	bulkUnmanaged = 2000
	bulkFleet     = 200
)

// bulkOptions is a pool big enough for them.
var bulkOptions = xentest.Options{VMs: bulkUnmanaged, Hosts: 4, HostCPUs: 160, HostMemoryMiB: 1 << 20, TaskPolls: 1}

// bulkWorkspace applies the fleet among the unmanaged VMs.
func bulkWorkspace(tb testing.TB) (string, *xentest.Server) {
	s := startServer(tb, bulkOptions)
	usePassword(tb, s)
	dir := tb.TempDir()
	ca, err := s.WriteCA(dir)
	if err != nil {
		tb.Fatal(err)
	}
	clitest.WriteSpec(tb, dir, fmt.Sprintf(`
provider "xen" "pool" {
  url           = %q
  ca_file       = %q
  poll_interval = "5ms"
}
template "small" {
  xen { template = %q }
}
fleet "bulk" {
  count     = %d
  template  = template.small
  cpu       = 1
  memory_gb = 0.5
  disk_gb   = 8
}
`, s.URL, ca, xentest.TemplateName, bulkFleet))
	nova.ApplyBulk(tb, dir, fmt.Sprintf("%d VMs", bulkFleet))
	return dir, s
}

// TestBulk: `inventory -json` lists all 2,200 VMs and a no-change plan
// finds nothing, each process making a fixed number of calls whatever
// the number of VMs.
func TestBulk(t *testing.T) {
	dir, s := bulkWorkspace(t)
	calls := s.TotalCalls()
	vms := nova.Inventory(t, dir)
	clitest.CheckListed(t, vms, bulkUnmanaged+bulkFleet, bulkFleet, "VMs")
	// login, pool, host (Open); host, host_metrics, VM, VBD, VDI (Inventory); logout
	if n := s.TotalCalls() - calls; n > 12 {
		t.Errorf("inventory -json of %d VMs made %d XenAPI calls, want a fixed handful (no call per VM)", len(vms), n)
	}
	calls = s.TotalCalls()
	nova.NoChanges(t, dir, "the bulk apply")
	if n := s.TotalCalls() - calls; n > 16 {
		t.Errorf("a no-change plan of %d VMs made %d XenAPI calls, want a fixed handful", len(vms), n)
	}
}

// TestInventoryCalls: Driver.Inventory makes five calls whatever the
// number of VMs.
func TestInventoryCalls(t *testing.T) {
	for _, n := range []int{0, 500} {
		s := startServer(t, xentest.Options{VMs: n})
		d := openDriver(t, serverConfig(t, s))
		before := s.TotalCalls()
		inv, err := d.Inventory(context.Background())
		if err != nil || len(inv.VMs) != n {
			t.Fatalf("Inventory: %d VMs, %v; want %d", len(inv.VMs), err, n)
		}
		if got := s.TotalCalls() - before; got != 5 {
			t.Errorf("Inventory of %d VMs made %d calls, want 5", n, got)
		}
	}
}

// BenchmarkBulk times the whole nova-plan process for `inventory -json`
// and a no-change `plan` of a 200-VM fleet among 2,000 unmanaged VMs:
//
//	go test -run '^$' -bench Bulk -benchtime 5x ./engine/driver/xen/
func BenchmarkBulk(b *testing.B) {
	dir, _ := bulkWorkspace(b)
	nova.BenchInventoryAndPlan(b, dir)
}
