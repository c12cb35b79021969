package sim

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInventoryFromColumns checks that a cluster opened from a compact
// snapshot lists its VMs without making records (what a plan does), that
// each inventory is the caller's own (changing one changes neither the VMs
// nor the next inventory), and that the first change makes the records
// and keeps every VM.
func TestInventoryFromColumns(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, nil)
	first := mustInventory(t, d)
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("Inventory from the snapshot (-before +after):\n%s", diff)
	}
	if d.c.cols == nil {
		t.Error("listing the VMs made their records: a plan would hold them twice")
	}
	for i := range first.VMs {
		if first.VMs[i].Tags != nil {
			first.VMs[i].Tags["changed"] = "in the first inventory"
		}
		if first.VMs[i].Marker != nil {
			first.VMs[i].Marker.Address = "changed"
		}
	}
	if diff := cmp.Diff(want, mustInventory(t, d)); diff != "" {
		t.Errorf("Inventory after changing the first one's maps (-want +got):\n%s", diff)
	}
	created := mustCreate(t, d, spec("after", ""))
	if d.c.cols != nil {
		t.Error("a Create left the cluster as columns")
	}
	got := mustInventory(t, d)
	wantIDs := []string{}
	for _, vm := range want.VMs {
		wantIDs = append(wantIDs, vm.ID)
	}
	wantIDs = append(wantIDs, created.ID)
	if diff := cmp.Diff(wantIDs, ids(got)); diff != "" {
		t.Errorf("VMs after a Create (-want +got):\n%s", diff)
	}
}

// TestColumnsOutOfOrder checks that a compact snapshot whose VMs are not
// in ID order (NovaCron writes them in order; a file changed by hand may
// not be) is read in ID order.
func TestColumnsOutOfOrder(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir, nil)
	want := mutate(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(dir, "sim-lab.snap")
	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	c, err := decodeCompact(data)
	if err != nil {
		t.Fatal(err)
	}
	cols := toColumns(c)
	if len(cols.ID) < 2 {
		t.Fatalf("%d VMs: the test needs two", len(cols.ID))
	}
	swap := func(s any) {
		switch s := s.(type) {
		case []string:
			s[0], s[1] = s[1], s[0]
		case []int32:
			s[0], s[1] = s[1], s[0]
		case []int:
			s[0], s[1] = s[1], s[0]
		case []int64:
			s[0], s[1] = s[1], s[0]
		case []bool:
			s[0], s[1] = s[1], s[0]
		}
	}
	for _, col := range []any{cols.ID, cols.Name, cols.Host, cols.Template, cols.Power, cols.CPU, cols.DiskGB,
		cols.MemoryMiB, cols.Tags, cols.Marked, cols.Address, cols.SpecHash, cols.Lineage} {
		swap(col)
	}
	if err := os.WriteFile(snap, encodeColumns(t, cols), 0o600); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir, nil)
	got := mustInventory(t, d)
	if !slices.IsSortedFunc(ids(got), compareIDs) {
		t.Errorf("VMs not in ID order: %v", ids(got))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Inventory (-want +got):\n%s", diff)
	}
}
