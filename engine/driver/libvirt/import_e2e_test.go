package libvirt

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// virsh runs virsh against qemu:///system, as a user defining a domain by
// hand would, and returns its output.
func virsh(t *testing.T, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("virsh"); err != nil {
		t.Fatalf("virsh is missing (%v): install libvirt-clients (scripts/libvirt-up.sh does)", err)
	}
	out, err := exec.Command("virsh", append([]string{"-c", systemURI}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("virsh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// handDefined makes a qcow2 volume of gb GiB in the default pool and
// defines (does not start) a domain named name on it with virsh, as a user
// would; it returns the domain's UUID.
func handDefined(t *testing.T, name string, gb int) string {
	t.Helper()
	virsh(t, "vol-create-as", systemPool, name+".qcow2", fmt.Sprintf("%dG", gb), "--format", "qcow2")
	path := virsh(t, "vol-path", "--pool", systemPool, name+".qcow2")
	xml := fmt.Sprintf(`<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='%s'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>`, name, path)
	file := filepath.Join(t.TempDir(), name+".xml")
	if err := os.WriteFile(file, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	virsh(t, "define", file)
	return virsh(t, "domuuid", name)
}

// handSpec declares a vm for a hand-defined domain.
func handSpec(label, name string, diskGB int, extra string) string {
	return fmt.Sprintf(`
provider "libvirt" "local" {
  uri         = "qemu:///system"
  domain_type = "qemu"
}

template "hand" {
  libvirt { volume = "%[2]s.qcow2" }
}

vm %[1]q {
  name      = %[2]q
  template  = template.hand
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = %[3]d
  power     = "stopped"
}
%[4]s`, label, name, diskGB, extra)
}

// TestImportHandDefinedDomain: a domain NovaCron did not make was reported
// with disk_gb 0, so after `nova-plan import` every plan had
// "~ disk_gb = 0 → N" and every apply failed ("has no disk volume that
// NovaCron made"), and the import block's check for a disk larger than
// the spec's could not work. The driver now reads the size of such disks
// from one bulk statistics call per host; the plan converges, a larger
// spec grows the disk in place, and an import that would shrink it is
// refused.
func TestImportHandDefinedDomain(t *testing.T) {
	requireDaemon(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "imp")
	name := prefix + "0"
	uuid := handDefined(t, name, 3)
	dir := t.TempDir()

	writeSpec(t, dir, handSpec("hand", name, 3, ""))
	if gb := inventoryDisk(t, dir, name); gb != 3 {
		t.Errorf("inventory reports disk_gb %d for the hand-made 3 GiB disk; want 3", gb)
	}
	nova(t, dir, "import", "vm.hand", uuid).Must(t, 0, "import")
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the import: the disk matches")

	writeSpec(t, dir, handSpec("hand", name, 4, ""))
	r := nova(t, dir, "plan").Must(t, 0, "plan a larger disk")
	if !strings.Contains(r.Stdout, "~ disk_gb   = 3 → 4") {
		t.Errorf("the plan does not grow the disk from 3 to 4 GB:\n%s", r.Stdout)
	}
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the larger disk")
	if info := virsh(t, "vol-info", "--pool", systemPool, name+".qcow2"); !strings.Contains(info, "4.00 GiB") {
		t.Errorf("after the apply the volume is not 4 GiB:\n%s", info)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after growing the disk")

	big := prefix + "1"
	bigUUID := handDefined(t, big, 3)
	other := t.TempDir()
	writeSpec(t, other, handSpec("big", big, 2, fmt.Sprintf("import {\n  to = vm.big\n  id = %q\n}\n", bigUUID)))
	r = nova(t, other, "plan").Must(t, 1, "plan an import of a disk larger than the spec's")
	for _, want := range []string{"Import would replace the VM", "disk shrinks from 3 GB to 2 GB"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, r.Stderr)
		}
	}
}

// inventoryDisk is the disk_gb inventory -json reports for the VM named name.
func inventoryDisk(t *testing.T, dir, name string) int {
	t.Helper()
	r := nova(t, dir, "inventory", "-json").Must(t, 0, "inventory -json")
	var inv struct {
		VMs []struct {
			Name   string `json:"name"`
			DiskGB int    `json:"disk_gb"`
		} `json:"vms"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &inv); err != nil {
		t.Fatalf("inventory -json: %v\n%s", err, r.Stdout)
	}
	for _, vm := range inv.VMs {
		if vm.Name == name {
			return vm.DiskGB
		}
	}
	t.Fatalf("inventory does not list %s:\n%s", name, r.Stdout)
	return 0
}
