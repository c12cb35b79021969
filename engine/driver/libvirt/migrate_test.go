package libvirt

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// migrationSpec is one tiny guest pinned to host, on the two test hosts.
func migrationSpec(prefix, logDir, host string) string {
	return fmt.Sprintf(`
provider "libvirt" "pair" {
  hosts = {
    hv-a = %q
    hv-b = %q
  }
  domain_type            = "qemu"
  serial_log_dir         = %q
  migration_allow_unsafe = true # the hosts share a local folder
}

template "tiny" {
  libvirt {
    kernel  = "%s/vmlinuz"
    initrd  = "%[4]s/initrd.img"
    cmdline = "console=ttyS0 quiet"
  }
}

vm "mover" {
  name      = "%s0"
  template  = template.tiny
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = 1
  host      = %q
}
`, twoHosts["hv-a"], twoHosts["hv-b"], logDir, guestDir, prefix, host)
}

// TestLiveMigration moves a running guest between two libvirt hosts through
// nova-plan: the plan shows a live migration, and afterwards the domain
// runs on the other host only and the guest kept running (its uptime
// heartbeat goes on; it did not boot again).
func TestLiveMigration(t *testing.T) {
	conns := hostConns(t)
	prefix := uniquePrefix(t, conns["hv-a"], "mig")
	t.Cleanup(func() { removePrefix(t, conns["hv-b"], prefix) })
	dir, logDir := t.TempDir(), t.TempDir()
	serial := filepath.Join(logDir, prefix+"0.serial.log")

	writeSpec(t, dir, migrationSpec(prefix, logDir, "hv-a"))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply on hv-a")
	waitForLine(t, serial, guestUp, 90*time.Second)
	before := lastUptime(t, serial)

	writeSpec(t, dir, migrationSpec(prefix, logDir, "hv-b"))
	r := nova(t, dir, "plan", "-no-color").Must(t, 0, "plan the move")
	if !strings.Contains(r.Stdout, "will be migrated live: hv-a → hv-b") {
		t.Fatalf("the plan does not show a live migration:\n%s", r.Stdout)
	}
	start := time.Now()
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the move")
	t.Logf("live migration of a running TCG guest: %s", time.Since(start).Round(100*time.Millisecond))

	if n := len(leftDomains(t, conns["hv-a"], prefix)); n != 0 {
		t.Errorf("hv-a still has %d domain(s) of the VM after the migration", n)
	}
	if doms := leftDomains(t, conns["hv-b"], prefix); len(doms) != 1 || doms[0].ID <= 0 {
		t.Errorf("hv-b has %v, want the VM running", doms)
	}
	waitFor(t, "the guest's heartbeat after the migration", 30*time.Second, func() bool { return lastUptime(t, serial) > before+2 })
	if n := countLines(serial, guestUp); n != 1 {
		t.Errorf("the guest booted %d times; a live migration must not restart it", n)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the move")
	nova(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	checkLeft(t, systemConn(t), prefix, nil, nil)
}

// lastUptime is the guest uptime of the last heartbeat in the serial log.
func lastUptime(t *testing.T, path string) float64 {
	t.Helper()
	line := ""
	for _, l := range strings.Split(readFile(path), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "NOVACRON-GUEST-ALIVE ") {
			line = l
		}
	}
	up, _ := strconv.ParseFloat(strings.TrimPrefix(line, "NOVACRON-GUEST-ALIVE "), 64)
	return up
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestDriverOnTwoQemuHosts walks one real QEMU domain through what only
// QEMU does: live vCPU and memory growth, online disk growth, a live
// migration and a paused one back, a graceful stop that times out (the
// guest is firmware only, deaf to ACPI) and a delete on the host it moved
// to. (The whole conformance suite passes here too, but starting its 35
// domains costs 80 s of TCG; TestConformance runs it on test:///default.)
func TestDriverOnTwoQemuHosts(t *testing.T) {
	conns := hostConns(t)
	prefix := uniquePrefix(t, conns["hv-a"], "two")
	t.Cleanup(func() { removePrefix(t, conns["hv-b"], prefix) })
	d := openDriver(t, driver.Config{
		settingHosts: twoHosts, settingDomainType: "qemu",
		settingShutdown: 2 * time.Second, settingUnsafeMigrate: true,
	})
	if caps := d.Capabilities(); !caps.Migrate || !caps.LiveMigrate || !caps.OnlineDiskGrow {
		t.Fatalf("capabilities of two QEMU hosts: %+v", caps)
	}
	spec := testSpec(prefix+"0", driver.TemplateRef{Name: "empty", Config: driver.Config{tmplVolume: "novacron-test-base.qcow2"}})
	spec.Host, spec.MemoryMiB, spec.DiskGB = "hv-a", 256, 1
	vm := mustCreate(t, d, spec)
	step := func(what string, ch driver.Changes, check func(driver.VM) bool) {
		t.Helper()
		got, err := d.Update(t.Context(), vm.ID, ch)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !check(got) {
			t.Fatalf("%s: VM is %+v", what, got)
		}
	}
	step("live growth", driver.Changes{CPU: new(2), MemoryMiB: new(int64(512))}, func(v driver.VM) bool {
		return v.CPU == 2 && v.MemoryMiB == 512 && v.Power == driver.PowerRunning
	})
	step("online disk growth", driver.Changes{DiskGB: new(2)}, func(v driver.VM) bool { return v.DiskGB == 2 })
	if got := volumeBytes(t, conns["hv-a"], prefix); got != 2<<30 {
		t.Errorf("the disk volume has %d bytes after growing to 2 GB", got)
	}
	for _, m := range []struct {
		host string
		live bool
	}{{"hv-b", true}, {"hv-a", false}} {
		if err := d.Migrate(t.Context(), vm.ID, m.host, m.live); err != nil {
			t.Fatalf("Migrate to %s (live %t): %v", m.host, m.live, err)
		}
		got := findVM(t, d, vm.ID)
		if got.Host != m.host || got.Power != driver.PowerRunning || got.CPU != 2 {
			t.Errorf("after migrating to %s: %+v", m.host, got)
		}
	}
	start := time.Now()
	step("graceful stop of a deaf guest", driver.Changes{Power: new(driver.PowerStopped)}, func(v driver.VM) bool { return v.Power == driver.PowerStopped })
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("the stop took %s, less than the shutdown timeout: it was not graceful first", took)
	}
	if err := d.Delete(t.Context(), vm.ID); err != nil {
		t.Fatal(err)
	}
	checkLeft(t, conns["hv-a"], prefix, nil, nil)
	checkLeft(t, conns["hv-b"], prefix, nil, nil)
}

// findVM returns the inventory's VM with the ID, failing when it is absent.
func findVM(t *testing.T, d *Driver, id string) driver.VM {
	t.Helper()
	for _, vm := range mustInventory(t, d).VMs {
		if vm.ID == id {
			return vm
		}
	}
	t.Fatalf("VM %s is not in the inventory", id)
	return driver.VM{}
}

// volumeBytes is the capacity of the one volume whose name starts with prefix.
func volumeBytes(t *testing.T, l *lv.Libvirt, prefix string) uint64 {
	t.Helper()
	names := leftVolumes(t, l, prefix)
	if len(names) != 1 {
		t.Fatalf("volumes named %s*: %v, want one", prefix, names)
	}
	pool, _ := l.StoragePoolLookupByName(systemPool)
	vol, err := l.StorageVolLookupByName(pool, names[0])
	if err != nil {
		t.Fatal(err)
	}
	_, capacity, _, err := l.StorageVolGetInfo(vol)
	if err != nil {
		t.Fatal(err)
	}
	return capacity
}
