package vsphere

import (
	"context"
	"strings"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// template is a template's vsphere mapping.
type template struct {
	name     string // the spec's template name
	vm       string
	linked   bool
	userData string
}

func readTemplate(ref driver.TemplateRef) template {
	c := ref.Config
	return template{name: ref.Name, vm: c.String(tmplVM), linked: c.Bool(tmplLinked), userData: c.String(tmplUserData)}
}

// source is a template VM, as a clone needs it.
type source struct {
	ref      types.ManagedObjectReference
	name     string
	disk     *types.VirtualDisk // its first disk; nil when it has none
	nic      types.BaseVirtualEthernetCard
	snapshot *types.ManagedObjectReference // its current snapshot
	notes    string
}

// sourceProps are the properties of a template VM a clone needs.
var sourceProps = []string{"name", "config.hardware.device", "config.annotation", "snapshot"}

// source finds the template VM t names, once per driver.
func (d *Driver) source(ctx context.Context, t template) (*source, error) {
	d.mu.Lock()
	s := d.templates[t.vm]
	d.mu.Unlock()
	if s != nil {
		return s, nil
	}
	ref, err := d.findTemplate(ctx, t)
	if err != nil {
		return nil, err
	}
	var m mo.VirtualMachine
	if err := d.c.RetrieveOne(ctx, ref, sourceProps, &m); err != nil {
		return nil, fail(err, "reading template VM %q", t.vm)
	}
	s = sourceOf(ref, &m)
	d.mu.Lock()
	d.templates[t.vm] = s
	d.mu.Unlock()
	return s, nil
}

// findTemplate finds the VM by inventory path, or by name anywhere in the
// datacenter (one container view, filtered on the name).
func (d *Driver) findTemplate(ctx context.Context, t template) (types.ManagedObjectReference, error) {
	if strings.Contains(t.vm, "/") {
		f := find.NewFinder(d.c.Client, false)
		f.SetDatacenter(d.at.dc)
		vm, err := f.VirtualMachine(ctx, t.vm)
		if isFindMiss(err) {
			return types.ManagedObjectReference{}, d.noTemplate(t)
		}
		if err != nil {
			return types.ManagedObjectReference{}, fail(err, "finding template VM %q", t.vm)
		}
		return vm.Reference(), nil
	}
	v, err := view.NewManager(d.c.Client).CreateContainerView(ctx, d.at.dc.Reference(), []string{"VirtualMachine"}, true)
	if err != nil {
		return types.ManagedObjectReference{}, fail(err, "looking for template VM %q", t.vm)
	}
	defer v.Destroy(context.Background())
	refs, err := v.Find(ctx, []string{"VirtualMachine"}, property.Match{"name": t.vm})
	switch {
	case err != nil:
		return types.ManagedObjectReference{}, fail(err, "looking for template VM %q", t.vm)
	case len(refs) == 0:
		return types.ManagedObjectReference{}, d.noTemplate(t)
	case len(refs) > 1:
		return types.ManagedObjectReference{}, driver.Errorf(driver.KindPermanent,
			"template %q: %d VMs of datacenter %s are named %q; set vm to the inventory path of one, such as /%s/vm/FOLDER/%s",
			t.name, len(refs), d.at.dc.Name(), t.vm, d.at.dc.Name(), t.vm)
	}
	return refs[0], nil
}

// noTemplate is the error of a template VM that does not exist.
func (d *Driver) noTemplate(t template) error {
	return driver.Errorf(driver.KindPermanent,
		"template %q: no VM template named %q in datacenter %s; set vm in its vsphere block to the name or inventory path of a VM template",
		t.name, t.vm, d.at.dc.Name())
}

// sourceOf picks out of a template VM what a clone needs.
func sourceOf(ref types.ManagedObjectReference, m *mo.VirtualMachine) *source {
	s := &source{ref: ref, name: m.Name}
	if m.Config != nil {
		s.notes = m.Config.Annotation
		devices := object.VirtualDeviceList(m.Config.Hardware.Device)
		if disks := devices.SelectByType((*types.VirtualDisk)(nil)); len(disks) > 0 {
			s.disk = disks[0].(*types.VirtualDisk)
		}
		if nics := devices.SelectByType((*types.VirtualEthernetCard)(nil)); len(nics) > 0 {
			s.nic = nics[0].(types.BaseVirtualEthernetCard)
		}
	}
	if m.Snapshot != nil {
		s.snapshot = m.Snapshot.CurrentSnapshot
	}
	return s
}

// diskGB is the template's disk size in whole GiB, rounded up.
func (s *source) diskGB() int {
	if s.disk == nil {
		return 0
	}
	return int((diskBytes(s.disk) + gib - 1) / gib)
}

// gib is a GiB in bytes.
const gib = 1 << 30

// diskBytes is a disk's capacity.
func diskBytes(disk *types.VirtualDisk) int64 {
	if disk.CapacityInBytes > 0 {
		return disk.CapacityInBytes
	}
	return disk.CapacityInKB << 10
}
