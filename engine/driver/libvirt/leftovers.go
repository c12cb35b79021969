package libvirt

import (
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/novacron/novacron/engine/driver"
)

// A Create that crashed between making its volumes and defining the domain,
// or a Delete that undefined the domain and then could not remove its
// volumes, leaves volumes no domain records. Their names carry the VM's
// identity (volname.go), so the retry finds them: Create removes those of
// the same VM and owner, Delete those of the same UUID; and only once no
// host of the provider has a domain of their UUID.

// volIndex is one host's volumes in the provider's pool whose names carry
// a VM's identity. It lists the pool once, at the first need, and again
// after a removal failed (so that a retry sees what is left); in between,
// the volumes the driver removes leave it, and the volumes it makes need
// not be in it: only leftovers are looked up there.
type volIndex struct {
	mu   sync.Mutex
	vols map[string]volName // by volume name; nil until listed
}

// list returns the indexed volumes that match, listing the pool first when
// it must.
func (x *volIndex) list(v volumes, match func(volName) bool) ([]volName, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.vols == nil {
		all, _, err := v.l.StoragePoolListAllVolumes(v.pool, 1, 0)
		if err != nil {
			return nil, fail(err, "listing the volumes of storage pool %q on host %s", v.pool.Name, v.h)
		}
		x.vols = map[string]volName{}
		for _, vol := range all {
			if n, ok := parseVolName(vol.Name); ok {
				x.vols[vol.Name] = n
			}
		}
	}
	var out []volName
	for _, n := range x.vols {
		if match(n) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b volName) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// forget drops a removed volume.
func (x *volIndex) forget(name string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.vols, name)
}

// stale makes the next list read the pool again.
func (x *volIndex) stale() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.vols = nil
}

// removeLeftovers removes the volumes that an interrupted Create of the
// same VM (name and owner) left on any host of the provider.
func (d *Driver) removeLeftovers(vm, owner string) error {
	if owner == noOwner {
		return nil
	}
	return d.removeUnrecorded(func(n volName) bool { return n.vm == vm && n.owner == owner })
}

// removeVolumesOf removes the volumes named for the domain of the UUID id
// that are still there, but those in skip (removed already or tried).
func (d *Driver) removeVolumesOf(id string, skip []xmlVol) error {
	u, ok := parseUUID(id)
	if !ok {
		return nil
	}
	uuid := formatUUID(u)
	return d.removeUnrecorded(func(n volName) bool {
		return n.uuid == uuid && !slices.ContainsFunc(skip, func(v xmlVol) bool { return v.Name == n.name })
	})
}

// removeUnrecorded removes, on every host, the volumes of the provider's
// pool that match and whose domain no host has.
func (d *Driver) removeUnrecorded(match func(volName) bool) error {
	var errs []error
	for _, h := range d.hosts {
		errs = append(errs, d.removeUnrecordedOn(h, match))
	}
	return errors.Join(errs...)
}

func (d *Driver) removeUnrecordedOn(h *host, match func(volName) bool) error {
	l, err := h.conn()
	if err != nil {
		return err
	}
	vols, err := openPool(l, h, d.cfg.pool)
	if err != nil {
		return err
	}
	found, err := h.vols.list(vols, match)
	if err != nil {
		return err
	}
	var errs []error
	for _, n := range found {
		exists, err := d.domainExists(n.uuid)
		if err == nil && !exists {
			err = vols.remove(n.name)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// domainExists reports whether a host of the provider has a domain of the
// UUID.
func (d *Driver) domainExists(uuid string) (bool, error) {
	_, _, _, err := d.find(uuid)
	if errors.Is(err, driver.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
