package sim

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// TestSharedInventory checks driver.SharedLister on a cluster opened from
// a compact snapshot (what a plan reads): SharedInventory lists what
// Inventory lists, makes the columns VMs once and returns those same VMs
// on every call (no copy per call, and the columns are not held beside
// them); Inventory still returns the caller's own copy; and a change made
// after it leaves the VMs already returned as they were, shows in the next
// listings, and is saved by Close.
func TestSharedInventory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, nil)
	shared, err := d.SharedInventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, shared); diff != "" {
		t.Errorf("SharedInventory from the snapshot (-Inventory +SharedInventory):\n%s", diff)
	}
	if d.c.cols != nil || d.c.view == nil {
		t.Errorf("after SharedInventory: columns kept %v, view made %v; want the view in place of the columns", d.c.cols != nil, d.c.view != nil)
	}
	again, err := d.SharedInventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.VMs) == 0 || &again.VMs[0] != &shared.VMs[0] {
		t.Error("a second SharedInventory copied the VMs")
	}
	before := cloneInventory(shared)

	own := mustInventory(t, d)
	if len(own.VMs) > 0 && &own.VMs[0] == &shared.VMs[0] {
		t.Fatal("Inventory returned the shared VMs")
	}
	for i := range own.VMs {
		vm := &own.VMs[i]
		if vm.Tags != nil {
			vm.Tags["changed"] = "in Inventory's copy"
		}
		if vm.Marker != nil {
			vm.Marker.Address = "changed"
		}
		if len(vm.Addresses) > 0 {
			vm.Addresses[0] = "changed"
		}
	}
	if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
		t.Errorf("Inventory after changing the last one (-want +got):\n%s", diff)
	}

	tagged := shared.VMs[0]
	if _, err := d.Update(ctx, tagged.ID, driver.Changes{Tags: map[string]string{"x": "changed"}, CPU: new(4)}); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, shared.VMs[len(shared.VMs)-1].ID); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, d, spec("after", ""))
	if diff := cmp.Diff(before, shared); diff != "" {
		t.Errorf("changes to the cluster changed VMs SharedInventory had returned (-before +after):\n%s", diff)
	}
	now := mustInventory(t, d)
	if got := findVM(now, tagged.ID); got == nil || got.Tags["x"] != "changed" || got.CPU != 4 {
		t.Errorf("after Update, Inventory lists %+v", got)
	}
	sharedNow, err := d.SharedInventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(now, sharedNow); diff != "" {
		t.Errorf("SharedInventory after changes (-Inventory +SharedInventory):\n%s", diff)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, nil)
	if diff := cmp.Diff(now, mustInventory(t, d)); diff != "" {
		t.Errorf("Inventory after Close and Open (-before +after):\n%s", diff)
	}
}

func findVM(inv driver.Inventory, id string) *driver.VM {
	for i := range inv.VMs {
		if inv.VMs[i].ID == id {
			return &inv.VMs[i]
		}
	}
	return nil
}

// cloneInventory returns a deep copy of inv.
func cloneInventory(inv driver.Inventory) driver.Inventory {
	c := driver.Inventory{Hosts: slices.Clone(inv.Hosts), VMs: slices.Clone(inv.VMs)}
	for i := range c.VMs {
		vm := &c.VMs[i]
		vm.Tags = maps.Clone(vm.Tags)
		vm.Addresses = slices.Clone(vm.Addresses)
		if vm.Marker != nil {
			vm.Marker = new(*vm.Marker)
		}
	}
	return c
}
