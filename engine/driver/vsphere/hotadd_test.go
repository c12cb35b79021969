package vsphere

import (
	"context"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/vcsim"
)

// TestHotAddDisabled: on a VM without CPU or memory hot-add, Inventory
// reports its size as its ceiling (so the plan says restart), and the
// driver refuses to grow it while it runs unless told to restart, though
// govmomi's simulator would take the reconfiguration. With Restart it
// grows and runs again.
func TestHotAddDisabled(t *testing.T) {
	cfg := simConfig(startSim(t, vcsim.Options{}))
	cfg[settingCPUHotAdd], cfg[settingMemoryHotAdd] = false, false
	d := openDriver(t, cfg)
	ctx := context.Background()
	vm, err := d.Create(ctx, testSpec("nohot"))
	if err != nil {
		t.Fatal(err)
	}
	if vm.MaxCPU != 1 || vm.MaxMemoryMiB != 1024 {
		t.Errorf("ceilings of a VM without hot-add: %d vCPU, %d MiB; want its size, 1 and 1024", vm.MaxCPU, vm.MaxMemoryMiB)
	}
	for _, ch := range []driver.Changes{{CPU: new(2)}, {MemoryMiB: new(int64(2048))}} {
		_, err := d.Update(ctx, vm.ID, ch)
		if err == nil || driver.KindOf(err) != driver.KindPermanent {
			t.Errorf("growing a VM without hot-add, no restart: %v, want a permanent error", err)
		}
	}
	if got := inventoryVM(t, d, vm.ID); got.CPU != 1 || got.MemoryMiB != 1024 || got.Power != driver.PowerRunning {
		t.Errorf("after the refused updates: %d vCPU, %d MiB, %s; want it unchanged", got.CPU, got.MemoryMiB, got.Power)
	}
	got, err := d.Update(ctx, vm.ID, driver.Changes{CPU: new(2), MemoryMiB: new(int64(2048)), Restart: true})
	if err != nil {
		t.Fatalf("growing with Restart: %v", err)
	}
	if got.CPU != 2 || got.MemoryMiB != 2048 || got.Power != driver.PowerRunning {
		t.Errorf("after growing with Restart: %d vCPU, %d MiB, %s; want 2, 2048, running", got.CPU, got.MemoryMiB, got.Power)
	}
}

// TestHotAddEnabled: VMs made with hot-add (the default) report no vCPU
// ceiling, grow without a restart, and refuse to shrink without one.
func TestHotAddEnabled(t *testing.T) {
	d := openDriver(t, simConfig(startSim(t, vcsim.Options{})))
	ctx := context.Background()
	vm, err := d.Create(ctx, testSpec("hot"))
	if err != nil {
		t.Fatal(err)
	}
	if vm.MaxCPU != 0 || vm.MaxMemoryMiB != 0 {
		t.Errorf("ceilings of a VM with hot-add: %d vCPU, %d MiB; want none (0)", vm.MaxCPU, vm.MaxMemoryMiB)
	}
	if _, err := d.Update(ctx, vm.ID, driver.Changes{CPU: new(4), MemoryMiB: new(int64(4096))}); err != nil {
		t.Errorf("growing a VM with hot-add: %v", err)
	}
	if _, err := d.Update(ctx, vm.ID, driver.Changes{MemoryMiB: new(int64(1024))}); driver.KindOf(err) != driver.KindPermanent || err == nil {
		t.Errorf("shrinking memory without a restart: %v, want a permanent error", err)
	}
}

// inventoryVM returns the VM of the ID from a fresh Inventory.
func inventoryVM(t *testing.T, d *Driver, id string) driver.VM {
	t.Helper()
	inv, err := d.Inventory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, vm := range inv.VMs {
		if vm.ID == id {
			return vm
		}
	}
	t.Fatalf("Inventory does not list VM %s", id)
	return driver.VM{}
}
