package gce

import (
	"context"
	"fmt"
	"testing"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/gcetest"
)

// The bulk figures of issue 14: 2,000 unmanaged instances in the test
// server and a fleet of 200 beside them, listed with list_unmanaged. The
// times are measured in benchmarks (the machines are shared and noisy);
// the tests count calls.
const (
	bulkUnmanaged = 2000
	bulkFleet     = 200
)

// bulkSpec is a fleet of small instances that lists every instance.
func bulkSpec(s *gcetest.Server) string {
	return fmt.Sprintf(`
provider "gce" "cloud" {
  project        = %q
  zone           = %q
  endpoint       = %q
  list_unmanaged = true
  poll_interval  = "5ms"
}

template "small" {
  gce { image = %q }
}

fleet "bulk" {
  count     = %d
  template  = template.small
  cpu       = 1
  memory_gb = 0.5
  disk_gb   = 10
}
`, s.Project, s.Zones[0], s.Endpoint, gcetest.ImagePath, bulkFleet)
}

// bulkWorkspace starts a server with 2,000 unmanaged instances in one
// zone, and applies the 200-instance fleet in a workspace.
func bulkWorkspace(tb testing.TB) (*gcetest.Server, string) {
	s := startServer(tb, gcetest.Options{Instances: bulkUnmanaged, Zones: []string{"us-central1-a"}})
	dir := tb.TempDir()
	clitest.WriteSpec(tb, dir, bulkSpec(s))
	nova.ApplyBulk(tb, dir, fmt.Sprintf("%d instances", bulkFleet))
	return s, dir
}

// TestBulk: among 2,000 unmanaged instances, a 200-instance fleet is
// applied, listed with the rest by `inventory -json` in 5 pages of
// instances.list and no call per instance, and planned again with no
// change, also without a call per instance.
func TestBulk(t *testing.T) {
	s, dir := bulkWorkspace(t)
	before := s.AllCalls()
	vms := nova.Inventory(t, dir)
	clitest.CheckListed(t, vms, bulkUnmanaged+bulkFleet, bulkFleet, "instances")
	after := s.AllCalls()
	pages := (bulkUnmanaged + bulkFleet + 499) / 500
	if n := after["compute.instances.list"] - before["compute.instances.list"]; n != pages {
		t.Errorf("inventory -json of %d instances made %d instances.list calls, want %d pages", len(vms), n, pages)
	}
	if n := after["compute.instances.get"] - before["compute.instances.get"]; n != 0 {
		t.Errorf("inventory -json made %d instances.get calls, want none", n)
	}
	nova.NoChanges(t, dir, "the apply of 200 instances")
	final := s.AllCalls()
	if n := final["compute.instances.get"] - after["compute.instances.get"]; n != 0 {
		t.Errorf("a no-change plan made %d instances.get calls, want none", n)
	}
	if n := final["compute.instances.list"] - after["compute.instances.list"]; n != pages {
		t.Errorf("a no-change plan made %d instances.list calls, want %d", n, pages)
	}
}

// BenchmarkBulk times the whole nova-plan process for `inventory -json`
// and a no-change `plan` of a 200-instance fleet among 2,000 unmanaged
// instances:
//
//	go test -run '^$' -bench Bulk -benchtime 5x ./engine/driver/gce/
func BenchmarkBulk(b *testing.B) {
	_, dir := bulkWorkspace(b)
	nova.BenchInventoryAndPlan(b, dir)
}

// BenchmarkInventory is Driver.Inventory of 2,000 instances (four pages
// of instances.list), in process:
//
//	go test -run '^$' -bench Inventory ./engine/driver/gce/
func BenchmarkInventory(b *testing.B) {
	s := startServer(b, gcetest.Options{Instances: bulkUnmanaged, Zones: []string{"us-central1-a"}})
	cfg := serverConfig(s)
	cfg[settingListUnmanaged] = true
	d := openDriver(b, cfg)
	for b.Loop() {
		inv, err := d.Inventory(context.Background())
		if err != nil || len(inv.VMs) != bulkUnmanaged {
			b.Fatalf("Inventory: %d VMs, %v", len(inv.VMs), err)
		}
	}
	b.ReportMetric(float64(s.Calls("compute.instances.list"))/float64(b.N), "list/op")
}
