package libvirt

import (
	"errors"
	"slices"

	lv "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/novacron/novacron/engine/driver"
)

// growDisk grows the VM's disk: online through QEMU when running, else by
// resizing its volume (or, where the pool cannot resize, copying it to a
// larger one). A disk an earlier attempt grew already is left as it is.
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
		return u.growImportedDisk(def, size)
	}
	vols, err := openPool(u.l, u.h, vol.Pool)
	if err != nil {
		return err
	}
	if have, err := vols.capacity(vol.Name); err != nil || have >= size {
		return err
	}
	err = vols.resize(vol.Name, size)
	if hasCode(err, lv.ErrNoSupport) {
		return u.copyDisk(def, vols, vol, size)
	}
	return err
}

// growImportedDisk grows, in place, the disk of a stopped VM NovaCron did
// not make (one imported): the volume its disk vda names, found by path in
// the host's pools. It is never copied, unlike a disk NovaCron made: the
// file is the user's.
func (u *update) growImportedDisk(def *domain, size uint64) error {
	path, _ := def.disk()
	if path == "" {
		return driver.Errorf(driver.KindPermanent, "VM %q has no file disk vda, so NovaCron cannot grow its disk", u.cur.Name)
	}
	vol, err := u.l.StorageVolLookupByPath(path)
	if hasCode(err, lv.ErrNoStorageVol) {
		return driver.Errorf(driver.KindPermanent,
			"the disk of VM %q, %s, is in no storage pool of host %s, so NovaCron cannot grow it while the VM is stopped: "+
				"start the VM and apply again (it then grows online), or grow the disk by hand", u.cur.Name, path, u.h)
	}
	if err != nil {
		return fail(err, "looking up the disk %s of VM %q on host %s", path, u.cur.Name, u.h)
	}
	err = volumes{l: u.l, h: u.h}.growTo(vol, size)
	if hasCode(err, lv.ErrNoSupport) {
		return driver.Errorf(driver.KindPermanent,
			"the storage pool of %s (the disk of VM %q) cannot resize volumes: start the VM and apply again (it then grows online), or grow the disk by hand", path, u.cur.Name)
	}
	return fail(err, "growing the disk %s of VM %q on host %s to %d GB", path, u.cur.Name, u.h, u.next.DiskGB)
}

// copyDisk replaces the VM's disk volume with a larger copy. The domain is
// switched to the copy in one definition, disk and metadata together, which
// records the old volume as retired until it is removed; so whatever fails
// or crashes after the switch, the domain's disk exists, and Delete removes
// every volume.
func (u *update) copyDisk(def *domain, vols volumes, old xmlVol, size uint64) error {
	name := grownVolumeName(u.cur.Name, ownerOf(def.meta.marker()), u.cur.ID, u.next.DiskGB)
	if _, err := u.l.StorageVolLookupByName(vols.pool, name); err == nil { // made by an attempt that crashed before the switch
		if err := vols.remove(name); err != nil {
			return err
		}
	}
	path, err := vols.cloneLarger(old.Name, name, size)
	if err != nil {
		return err
	}
	if err := checkpoint(stepDiskCopied); err != nil {
		return err
	}
	m := def.meta
	m.Volumes = slices.Clone(m.Volumes)
	for i, v := range m.Volumes {
		if v.Role == roleDisk {
			m.Volumes[i].Name = name
		}
	}
	m.Volumes = append(m.Volumes, xmlVol{Pool: old.Pool, Role: roleRetired, Name: old.Name})
	if err := u.redefine(func(def *domain) error { return switchDisk(def, path, m) }); err != nil {
		return errors.Join(err, vols.remove(name))
	}
	if err := checkpoint(stepDiskSwitched); err != nil {
		return err
	}
	if err := vols.remove(old.Name); err != nil {
		return err
	}
	m.Volumes = slices.DeleteFunc(m.Volumes, func(v xmlVol) bool { return v.Role == roleRetired && v.Name == old.Name })
	return u.d.setMeta(u.l, u.h, u.dom, m, false)
}

// switchDisk points the domain's disk at path and records m as its
// metadata.
func switchDisk(def *domain, path string, m meta) error {
	enc, err := m.encode()
	if err != nil {
		return err
	}
	inner := ""
	if def.def.Metadata != nil {
		inner = def.def.Metadata.XML
	}
	if inner, err = withMeta(inner, enc); err != nil {
		return err
	}
	def.def.Metadata = &libvirtxml.DomainMetadata{XML: inner}
	for i, disk := range def.def.Devices.Disks {
		if disk.Target != nil && disk.Target.Dev == diskTarget && disk.Source != nil && disk.Source.File != nil {
			def.def.Devices.Disks[i].Source.File.File = path
		}
	}
	return nil
}
