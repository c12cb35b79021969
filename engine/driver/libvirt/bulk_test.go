package libvirt

import (
	"fmt"
	"testing"
	"time"
)

// bulkVMs is how many domains TestBulkPlan defines.
const bulkVMs = 1000

// bulkPlanTarget is the figure a no-change plan of bulkVMs domains aims
// for, libvirt round trips included. It is logged, not asserted: the
// machines tests run on are shared and noisy, and a timed test fails for
// the load rather than for the code (`go test -run TestBulkPlan -v`).
const bulkPlanTarget = 2 * time.Second

// bulkSpec is a fleet of stopped tiny VMs. The allocation ratios let 1,000
// VMs be placed on one small host: stopped VMs use none of it.
func bulkSpec(prefix string) string {
	return fmt.Sprintf(`
provider "libvirt" "local" {
  uri                     = "qemu:///system"
  domain_type             = "qemu"
  cpu_allocation_ratio    = 1000
  memory_allocation_ratio = 100
}

template "tiny" {
  libvirt {
    kernel = "%s/vmlinuz"
    initrd = "%[1]s/initrd.img"
  }
}

fleet "bulk" {
  count     = %d
  name      = "%s${count.index}"
  template  = template.tiny
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = 1
  power     = "stopped"
}
`, guestDir, bulkVMs, prefix)
}

// TestBulkPlan defines 1,000 domains (not started) through nova-plan, then
// plans with nothing to change (one list call and 1,000 XML reads over one
// connection) and logs how long that took against bulkPlanTarget.
func TestBulkPlan(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "bulk")
	dir := t.TempDir()
	writeSpec(t, dir, bulkSpec(prefix))

	start := time.Now()
	nova(t, dir, "apply", "-auto-approve", "-parallelism=50").Must(t, 0, "apply of 1,000 VMs")
	t.Logf("apply of %d stopped VMs: %s", bulkVMs, time.Since(start).Round(10*time.Millisecond))
	if n := len(leftDomains(t, l, prefix)); n != bulkVMs {
		t.Fatalf("apply defined %d domains, want %d", n, bulkVMs)
	}

	best := time.Hour
	for range 3 {
		start = time.Now()
		nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan with no changes")
		best = min(best, time.Since(start))
	}
	t.Logf("plan with no changes of %d VMs (best of 3, whole process): %s (target %s)",
		bulkVMs, best.Round(time.Millisecond), bulkPlanTarget)

	start = time.Now()
	nova(t, dir, "destroy", "-auto-approve", "-parallelism=50").Must(t, 0, "destroy of 1,000 VMs")
	t.Logf("destroy of %d VMs: %s", bulkVMs, time.Since(start).Round(10*time.Millisecond))
	checkLeft(t, l, prefix, nil, nil)
}
