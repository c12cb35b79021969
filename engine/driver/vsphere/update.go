package vsphere

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// Update changes a VM in place. vCPUs and memory grow hot where the VM has
// hot-add enabled (memory up to its hot-plug limit); lowering them, or
// growing them on a VM without hot-add, needs ch.Restart, and then the
// guest is shut down, the VM reconfigured and powered on again. Disks grow
// online. The record (marker, tags, disk size) is written to the
// annotation and the custom attribute.
func (d *Driver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	m, err := d.fetch(ctx, id)
	if err != nil {
		return driver.VM{}, err
	}
	cur, err := d.vmOfFetched(ctx, m)
	if err != nil {
		return driver.VM{}, err
	}
	u := &update{d: d, m: m, cur: cur, rec: d.recordOfVM(m)}
	if u.next, err = applyChanges(u.cur, u.rec, ch); err != nil {
		return driver.VM{}, err
	}
	if reason := u.restartReason(); reason != "" && !ch.Restart {
		return driver.VM{}, driver.Errorf(driver.KindPermanent, "%s of running VM %q needs a restart", reason, cur.Name)
	}
	if err := u.run(ctx); err != nil {
		return driver.VM{}, err
	}
	return d.read(ctx, m.Self)
}

// applyChanges returns the VM ch asks for, refusing what it cannot be.
func applyChanges(cur driver.VM, rec record, ch driver.Changes) (driver.VM, error) {
	next := ch.Apply(cur)
	switch {
	case next.CPU < 1 || next.CPU > maxVCPUs:
		return next, driver.Errorf(driver.KindPermanent, "VM %q cannot have %d vCPUs; a vSphere VM has 1 to %d", cur.Name, next.CPU, maxVCPUs)
	case next.MemoryMiB < 4 || next.MemoryMiB%4 != 0:
		return next, driver.Errorf(driver.KindPermanent, "VM %q cannot have %d MiB of memory; vSphere needs a multiple of 4 MiB", cur.Name, next.MemoryMiB)
	case next.DiskGB < cur.DiskGB:
		return next, driver.Errorf(driver.KindPermanent,
			"cannot shrink the disk of VM %q from %d GB to %d GB: disks only grow (replace the VM to get a smaller one)", cur.Name, cur.DiskGB, next.DiskGB)
	case next.DiskGB > cur.DiskGB && rec.Linked:
		return next, driver.Errorf(driver.KindPermanent,
			"cannot grow the disk of VM %q: it is a linked clone, whose disk is a child of its template's snapshot (replace it with a full clone: linked_clone = false)", cur.Name)
	case !next.Power.Valid():
		return next, driver.Errorf(driver.KindPermanent, "power must be %q or %q, not %q", driver.PowerRunning, driver.PowerStopped, next.Power)
	}
	return next, nil
}

// update is one Update in progress.
type update struct {
	d         *Driver
	m         *mo.VirtualMachine
	cur, next driver.VM
	rec       record
}

// restartReason says why the change cannot be made to the running VM
// without a restart, or "" when it can (or the VM is not running). It
// reads the VM's own hot-add settings: vCenter refuses to add vCPUs or
// memory to a running VM without them.
func (u *update) restartReason() string {
	cur, next := u.cur, u.next
	if cur.Power != driver.PowerRunning || next.Power != driver.PowerRunning {
		return ""
	}
	switch {
	case next.CPU < cur.CPU:
		return fmt.Sprintf("lowering the vCPUs from %d to %d", cur.CPU, next.CPU)
	case next.MemoryMiB < cur.MemoryMiB:
		return fmt.Sprintf("lowering the memory from %d MiB to %d MiB", cur.MemoryMiB, next.MemoryMiB)
	case next.CPU > cur.CPU && cur.MaxCPU != 0 && next.CPU > cur.MaxCPU:
		return fmt.Sprintf("raising the vCPUs to %d (the VM has CPU hot-add disabled)", next.CPU)
	case next.MemoryMiB > cur.MemoryMiB && cur.MaxMemoryMiB != 0 && next.MemoryMiB > cur.MaxMemoryMiB:
		if cur.MaxMemoryMiB == cur.MemoryMiB {
			return fmt.Sprintf("raising the memory to %d MiB (the VM has memory hot-add disabled)", next.MemoryMiB)
		}
		return fmt.Sprintf("raising the memory to %d MiB, past the VM's hot-plug limit of %d MiB,", next.MemoryMiB, cur.MaxMemoryMiB)
	}
	return ""
}

// run stops the VM when it must, reconfigures it, writes the record and
// powers it on when it should run. When a step fails after the VM was
// stopped, the VM is powered on again: a failed update leaves a running VM
// running.
func (u *update) run(ctx context.Context) error {
	running := u.cur.Power == driver.PowerRunning
	stopped := false
	if running && (u.restartReason() != "" || u.next.Power == driver.PowerStopped) {
		if err := u.d.stop(ctx, u.m.Self, u.cur.Name); err != nil {
			return err
		}
		stopped = true
	}
	if err := u.reconfigure(ctx); err != nil {
		return u.restart(ctx, stopped, err)
	}
	if u.next.Power == driver.PowerRunning && (stopped || !running) {
		return u.d.powerOn(ctx, u.m.Self, u.cur.Name)
	}
	return nil
}

// reconfigure applies size, disk and record in one ReconfigVM task, then
// writes the custom attribute.
func (u *update) reconfigure(ctx context.Context) error {
	rec := u.nextRecord()
	var spec types.VirtualMachineConfigSpec
	changed := false
	if u.next.CPU != u.cur.CPU {
		spec.NumCPUs, changed = int32(u.next.CPU), true
	}
	if u.next.MemoryMiB != u.cur.MemoryMiB {
		spec.MemoryMB, changed = u.next.MemoryMiB, true
	}
	if disk := grownDisk(firstDisk(u.m), u.next.DiskGB); disk != nil {
		spec.DeviceChange = append(spec.DeviceChange, &types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationEdit, Device: disk})
		changed = true
	}
	if r, ok := annotationRecord(u.m.Config.Annotation); !ok || r.encode() != rec.encode() {
		spec.Annotation, changed = withRecord(u.m.Config.Annotation, rec), true
	}
	if extraValue(u.m.Config.ExtraConfig) != rec.encode() {
		spec.ExtraConfig, changed = extraRecord(rec), true
	}
	if changed {
		if err := u.d.reconfigure(ctx, u.m.Self, u.cur.Name, spec); err != nil {
			return err
		}
	}
	if fieldValue(u.m.CustomValue, u.d.field) == rec.encode() {
		return nil
	}
	return u.d.writeField(ctx, u.m.Self, u.cur.Name, rec)
}

// nextRecord is the record after the update.
func (u *update) nextRecord() record {
	r := u.rec
	r.DiskGB = u.next.DiskGB
	r.Tags = maps.Clone(u.next.Tags)
	r.setMarker(driver.Marker{})
	if u.next.Marker != nil {
		r.setMarker(*u.next.Marker)
	}
	return r
}

// restart powers the VM on again when the update stopped it, then returns
// the step's error err, which keeps its kind.
func (u *update) restart(ctx context.Context, stopped bool, err error) error {
	if !stopped {
		return err
	}
	if serr := u.d.powerOn(ctx, u.m.Self, u.cur.Name); serr != nil {
		return errors.Join(err, fmt.Errorf("the VM was stopped for the update and could not be powered on again: %w", serr))
	}
	return fmt.Errorf("%w (VM %q was powered on again as it was)", err, u.cur.Name)
}
