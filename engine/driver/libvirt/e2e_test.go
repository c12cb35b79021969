package libvirt

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	lv "github.com/digitalocean/go-libvirt"
	"github.com/google/go-cmp/cmp"
)

// guestSpec is a fleet of tiny guests on qemu:///system, booted directly
// from the test kernel under TCG, with a cloud-init seed.
func guestSpec(prefix, logDir string, count int, memoryGB string) string {
	return fmt.Sprintf(`
provider "libvirt" "local" {
  uri              = "qemu:///system"
  domain_type      = "qemu"
  serial_log_dir   = %q
  shutdown_timeout = "20s"
}

template "tiny" {
  libvirt {
    kernel    = "%[2]s/vmlinuz"
    initrd    = "%[2]s/initrd.img"
    cmdline   = "console=ttyS0 quiet"
    user_data = "#cloud-config\n"
  }
}

fleet "tiny" {
  count     = %d
  name      = "%s${count.index}"
  template  = template.tiny
  cpu       = 1
  memory_gb = %s
  disk_gb   = 1
}
`, logDir, guestDir, count, prefix, memoryGB)
}

// TestGuestLifecycle drives two real guests through nova-plan: apply boots
// both (their serial consoles show the guest's init, its two disks and the
// cloud-init seed), a memory change is planned and applied live, removing a VM
// deletes its domain and volumes, and destroy leaves nothing behind.
func TestGuestLifecycle(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "e2e")
	dir, logDir := t.TempDir(), t.TempDir()
	serial := func(i int) string { return filepath.Join(logDir, fmt.Sprintf("%s%d.serial.log", prefix, i)) }

	writeSpec(t, dir, guestSpec(prefix, logDir, 2, "0.125"))
	start := time.Now()
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	inv := managed(t, dir, prefix)
	if len(inv.VMs) != 2 {
		t.Fatalf("after apply the inventory lists %d VMs named %s*, want 2", len(inv.VMs), prefix)
	}
	for _, vm := range inv.VMs {
		i := strings.TrimPrefix(vm.Name, prefix)
		path := filepath.Join(logDir, vm.Name+".serial.log")
		line := waitForLine(t, path, guestUp, 90*time.Second)
		if want := guestUp + " " + vm.ID; line != want {
			t.Errorf("VM %s printed %q, want %q", i, line, want)
		}
		if disks := waitForLine(t, path, "NOVACRON-GUEST-DISKS", 30*time.Second); !strings.HasSuffix(disks, "vda,vdb (2 of 2 virtio disks)") {
			t.Errorf("VM %s saw its disks as %q, want vda and vdb", i, disks)
		}
		seed := waitForLine(t, path, "NOVACRON-SEED", 30*time.Second)
		if want := `files=meta-data,user-data, local-hostname: "` + vm.Name + `"`; !strings.Contains(seed, want) {
			t.Errorf("VM %s read its seed as %q, want it to contain %q", i, seed, want)
		}
	}
	t.Logf("apply and boot of 2 guests: %s", time.Since(start).Round(100*time.Millisecond))
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after apply")

	writeSpec(t, dir, guestSpec(prefix, logDir, 2, "0.1875"))
	want := []string{"fleet.tiny[0] update", "fleet.tiny[1] update"}
	if diff := cmp.Diff(want, planJSON(t, dir).actions()); diff != "" {
		t.Fatalf("plan of a memory change within the ceiling (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the memory change")
	for _, vm := range managed(t, dir, prefix).VMs {
		if vm.MemoryGB != 0.1875 || vm.Power != "running" {
			t.Errorf("%s after the update: %v GB, %s; want 0.1875 GB, running", vm.Name, vm.MemoryGB, vm.Power)
		}
	}
	for i := range 2 {
		if n := countLines(serial(i), guestUp); n != 1 {
			t.Errorf("guest %d booted %d times; a live update must not restart it", i, n)
		}
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the update")

	writeSpec(t, dir, guestSpec(prefix, logDir, 1, "0.1875"))
	if diff := cmp.Diff([]string{"fleet.tiny[1] delete"}, planJSON(t, dir).actions()); diff != "" {
		t.Fatalf("plan of removing a VM (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the removal")
	checkLeft(t, l, prefix+"1", nil, nil)
	if got := leftDomains(t, l, prefix+"0"); len(got) != 1 {
		t.Errorf("the remaining VM %s0 is gone too", prefix)
	}

	nova(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	checkLeft(t, l, prefix, nil, nil)
}

// checkLeft compares the domains and volumes left with the prefix.
func checkLeft(t *testing.T, l *lv.Libvirt, prefix string, wantDomains, wantVolumes []string) {
	t.Helper()
	var doms []string
	for _, d := range leftDomains(t, l, prefix) {
		doms = append(doms, d.Name)
	}
	vols := leftVolumes(t, l, prefix)
	slices.Sort(doms)
	slices.Sort(vols)
	if diff := cmp.Diff(wantDomains, doms); diff != "" {
		t.Errorf("domains named %s* (-want +got):\n%s", prefix, diff)
	}
	if diff := cmp.Diff(wantVolumes, vols); diff != "" {
		t.Errorf("volumes named %s* (-want +got):\n%s", prefix, diff)
	}
}
