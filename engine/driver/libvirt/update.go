package libvirt

import (
	"context"
	"errors"
	"fmt"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// Update changes a VM in place. vCPUs and memory grow live within the
// domain's ceilings; lowering them, growing past the ceilings, or growing
// the disk where it cannot grow online needs ch.Restart, and then the
// domain is shut down, changed and started again.
func (d *Driver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	h, l, dom, err := d.find(id)
	if err != nil {
		return driver.VM{}, err
	}
	cur, err := d.read(l, h, dom)
	if err != nil {
		return driver.VM{}, err
	}
	next, err := applyChanges(cur, ch)
	if err != nil {
		return driver.VM{}, err
	}
	u := &update{d: d, h: h, l: l, dom: dom, cur: cur, next: next}
	if reason := u.restartReason(); reason != "" && !ch.Restart {
		return driver.VM{}, driver.Errorf(driver.KindPermanent, "%s of running VM %q needs a restart", reason, cur.Name)
	}
	if err := u.run(ctx); err != nil {
		return driver.VM{}, err
	}
	return d.read(l, h, dom)
}

// applyChanges returns the VM ch asks for, refusing sizes it cannot have.
func applyChanges(cur driver.VM, ch driver.Changes) (driver.VM, error) {
	next := ch.Apply(cur)
	switch {
	case next.CPU < 1 || next.CPU > maxVCPUs:
		return next, driver.Errorf(driver.KindPermanent, "VM %q cannot have %d vCPUs; a libvirt domain has 1 to %d", cur.Name, next.CPU, maxVCPUs)
	case next.MemoryMiB < 1:
		return next, driver.Errorf(driver.KindPermanent, "VM %q cannot have %d MiB of memory", cur.Name, next.MemoryMiB)
	case next.DiskGB < cur.DiskGB:
		return next, driver.Errorf(driver.KindPermanent,
			"cannot shrink the disk of VM %q from %d GB to %d GB: disks only grow (replace the VM to get a smaller one)", cur.Name, cur.DiskGB, next.DiskGB)
	case next.Power != driver.PowerRunning && next.Power != driver.PowerStopped:
		return next, driver.Errorf(driver.KindPermanent, "power must be %q or %q, not %q", driver.PowerRunning, driver.PowerStopped, next.Power)
	}
	return next, nil
}

// update is one Update in progress.
type update struct {
	d         *Driver
	h         *host
	l         *lv.Libvirt
	dom       lv.Domain
	cur, next driver.VM
}

// restartReason says why the change cannot be made to the running VM
// without a restart, or "" when it can (or the VM is not running).
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
	case next.CPU > cur.MaxCPU:
		return fmt.Sprintf("raising the vCPUs to %d, past the domain's maximum of %d,", next.CPU, cur.MaxCPU)
	case next.MemoryMiB > cur.MaxMemoryMiB:
		return fmt.Sprintf("raising the memory to %d MiB, past the domain's maximum of %d MiB,", next.MemoryMiB, cur.MaxMemoryMiB)
	case next.DiskGB > cur.DiskGB && !u.d.caps.OnlineDiskGrow:
		return fmt.Sprintf("growing the disk (host %s cannot grow it online)", u.h.name)
	}
	return ""
}

// run stops the domain when it must, resizes it, records the metadata and
// starts it when it should run. When a step fails after the domain was
// stopped, the domain is started again: a failed update leaves a running VM
// running.
func (u *update) run(ctx context.Context) error {
	running := u.cur.Power == driver.PowerRunning
	stopped := false
	if running && (u.restartReason() != "" || u.next.Power == driver.PowerStopped) {
		if err := u.d.stop(ctx, u.l, u.h, u.dom); err != nil {
			return err
		}
		running, stopped = false, true
	}
	steps := []func(bool) error{u.resize, u.growDisk, u.writeMeta}
	for _, step := range steps {
		if err := step(running); err != nil {
			return u.restart(stopped, err)
		}
	}
	if !running && u.next.Power == driver.PowerRunning {
		return u.d.start(u.l, u.h, u.dom)
	}
	return nil
}

// restart starts the domain again when the update stopped it, then
// returns the step's error err, which keeps its kind.
func (u *update) restart(stopped bool, err error) error {
	if !stopped {
		return err
	}
	if serr := u.d.start(u.l, u.h, u.dom); serr != nil {
		return errors.Join(err, fmt.Errorf("the VM was stopped for the update and could not be started again: %w", serr))
	}
	return fmt.Errorf("%w (VM %q was started again as it was)", err, u.cur.Name)
}

// resize sets vCPUs and memory: live and in the definition when running,
// else by redefining the domain with ceilings that follow the new size.
func (u *update) resize(running bool) error {
	if u.next.CPU == u.cur.CPU && u.next.MemoryMiB == u.cur.MemoryMiB {
		return nil
	}
	if !running {
		return u.redefine(func(def *domain) error {
			u.d.setSize(def, u.next.CPU, u.next.MemoryMiB)
			return nil
		})
	}
	name := u.cur.Name
	if u.next.CPU != u.cur.CPU {
		for _, f := range []lv.DomainVCPUFlags{lv.DomainVCPULive, lv.DomainVCPUConfig} {
			if err := u.l.DomainSetVcpusFlags(u.dom, uint32(u.next.CPU), uint32(f)); err != nil {
				return fail(err, "setting %d vCPUs on running VM %q on host %s", u.next.CPU, name, u.h)
			}
		}
	}
	if u.next.MemoryMiB != u.cur.MemoryMiB {
		for _, f := range []lv.DomainMemoryModFlags{lv.DomainMemLive, lv.DomainMemConfig} {
			if err := u.l.DomainSetMemoryFlags(u.dom, uint64(u.next.MemoryMiB)<<10, uint32(f)); err != nil {
				return fail(err, "setting %d MiB of memory on running VM %q on host %s", u.next.MemoryMiB, name, u.h)
			}
		}
	}
	return nil
}

// setSize sets a stopped domain's vCPUs and memory and their ceilings.
func (d *Driver) setSize(def *domain, cpu int, mib int64) {
	maxCPU, maxMiB := d.cfg.ceilings(cpu, mib)
	def.def.VCPU.Current, def.def.VCPU.Value = uint(cpu), uint(maxCPU)
	def.def.Memory.Value, def.def.Memory.Unit = uint(maxMiB), "MiB"
	def.def.CurrentMemory.Value, def.def.CurrentMemory.Unit = uint(mib), "MiB"
	def.def.MaximumMemory = nil
}

// redefine changes the persistent definition of a stopped domain.
func (u *update) redefine(change func(*domain) error) error {
	def, err := u.d.definition(u.l, u.h, u.dom)
	if err != nil {
		return err
	}
	if err := change(def); err != nil {
		return fail(err, "changing the definition of VM %q", u.cur.Name)
	}
	x, err := def.def.Marshal()
	if err != nil {
		return fail(err, "writing the definition of VM %q", u.cur.Name)
	}
	_, err = u.l.DomainDefineXMLFlags(x, 0)
	return fail(err, "redefining VM %q on host %s", u.cur.Name, u.h)
}

// writeMeta records disk size, tags and marker in the domain's metadata.
func (u *update) writeMeta(running bool) error {
	def, err := u.d.definition(u.l, u.h, u.dom)
	if err != nil {
		return err
	}
	m := def.meta
	m.DiskGB = u.next.DiskGB
	m.setTags(u.next.Tags)
	mk := driver.Marker{}
	if u.next.Marker != nil {
		mk = *u.next.Marker
	}
	m.setMarker(mk)
	return u.d.setMeta(u.l, u.h, u.dom, m, running)
}

// setMeta replaces NovaCron's metadata element, live too when running.
func (d *Driver) setMeta(l *lv.Libvirt, h *host, dom lv.Domain, m meta, running bool) error {
	enc, err := m.encode()
	if err != nil {
		return fail(err, "writing the metadata of VM %q", dom.Name)
	}
	flags := lv.DomainAffectConfig
	if running {
		flags |= lv.DomainAffectLive
	}
	err = l.DomainSetMetadata(dom, int32(lv.DomainMetadataElement), []string{enc}, []string{metadataKey}, []string{Namespace}, flags)
	return fail(err, "writing the metadata of VM %q on host %s", dom.Name, h)
}
