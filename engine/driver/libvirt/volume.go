package libvirt

import (
	"bytes"
	"fmt"

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
	if err != nil {
		v.remove(to)
		return "", fail(err, "reading the path of volume %q on host %s", to, v.h)
	}
	return path, nil
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
// sharing the storage may have made it.
func (v volumes) remove(name string) error {
	vol, err := v.l.StorageVolLookupByName(v.pool, name)
	if hasCode(err, lv.ErrNoStorageVol) && v.l.StoragePoolRefresh(v.pool, 0) == nil {
		vol, err = v.l.StorageVolLookupByName(v.pool, name)
	}
	if hasCode(err, lv.ErrNoStorageVol) {
		return nil
	}
	if err == nil {
		err = v.l.StorageVolDelete(vol, 0)
	}
	if hasCode(err, lv.ErrNoStorageVol) {
		return nil
	}
	return fail(err, "deleting volume %q from storage pool %q on host %s", name, v.pool.Name, v.h)
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

// diskVolumeName is the name of a VM's disk volume: unique per domain.
func diskVolumeName(name, uuid string) string { return fmt.Sprintf("%s-%s.qcow2", name, uuid[:8]) }

// seedVolumeName is the name of a VM's cloud-init seed volume.
func seedVolumeName(name, uuid string) string {
	return fmt.Sprintf("%s-%s-cidata.iso", name, uuid[:8])
}
