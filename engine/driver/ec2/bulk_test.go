package ec2

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/ec2test"
)

// The bulk figures of issue 10: 2,000 unmanaged instances in the test
// server, and a fleet of 500 beside them, listed with list_unmanaged. The
// figures are measured in benchmarks (the machines are shared and noisy).
const (
	bulkUnmanaged = 2000
	bulkFleet     = 500
)

// bulkSpec is a fleet of small instances that lists every instance.
func bulkSpec(s *ec2test.Server) string {
	return fmt.Sprintf(`
provider "ec2" "aws" {
  endpoint       = %q
  list_unmanaged = true
  poll_interval  = "20ms"
}

template "small" {
  ec2 { ami = %q }
}

fleet "bulk" {
  count     = %d
  template  = template.small
  cpu       = 1
  memory_gb = 0.5
  disk_gb   = 8
}
`, s.URL, ec2test.ImageX86, bulkFleet)
}

// bulkWorkspace starts a server with 2,000 unmanaged instances, points
// nova-plan at it, and applies the 500-instance fleet in a workspace.
func bulkWorkspace(tb testing.TB) string {
	s := startServer(tb, ec2test.Options{Instances: bulkUnmanaged, Transition: 10 * time.Millisecond})
	dir := tb.TempDir()
	clitest.WriteSpec(tb, dir, bulkSpec(s))
	nova.ApplyBulk(tb, dir, fmt.Sprintf("%d instances", bulkFleet))
	return dir
}

// TestBulk: among 2,000 unmanaged instances, a 500-instance fleet is
// applied, listed with the rest by `inventory -json`, and planned again
// with no change. It logs how long each took.
func TestBulk(t *testing.T) {
	dir := bulkWorkspace(t)
	start := time.Now()
	vms := nova.Inventory(t, dir)
	inv := time.Since(start)
	clitest.CheckListed(t, vms, bulkUnmanaged+bulkFleet, bulkFleet, "instances")
	start = time.Now()
	nova.NoChanges(t, dir, "the apply of 500 instances")
	t.Logf("%d instances (whole process): inventory -json %s, no-change plan %s", len(vms), inv.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// BenchmarkBulk times the whole nova-plan process for `inventory -json`
// and a no-change `plan` of a 500-instance fleet among 2,000 unmanaged
// instances:
//
//	go test -run '^$' -bench Bulk -benchtime 5x ./engine/driver/ec2/
func BenchmarkBulk(b *testing.B) {
	dir := bulkWorkspace(b)
	nova.BenchInventoryAndPlan(b, dir)
}

// BenchmarkInventory is Driver.Inventory of 2,000 instances (two pages of
// DescribeInstances, ten batches of DescribeVolumes), in process:
//
//	go test -run '^$' -bench Inventory ./engine/driver/ec2/
func BenchmarkInventory(b *testing.B) {
	s := startServer(b, ec2test.Options{Instances: bulkUnmanaged})
	cfg := serverConfig(s)
	cfg[settingListUnmanaged] = true
	d := openDriver(b, cfg)
	for b.Loop() {
		inv, err := d.Inventory(context.Background())
		if err != nil || len(inv.VMs) != bulkUnmanaged {
			b.Fatalf("Inventory: %d VMs, %v", len(inv.VMs), err)
		}
	}
	b.ReportMetric(float64(s.Calls("DescribeInstances"))/float64(b.N), "DescribeInstances/op")
}
