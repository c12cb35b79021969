package sim

import (
	"github.com/novacron/novacron/engine/driver"
)

// newRecord checks a spec and returns the VM it asks for, without ID,
// host, template and marker (create sets them), sharing no memory with
// spec but its Tags (create copies them).
func newRecord(spec *driver.VMSpec) (vmRecord, error) {
	if spec.Name == "" {
		return vmRecord{}, driver.Errorf(driver.KindPermanent, "a VM needs a name")
	}
	if spec.Template.Config.String(settingImage) == "" {
		return vmRecord{}, driver.Errorf(driver.KindPermanent,
			"template %q has no sim mapping: set image in its sim block", spec.Template.Name)
	}
	power := spec.Power
	if power == "" {
		power = driver.PowerRunning
	}
	rec := vmRecord{
		Name:      spec.Name,
		CPU:       spec.CPU,
		MemoryMiB: spec.MemoryMiB,
		DiskGB:    spec.DiskGB,
		Power:     power,
		Tags:      spec.Tags,
	}
	return rec, checkSize(rec)
}

// markedRecord is a record and its marker in one block: what a create
// stores.
type markedRecord struct {
	rec    vmRecord
	marker driver.Marker
}

// newStored returns a copy of rec to store, marked with m unless m is zero
// (an unmarked VM: Marker nil).
func newStored(rec vmRecord, m driver.Marker) *vmRecord {
	b := &markedRecord{rec: rec, marker: m}
	b.rec.Marker = nil
	if m != (driver.Marker{}) {
		b.rec.Marker = &b.marker
	}
	return &b.rec
}

// checkSize checks the values a VM can have at all.
func checkSize(r vmRecord) error {
	switch {
	case r.CPU < 1:
		return driver.Errorf(driver.KindPermanent, "a VM needs at least 1 vCPU, not %d", r.CPU)
	case r.MemoryMiB < 1:
		return driver.Errorf(driver.KindPermanent, "a VM needs at least 1 MiB of memory, not %d", r.MemoryMiB)
	case r.DiskGB < 0:
		return driver.Errorf(driver.KindPermanent, "a disk cannot have %d GB", r.DiskGB)
	case !r.Power.Valid():
		return driver.Errorf(driver.KindPermanent, "power must be %q or %q, not %q",
			driver.PowerRunning, driver.PowerStopped, r.Power)
	}
	return nil
}

// applyChanges returns vm with ch applied. A disk never shrinks. Lowering
// cpu or memory of a VM that is and stays running needs ch.Restart; with it
// the VM is stopped, changed and started again, so it ends running.
func applyChanges(vm vmRecord, ch driver.Changes) (vmRecord, error) {
	next := vm.with(ch.Apply(vm.toVM()))
	if err := checkSize(next); err != nil {
		return vmRecord{}, err
	}
	if next.DiskGB < vm.DiskGB {
		return vmRecord{}, driver.Errorf(driver.KindPermanent,
			"cannot shrink the disk of %s from %d GB to %d GB: disks only grow", vm.ID, vm.DiskGB, next.DiskGB)
	}
	if vm.Power == driver.PowerRunning && next.Power == driver.PowerRunning && !ch.Restart {
		return next, checkHotShrink(vm, next)
	}
	return next, nil
}

// checkHotShrink refuses to lower cpu or memory of a running VM in place.
func checkHotShrink(vm, next vmRecord) error {
	switch {
	case next.CPU < vm.CPU:
		return driver.Errorf(driver.KindPermanent,
			"lowering the vCPUs of running VM %s from %d to %d needs a restart", vm.ID, vm.CPU, next.CPU)
	case next.MemoryMiB < vm.MemoryMiB:
		return driver.Errorf(driver.KindPermanent,
			"lowering the memory of running VM %s from %d MiB to %d MiB needs a restart", vm.ID, vm.MemoryMiB, next.MemoryMiB)
	}
	return nil
}

// checkGrowth fails when what a VM grows by does not fit on its host.
func (c *cluster) checkGrowth(old, next vmRecord) error {
	h := c.byName[old.Host]
	cpu, mem := next.CPU-old.CPU, next.MemoryMiB-old.MemoryMiB
	if h == nil || (cpu <= 0 || cpu <= h.freeCPU()) && (mem <= 0 || mem <= h.freeMem()) {
		return nil
	}
	return capacityError(h, max(0, cpu), max(0, mem), old.ID)
}

// with returns r with what a driver.Changes can change taken from vm.
func (r vmRecord) with(vm driver.VM) vmRecord {
	r.CPU, r.MemoryMiB, r.DiskGB, r.Power = vm.CPU, vm.MemoryMiB, vm.DiskGB, vm.Power
	r.Tags, r.Marker = vm.Tags, vm.Marker
	return r
}
