package sim

import (
	"context"
	"maps"

	"github.com/novacron/novacron/engine/driver"
)

// SharedInventory is Inventory without a copy per call
// (driver.SharedLister): while the VMs are still the snapshot's columns,
// the first call makes them into VMs once, which then stand for the
// columns (cluster.view) and are what every later call returns, until the
// first mutation makes records of them. The caller must not change them.
func (d *Driver) SharedInventory(ctx context.Context) (driver.Inventory, error) {
	if err := d.faults.delay(ctx); err != nil {
		return driver.Inventory{}, err
	}
	l, err := d.list(true)
	if err != nil {
		return driver.Inventory{}, err
	}
	if l.view != nil {
		return driver.Inventory{VMs: l.view, Hosts: l.hosts}, nil
	}
	return driver.Inventory{VMs: toVMs(l.recs), Hosts: l.hosts}, nil
}

// copyVMs returns VMs that share no memory with vms but their strings: one
// copy of each run of equal tags, the markers and the addresses in one
// block each, as toVMs makes them.
func copyVMs(vms []driver.VM) []driver.VM {
	out := make([]driver.VM, len(vms))
	markers := make([]driver.Marker, len(vms))
	addrs := make([]string, len(vms))
	var from, tags map[string]string // the last VM's tags, and their copy
	for i := range vms {
		vm := &out[i]
		*vm = vms[i]
		if vm.Tags == nil || from == nil || !maps.Equal(vm.Tags, from) {
			from, tags = vm.Tags, maps.Clone(vm.Tags)
		}
		vm.Tags = tags
		if vm.Marker != nil {
			markers[i] = *vm.Marker
			vm.Marker = &markers[i]
		}
		if len(vm.Addresses) > 0 {
			addrs[i] = vm.Addresses[0]
			vm.Addresses = addrs[i : i+1 : i+1]
		}
	}
	return out
}

// viewRecords returns records of the VMs of a view, in its order, in one
// block: one copy of each run of equal tags (the view's maps stay the
// view's), and the markers in one block.
func viewRecords(vms []driver.VM) []*vmRecord {
	order := make([]*vmRecord, len(vms))
	recs := make([]vmRecord, len(vms))
	markers := make([]driver.Marker, len(vms))
	var from, tags map[string]string
	for i := range vms {
		vm := &vms[i]
		if vm.Tags == nil || from == nil || !maps.Equal(vm.Tags, from) {
			from, tags = vm.Tags, maps.Clone(vm.Tags)
		}
		recs[i] = vmRecord{
			ID: vm.ID, Name: vm.Name, Host: vm.Host,
			CPU: vm.CPU, MemoryMiB: vm.MemoryMiB, DiskGB: vm.DiskGB,
			Power: vm.Power, Template: vm.Template, Tags: tags,
		}
		if vm.Marker != nil {
			markers[i] = *vm.Marker
			recs[i].Marker = &markers[i]
		}
		order[i] = &recs[i]
	}
	return order
}
