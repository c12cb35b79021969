package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/drivertest"
)

var testTemplate = driver.TemplateRef{Name: "ubuntu", Config: driver.Config{"image": "ubuntu-22.04"}}

func TestConformance(t *testing.T) {
	drivertest.Run(t, drivertest.Harness{
		New:      func(t *testing.T) driver.Driver { return open(t, t.TempDir(), nil) },
		Template: testTemplate,
	})
}

// TestConformanceAfterReopen runs the suite against a cluster that was
// closed and reopened, so every case also goes through the snapshot.
func TestConformanceAfterReopen(t *testing.T) {
	drivertest.Run(t, drivertest.Harness{
		New: func(t *testing.T) driver.Driver {
			dir := t.TempDir()
			if err := open(t, dir, nil).Close(); err != nil {
				t.Fatal(err)
			}
			return open(t, dir, nil)
		},
		Template: testTemplate,
	})
}

// open opens the provider "lab" in dir with the given settings, or fails
// the test. The test closes it unless it did so itself.
func open(t testing.TB, dir string, cfg driver.Config) *Driver {
	t.Helper()
	d, err := openErr(t, dir, cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// openErr opens the provider "lab" in dir with a short deadline.
func openErr(t testing.TB, dir string, cfg driver.Config) (*Driver, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return Open(ctx, driver.OpenRequest{Name: "lab", DataDir: dir, Config: cfg})
}

// spec returns a running 1 vCPU, 1 GiB VM spec on host ("" lets the sim choose).
func spec(name, host string) driver.VMSpec {
	return driver.VMSpec{
		Name: name, Host: host, CPU: 1, MemoryMiB: 1024, DiskGB: 10,
		Power: driver.PowerRunning, Template: testTemplate,
		Tags:   map[string]string{"app": name},
		Marker: driver.Marker{Address: "vm." + name, Lineage: "L", SpecHash: "h"},
	}
}

// mustCreate creates a VM or fails the test.
func mustCreate(t testing.TB, d *Driver, s driver.VMSpec) driver.VM {
	t.Helper()
	vm, err := d.Create(context.Background(), s)
	if err != nil {
		t.Fatalf("Create(%s): %v", s.Name, err)
	}
	return vm
}

// mustInventory reads the inventory or fails the test.
func mustInventory(t testing.TB, d *Driver) driver.Inventory {
	t.Helper()
	inv, err := d.Inventory(context.Background())
	if err != nil {
		t.Fatalf("Inventory: %v", err)
	}
	return inv
}

// ids lists the IDs of the inventory's VMs.
func ids(inv driver.Inventory) []string {
	out := make([]string, len(inv.VMs))
	for i, vm := range inv.VMs {
		out[i] = vm.ID
	}
	return out
}

// A running VM has a stable simulated address; a stopped one has none.
func TestAddresses(t *testing.T) {
	d := open(t, t.TempDir(), nil)
	vm := mustCreate(t, d, spec("web-0", ""))
	if len(vm.Addresses) != 1 || vm.Addresses[0] != "10.0.0.1" {
		t.Errorf("the first VM's addresses are %v, want [10.0.0.1]", vm.Addresses)
	}
	stopped := driver.PowerStopped
	vm, err := d.Update(t.Context(), vm.ID, driver.Changes{Power: &stopped})
	if err != nil {
		t.Fatal(err)
	}
	if len(vm.Addresses) != 0 {
		t.Errorf("a stopped VM reports addresses %v", vm.Addresses)
	}
}

// Inventory gives each running VM its own address, the one Create
// reported, and a stopped VM none, though it builds them in one block.
func TestInventoryAddresses(t *testing.T) {
	d := open(t, t.TempDir(), nil)
	want := map[string][]string{}
	for i := range 5 {
		vm := mustCreate(t, d, spec(fmt.Sprint("web-", i), ""))
		want[vm.ID] = vm.Addresses
	}
	stopped := driver.PowerStopped
	if _, err := d.Update(t.Context(), "vm-000003", driver.Changes{Power: &stopped}); err != nil {
		t.Fatal(err)
	}
	want["vm-000003"] = nil
	inv := mustInventory(t, d)
	got := map[string][]string{}
	for _, vm := range inv.VMs {
		got[vm.ID] = vm.Addresses
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	inv.VMs[0].Addresses = append(inv.VMs[0].Addresses, "x")
	if a := inv.VMs[1].Addresses; len(a) != 1 || a[0] != "10.0.0.2" {
		t.Errorf("an append to the first VM's addresses changed the second's to %v", a)
	}
}
