package gce

import (
	"context"

	"github.com/novacron/novacron/engine/driver"
)

// image is what the driver needs of a boot image.
type image struct {
	url    string // the image's self link, for the boot disk's sourceImage
	sizeGB int    // the image's disk size: the smallest boot disk
}

// readImage reads the template's image once per driver: images.get, or
// images.getFromFamily for a family's newest.
func (d *Driver) readImage(ctx context.Context, setting string) (image, error) {
	d.mu.Lock()
	im, ok := d.images[setting]
	d.mu.Unlock()
	if ok {
		return im, nil
	}
	m := imagePath().FindStringSubmatch(setting)
	if m == nil {
		return image{}, driver.Errorf(driver.KindPermanent, "%v", checkImage(setting))
	}
	project, family, name := m[1], m[3] != "", m[4]
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	get := d.svc.Images.Get(project, name).Context(ctx).Do
	if family {
		get = d.svc.Images.GetFromFamily(project, name).Context(ctx).Do
	}
	got, err := get()
	if err != nil {
		return image{}, d.failSetting(err, "check image in the template's gce block", "the template's image %s", setting)
	}
	im = image{url: got.SelfLink, sizeGB: int(got.DiskSizeGb)}
	if im.url == "" {
		im.url = setting
	}
	d.mu.Lock()
	d.images[setting] = im
	d.mu.Unlock()
	return im, nil
}

// machineType is the vCPUs and memory of a machine type in a zone: from
// the table, else machineTypes.get (once per driver).
func (d *Driver) machineType(ctx context.Context, zone, name string) (driver.Size, error) {
	if s, ok := sizeOfType(name); ok {
		return s, nil
	}
	key := zone + "/" + name
	d.mu.Lock()
	s, ok := d.types[key]
	d.mu.Unlock()
	if ok {
		return s, nil
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	mt, err := d.svc.MachineTypes.Get(d.project, zone, name).Context(ctx).Do()
	if err != nil {
		return driver.Size{}, d.failSetting(err, "check machine_type in the template's gce block", "machine_type %s in zone %s", name, zone)
	}
	s = driver.Size{Name: name, CPU: int(mt.GuestCpus), MemoryMiB: mt.MemoryMb}
	d.mu.Lock()
	d.types[key] = s
	d.mu.Unlock()
	return s, nil
}
