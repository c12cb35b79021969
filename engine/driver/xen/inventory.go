package xen

import (
	"context"
	"maps"
	"slices"

	"github.com/novacron/novacron/engine/driver"
)

// Inventory reads every VM and host of the pool in five calls, whatever
// their number: VM, host, host_metrics, VBD and VDI get_all_records.
// Templates, snapshots and control domains are not VMs, but for a
// half-made clone (halfMade), which is listed so that a plan replaces it.
func (d *Driver) Inventory(ctx context.Context) (driver.Inventory, error) {
	var (
		vms     map[string]*vmRecord
		metrics map[string]hostMetricsRecord
		vbds    map[string]vbdRecord
		vdis    map[string]vdiRecord
	)
	hosts, err := d.readHosts(ctx)
	if err != nil {
		return driver.Inventory{}, err
	}
	for _, c := range []struct {
		method string
		out    any
	}{
		{"host_metrics.get_all_records", &metrics}, {"VM.get_all_records", &vms},
		{"VBD.get_all_records", &vbds}, {"VDI.get_all_records", &vdis},
	} {
		if err := d.c.call(ctx, c.method, c.out); err != nil {
			return driver.Inventory{}, fail(err, "reading the inventory of pool %q", d.poolTag)
		}
	}
	names := d.hostNames()
	inv := driver.Inventory{Hosts: hostList(hosts, metrics, d.cfg.cpuRatio)}
	for _, ref := range slices.Sorted(maps.Keys(vms)) {
		r := vms[ref]
		if !r.listed() {
			continue
		}
		var ds []disk
		for _, b := range r.VBDs {
			vbd := vbds[b]
			ds = append(ds, disk{vbdRef: b, vdiRef: vbd.VDI, vbd: vbd, vdi: vdis[vbd.VDI]})
		}
		first, ok := firstDisk(ds)
		inv.VMs = append(inv.VMs, vmOf(r, first, ok, names))
	}
	return inv, nil
}
