package sim

import (
	"context"

	"github.com/novacron/novacron/engine/driver"
)

var (
	_ driver.SharedLister = (*Driver)(nil)
	_ driver.TableLister  = (*Driver)(nil)
)

// InventoryTable is SharedInventory with the VMs left in the snapshot's
// columns while the cluster still holds them so (driver.TableLister):
// read through the table, a VM is made only when a caller reads it, where
// SharedInventory makes every VM at once (240 bytes each). After a
// mutation, or once SharedInventory made the VMs, it returns those.
func (d *Driver) InventoryTable(ctx context.Context) (driver.Inventory, error) {
	if err := d.faults.delay(ctx); err != nil {
		return driver.Inventory{}, err
	}
	l, err := d.list(false)
	if err != nil {
		return driver.Inventory{}, err
	}
	switch {
	case l.cols != nil:
		return driver.Inventory{Table: newTable(l.cols), Hosts: l.hosts}, nil
	case l.view != nil:
		return driver.Inventory{VMs: l.view, Hosts: l.hosts}, nil
	}
	return driver.Inventory{VMs: toVMs(l.recs), Hosts: l.hosts}, nil
}

// table is columns as a driver.VMTable. Columns never change (a mutation
// makes records of them), so a table stays true to the listing it came
// from. It makes the tag maps and the addresses once, as toVMs does, so
// that Fill allocates nothing.
type table struct {
	cols    *columns
	tagMaps []map[string]string
	addrs   []string // a running VM's address, "" for one that is not running
}

func newTable(cols *columns) *table {
	return &table{cols: cols, tagMaps: cols.tagMaps(), addrs: cols.addresses()}
}

func (t *table) Len() int        { return len(t.cols.ID) }
func (t *table) ID(i int) string { return t.cols.ID[i] }

// Fill sets *vm to the i-th VM as toVMs makes it; its Addresses has a
// capacity of one, so an append copies it.
func (t *table) Fill(i int, vm *driver.VM, m *driver.Marker) {
	cols := t.cols
	*vm = driver.VM{
		ID: cols.ID[i], Name: cols.Name[i], Host: cols.Shared[cols.Host[i]],
		CPU: cols.CPU[i], MemoryMiB: cols.MemoryMiB[i], DiskGB: cols.DiskGB[i],
		Power: driver.Power(cols.Shared[cols.Power[i]]), Template: cols.Shared[cols.Template[i]],
	}
	if tags := cols.Tags[i]; tags >= 0 {
		vm.Tags = t.tagMaps[tags]
	}
	if cols.Marked[i] {
		*m = cols.marker(i)
		vm.Marker = m
	}
	if t.addrs[i] != "" {
		vm.Addresses = t.addrs[i : i+1 : i+1]
	}
}
