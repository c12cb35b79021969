package vsphere

import (
	"context"

	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// Migrate relocates a VM to another host of the provider: a running VM by
// vMotion (live, whatever live says: vSphere moves running VMs only so),
// a stopped one cold. The VM moves into the target host's pool when the
// host belongs to another compute resource. vCenter's answer is verified
// by reading the VM's host back.
func (d *Driver) Migrate(ctx context.Context, id, hostName string, live bool) error {
	m, err := d.fetch(ctx, id)
	if err != nil {
		return err
	}
	if !d.caps.Migrate {
		return driver.Errorf(driver.KindPermanent, "vSphere provider %q has one host, so VM %s cannot migrate", d.name, id)
	}
	dst, err := d.host(ctx, hostName)
	if err != nil {
		return err
	}
	if m.Runtime.Host != nil && *m.Runtime.Host == dst.ref {
		return driver.Errorf(driver.KindPermanent, "VM %q is already on host %s", m.Name, dst.name)
	}
	spec, err := d.relocateSpec(ctx, m, dst)
	if err != nil {
		return err
	}
	task, err := d.vmObject(m.Self).Relocate(ctx, spec, types.VirtualMachineMovePriorityDefaultPriority)
	if err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		return fail(err, "migrating VM %q to host %s", m.Name, dst.name)
	}
	return d.verifyHost(ctx, m.Self, m.Name, dst)
}

// relocateSpec moves the VM to dst, and into dst's pool when dst belongs
// to another compute resource than the VM's host.
func (d *Driver) relocateSpec(ctx context.Context, m *mo.VirtualMachine, dst *host) (types.VirtualMachineRelocateSpec, error) {
	spec := types.VirtualMachineRelocateSpec{Host: &dst.ref}
	d.mu.Lock()
	src := d.hosts[derefOr(m.Runtime.Host)]
	d.mu.Unlock()
	if src != nil && src.parent == dst.parent {
		return spec, nil
	}
	pool, err := d.poolFor(ctx, dst)
	spec.Pool = &pool
	return spec, err
}

// verifyHost reads the VM's host back after a migration.
func (d *Driver) verifyHost(ctx context.Context, ref types.ManagedObjectReference, name string, dst *host) error {
	var m mo.VirtualMachine
	if err := d.c.RetrieveOne(ctx, ref, []string{"runtime.host"}, &m); err != nil {
		return fail(err, "reading the host of VM %q after its migration", name)
	}
	if got := derefOr(m.Runtime.Host); got != dst.ref {
		return driver.Errorf(driver.KindTransient, "vCenter reported VM %q migrated to host %s, but it runs on %s", name, dst.name, d.hostName(got))
	}
	return nil
}

// derefOr returns *ref, or a zero reference.
func derefOr(ref *types.ManagedObjectReference) types.ManagedObjectReference {
	if ref == nil {
		return types.ManagedObjectReference{}
	}
	return *ref
}

// hostName is the name of a host reference, or its ID when unknown.
func (d *Driver) hostName(ref types.ManagedObjectReference) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if h := d.hosts[ref]; h != nil {
		return h.name
	}
	return ref.Value
}
