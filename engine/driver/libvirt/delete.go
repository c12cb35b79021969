package libvirt

import (
	"context"
	"errors"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// Delete powers a VM off, undefines it and removes the volumes the driver
// made for it (never other disks an imported domain uses): those its
// metadata records, and any other named for its UUID. Deleting a VM that
// does not exist succeeds once no volume named for its UUID is left: an
// earlier Delete may have undefined the domain and then failed to remove
// them, or crashed.
func (d *Driver) Delete(ctx context.Context, id string) error {
	h, l, dom, err := d.find(id)
	if errors.Is(err, driver.ErrNotFound) {
		return d.removeVolumesOf(id, nil)
	}
	if err != nil {
		return err
	}
	def, err := d.definition(l, h, dom)
	if hasCode(err, lv.ErrNoDomain) {
		return d.removeVolumesOf(id, nil)
	}
	if err != nil {
		return err
	}
	if err := d.powerOff(l, h, dom); err != nil && !hasCode(err, lv.ErrNoDomain) {
		return err
	}
	if err := undefine(l, dom); err != nil && !hasCode(err, lv.ErrNoDomain) {
		return fail(err, "undefining VM %q on host %s", dom.Name, h)
	}
	return errors.Join(removeVolumes(l, h, def.meta.Volumes), d.removeVolumesOf(id, def.meta.Volumes))
}

// undefine removes a domain's definition with its managed save image and
// NVRAM, retrying without those flags where the hypervisor refuses them.
func undefine(l *lv.Libvirt, dom lv.Domain) error {
	err := l.DomainUndefineFlags(dom, lv.DomainUndefineManagedSave|lv.DomainUndefineNvram)
	if hasCode(err, lv.ErrInvalidArg) || hasCode(err, lv.ErrNoSupport) {
		err = l.DomainUndefineFlags(dom, 0)
	}
	return err
}

// removeVolumes deletes volumes from their pools.
func removeVolumes(l *lv.Libvirt, h *host, vols []xmlVol) error {
	var errs []error
	for _, v := range vols {
		p, err := openPool(l, h, v.Pool)
		if err == nil {
			err = p.remove(v.Name)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
