package libvirt

import (
	"fmt"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// growDisk grows the VM's disk: online through QEMU when running, else by
// resizing its volume (or, where the pool cannot resize, copying it to a
// larger one).
func (u *update) growDisk(running bool) error {
	if u.next.DiskGB <= u.cur.DiskGB {
		return nil
	}
	size := uint64(u.next.DiskGB) * gib
	if running {
		err := u.l.DomainBlockResize(u.dom, diskTarget, size, lv.DomainBlockResizeBytes)
		return fail(err, "growing the disk of running VM %q on host %s to %d GB", u.cur.Name, u.h, u.next.DiskGB)
	}
	def, err := u.d.definition(u.l, u.h, u.dom)
	if err != nil {
		return err
	}
	vol, ok := def.meta.volume(roleDisk)
	if !ok {
		return driver.Errorf(driver.KindPermanent, "VM %q has no disk volume that NovaCron made, so it cannot grow its disk", u.cur.Name)
	}
	vols, err := openPool(u.l, u.h, vol.Pool)
	if err != nil {
		return err
	}
	err = vols.resize(vol.Name, size)
	if hasCode(err, lv.ErrNoSupport) {
		return u.copyDisk(def, vols, vol, size)
	}
	return err
}

// copyDisk replaces the VM's disk volume with a larger copy.
func (u *update) copyDisk(def *domain, vols volumes, old xmlVol, size uint64) error {
	name := fmt.Sprintf("%s-%s-%dg.qcow2", u.cur.Name, u.cur.ID[:8], u.next.DiskGB)
	path, err := vols.cloneLarger(old.Name, name, size)
	if err != nil {
		return err
	}
	m := def.meta
	for i, v := range m.Volumes {
		if v.Role == roleDisk {
			m.Volumes[i].Name = name
		}
	}
	err = u.redefine(func(def *domain) { setDiskPath(def, path) })
	if err == nil {
		err = u.d.setMeta(u.l, u.h, u.dom, m, false)
	}
	if err != nil {
		vols.remove(name)
		return err
	}
	return vols.remove(old.Name)
}

// setDiskPath points the domain's disk at path.
func setDiskPath(def *domain, path string) {
	for i, disk := range def.def.Devices.Disks {
		if disk.Target != nil && disk.Target.Dev == diskTarget && disk.Source != nil && disk.Source.File != nil {
			def.def.Devices.Disks[i].Source.File.File = path
		}
	}
}
