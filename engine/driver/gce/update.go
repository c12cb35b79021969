package gce

import (
	"context"
	"maps"
	"path"

	compute "google.golang.org/api/compute/v1"

	"github.com/novacron/novacron/engine/driver"
)

// change is an Update worked out before anything is touched.
type change struct {
	zone, name string
	inst       *compute.Instance
	cur, next  driver.VM
	labels     map[string]string // the instance's labels after the change
	mtype      string            // the new machine type, or ""
	disk       string            // the boot disk, when it grows
}

// Update applies ch: a new size is a new machine type (stop,
// setMachineType, start: only with ch.Restart; none when the type stays),
// a bigger boot disk grows online (disks.resize), tags and the marker are
// rewritten (setLabels with the label fingerprint), and power is started
// or stopped. Everything is checked before the first change, so a refused
// update leaves the instance as it was.
func (d *Driver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	zone, name, err := d.splitID(id)
	if err != nil {
		return driver.VM{}, err
	}
	c, err := d.plan(ctx, zone, name, ch)
	if err != nil {
		return driver.VM{}, err
	}
	if err := d.apply(ctx, c); err != nil {
		return driver.VM{}, err
	}
	return d.vm(ctx, zone, name)
}

// plan reads the instance and works out the change.
func (d *Driver) plan(ctx context.Context, zone, name string, ch driver.Changes) (change, error) {
	i, err := d.instance(ctx, zone, name)
	if err != nil {
		return change{}, err
	}
	known, err := d.typeSizes(ctx, []*compute.Instance{i})
	if err != nil {
		return change{}, err
	}
	cur := vmOf(i, known)
	c := change{zone: zone, name: name, inst: i, cur: cur, next: ch.Apply(cur)}
	id := idOf(zone, name)
	if c.next.DiskGB < cur.DiskGB {
		return change{}, driver.Errorf(driver.KindPermanent, "instance %s: the boot disk cannot shrink from %d GB to %d GB (the plan replaces the VM instead)", id, cur.DiskGB, c.next.DiskGB)
	}
	if c.next.DiskGB > cur.DiskGB {
		if c.disk = bootDisk(i); c.disk == "" {
			return change{}, driver.Errorf(driver.KindPermanent, "instance %s has no boot disk to grow", id)
		}
	}
	sz, err := d.resizeTo(ctx, c, ch.Restart)
	if err != nil {
		return change{}, err
	}
	if sz.Name != path.Base(i.MachineType) {
		c.mtype = sz.Name
	}
	if c.labels, err = wantLabels(c, sz); err != nil {
		return change{}, err
	}
	return c, nil
}

// bootDisk is the name of an instance's boot disk, or "".
func bootDisk(i *compute.Instance) string {
	for _, disk := range i.Disks {
		if disk.Boot && disk.Source != "" {
			return path.Base(disk.Source)
		}
	}
	return ""
}

// resizeTo is the size the instance should have: as it is when cpu and
// memory stay; else the pinned type while it fits, or the cheapest fit.
// A new size of a running instance needs ch.Restart, as Capabilities
// say; a stopped one takes it as it is (the plan updates it in place).
func (d *Driver) resizeTo(ctx context.Context, c change, restart bool) (size, error) {
	mtype := path.Base(c.inst.MachineType)
	old, labelled := parseSizeLabel(c.inst.Labels[labelSize])
	if !labelled || old.Name != mtype {
		old = size{CPU: c.cur.CPU, MemoryMiB: c.cur.MemoryMiB, Name: mtype}
	}
	if c.next.CPU == c.cur.CPU && c.next.MemoryMiB == c.cur.MemoryMiB {
		return old, nil
	}
	if !restart && c.cur.Power == driver.PowerRunning {
		return size{}, driver.Errorf(driver.KindPermanent, "instance %s: changing cpu or memory changes the machine type, which needs a restart (stop, setMachineType, start)", idOf(c.zone, c.name))
	}
	pinned := ""
	if old.Pinned {
		pinned = old.Name
	}
	return d.chooseType(ctx, c.zone, pinned, c.next.CPU, c.next.MemoryMiB)
}

// wantLabels are the instance's labels after the change: the user's
// replaced, the marker and size rewritten.
func wantLabels(c change, sz size) (map[string]string, error) {
	return instanceLabels(c.next.Tags, c.next.Marker, sz)
}

// apply makes the change: machine type, disk, labels, then power.
func (d *Driver) apply(ctx context.Context, c change) error {
	power := c.cur.Power
	id := idOf(c.zone, c.name)
	if c.mtype != "" {
		if err := d.setMachineType(ctx, c, power); err != nil {
			return err
		}
		power = driver.PowerStopped
	}
	if c.disk != "" {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		op, err := d.svc.Disks.Resize(d.project, c.zone, c.disk, &compute.DisksResizeRequest{SizeGb: int64(c.next.DiskGB)}).Context(cctx).Do()
		cancel()
		if err != nil {
			return d.fail(err, "growing the boot disk %s of instance %s to %d GB", c.disk, id, c.next.DiskGB)
		}
		if err := d.wait(ctx, c.zone, op, "growing the boot disk of instance "+id); err != nil {
			return err
		}
	}
	if !maps.Equal(c.labels, c.inst.Labels) {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		req := &compute.InstancesSetLabelsRequest{Labels: c.labels, LabelFingerprint: c.inst.LabelFingerprint}
		op, err := d.svc.Instances.SetLabels(d.project, c.zone, c.name, req).Context(cctx).Do()
		cancel()
		if err != nil {
			return d.fail(err, "labelling instance %s", id)
		}
		if err := d.wait(ctx, c.zone, op, "labelling instance "+id); err != nil {
			return err
		}
	}
	switch {
	case c.next.Power == driver.PowerRunning && power != driver.PowerRunning:
		return d.start(ctx, c.zone, c.name)
	case c.next.Power == driver.PowerStopped && power != driver.PowerStopped:
		return d.stop(ctx, c.zone, c.name)
	}
	return nil
}

// setMachineType stops a running instance and changes its machine type;
// it is left stopped.
func (d *Driver) setMachineType(ctx context.Context, c change, power driver.Power) error {
	id := idOf(c.zone, c.name)
	if power == driver.PowerRunning || c.inst.Status == "STOPPING" {
		if err := d.stop(ctx, c.zone, c.name); err != nil {
			return err
		}
	}
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	req := &compute.InstancesSetMachineTypeRequest{MachineType: typeURL(c.zone, c.mtype)}
	op, err := d.svc.Instances.SetMachineType(d.project, c.zone, c.name, req).Context(cctx).Do()
	cancel()
	if err != nil {
		return d.fail(err, "changing the machine type of instance %s to %s", id, c.mtype)
	}
	return d.wait(ctx, c.zone, op, "changing the machine type of instance "+id+" to "+c.mtype)
}
