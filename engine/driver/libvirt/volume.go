package libvirt

import (
	"bytes"
	"errors"

	lv "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/novacron/novacron/engine/driver"
)

// gib is the unit of disk_gb.
const gib = 1 << 30

// volumes works on the storage pool of one host.
type volumes struct {
	l    *lv.Libvirt
	h    *host
	pool lv.StoragePool
}

// openPool looks up a storage pool on a host.
func openPool(l *lv.Libvirt, h *host, name string) (volumes, error) {
	pool, err := l.StoragePoolLookupByName(name)
	if hasCode(err, lv.ErrNoStoragePool) {
		return volumes{}, driver.Errorf(driver.KindPermanent, "storage pool %q not found on libvirt host %s; create it or set pool", name, h)
	}
	if err != nil {
		return volumes{}, fail(err, "looking up storage pool %q on host %s", name, h)
	}
	return volumes{l: l, h: h, pool: pool}, nil
}

// base reads a template's base volume: its path, format and size.
func (v volumes) base(name string) (path, format string, capacity uint64, err error) {
	vol, err := v.l.StorageVolLookupByName(v.pool, name)
	if hasCode(err, lv.ErrNoStorageVol) {
		return "", "", 0, driver.Errorf(driver.KindPermanent,
			"base volume %q not found in storage pool %q on host %s: upload the template's image there (virsh vol-upload) or fix the template's volume",
			name, v.pool.Name, v.h)
	}
	if err != nil {
		return "", "", 0, fail(err, "looking up base volume %q on host %s", name, v.h)
	}
	x, err := v.l.StorageVolGetXMLDesc(vol, 0)
	if err != nil {
		return "", "", 0, fail(err, "reading base volume %q on host %s", name, v.h)
	}
	def := &libvirtxml.StorageVolume{}
	if err := def.Unmarshal(x); err != nil {
		return "", "", 0, fail(err, "reading base volume %q on host %s", name, v.h)
	}
	return volPath(def), volFormat(def), volCapacity(def), nil
}

// create makes a qcow2 volume of capacity bytes, on a backing file when
// backing is not empty, and returns its path.
func (v volumes) create(name string, capacity uint64, backing, backingFormat string) (string, error) {
	def := &libvirtxml.StorageVolume{
		Name:       name,
		Capacity:   &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: capacity},
		Allocation: &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: 0}, // thin: qcow2 grows as written
		Target:     &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "qcow2"}},
	}
	if backing != "" {
		def.BackingStore = &libvirtxml.StorageVolumeBackingStore{
			Path: backing, Format: &libvirtxml.StorageVolumeTargetFormat{Type: backingFormat}}
	}
	return v.createXML(def)
}

func (v volumes) createXML(def *libvirtxml.StorageVolume) (string, error) {
	x, err := def.Marshal()
	if err != nil {
		return "", err
	}
	vol, err := v.l.StorageVolCreateXML(v.pool, x, 0)
	if err != nil {
		return "", fail(err, "creating volume %q in storage pool %q on host %s", def.Name, v.pool.Name, v.h)
	}
	path, err := v.l.StorageVolGetPath(vol)
	if err != nil {
		v.remove(def.Name)
		return "", fail(err, "reading the path of volume %q on host %s", def.Name, v.h)
	}
	return path, nil
}

// upload makes a raw volume holding data (the cloud-init seed).
func (v volumes) upload(name string, data []byte) (string, error) {
	def := &libvirtxml.StorageVolume{
		Name:     name,
		Capacity: &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: uint64(len(data))},
		Target:   &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "raw"}},
	}
	path, err := v.createXML(def)
	if err != nil {
		return "", err
	}
	vol, err := v.l.StorageVolLookupByName(v.pool, name)
	if err == nil {
		err = v.l.StorageVolUpload(vol, bytes.NewReader(data), 0, uint64(len(data)), 0)
	}
	if err != nil {
		v.remove(name)
		return "", fail(err, "uploading the cloud-init seed %q to host %s", name, v.h)
	}
	return path, nil
}

// cloneLarger copies a volume to a new one of capacity bytes, for pools
// whose backend cannot resize volumes; it returns the new volume's path.
// Some pools copy at the source's size whatever the capacity asked (a dir
// pool's qemu-img convert): the copy is then grown, or removed again when
// it cannot be.
func (v volumes) cloneLarger(from, to string, capacity uint64) (string, error) {
	src, err := v.l.StorageVolLookupByName(v.pool, from)
	if err != nil {
		return "", fail(err, "looking up volume %q on host %s", from, v.h)
	}
	def := &libvirtxml.StorageVolume{
		Name:     to,
		Capacity: &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: capacity},
		Target:   &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "qcow2"}},
	}
	x, err := def.Marshal()
	if err != nil {
		return "", err
	}
	vol, err := v.l.StorageVolCreateXMLFrom(v.pool, x, src, 0)
	if err != nil {
		return "", fail(err, "copying volume %q to a larger one on host %s", from, v.h)
	}
	path, err := v.l.StorageVolGetPath(vol)
	if err == nil {
		err = v.growTo(vol, capacity)
	}
	if err != nil {
		return "", errors.Join(fail(err, "copying volume %q to %q of %d bytes on host %s", from, to, capacity, v.h), v.remove(to))
	}
	return path, nil
}

// growTo resizes a volume that holds less than capacity bytes.
func (v volumes) growTo(vol lv.StorageVol, capacity uint64) error {
	_, have, _, err := v.l.StorageVolGetInfo(vol)
	if err != nil || have >= capacity {
		return err
	}
	return v.l.StorageVolResize(vol, capacity, 0)
}

// capacity is the size of a volume in bytes.
func (v volumes) capacity(name string) (uint64, error) {
	vol, err := v.l.StorageVolLookupByName(v.pool, name)
	if err != nil {
		return 0, fail(err, "looking up volume %q in storage pool %q on host %s", name, v.pool.Name, v.h)
	}
	_, capacity, _, err := v.l.StorageVolGetInfo(vol)
	return capacity, fail(err, "reading the size of volume %q on host %s", name, v.h)
}

// resize grows a volume to capacity bytes.
func (v volumes) resize(name string, capacity uint64) error {
	vol, err := v.l.StorageVolLookupByName(v.pool, name)
	if err == nil {
		err = v.l.StorageVolResize(vol, capacity, 0)
	}
	return fail(err, "growing volume %q in storage pool %q on host %s", name, v.pool.Name, v.h)
}

// remove deletes a volume; a volume that is not there is no error. The
// pool is refreshed first when it does not list the volume: another host
// sharing the storage may have made it. The host's index of volumes is
// kept up to date: a volume removed leaves it, a failure makes it list the
// pool again, so a retry finds the volume.
func (v volumes) remove(name string) error {
	err := v.delete(name)
	if err != nil {
		v.h.vols.stale()
		return fail(err, "deleting volume %q from storage pool %q on host %s", name, v.pool.Name, v.h)
	}
	v.h.vols.forget(name)
	return nil
}

func (v volumes) delete(name string) error {
	vol, err := v.l.StorageVolLookupByName(v.pool, name)
	if hasCode(err, lv.ErrNoStorageVol) && v.l.StoragePoolRefresh(v.pool, 0) == nil {
		vol, err = v.l.StorageVolLookupByName(v.pool, name)
	}
	if err == nil {
		err = v.l.StorageVolDelete(vol, 0)
	}
	if hasCode(err, lv.ErrNoStorageVol) {
		return nil
	}
	return err
}

func volPath(def *libvirtxml.StorageVolume) string {
	if def.Target != nil {
		return def.Target.Path
	}
	return ""
}

func volFormat(def *libvirtxml.StorageVolume) string {
	if def.Target != nil && def.Target.Format != nil && def.Target.Format.Type != "" {
		return def.Target.Format.Type
	}
	return "raw"
}

func volCapacity(def *libvirtxml.StorageVolume) uint64 {
	if def.Capacity == nil {
		return 0
	}
	return def.Capacity.Value * unitBytes(def.Capacity.Unit)
}

// unitBytes is the size of a libvirt storage unit.
func unitBytes(unit string) uint64 {
	switch unit {
	case "", "bytes", "B", "b":
		return 1
	case "KiB", "K", "k":
		return 1 << 10
	case "MiB", "M", "m":
		return 1 << 20
	case "GiB", "G", "g":
		return 1 << 30
	case "TiB", "T", "t":
		return 1 << 40
	}
	return 1
}
