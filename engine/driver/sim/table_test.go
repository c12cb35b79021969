package sim

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
)

// TestInventoryTable checks driver.TableLister on a cluster opened from a
// compact snapshot: InventoryTable lists the VMs Inventory lists, in a
// table over the columns (which it keeps, and makes no VMs of), through
// every reader of driver.Inventory; after a change it lists the records,
// and the table it returned before still lists the VMs as they were.
func TestInventoryTable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, nil)
	inv, err := d.InventoryTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Table == nil || len(inv.VMs) != 0 {
		t.Fatalf("InventoryTable from the snapshot: table %v, %d VMs; want a table and no VMs", inv.Table != nil, len(inv.VMs))
	}
	if d.c.cols == nil || d.c.view != nil {
		t.Errorf("after InventoryTable: columns kept %v, view made %v; want the columns and no view", d.c.cols != nil, d.c.view != nil)
	}
	checkReaders(t, "the table", want, inv)

	if _, err := d.Update(ctx, want.VMs[0].ID, driver.Changes{Tags: map[string]string{"x": "changed"}, CPU: new(4)}); err != nil {
		t.Fatal(err)
	}
	checkReaders(t, "the table after a change", want, inv)
	after, err := d.InventoryTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Table != nil {
		t.Error("InventoryTable after a change returned a table; want the records' VMs")
	}
	if diff := cmp.Diff(mustInventory(t, d), after); diff != "" {
		t.Errorf("InventoryTable after a change (-Inventory +InventoryTable):\n%s", diff)
	}
}

// checkReaders fails t unless every reader of inv lists want's VMs.
func checkReaders(t *testing.T, what string, want, inv driver.Inventory) {
	t.Helper()
	if diff := cmp.Diff(want.VMs, inv.List()); diff != "" {
		t.Errorf("%s: List (-Inventory +table):\n%s", what, diff)
	}
	if inv.Len() != len(want.VMs) {
		t.Fatalf("%s: Len %d, want %d", what, inv.Len(), len(want.VMs))
	}
	var vm driver.VM
	var m driver.Marker
	for i, w := range want.VMs {
		inv.Fill(i, &vm, &m)
		if diff := cmp.Diff(w, vm); diff != "" || inv.ID(i) != w.ID {
			t.Errorf("%s: VM %d by Fill, id %s (-Inventory +table):\n%s", what, i, inv.ID(i), diff)
		}
		if diff := cmp.Diff(w, *inv.At(i)); diff != "" {
			t.Errorf("%s: VM %d by At (-Inventory +table):\n%s", what, i, diff)
		}
	}
	if diff := cmp.Diff(want.Hosts, inv.Hosts); diff != "" {
		t.Errorf("%s: hosts (-Inventory +table):\n%s", what, diff)
	}
}
