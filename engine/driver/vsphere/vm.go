package vsphere

import (
	"context"
	"slices"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// detailProps are what Create and Update read of one VM: what Inventory
// reads, and the device list (the disk they grow, the NIC they attach).
var detailProps = append(slices.Clone(vmProps), "config.hardware.device")

// fetch reads one VM; a VM vCenter does not know, and a template, are
// not-found. An id driver.CheckID refuses (spaces around it, a control
// character) is a permanent error: ids are compared exactly.
func (d *Driver) fetch(ctx context.Context, id string) (*mo.VirtualMachine, error) {
	if err := driver.CheckID(id); err != nil {
		return nil, err
	}
	ref, ok := vmRef(id)
	if !ok {
		return nil, notFound(d.name, id)
	}
	var m mo.VirtualMachine
	err := d.c.RetrieveOne(ctx, ref, detailProps, &m)
	if isNotFound(err) {
		return nil, notFound(d.name, id)
	}
	if err != nil {
		return nil, fail(err, "reading VM %s", id)
	}
	if m.Config == nil || m.Config.Template {
		return nil, notFound(d.name, id)
	}
	return &m, nil
}

// read returns a VM as Inventory reports it.
func (d *Driver) read(ctx context.Context, ref types.ManagedObjectReference) (driver.VM, error) {
	m, err := d.fetch(ctx, ref.Value)
	if err != nil {
		return driver.VM{}, err
	}
	return d.vmOfFetched(ctx, m)
}

// vmOfFetched converts a fetched VM, reading the hosts again when its
// host is one the driver has not seen.
func (d *Driver) vmOfFetched(ctx context.Context, m *mo.VirtualMachine) (driver.VM, error) {
	d.mu.Lock()
	hosts := d.hosts
	d.mu.Unlock()
	if m.Runtime.Host != nil && hosts[*m.Runtime.Host] == nil {
		var err error
		if hosts, err = d.readHosts(ctx); err != nil {
			return driver.VM{}, err
		}
	}
	vm, _ := d.vmOf(m, hosts.names())
	return vm, nil
}

// vmObject is the govmomi object of a VM.
func (d *Driver) vmObject(ref types.ManagedObjectReference) *object.VirtualMachine {
	return object.NewVirtualMachine(d.c.Client, ref)
}

// recordOfVM returns the record of a fetched VM, or a fresh one.
func (d *Driver) recordOfVM(m *mo.VirtualMachine) record {
	if r, ok := recordOf(fieldValue(m.CustomValue, d.field), m.Config.Annotation, extraValue(m.Config.ExtraConfig)); ok {
		return r
	}
	return record{Version: recordVersion}
}

// firstDisk is a VM's first disk, or nil.
func firstDisk(m *mo.VirtualMachine) *types.VirtualDisk {
	disks := object.VirtualDeviceList(m.Config.Hardware.Device).SelectByType((*types.VirtualDisk)(nil))
	if len(disks) == 0 {
		return nil
	}
	return disks[0].(*types.VirtualDisk)
}

// writeField sets the custom attribute to the record, where there is one.
func (d *Driver) writeField(ctx context.Context, ref types.ManagedObjectReference, name string, r record) error {
	if d.field == noField {
		return nil
	}
	m := object.NewCustomFieldsManager(d.c.Client)
	return fail(m.Set(ctx, ref, d.field, r.encode()), "writing the custom attribute %q of VM %q", FieldName, name)
}

// reconfigure runs one ReconfigVM task.
func (d *Driver) reconfigure(ctx context.Context, ref types.ManagedObjectReference, name string, spec types.VirtualMachineConfigSpec) error {
	task, err := d.vmObject(ref).Reconfigure(ctx, spec)
	if err == nil {
		err = task.Wait(ctx)
	}
	return fail(err, "reconfiguring VM %q", name)
}
