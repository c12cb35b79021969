package libvirt

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	lv "github.com/digitalocean/go-libvirt"
	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// The end-to-end side of retry_test.go: nova-plan meets a volume it cannot
// remove, the leftovers of an apply that crashed, and an update that fails
// after it stopped a running guest.

// poolDir is the folder of the system pool "default".
const poolDir = "/var/lib/libvirt/images"

// stoppedSpec is a fleet of stopped tiny VMs with a cloud-init seed: each
// has a disk and a seed volume, and none boots.
func stoppedSpec(prefix string, count int) string {
	return fmt.Sprintf(`
provider "libvirt" "local" {
  uri         = "qemu:///system"
  domain_type = "qemu"
}

template "tiny" {
  libvirt {
    kernel    = "%s/vmlinuz"
    user_data = "#cloud-config\n"
  }
}

fleet "tiny" {
  count     = %d
  name      = "%s${count.index}"
  template  = template.tiny
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = 1
  power     = "stopped"
}
`, guestDir, count, prefix)
}

// hold bind-mounts an empty file over path, so that unlinking it fails
// with EBUSY as long as it is held; release (or the end of the test) lets go.
func hold(t *testing.T, path string) (release func()) {
	t.Helper()
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount(empty, path, "", syscall.MS_BIND, ""); err != nil {
		t.Fatalf("holding %s with a bind mount (the test runs as root, as make test does): %v", path, err)
	}
	held := true
	release = func() {
		if held {
			held = false
			if err := syscall.Unmount(path, 0); err != nil {
				t.Errorf("releasing %s: %v", path, err)
			}
		}
	}
	t.Cleanup(release)
	return release
}

// TestDestroyWithHeldVolume: a destroy that cannot remove a VM's disk fails
// and says why; once the disk is free, destroying again removes it, though
// the domain is gone already.
func TestDestroyWithHeldVolume(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "held")
	dir := t.TempDir()
	writeSpec(t, dir, stoppedSpec(prefix, 1))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	var disk string
	for _, v := range leftVolumes(t, l, prefix) {
		if strings.HasSuffix(v, ".qcow2") {
			disk = v
		}
	}
	if disk == "" {
		t.Fatalf("apply made no disk volume: %v", leftVolumes(t, l, prefix))
	}
	release := hold(t, filepath.Join(poolDir, disk))
	r := nova(t, dir, "destroy", "-auto-approve").Must(t, 1, "destroy while the disk is held")
	for _, want := range []string{disk, "Device or resource busy"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the failed destroy does not say %q:\n%s", want, r.Stderr)
		}
	}
	release()
	nova(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy once the disk is free")
	checkLeft(t, l, prefix, nil, nil)
}

// TestApplyAfterCrashBeforeDefine: an apply that crashed after it made a
// VM's volumes, before it defined the domain, left them in the pool; the
// next apply creates the VM and removes them.
func TestApplyAfterCrashBeforeDefine(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "crash")
	dir := t.TempDir()
	writeSpec(t, dir, stoppedSpec(prefix, 1))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply of one VM")

	// The crash: the driver, as nova-plan runs it, creating fleet.tiny[1]
	// of this workspace, dies between its volumes and the domain.
	d := openDriver(t, driver.Config{settingURI: systemURI, settingDomainType: "qemu"})
	spec := driver.VMSpec{
		Name: prefix + "1", CPU: 1, MemoryMiB: 128, DiskGB: 1, Power: driver.PowerStopped,
		Template: driver.TemplateRef{Name: "tiny", Config: driver.Config{tmplKernel: guestDir + "/vmlinuz", tmplUser: "#cloud-config\n"}},
		Marker:   driver.Marker{Address: "fleet.tiny[1]", Lineage: lineageOf(t, dir), SpecHash: "interrupted"},
	}
	crashAt(t, stepVolumesMade)
	if !crashes(func() { d.Create(t.Context(), spec) }) {
		t.Fatal("Create did not reach the crash")
	}
	failAt = nil
	if left := leftVolumes(t, l, prefix+"1-"); len(left) == 0 {
		t.Fatal("the crash left no volumes to find")
	}

	writeSpec(t, dir, stoppedSpec(prefix, 2))
	if diff := cmp.Diff([]string{"fleet.tiny[1] create"}, planJSON(t, dir).actions()); diff != "" {
		t.Fatalf("plan after the crash (-want +got):\n%s", diff)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply after the crash")
	doms := leftDomains(t, l, prefix+"1")
	if len(doms) != 1 {
		t.Fatalf("domains of %s1 after the apply: %v, want one", prefix, doms)
	}
	left := leftVolumes(t, l, prefix+"1-")
	slices.Sort(left)
	if diff := cmp.Diff(metadataVolumes(t, l, doms[0]), left); diff != "" {
		t.Errorf("the pool holds other volumes of %s1 than its domain's (-domain's +pool):\n%s", prefix, diff)
	}
	nova(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	checkLeft(t, l, prefix, nil, nil)
}

// lineageOf reads the lineage of the workspace's state.
func lineageOf(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ".nova", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Lineage string `json:"lineage"`
	}
	if err := json.Unmarshal(data, &st); err != nil || st.Lineage == "" {
		t.Fatalf("the state has no lineage (%v):\n%s", err, data)
	}
	return st.Lineage
}

// metadataVolumes are the volumes a domain's NovaCron metadata records, sorted.
func metadataVolumes(t *testing.T, l *lv.Libvirt, dom lv.Domain) []string {
	t.Helper()
	x, err := l.DomainGetXMLDesc(dom, lv.DomainXMLInactive)
	if err != nil {
		t.Fatal(err)
	}
	def, err := parseDomain(x)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range def.meta.Volumes {
		out = append(out, v.Name)
	}
	slices.Sort(out)
	return out
}

// restartSpec is one running tiny guest of cpu vCPUs; the allocation ratio
// lets a VM of more vCPUs than the machine has be placed.
func restartSpec(prefix, logDir string, cpu int) string {
	return fmt.Sprintf(`
provider "libvirt" "local" {
  uri                  = "qemu:///system"
  domain_type          = "qemu"
  serial_log_dir       = %q
  shutdown_timeout     = "20s"
  cpu_allocation_ratio = 1000
}

template "tiny" {
  libvirt {
    kernel  = "%s/vmlinuz"
    initrd  = "%[2]s/initrd.img"
    cmdline = "console=ttyS0 quiet"
  }
}

vm "one" {
  name      = "%s0"
  template  = template.tiny
  cpu       = %d
  memory_gb = 0.125
  disk_gb   = 1
}
`, logDir, guestDir, prefix, cpu)
}

// TestFailedRestartKeepsGuestRunning: an update that must restart a running
// guest and then fails (QEMU's machine type allows at most 255 vCPUs, so the
// domain with a ceiling of 400 cannot be defined) starts the guest again,
// then reports the failure.
func TestFailedRestartKeepsGuestRunning(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "rst")
	dir, logDir := t.TempDir(), t.TempDir()
	serial := filepath.Join(logDir, prefix+"0.serial.log")
	writeSpec(t, dir, restartSpec(prefix, logDir, 1))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	waitForLine(t, serial, guestUp, 90*time.Second)

	writeSpec(t, dir, restartSpec(prefix, logDir, 200))
	if diff := cmp.Diff([]string{"vm.one update (restart)"}, planJSON(t, dir).actions()); diff != "" {
		t.Fatalf("plan of 200 vCPUs (-want +got):\n%s", diff)
	}
	r := nova(t, dir, "apply", "-auto-approve").Must(t, 1, "apply of 200 vCPUs")
	if want := "Maximum CPUs greater than specified machine type limit"; !strings.Contains(r.Stderr, want) {
		t.Errorf("the failed apply does not say %q:\n%s", want, r.Stderr)
	}
	if doms := leftDomains(t, l, prefix); len(doms) != 1 || doms[0].ID <= 0 {
		t.Fatalf("after the failed update the domain is %v; want it running again", doms)
	}
	waitFor(t, "the guest to boot again", 90*time.Second, func() bool { return countLines(serial, guestUp) == 2 })
	nova(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	checkLeft(t, l, prefix, nil, nil)
}
