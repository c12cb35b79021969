package clitest

import (
	"testing"
	"time"
)

// The steps of a driver's bulk test: a fleet applied among many VMs the
// workspace does not manage, then listed and planned again.

// ApplyBulk applies dir's spec with -parallelism=50 and logs how long it
// took; what says what is applied ("200 VMs").
func (c *CLI) ApplyBulk(tb testing.TB, dir, what string) {
	tb.Helper()
	start := time.Now()
	c.Run(tb, dir, "apply", "-auto-approve", "-parallelism=50").Must(tb, 0, "apply of "+what)
	tb.Logf("apply of %s: %s", what, time.Since(start).Round(10*time.Millisecond))
}

// CheckListed fails unless vms, as `inventory -json` listed them, are all
// VMs, fleet of them with an address (the fleet's); noun names them in
// the message ("VMs", "instances").
func CheckListed(t testing.TB, vms []VM, all, fleet int, noun string) {
	t.Helper()
	addressed := 0
	for _, vm := range vms {
		if vm.Address != "" {
			addressed++
		}
	}
	if len(vms) != all || addressed != fleet {
		t.Errorf("inventory -json lists %d %s, %d of them the fleet's; want %d and %d", len(vms), noun, addressed, all, fleet)
	}
}

// BenchInventoryAndPlan times the whole nova-plan process for
// `inventory -json` and for a no-change `plan` in dir, each a
// sub-benchmark.
func (c *CLI) BenchInventoryAndPlan(b *testing.B, dir string) {
	for _, cmd := range [][]string{{"inventory", "-json"}, {"plan", "-detailed-exitcode"}} {
		b.Run(cmd[0], func(b *testing.B) {
			for b.Loop() {
				c.Run(b, dir, cmd...).Must(b, 0, cmd[0])
			}
		})
	}
}
