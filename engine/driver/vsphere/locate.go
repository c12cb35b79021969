package vsphere

import (
	"context"
	"errors"
	"path"
	"slices"
	"strings"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// locate finds what the settings name, in the datacenter.
func locate(ctx context.Context, c *govmomi.Client, cfg config) (place, error) {
	f := find.NewFinder(c.Client, false)
	dc, err := datacenter(ctx, f, cfg.datacenter)
	if err != nil {
		return place{}, err
	}
	f.SetDatacenter(dc)
	at := place{dc: dc}
	steps := []func(context.Context, *find.Finder, config) error{at.findPool, at.findFolder, at.findDatastore, at.findNetwork}
	for _, step := range steps {
		if err := step(ctx, f, cfg); err != nil {
			return place{}, err
		}
	}
	return at, nil
}

// datacenter finds the named datacenter, or the only one.
func datacenter(ctx context.Context, f *find.Finder, name string) (*object.Datacenter, error) {
	var dc *object.Datacenter
	var err error
	if name == "" {
		dc, err = f.DefaultDatacenter(ctx)
	} else {
		dc, err = f.Datacenter(ctx, name)
	}
	if err == nil {
		return dc, nil
	}
	var some []string
	if all, lerr := f.DatacenterList(ctx, "*"); lerr == nil {
		for _, d := range all {
			some = append(some, d.Name())
		}
	}
	switch {
	case name == "" && len(some) > 1:
		return nil, missing("vCenter has %d datacenters (%s): set datacenter to one of them", len(some), strings.Join(some, ", "))
	case name == "":
		return nil, missing("vCenter has no datacenter: create one, or check user's permissions")
	case isFindMiss(err):
		return nil, missing("datacenter %q not found: set datacenter to one of %s", name, list(some))
	}
	return nil, fail(err, "finding datacenter %q", name)
}

// findPool finds cluster or resource_pool and the compute resource whose
// hosts take the VMs.
func (at *place) findPool(ctx context.Context, f *find.Finder, cfg config) error {
	switch {
	case cfg.cluster != "":
		cl, err := f.ClusterComputeResource(ctx, cfg.cluster)
		if isFindMiss(err) {
			return missing("cluster %q not found in datacenter %s: set cluster to one of %s", cfg.cluster, at.dc.Name(), list(clusterNames(ctx, f)))
		}
		if err != nil {
			return fail(err, "finding cluster %q", cfg.cluster)
		}
		pool, err := cl.ResourcePool(ctx)
		if err != nil {
			return fail(err, "finding the resource pool of cluster %q", cfg.cluster)
		}
		ref := pool.Reference()
		at.pool, at.poolName, at.scope = &ref, pool.InventoryPath, map[types.ManagedObjectReference]bool{cl.Reference(): true}
	case cfg.pool != "":
		pool, err := f.ResourcePool(ctx, cfg.pool)
		if isFindMiss(err) {
			return missing("resource_pool %q not found in datacenter %s: give its path under the host folder, such as CLUSTER/Resources/POOL", cfg.pool, at.dc.Name())
		}
		if err != nil {
			return fail(err, "finding resource pool %q", cfg.pool)
		}
		var p mo.ResourcePool
		if err := pool.Properties(ctx, pool.Reference(), []string{"owner"}, &p); err != nil {
			return fail(err, "reading resource pool %q", cfg.pool)
		}
		ref := pool.Reference()
		at.pool, at.poolName, at.scope = &ref, pool.InventoryPath, map[types.ManagedObjectReference]bool{p.Owner: true}
	}
	return nil
}

// findFolder finds folder (under the datacenter's VM folder), or takes the
// VM folder itself.
func (at *place) findFolder(ctx context.Context, f *find.Finder, cfg config) error {
	folders, err := at.dc.Folders(ctx)
	if err != nil {
		return fail(err, "reading the folders of datacenter %s", at.dc.Name())
	}
	at.folder = folders.VmFolder
	if cfg.folder == "" {
		return nil
	}
	p := cfg.folder
	if !strings.HasPrefix(p, "/") {
		p = path.Join(folders.VmFolder.InventoryPath, p)
	}
	folder, err := f.Folder(ctx, p)
	if isFindMiss(err) {
		return missing("folder %q not found: create it (%s) or set folder to an existing VM folder", cfg.folder, p)
	}
	if err != nil {
		return fail(err, "finding folder %q", cfg.folder)
	}
	at.folder = folder
	return nil
}

// findDatastore finds datastore, when set.
func (at *place) findDatastore(ctx context.Context, f *find.Finder, cfg config) error {
	if cfg.datastore == "" {
		return nil
	}
	ds, err := f.Datastore(ctx, cfg.datastore)
	if isFindMiss(err) {
		var some []string
		if all, lerr := f.DatastoreList(ctx, "*"); lerr == nil {
			for _, d := range all {
				some = append(some, d.Name())
			}
		}
		return missing("datastore %q not found in datacenter %s: set datastore to one of %s", cfg.datastore, at.dc.Name(), list(some))
	}
	if err != nil {
		return fail(err, "finding datastore %q", cfg.datastore)
	}
	ref := ds.Reference()
	at.datastore = &ref
	return nil
}

// findNetwork finds network, when set, and how a NIC joins it.
func (at *place) findNetwork(ctx context.Context, f *find.Finder, cfg config) error {
	if cfg.network == "" {
		return nil
	}
	n, err := f.Network(ctx, cfg.network)
	if isFindMiss(err) {
		return missing("network %q not found in datacenter %s: set network to a port group or distributed port group", cfg.network, at.dc.Name())
	}
	if err != nil {
		return fail(err, "finding network %q", cfg.network)
	}
	if at.nic, err = n.EthernetCardBackingInfo(ctx); err != nil {
		return fail(err, "reading network %q", cfg.network)
	}
	return nil
}

// clusterNames lists the datacenter's clusters, for messages.
func clusterNames(ctx context.Context, f *find.Finder) []string {
	var out []string
	if all, err := f.ClusterComputeResourceList(ctx, "*"); err == nil {
		for _, c := range all {
			out = append(out, c.Name())
		}
	}
	return out
}

// isFindMiss reports an inventory path that matches nothing, or more than
// one thing.
func isFindMiss(err error) bool {
	var nf *find.NotFoundError
	var mf *find.MultipleFoundError
	return errors.As(err, &nf) || errors.As(err, &mf)
}

// missing is the permanent error of a setting naming what is not there.
func missing(format string, args ...any) error {
	return driver.Errorf(driver.KindPermanent, format, args...)
}

// list renders names for a message: "a, b, c", or "(none)".
func list(names []string) string {
	if len(names) == 0 {
		return "(there are none)"
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
