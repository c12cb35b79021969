package libvirt

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// rebalanceSpec is migrationSpec with a second guest, anchor, pinned to
// hv-a, and mover unpinned.
func rebalanceSpec(prefix, logDir string) string {
	s := strings.Replace(migrationSpec(prefix, logDir, "hv-a"), "  host      = \"hv-a\"\n", "", 1)
	return s + fmt.Sprintf(`
vm "anchor" {
  name      = "%s1"
  template  = template.tiny
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = 1
  host      = "hv-a"
}
`, prefix)
}

// measure reads the hosts' capacity and the VMs' use through the driver.
func measure(t *testing.T) (map[string]driver.Host, map[string]driver.Usage, map[string]string) {
	t.Helper()
	d := openDriver(t, driver.Config{settingHosts: twoHosts, settingDomainType: "qemu", settingUnsafeMigrate: true})
	inv, err := d.Inventory(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	use, err := d.Utilization(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	hosts, ids := map[string]driver.Host{}, map[string]string{}
	for _, h := range inv.Hosts {
		hosts[h.Name] = h
	}
	for _, vm := range inv.VMs {
		ids[vm.Name] = vm.ID
	}
	return hosts, use, ids
}

// TestRebalanceLiveMigration: the driver measures both running guests
// (Utilization), and `nova-plan rebalance` reads them (no VM left
// unmeasured); then, told by a -utilization file that the two guests make
// hv-a hot, it plans a live migration of mover (anchor is pinned) to hv-b;
// the saved plan applies, the guest keeps running on hv-b, and a second
// rebalance has nothing to do.
func TestRebalanceLiveMigration(t *testing.T) {
	conns := hostConns(t)
	prefix := uniquePrefix(t, conns["hv-a"], "reb")
	t.Cleanup(func() { removePrefix(t, conns["hv-a"], prefix); removePrefix(t, conns["hv-b"], prefix) })
	dir, logDir := t.TempDir(), t.TempDir()
	serial := filepath.Join(logDir, prefix+"0.serial.log")

	writeSpec(t, dir, migrationSpec(prefix, logDir, "hv-a"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply mover on hv-a")
	writeSpec(t, dir, rebalanceSpec(prefix, logDir))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply anchor on hv-a")
	waitForLine(t, serial, guestUp, 90*time.Second)
	before := lastUptime(t, serial)

	hosts, got, ids := measure(t)
	for _, name := range []string{prefix + "0", prefix + "1"} {
		u, ok := got[ids[name]]
		t.Logf("%s uses %.3f cores and %.0f MiB (hv-a: %d cores)", name, u.CPU, u.MemoryMiB, hosts["hv-a"].CPU)
		if !ok || u.MemoryMiB <= 0 || u.CPU < 0 || u.CPU > float64(hosts["hv-a"].CPU) {
			t.Errorf("Utilization of %s: %+v (measured %v); want a memory figure and cores in [0, host]", name, u, ok)
		}
	}

	measured := nova(t, dir, "rebalance", "-no-color").Must(t, 0, "rebalance on the driver's utilization")
	if strings.Contains(measured.Stdout, "had no utilization") || !strings.Contains(measured.Stdout, "Rebalance (hot)") {
		t.Fatalf("the driver did not measure the running guest:\n%s", measured.Stdout)
	}

	use := filepath.Join(dir, "use.json")
	// Each guest has 1 vCPU, and rebalance refuses a use above twice the
	// allocation: anchor uses 1 core, mover 0.6, so hv-a (n cores) is at
	// 1.6/n; the threshold, 1.3/n, is above what anchor alone leaves (1/n)
	// and what mover brings to hv-b (0.6/n): mover alone clears hv-a.
	n := float64(hosts["hv-a"].CPU)
	file := `{"format_version": 1, "vms": {"vm.anchor": {"cpu": 1, "memory_mib": 100}, "vm.mover": {"cpu": 0.6, "memory_mib": 100}}}`
	if err := os.WriteFile(use, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	threshold := fmt.Sprintf("%g", 100*1.3/n)
	r := nova(t, dir, "rebalance", "-no-color", "-utilization", use, "-threshold", threshold, "-max-moves", "1", "-out", "r.plan").Must(t, 0, "rebalance")
	if !strings.Contains(r.Stdout, "will be migrated live: hv-a → hv-b") {
		t.Fatalf("rebalance does not plan the live migration:\n%s", r.Stdout)
	}
	start := time.Now()
	nova(t, dir, "apply", "r.plan").Must(t, 0, "apply the rebalance")
	t.Logf("the rebalance plan's live migration: %s", time.Since(start).Round(100*time.Millisecond))
	if doms := leftDomains(t, conns["hv-a"], prefix+"0"); len(doms) != 0 {
		t.Errorf("hv-a still has %v of mover after the migration", doms)
	}
	if doms := leftDomains(t, conns["hv-b"], prefix+"0"); len(doms) != 1 || doms[0].ID <= 0 {
		t.Errorf("hv-b has %v, want the VM running", doms)
	}
	waitFor(t, "the guest's heartbeat after the migration", 30*time.Second, func() bool { return lastUptime(t, serial) > before+2 })
	if n := countLines(serial, guestUp); n != 1 {
		t.Errorf("the guest booted %d times; a live migration must not restart it", n)
	}
	nova(t, dir, "rebalance", "-utilization", use, "-threshold", threshold, "-detailed-exitcode").Must(t, 0, "a second rebalance")
	nova(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
}
