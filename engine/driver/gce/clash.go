package gce

import (
	"context"
	"fmt"
	"path"
	"sync"

	"github.com/novacron/novacron/engine/driver"
)

// unmanaged is the zone/name of every instance of the zones that carries
// no marker, read once per driver by the first CheckCreate: one list
// (paged) of every instance, so that a plan to create a VM whose name an
// unlabelled instance already has is refused at plan time, not at apply.
type unmanaged struct {
	mu    sync.Mutex
	names map[string]bool // nil until read
}

// clash is an error when an instance without NovaCron's marker already
// has the name the spec's VM would get in zone.
func (d *Driver) clash(ctx context.Context, zone string, spec driver.VMSpec) error {
	d.unmanaged.mu.Lock()
	defer d.unmanaged.mu.Unlock()
	if d.unmanaged.names == nil {
		all, err := d.list(ctx, "")
		if err != nil {
			return err
		}
		d.unmanaged.names = map[string]bool{}
		for _, i := range all {
			if m, _ := markerOf(i.Labels); m == nil {
				d.unmanaged.names[idOf(path.Base(i.Zone), i.Name)] = true
			}
		}
	}
	id := idOf(zone, spec.Name)
	if !d.unmanaged.names[id] {
		return nil
	}
	addr := spec.Marker.Address
	if addr == "" {
		addr = "ADDRESS"
	}
	how := fmt.Sprintf("import it (`nova-plan import '%s' %s`)", addr, id)
	if !d.cfg.listUnmanaged {
		how = fmt.Sprintf("import it (set list_unmanaged = true in provider gce.%s, then `nova-plan import '%s' %s`)", d.name, addr, id)
	}
	return driver.Errorf(driver.KindPermanent,
		"an instance named %s already exists in zone %s without NovaCron's marker: %s, rename the VM (%s), or delete that instance",
		spec.Name, zone, how, nameHint(spec))
}
