package sim

import (
	"context"
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/driver"
)

// Inventory lists every VM, in ID order, and every host. It waits out the
// latency once and never fails from fail_rate.
func (d *Driver) Inventory(ctx context.Context) (driver.Inventory, error) {
	if err := d.faults.delay(ctx); err != nil {
		return driver.Inventory{}, err
	}
	l, err := d.list(false)
	if err != nil {
		return driver.Inventory{}, err
	}
	switch {
	case l.cols != nil:
		return driver.Inventory{VMs: l.cols.toVMs(), Hosts: l.hosts}, nil
	case l.view != nil:
		return driver.Inventory{VMs: copyVMs(l.view), Hosts: l.hosts}, nil
	}
	return driver.Inventory{VMs: toVMs(l.recs), Hosts: l.hosts}, nil
}

// listing is what list returns: one of recs, cols and view.
type listing struct {
	recs  []*vmRecord
	cols  *columns
	view  []driver.VM
	hosts []driver.Host
}

// list copies the ordered records, or returns the columns or the view
// when the records are not made yet, and the hosts under the mutex; with
// share, it first makes columns the view (SharedInventory). Records are
// never changed in place, and columns and views not at all (a change makes
// the records), so they are read after it is released.
func (d *Driver) list(share bool) (listing, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.usable(); err != nil {
		return listing{}, err
	}
	_ = d.waitWritten(d.g.queued) // shows no VM before its line is written (or undone)
	if share && d.c.cols != nil {
		d.c.view, d.c.cols = d.c.cols.toVMs(), nil
	}
	l := listing{cols: d.c.cols, view: d.c.view, hosts: d.c.hostList()}
	if l.cols == nil && l.view == nil {
		l.recs = slices.Clone(d.c.order)
	}
	return l, nil
}

// toVMs converts records to VMs that share no memory with them, allocating
// the markers, the addresses and their text in one block each (a VM's
// Addresses has a capacity of one: an append copies it). A VM whose tags
// are those of the VM before it shares that VM's copy of them: the VMs of a
// fleet carry the same tags, and a map per VM would be most of what a large
// inventory costs.
func toVMs(recs []*vmRecord) []driver.VM {
	vms := make([]driver.VM, len(recs))
	markers := make([]driver.Marker, len(recs))
	addrs := make([]string, len(recs))
	text, ends := addressText(recs)
	start := 0
	var from, tags map[string]string // the last record's tags, and their copy
	for i, r := range recs {
		if r.Tags == nil || from == nil || !maps.Equal(r.Tags, from) {
			from, tags = r.Tags, maps.Clone(r.Tags)
		}
		vms[i] = r.toVMWith(&markers[i], tags)
		if ends[i] > start {
			addrs[i] = text[start:ends[i]]
			vms[i].Addresses = addrs[i : i+1 : i+1]
		}
		start = ends[i]
	}
	return vms
}

// addressText returns the addresses of the running VMs of recs in one
// string, and where the address of each ends in it (where the previous one
// ends for a VM without one).
func addressText(recs []*vmRecord) (string, []int) {
	ends := make([]int, len(recs))
	b := make([]byte, 0, 12*len(recs))
	for i, r := range recs {
		if r.Power == driver.PowerRunning {
			b = appendAddress(b, r.ID)
		}
		ends[i] = len(b)
	}
	return string(b), ends
}

// Create makes a VM on spec.Host, or on the best-fitting host when it is
// empty. A zero spec.Marker makes an unmarked VM (Marker nil).
func (d *Driver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	if err := d.faults.mutating(ctx, "create"); err != nil {
		return driver.VM{}, err
	}
	rec, err := newRecord(&spec)
	if err != nil {
		return driver.VM{}, err
	}
	stored, err := d.create(rec, &spec)
	if err != nil {
		return driver.VM{}, err
	}
	return stored.toVM(), nil
}

// create places rec, numbers it and stores it with the template and marker
// of spec, and returns what it stored (never changed: see vmRecord).
func (d *Driver) create(rec vmRecord, spec *driver.VMSpec) (*vmRecord, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.usable(); err != nil {
		return nil, err
	}
	h, err := d.c.place(spec.Host, rec.CPU, rec.MemoryMiB)
	if err != nil {
		return nil, err
	}
	n := d.c.lastID + 1
	rec.ID, rec.Host, rec.Tags = formatID(n), h.Name, d.copyTags(rec.Tags)
	rec.Template = d.templateID(spec.Template)
	stored := newStored(rec, spec.Marker)
	return stored, d.commit(entry{Op: opPut, VM: stored, LastID: n})
}

// Update changes a VM in place; see applyChanges for what needs a restart.
func (d *Driver) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	if err := driver.CheckID(id); err != nil {
		return driver.VM{}, err
	}
	if err := d.faults.mutating(ctx, "update"); err != nil {
		return driver.VM{}, err
	}
	rec, err := d.update(id, ch)
	if err != nil {
		return driver.VM{}, err
	}
	return rec.toVM(), nil
}

func (d *Driver) update(id string, ch driver.Changes) (vmRecord, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	old, err := d.lookup(id)
	if err != nil {
		return vmRecord{}, err
	}
	rec, err := applyChanges(old, ch)
	if err != nil {
		return vmRecord{}, err
	}
	if err := d.c.checkGrowth(old, rec); err != nil {
		return vmRecord{}, err
	}
	return rec, d.commit(entry{Op: opPut, VM: &rec})
}

// Delete removes a VM; an unknown ID succeeds.
func (d *Driver) Delete(ctx context.Context, id string) error {
	if err := driver.CheckID(id); err != nil {
		return err
	}
	if err := d.faults.mutating(ctx, "delete"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.usable(); err != nil {
		return err
	}
	if d.c.get(id) == nil {
		return nil
	}
	return d.commit(entry{Op: opDelete, ID: id})
}

// Migrate moves a VM to another host with room for it. The end state is
// the same live or not: a cold move of a running VM stops it, moves it and
// starts it again.
func (d *Driver) Migrate(ctx context.Context, id, hostName string, live bool) error {
	if err := driver.CheckID(id); err != nil {
		return err
	}
	if err := d.faults.mutating(ctx, "migrate"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	rec, err := d.lookup(id)
	if err != nil {
		return err
	}
	if hostName == rec.Host {
		return driver.Errorf(driver.KindPermanent, "cannot migrate %s to %s: it is already there", id, hostName)
	}
	h, err := d.c.lookupHost(hostName)
	if err != nil {
		return err
	}
	if !h.fits(rec.CPU, rec.MemoryMiB) {
		return capacityError(h, rec.CPU, rec.MemoryMiB, "")
	}
	rec.Host = h.Name
	return d.commit(entry{Op: opPut, VM: &rec})
}

// lookup returns the VM with the ID or a not-found error; the caller holds d.mu.
func (d *Driver) lookup(id string) (vmRecord, error) {
	if err := d.usable(); err != nil {
		return vmRecord{}, err
	}
	rec := d.c.get(id)
	if rec == nil {
		return vmRecord{}, driver.Errorf(driver.KindNotFound, "VM %s not found in the simulated provider %q", id, d.name)
	}
	return *rec, nil
}
