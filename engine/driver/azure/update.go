package azure

import (
	"context"
	"maps"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/novacron/novacron/engine/driver"
)

// plan is what an Update does to one VM.
type plan struct {
	name     string
	next     driver.VM
	rec      record // the record after the update
	oldTags  map[string]*string
	resize   string // the new size, or ""
	growDisk bool
	running  bool
}

// Update changes a VM in place. A new size (cpu or memory that the
// current size no longer matches) restarts a running VM, and the OS disk
// grows only while the VM is deallocated: both need ch.Restart on a
// running VM. A disk never shrinks. Every check runs before any change.
func (d *Driver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	name, err := d.mustName(id)
	if err != nil {
		return driver.VM{}, err
	}
	ctx, cancel := d.callCtx(ctx)
	defer cancel()
	v, err := d.get(ctx, name)
	if err != nil {
		return driver.VM{}, err
	}
	p, err := planUpdate(name, v, ch)
	if err != nil {
		return driver.VM{}, err
	}
	if err := d.apply(ctx, p); err != nil {
		return driver.VM{}, err
	}
	if v, err = d.get(ctx, name); err != nil {
		return driver.VM{}, err
	}
	return d.report(v), nil
}

// planUpdate checks ch against the VM and works out what to change.
func planUpdate(name string, v *armcompute.VirtualMachine, ch driver.Changes) (plan, error) {
	cur := toVM(v)
	rec := readRecord(v.Tags)
	p := plan{name: name, next: ch.Apply(cur), oldTags: v.Tags, running: cur.Power == driver.PowerRunning}
	if ch.DiskGB != nil && *ch.DiskGB < cur.DiskGB {
		return plan{}, driver.Errorf(driver.KindPermanent, "VM %s: the OS disk cannot shrink from %d GB to %d GB", name, cur.DiskGB, *ch.DiskGB)
	}
	p.growDisk = ch.DiskGB != nil && *ch.DiskGB > cur.DiskGB
	if ch.CPU != nil || ch.MemoryMiB != nil {
		sz, err := target(p.next.CPU, p.next.MemoryMiB, rec.givenSize)
		if err != nil {
			return plan{}, err
		}
		if !equalFold(sz.Name, vmSize(v.Properties)) {
			p.resize = sz.Name
		}
		rec.cpu, rec.memoryMiB = p.next.CPU, p.next.MemoryMiB
	}
	if p.running && (p.resize != "" || p.growDisk) && !ch.Restart {
		return plan{}, driver.Errorf(driver.KindPermanent, "VM %s: %s restarts it; Azure cannot do it while it runs", name, restartReason(p))
	}
	rec.user, rec.marker = p.next.Tags, p.next.Marker
	p.rec = rec
	return p, nil
}

func restartReason(p plan) string {
	if p.resize != "" {
		return "resizing it to " + p.resize
	}
	return "growing its OS disk"
}

// apply carries out an update plan: deallocate when the disk grows on a
// running VM, one update request for size, disk and tags, then the power
// state asked for.
func (d *Driver) apply(ctx context.Context, p plan) error {
	running := p.running
	if p.growDisk && running {
		if err := d.deallocate(ctx, p.name); err != nil {
			return err
		}
		running = false
	}
	if err := d.patch(ctx, p); err != nil {
		return err
	}
	switch {
	case p.next.Power == driver.PowerRunning && !running:
		return d.start(ctx, p.name)
	case p.next.Power == driver.PowerStopped && running:
		return d.deallocate(ctx, p.name)
	}
	return nil
}

// patch sends one update request with what changes, or none when nothing
// does.
func (d *Driver) patch(ctx context.Context, p plan) error {
	tags := p.rec.tags()
	if p.resize == "" && !p.growDisk && tagsEqual(tags, p.oldTags) {
		return nil
	}
	up := armcompute.VirtualMachineUpdate{Tags: tags}
	if p.resize != "" || p.growDisk {
		up.Properties = &armcompute.VirtualMachineProperties{}
	}
	if p.resize != "" {
		up.Properties.HardwareProfile = &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypes(p.resize))}
	}
	if p.growDisk {
		up.Properties.StorageProfile = &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{DiskSizeGB: to.Ptr(int32(p.next.DiskGB))}}
	}
	poller, err := d.vms.BeginUpdate(ctx, d.cfg.resourceGroup, p.name, up, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, d.pollOpts())
	}
	if err != nil {
		return d.fail(err, "updating VM %s", p.name)
	}
	return nil
}

func tagsEqual(a, b map[string]*string) bool {
	return maps.EqualFunc(a, b, func(x, y *string) bool { return str(x) == str(y) })
}
