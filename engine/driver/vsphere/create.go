package vsphere

import (
	"context"
	"errors"
	"fmt"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// Create clones the template VM onto spec.Host (vCenter's choice in the
// provider's pool when empty), with the size, disk, network and guestinfo
// the spec asks for and NovaCron's record in the clone's annotation, so
// the VM carries its marker from the moment it exists. It then writes the
// record to the custom attribute, converges what the clone did not apply,
// and powers the VM on unless the spec asks for a stopped VM. A Create
// that fails after the clone removes the clone again.
func (d *Driver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	if spec.Power == "" {
		spec.Power = driver.PowerRunning
	}
	t, src, err := d.prepare(ctx, spec)
	if err != nil {
		return driver.VM{}, err
	}
	c := &creation{d: d, spec: spec, tmpl: t, src: src, rec: newRecord(spec, t.linked)}
	if err := c.target(ctx); err != nil {
		return driver.VM{}, err
	}
	ref, err := c.clone(ctx)
	if err != nil {
		return driver.VM{}, err
	}
	if err := checkpoint(stepCloned); err != nil {
		return driver.VM{}, errors.Join(err, c.undo(ref))
	}
	if err := c.finish(ctx, ref); err != nil {
		return driver.VM{}, errors.Join(err, c.undo(ref))
	}
	return d.read(ctx, ref)
}

// creation is one Create in progress.
type creation struct {
	d    *Driver
	spec driver.VMSpec
	tmpl template
	src  *source
	rec  record
	host *types.ManagedObjectReference // nil: vCenter chooses in pool
	pool types.ManagedObjectReference
}

// target chooses the host and pool: spec.Host, which must be one of the
// provider's; else the provider's pool, or the first host's.
func (c *creation) target(ctx context.Context) error {
	d := c.d
	if c.spec.Host == "" && d.at.pool != nil {
		c.pool = *d.at.pool
		return nil
	}
	name := c.spec.Host
	if name == "" {
		names := d.hostNames()
		if len(names) == 0 {
			return driver.Errorf(driver.KindCapacity, "vSphere provider %q has no usable host for VM %q", d.name, c.spec.Name)
		}
		name = names[0]
	}
	h, err := d.host(ctx, name)
	if err != nil {
		return err
	}
	c.host = &h.ref
	c.pool, err = d.poolFor(ctx, h)
	return err
}

// clone runs the clone task and returns the new VM.
func (c *creation) clone(ctx context.Context) (types.ManagedObjectReference, error) {
	vm := c.d.vmObject(c.src.ref)
	task, err := vm.Clone(ctx, c.d.at.folder, c.spec.Name, c.cloneSpec())
	var res *types.TaskInfo
	if err == nil {
		res, err = task.WaitForResult(ctx, nil)
	}
	if fault.Is(err, &types.DuplicateName{}) {
		return types.ManagedObjectReference{}, driver.Errorf(driver.KindPermanent,
			"a VM named %q already exists in folder %s and NovaCron did not create it for this VM: rename the VM in the spec, remove that VM, or adopt it with `nova-plan import`",
			c.spec.Name, c.d.at.folder.InventoryPath)
	}
	if err != nil {
		return types.ManagedObjectReference{}, fail(err, "cloning VM %q from template VM %q", c.spec.Name, c.src.name)
	}
	ref, ok := res.Result.(types.ManagedObjectReference)
	if !ok {
		return types.ManagedObjectReference{}, driver.Errorf(driver.KindPermanent, "cloning VM %q: vCenter returned no VM", c.spec.Name)
	}
	return ref, nil
}

// cloneSpec is the clone: where it goes, and its configuration.
func (c *creation) cloneSpec() types.VirtualMachineCloneSpec {
	loc := types.VirtualMachineRelocateSpec{Pool: &c.pool, Host: c.host, Datastore: c.d.at.datastore}
	spec := types.VirtualMachineCloneSpec{Location: loc, Config: c.config()}
	if c.tmpl.linked {
		spec.Location.DiskMoveType = string(types.VirtualMachineRelocateDiskMoveOptionsCreateNewChildDiskBacking)
		spec.Snapshot = c.src.snapshot
	}
	return spec
}

// config is the clone's configuration: size, hot-add, the record in the
// annotation, guestinfo, the disk and the NIC.
func (c *creation) config() *types.VirtualMachineConfigSpec {
	cfg := c.d.cfg
	return &types.VirtualMachineConfigSpec{
		NumCPUs:             int32(c.spec.CPU),
		MemoryMB:            c.spec.MemoryMiB,
		CpuHotAddEnabled:    &cfg.cpuHotAdd,
		MemoryHotAddEnabled: &cfg.memoryHotAdd,
		Annotation:          withRecord(c.src.notes, c.rec),
		ExtraConfig:         append(extraRecord(c.rec), guestinfo(c.tmpl, c.spec.Name)...),
		DeviceChange:        c.devices(),
	}
}

// devices are the changes to the template's devices: its first NIC moved
// to the provider's network (or one added). The disk is grown after the
// clone (finish), as an edit of the clone's own disk: an edit of the
// template's disk inside the clone's configuration names a device of
// another VM, which govmomi's simulator turns into a clone without a disk.
func (c *creation) devices() []types.BaseVirtualDeviceConfigSpec {
	var out []types.BaseVirtualDeviceConfigSpec
	if nic := c.d.at.nic; nic != nil {
		out = append(out, nicChange(c.src.nic, nic))
	}
	return out
}

// finish makes the clone what the spec asks for where the clone task did
// not (vCenter applies the whole clone configuration; govmomi's simulator
// applies only its size), writes the custom attribute, and powers on.
func (c *creation) finish(ctx context.Context, ref types.ManagedObjectReference) error {
	var m mo.VirtualMachine
	if err := c.d.c.RetrieveOne(ctx, ref, detailProps, &m); err != nil {
		return fail(err, "reading the clone %q", c.spec.Name)
	}
	if spec, ok := c.converge(&m); ok {
		if err := c.d.reconfigure(ctx, ref, c.spec.Name, spec); err != nil {
			return err
		}
	}
	if err := c.d.writeField(ctx, ref, c.spec.Name, c.rec); err != nil {
		return err
	}
	if c.spec.Power == driver.PowerRunning {
		return c.d.powerOn(ctx, ref, c.spec.Name)
	}
	return nil
}

// converge returns the changes that make the clone as asked; ok is false
// when it already is.
func (c *creation) converge(m *mo.VirtualMachine) (types.VirtualMachineConfigSpec, bool) {
	want := c.config()
	var spec types.VirtualMachineConfigSpec
	ok := false
	cfg := m.Config
	if cfg.Hardware.NumCPU != want.NumCPUs || int64(cfg.Hardware.MemoryMB) != want.MemoryMB {
		spec.NumCPUs, spec.MemoryMB, ok = want.NumCPUs, want.MemoryMB, true
	}
	if isTrue(cfg.CpuHotAddEnabled) != *want.CpuHotAddEnabled || isTrue(cfg.MemoryHotAddEnabled) != *want.MemoryHotAddEnabled {
		spec.CpuHotAddEnabled, spec.MemoryHotAddEnabled, ok = want.CpuHotAddEnabled, want.MemoryHotAddEnabled, true
	}
	if r, found := annotationRecord(cfg.Annotation); !found || r.encode() != c.rec.encode() {
		spec.Annotation, ok = want.Annotation, true
	}
	if extraValue(cfg.ExtraConfig) != c.rec.encode() {
		spec.ExtraConfig, ok = extraRecord(c.rec), true
	}
	if disk := grownDisk(firstDisk(m), c.spec.DiskGB); disk != nil {
		spec.DeviceChange, ok = append(spec.DeviceChange, &types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationEdit, Device: disk}), true
	}
	return spec, ok
}

// undo removes the clone of a failed Create.
func (c *creation) undo(ref types.ManagedObjectReference) error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if err := c.d.destroy(ctx, ref, c.spec.Name); err != nil {
		return driver.Wrap(driver.KindPermanent, fmt.Errorf("removing the half-made VM %q (%s) failed too; remove it by hand: %w", c.spec.Name, ref.Value, err))
	}
	return nil
}

var _ driver.CreateChecker = (*Driver)(nil)

// CheckCreate tells at plan time what Create would refuse before it
// clones: a VM the vSphere limits refuse, a template VM that does not
// exist, a disk smaller than the template's, a linked clone asked to
// grow its disk. It reads the template VM once per driver and changes
// nothing.
func (d *Driver) CheckCreate(ctx context.Context, spec driver.VMSpec) error {
	if spec.Power == "" {
		spec.Power = driver.PowerRunning
	}
	_, _, err := d.prepare(ctx, spec)
	return err
}

// prepare checks spec and finds the template VM it clones.
func (d *Driver) prepare(ctx context.Context, spec driver.VMSpec) (template, *source, error) {
	t, err := checkSpec(spec)
	if err != nil {
		return t, nil, err
	}
	src, err := d.source(ctx, t)
	if err != nil {
		return t, nil, err
	}
	return t, src, checkClone(spec, t, src)
}
