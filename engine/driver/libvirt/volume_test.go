package libvirt

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

// TestCloneLarger copies a volume holding data to a larger one in the
// system pool: the copy has the new capacity and reads as the original
// (qemu-img compare: the same data, zeros beyond it); a missing source is
// an error naming it.
func TestCloneLarger(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "clone")
	d := openDriver(t, driver.Config{settingURI: systemURI, settingDomainType: "qemu"})
	h := d.hosts[0]
	hl, err := h.conn()
	if err != nil {
		t.Fatal(err)
	}
	vols, err := openPool(hl, h, systemPool)
	if err != nil {
		t.Fatal(err)
	}
	src, dst := prefix+"src.qcow2", prefix+"dst.qcow2"
	srcPath, err := vols.create(src, 16<<20, "", "")
	if err != nil {
		t.Fatal(err)
	}
	run(t, "qemu-io", "-f", "qcow2", "-c", "write -P 0xab 1M 2M", srcPath)
	dstPath, err := vols.cloneLarger(src, dst, 32<<20)
	if err != nil {
		t.Fatalf("cloneLarger: %v", err)
	}
	pool, _ := l.StoragePoolLookupByName(systemPool)
	vol, err := l.StorageVolLookupByName(pool, dst)
	if err != nil {
		t.Fatalf("the copy %s is not in the pool: %v", dst, err)
	}
	if _, capacity, _, err := l.StorageVolGetInfo(vol); err != nil || capacity != 32<<20 {
		t.Errorf("the copy holds %d bytes (%v), want 32 MiB", capacity, err)
	}
	if out := run(t, "qemu-img", "compare", srcPath, dstPath); !strings.Contains(out, "Images are identical") {
		t.Errorf("qemu-img compare: %s", out)
	}
	_, err = vols.cloneLarger(prefix+"none.qcow2", prefix+"x.qcow2", 32<<20)
	if err == nil || !strings.Contains(err.Error(), prefix+"none.qcow2") {
		t.Errorf("cloning a missing volume: %v, want an error naming it", err)
	}
}

// run runs a command of qemu-utils and returns its output.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v (qemu-utils, installed by scripts/libvirt-up.sh): %v\n%s", name, args, err, out)
	}
	return string(out)
}
