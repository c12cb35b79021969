package libvirt

import (
	"context"
	"os"
	"testing"
	"time"

	lv "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"

	"github.com/novacron/novacron/engine/driver"
)

// The tests run against a real libvirtd: scripts/libvirt-up.sh (run by
// `make test`) installs and starts it. test:///default is libvirt's own
// test hypervisor inside that daemon: its state lasts while a connection to
// it is open, so each test that uses it starts from a fresh host.

const (
	daemonSocket = "/run/libvirt/libvirt-sock"
	testURI      = "test:///default"
	testPool     = "default-pool" // the test hypervisor's pool
	testBase     = "base.qcow2"
)

// requireDaemon fails the test unless libvirtd answers on its socket.
func requireDaemon(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(daemonSocket); err != nil {
		t.Fatalf("libvirtd is not running (%v): start it with scripts/libvirt-up.sh, which `make test` runs", err)
	}
}

// testHost opens a connection to the test hypervisor that lasts as long as
// the test, so that the drivers the test opens share one fresh test host,
// and creates the base volume testBase (1 GiB) in its pool.
func testHost(t testing.TB) *lv.Libvirt {
	t.Helper()
	requireDaemon(t)
	l := lv.NewWithDialer(dialers.NewLocal(dialers.WithLocalTimeout(5 * time.Second)))
	if err := l.ConnectToURI(testURI); err != nil {
		t.Fatalf("connecting to %s through libvirtd: %v", testURI, err)
	}
	t.Cleanup(func() { l.Disconnect() })
	pool, err := l.StoragePoolLookupByName(testPool)
	if err != nil {
		t.Fatalf("the test hypervisor has no pool %s: %v", testPool, err)
	}
	vol := "<volume><name>" + testBase + "</name><capacity unit='GiB'>1</capacity><target><format type='qcow2'/></target></volume>"
	if _, err := l.StorageVolCreateXML(pool, vol, 0); err != nil {
		t.Fatalf("creating the base volume: %v", err)
	}
	return l
}

// testConfig is a provider block on the test hypervisor.
func testConfig() driver.Config {
	return driver.Config{
		settingURI: testURI, settingPool: testPool, settingDomainType: "qemu",
		settingShutdown: 5 * time.Second,
	}
}

// openDriver opens the provider "t" with cfg, or fails the test; the test
// closes it.
func openDriver(t testing.TB, cfg driver.Config) *Driver {
	t.Helper()
	d, err := openErr(t, cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func openErr(t testing.TB, cfg driver.Config) (*Driver, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return Open(ctx, driver.OpenRequest{Name: "t", Config: cfg})
}

// Templates of the test hypervisor: a base volume, or a kernel.
var (
	volumeTemplate = driver.TemplateRef{Name: "base", Config: driver.Config{tmplVolume: testBase}}
	kernelTemplate = driver.TemplateRef{Name: "tiny", Config: driver.Config{
		tmplKernel: "/boot/vmlinuz", tmplInitrd: "/boot/initrd.img", tmplCmdline: "console=ttyS0"}}
)

// testSpec is a small running VM on the test hypervisor.
func testSpec(name string, tmpl driver.TemplateRef) driver.VMSpec {
	return driver.VMSpec{
		Name: name, CPU: 1, MemoryMiB: 512, DiskGB: 2, Power: driver.PowerRunning, Template: tmpl,
		Tags:   map[string]string{"app": name},
		Marker: driver.Marker{Address: "vm." + name, Lineage: "L", SpecHash: "h"},
	}
}

// mustCreate creates a VM or fails the test.
func mustCreate(t testing.TB, d *Driver, s driver.VMSpec) driver.VM {
	t.Helper()
	vm, err := d.Create(t.Context(), s)
	if err != nil {
		t.Fatalf("Create(%s): %v", s.Name, err)
	}
	return vm
}

// mustInventory reads the inventory or fails the test.
func mustInventory(t testing.TB, d *Driver) driver.Inventory {
	t.Helper()
	inv, err := d.Inventory(t.Context())
	if err != nil {
		t.Fatalf("Inventory: %v", err)
	}
	return inv
}
