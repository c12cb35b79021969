package driver

import "context"

// VMTable is a driver's own compact list of VMs (the sim's snapshot
// columns), read one VM at a time: an Inventory that holds one makes a VM
// only when it is read, so that a plan of 100,000 VMs need not hold them
// all as VMs at once (24 MB). The driver never changes a table; what Fill
// fills in (strings, tags, addresses) is the table's, which the caller
// must not change either.
type VMTable interface {
	Len() int
	ID(i int) string
	// Fill sets *vm to the i-th VM; its marker, when it has one, is *m.
	Fill(i int, vm *VM, m *Marker)
}

// TableLister is implemented by a SharedLister that can list its VMs as a
// VMTable: InventoryTable returns what SharedInventory would, with the VMs
// in Table where the driver keeps them in that form, else in VMs. The
// caller must not change it.
type TableLister interface {
	InventoryTable(ctx context.Context) (Inventory, error)
}

// ReadCompact lists d's inventory with InventoryTable where d implements
// TableLister, else as ReadShared does. The caller must not change it, and
// reads its VMs through Len, ID, Fill, At or List.
func ReadCompact(ctx context.Context, d Driver) (Inventory, error) {
	if t, ok := d.(TableLister); ok {
		return t.InventoryTable(ctx)
	}
	return ReadShared(ctx, d)
}

// Len is the number of VMs: the table's, then those of VMs.
func (inv Inventory) Len() int {
	if inv.Table == nil {
		return len(inv.VMs)
	}
	return inv.Table.Len() + len(inv.VMs)
}

// ID is the id of the i-th VM.
func (inv Inventory) ID(i int) string {
	if inv.Table == nil {
		return inv.VMs[i].ID
	}
	if n := inv.Table.Len(); i >= n {
		return inv.VMs[i-n].ID
	}
	return inv.Table.ID(i)
}

// Fill sets *vm to the i-th VM, with its marker copied into *m, without
// allocating: for a reader that keeps neither.
func (inv Inventory) Fill(i int, vm *VM, m *Marker) {
	if inv.Table != nil {
		if n := inv.Table.Len(); i < n {
			inv.Table.Fill(i, vm, m)
			return
		}
		i -= inv.Table.Len()
	}
	*vm = inv.VMs[i]
	if vm.Marker != nil {
		*m = *vm.Marker
		vm.Marker = m
	}
}

// At returns the i-th VM: the one in VMs, or one made from the table for
// this call (two calls make two VMs).
func (inv Inventory) At(i int) *VM {
	if inv.Table == nil {
		return &inv.VMs[i]
	}
	if n := inv.Table.Len(); i >= n {
		return &inv.VMs[i-n]
	}
	v := new(struct {
		vm VM
		m  Marker
	})
	inv.Table.Fill(i, &v.vm, &v.m)
	return &v.vm
}

// List returns the VMs in one slice: VMs itself when there is no table.
func (inv Inventory) List() []VM {
	if inv.Table == nil {
		return inv.VMs
	}
	out := make([]VM, inv.Len())
	for i := range out {
		out[i] = *inv.At(i)
	}
	return out
}
