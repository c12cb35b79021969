package gce

import (
	"context"
	"path"
	"slices"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/novacron/novacron/engine/driver"
)

// pageSize is how many instances one list page holds (Compute Engine's
// most).
const pageSize = 500

// Inventory lists the instances that carry NovaCron's marker (every
// instance with list_unmanaged) in pages of 500: instances.list with a
// label filter in one zone, instances.aggregatedList across several (the
// zones not the provider's are dropped). No call is made per instance:
// the list holds labels, machine type, boot disk size and metadata.
// Zones are not hosts (Compute Engine places instances), so no hosts are
// listed.
func (d *Driver) Inventory(ctx context.Context) (driver.Inventory, error) {
	var instances []*compute.Instance
	var err error
	if instances, err = d.list(ctx, d.filter()); err != nil {
		return driver.Inventory{}, err
	}
	known, err := d.typeSizes(ctx, instances)
	if err != nil {
		return driver.Inventory{}, err
	}
	inv := driver.Inventory{VMs: make([]driver.VM, 0, len(instances))}
	for _, i := range instances {
		inv.VMs = append(inv.VMs, vmOf(i, known))
	}
	return inv, nil
}

// filter selects NovaCron's instances unless list_unmanaged is set.
func (d *Driver) filter() string {
	if d.cfg.listUnmanaged {
		return ""
	}
	return markerFilter
}

// list is the instances of the zones that filter selects (all for ""):
// instances.list of the one zone, or instances.aggregatedList.
func (d *Driver) list(ctx context.Context, filter string) ([]*compute.Instance, error) {
	if len(d.cfg.zones) == 1 {
		return d.listZone(ctx, d.cfg.zones[0], filter)
	}
	return d.listAggregated(ctx, filter)
}

// listZone pages through instances.list of one zone.
func (d *Driver) listZone(ctx context.Context, zone, filter string) ([]*compute.Instance, error) {
	var out []*compute.Instance
	for token := ""; ; {
		call := d.svc.Instances.List(d.project, zone).MaxResults(pageSize).PageToken(token)
		if f := filter; f != "" {
			call = call.Filter(f)
		}
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		page, err := call.Context(cctx).Do()
		cancel()
		if err != nil {
			return nil, d.fail(err, "listing the instances of zone %s in project %s", zone, d.project)
		}
		out = append(out, page.Items...)
		if token = page.NextPageToken; token == "" {
			return out, nil
		}
	}
}

// listAggregated pages through instances.aggregatedList and keeps the
// provider's zones.
func (d *Driver) listAggregated(ctx context.Context, filter string) ([]*compute.Instance, error) {
	var out []*compute.Instance
	for token := ""; ; {
		call := d.svc.Instances.AggregatedList(d.project).MaxResults(pageSize).PageToken(token)
		if f := filter; f != "" {
			call = call.Filter(f)
		}
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		page, err := call.Context(cctx).Do()
		cancel()
		if err != nil {
			return nil, d.fail(err, "listing the instances of project %s", d.project)
		}
		for scope, l := range page.Items {
			if slices.Contains(d.cfg.zones, strings.TrimPrefix(scope, "zones/")) {
				out = append(out, l.Instances...)
			}
		}
		if token = page.NextPageToken; token == "" {
			return out, nil
		}
	}
}

// typeSizes reads the machine types the table does not know and whose
// size label does not say, once each (a custom type's name says it).
func (d *Driver) typeSizes(ctx context.Context, instances []*compute.Instance) (map[string]driver.Size, error) {
	out := map[string]driver.Size{}
	for _, i := range instances {
		mtype := path.Base(i.MachineType)
		if _, done := out[mtype]; done {
			continue
		}
		if s, ok := parseSizeLabel(i.Labels[labelSize]); ok && s.Name == mtype {
			continue
		}
		if _, ok := sizeOfType(mtype); ok {
			continue
		}
		s, err := d.machineType(ctx, path.Base(i.Zone), mtype)
		if err != nil {
			return nil, err
		}
		out[mtype] = s
	}
	return out, nil
}

// instance reads one instance.
func (d *Driver) instance(ctx context.Context, zone, name string) (*compute.Instance, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	i, err := d.svc.Instances.Get(d.project, zone, name).Context(ctx).Do()
	if err != nil {
		return nil, d.fail(err, "reading instance %s", idOf(zone, name))
	}
	return i, nil
}

// vm reads one instance as the engine sees it.
func (d *Driver) vm(ctx context.Context, zone, name string) (driver.VM, error) {
	i, err := d.instance(ctx, zone, name)
	if err != nil {
		return driver.VM{}, err
	}
	known, err := d.typeSizes(ctx, []*compute.Instance{i})
	if err != nil {
		return driver.VM{}, err
	}
	return vmOf(i, known), nil
}

// vmOf is an instance as the engine sees it.
func vmOf(i *compute.Instance, known map[string]driver.Size) driver.VM {
	zone := path.Base(i.Zone)
	marker, user := markerOf(i.Labels)
	vm := driver.VM{
		ID: idOf(zone, i.Name), Name: i.Name, Host: zone, Power: powerOf(i.Status),
		Tags: user, Marker: marker, Template: metadata(i, metaTemplate),
	}
	for _, disk := range i.Disks {
		if disk.Boot {
			vm.DiskGB = int(disk.DiskSizeGb)
		}
	}
	for _, n := range i.NetworkInterfaces {
		if n.NetworkIP != "" {
			vm.Addresses = append(vm.Addresses, n.NetworkIP)
		}
		for _, ac := range n.AccessConfigs {
			if ac.NatIP != "" {
				vm.Addresses = append(vm.Addresses, ac.NatIP)
			}
		}
	}
	vm.CPU, vm.MemoryMiB = sizeOf(path.Base(i.MachineType), i.Labels[labelSize], known)
	return vm
}

// metadata is the value of an instance's metadata item, or "".
func metadata(i *compute.Instance, key string) string {
	if i.Metadata == nil {
		return ""
	}
	for _, it := range i.Metadata.Items {
		if it.Key == key && it.Value != nil {
			return *it.Value
		}
	}
	return ""
}

// powerOf maps Compute Engine's statuses to the two a spec asks for: an
// instance on its way up counts as running, one on its way down (or
// suspended) as stopped.
func powerOf(status string) driver.Power {
	switch status {
	case "PROVISIONING", "STAGING", "RUNNING", "REPAIRING":
		return driver.PowerRunning
	}
	return driver.PowerStopped
}
