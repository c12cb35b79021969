package xen

import (
	"context"
	"errors"
	"fmt"

	"github.com/novacron/novacron/engine/driver"
)

// change is an Update worked out before anything is touched.
type change struct {
	ref       string
	rec       *vmRecord
	cur, next driver.VM
	restart   string // why the running VM must restart, or ""
}

// Update applies ch. A running VM takes more vCPUs (VCPUs_number_live)
// up to its VCPUs_max and more memory (the dynamic range) up to its
// memory_static_max without a restart; fewer vCPUs, less memory, more
// than the ceilings, or a bigger disk need ch.Restart: the guest is shut
// down (hard after shutdown_timeout), the VM resized halted and started
// again. Marker, template and tags are rewritten in other_config, key by
// key. Everything is checked before the first change.
func (d *Driver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	c, err := d.plan(ctx, id, ch)
	if err != nil {
		return driver.VM{}, err
	}
	if err := d.apply(ctx, c); err != nil {
		return driver.VM{}, err
	}
	return d.read(ctx, c.ref)
}

// plan reads the VM and works out the change, refusing what it cannot be.
func (d *Driver) plan(ctx context.Context, id string, ch driver.Changes) (change, error) {
	ref, r, err := d.vmRef(ctx, id)
	if err != nil {
		return change{}, err
	}
	disks, err := d.disks(ctx, r)
	if err != nil {
		return change{}, err
	}
	first, hasDisk := firstDisk(disks)
	cur := vmOf(r, first, hasDisk, d.hostNames())
	c := change{ref: ref, rec: r, cur: cur, next: ch.Apply(cur)}
	next := c.next
	switch {
	case next.CPU < 1:
		return c, driver.Errorf(driver.KindPermanent, "VM %q cannot have %d vCPUs", cur.Name, next.CPU)
	case next.MemoryMiB < 64:
		return c, driver.Errorf(driver.KindPermanent, "VM %q cannot have %d MiB of memory (at least 64 MiB)", cur.Name, next.MemoryMiB)
	case next.DiskGB < cur.DiskGB:
		return c, driver.Errorf(driver.KindPermanent, "cannot shrink the disk of VM %q from %d GB to %d GB: disks only grow (replace the VM to get a smaller one)", cur.Name, cur.DiskGB, next.DiskGB)
	case next.DiskGB > cur.DiskGB && !hasDisk:
		return c, driver.Errorf(driver.KindPermanent, "VM %q has no disk to grow", cur.Name)
	case !next.Power.Valid():
		return c, driver.Errorf(driver.KindPermanent, "power must be %q or %q, not %q", driver.PowerRunning, driver.PowerStopped, next.Power)
	}
	c.restart = restartReason(r, cur, next)
	if c.restart != "" && !ch.Restart {
		return c, driver.Errorf(driver.KindPermanent, "%s of running VM %q needs a restart", c.restart, cur.Name)
	}
	return c, nil
}

// restartReason says why a running VM cannot take the change live.
func restartReason(r *vmRecord, cur, next driver.VM) string {
	if cur.Power != driver.PowerRunning || next.Power != driver.PowerRunning {
		return ""
	}
	switch {
	case next.CPU < cur.CPU:
		return fmt.Sprintf("lowering the vCPUs from %d to %d", cur.CPU, next.CPU)
	case next.MemoryMiB < cur.MemoryMiB:
		return fmt.Sprintf("lowering the memory from %d MiB to %d MiB", cur.MemoryMiB, next.MemoryMiB)
	case next.CPU > int(r.VCPUsMax):
		return fmt.Sprintf("raising the vCPUs to %d, past the VM's VCPUs_max of %d,", next.CPU, r.VCPUsMax)
	case next.MemoryMiB*mib > int64(r.MemoryStaticMax):
		return fmt.Sprintf("raising the memory to %d MiB, past the VM's memory_static_max of %d MiB,", next.MemoryMiB, int64(r.MemoryStaticMax)/mib)
	case next.DiskGB > cur.DiskGB:
		return fmt.Sprintf("growing the disk to %d GB (XenAPI resizes disks of halted VMs)", next.DiskGB)
	}
	return ""
}

// apply makes the change: stop when needed, resize, rewrite other_config,
// then power. When a step fails after the VM was stopped for the change,
// it is started again.
func (d *Driver) apply(ctx context.Context, c change) error {
	name, running := c.cur.Name, c.cur.Power == driver.PowerRunning
	stopped := false
	if running && (c.restart != "" || c.next.Power == driver.PowerStopped) {
		if err := d.stop(ctx, c.ref, name); err != nil {
			return err
		}
		stopped, running = true, false
	}
	err := d.resize(ctx, c, running)
	if err == nil {
		err = d.rewrite(ctx, c)
	}
	if err != nil {
		return d.restore(ctx, c, stopped, err)
	}
	if c.next.Power == driver.PowerRunning && !running {
		return d.start(ctx, c.ref, name, c.rec.Affinity)
	}
	return nil
}

// resize changes vCPUs, memory and disk: live on a running VM, else as
// the VM's configuration.
func (d *Driver) resize(ctx context.Context, c change, running bool) error {
	cur, next, name := c.cur, c.next, c.cur.Name
	if running {
		if next.CPU != cur.CPU {
			if _, err := d.async(ctx, "VM.set_VCPUs_number_live", c.ref, next.CPU); err != nil {
				return fail(err, "setting the vCPUs of running VM %q to %d", name, next.CPU)
			}
		}
		if next.MemoryMiB != cur.MemoryMiB {
			err := d.c.call(ctx, "VM.set_memory_dynamic_range", nil, c.ref, next.MemoryMiB*mib, next.MemoryMiB*mib)
			return fail(err, "setting the memory of running VM %q to %d MiB", name, next.MemoryMiB)
		}
		return nil
	}
	if next.CPU != cur.CPU {
		if err := d.setCPU(ctx, c.ref, name, cur.CPU, next.CPU, max(next.CPU, int(c.rec.VCPUsMax))); err != nil {
			return err
		}
	}
	if next.MemoryMiB != cur.MemoryMiB {
		smin := min(int64(c.rec.MemoryStaticMin), next.MemoryMiB*mib)
		if err := d.setMemory(ctx, c.ref, name, smin, next.MemoryMiB, max(next.MemoryMiB, int64(c.rec.MemoryStaticMax)/mib)); err != nil {
			return err
		}
	}
	if next.DiskGB > cur.DiskGB {
		return d.growDisk(ctx, c.ref, name, next.DiskGB)
	}
	return nil
}

// rewrite sets NovaCron's other_config keys that changed and removes
// those that went, leaving other tools' keys alone.
func (d *Driver) rewrite(ctx context.Context, c change) error {
	have := map[string]string{}
	for k, v := range c.rec.OtherConfig {
		if isOurs(k) {
			have[k] = v
		}
	}
	want := ours(c.next.Marker, c.rec.OtherConfig[keyTemplate], c.next.Tags)
	for k, v := range have {
		if w, ok := want[k]; ok && w == v {
			continue
		}
		if err := d.c.call(ctx, "VM.remove_from_other_config", nil, c.ref, k); err != nil {
			return fail(err, "rewriting other_config of VM %q", c.cur.Name)
		}
	}
	for k, v := range want {
		if old, ok := have[k]; ok && old == v {
			continue
		}
		if err := d.c.call(ctx, "VM.add_to_other_config", nil, c.ref, k, v); err != nil {
			return fail(err, "writing %s in other_config of VM %q", k, c.cur.Name)
		}
	}
	return nil
}

// restore starts the VM again when the update stopped it, then returns
// the step's error err.
func (d *Driver) restore(ctx context.Context, c change, stopped bool, err error) error {
	if !stopped {
		return err
	}
	if serr := d.start(ctx, c.ref, c.cur.Name, c.rec.Affinity); serr != nil {
		return errors.Join(err, fmt.Errorf("the VM was stopped for the update and could not be started again: %w", serr))
	}
	return fmt.Errorf("%w (VM %q was started again as it was)", err, c.cur.Name)
}
