package libvirt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

var _ driver.Driver = (*Driver)(nil)

// Driver is an open libvirt provider: one connection per host. It is safe
// for concurrent use.
type Driver struct {
	pricer driver.CorePricer // cost_per_core_hour, cost_per_gib_hour
	name   string
	cfg    config
	hosts  []*host // sorted by name
	byName map[string]*host
	caps   driver.Capabilities
}

// Open connects to every host of the provider, names each single host by
// host_name or its hostname, and checks that the storage pool is there.
func Open(ctx context.Context, req driver.OpenRequest) (*Driver, error) {
	cfg, err := resolveConfig(req.Config)
	if err != nil {
		return nil, err
	}
	d := &Driver{pricer: driver.CorePricerOf(req.Config), name: req.Name, cfg: cfg, byName: map[string]*host{}}
	for _, hc := range cfg.hosts {
		h, err := newHost(hc, cfg)
		if err != nil {
			return nil, err
		}
		d.hosts = append(d.hosts, h)
	}
	types, err := d.connectAll(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	for _, h := range d.hosts {
		d.byName[h.name] = h
	}
	d.caps = capabilities(len(d.hosts), types)
	return d, nil
}

// connectAll dials the hosts at once and prepares each; it returns each
// host's hypervisor type (QEMU, Test).
func (d *Driver) connectAll(ctx context.Context) ([]string, error) {
	types := make([]string, len(d.hosts))
	errs := make([]error, len(d.hosts))
	var wg sync.WaitGroup
	for i, h := range d.hosts {
		wg.Go(func() { types[i], errs[i] = d.prepare(h) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return nil, fmt.Errorf("connecting to the libvirt hosts of provider %q: %w", d.name, ctx.Err())
	}
	return types, errors.Join(errs...)
}

// prepare connects to a host, names it and checks the pool.
func (d *Driver) prepare(h *host) (string, error) {
	l, err := h.conn()
	if err != nil {
		return "", err
	}
	if h.name == "" {
		if h.name, err = l.ConnectGetHostname(); err != nil {
			return "", fail(err, "asking host %s for its hostname", h)
		}
	}
	if err := d.checkPool(l, h); err != nil {
		return "", err
	}
	typ, err := l.ConnectGetType()
	if err != nil {
		return "", fail(err, "asking host %s for its hypervisor type", h)
	}
	return typ, nil
}

// checkPool fails unless the provider's pool exists and is active.
func (d *Driver) checkPool(l *lv.Libvirt, h *host) error {
	pool, err := l.StoragePoolLookupByName(d.cfg.pool)
	if hasCode(err, lv.ErrNoStoragePool) {
		return driver.Errorf(driver.KindPermanent,
			"storage pool %q not found on libvirt host %s: create it (virsh pool-define-as %s dir --target /var/lib/libvirt/images; virsh pool-start %s) or set pool to an existing one",
			d.cfg.pool, h, d.cfg.pool, d.cfg.pool)
	}
	if err != nil {
		return fail(err, "looking up storage pool %q on host %s", d.cfg.pool, h)
	}
	active, err := l.StoragePoolIsActive(pool)
	if err != nil {
		return fail(err, "checking storage pool %q on host %s", d.cfg.pool, h)
	}
	if active == 0 {
		return driver.Errorf(driver.KindPermanent, "storage pool %q on libvirt host %s is not running: start it (virsh pool-start %s)", d.cfg.pool, h, d.cfg.pool)
	}
	return nil
}

// capabilities: vCPUs and memory grow live within each domain's ceilings;
// disks grow online where QEMU runs them; migration needs two hosts; a
// defined but stopped domain holds no CPU or memory.
func capabilities(hosts int, types []string) driver.Capabilities {
	online := len(types) > 0
	for _, t := range types {
		online = online && strings.EqualFold(t, "QEMU")
	}
	return driver.Capabilities{
		HotAddCPU:      true,
		HotAddMemory:   true,
		OnlineDiskGrow: online,
		Migrate:        hosts > 1,
		LiveMigrate:    hosts > 1,

		StoppedUseNoCapacity: true,
	}
}

// Capabilities reports what the provider can change without a restart.
func (d *Driver) Capabilities() driver.Capabilities { return d.caps }

// Close disconnects from every host.
func (d *Driver) Close() error {
	var errs []error
	for _, h := range d.hosts {
		errs = append(errs, h.close())
	}
	return errors.Join(errs...)
}

// Hosts returns the names of the provider's hosts, sorted.
func (d *Driver) Hosts() []string {
	out := make([]string, len(d.hosts))
	for i, h := range d.hosts {
		out[i] = h.name
	}
	return out
}

// host returns the host of the name; "" is the first host.
func (d *Driver) host(name string) (*host, error) {
	if name == "" {
		return d.hosts[0], nil
	}
	if h := d.byName[name]; h != nil {
		return h, nil
	}
	return nil, driver.Errorf(driver.KindPermanent, "libvirt provider %q has no host %q; its hosts are %s",
		d.name, name, strings.Join(d.Hosts(), ", "))
}

// find returns the host and domain of a VM ID (a domain UUID in its
// canonical spelling: checkID refuses any other).
func (d *Driver) find(id string) (*host, *lv.Libvirt, lv.Domain, error) {
	uuid, ok, err := checkID(id)
	if err != nil {
		return nil, nil, lv.Domain{}, err
	}
	if !ok {
		return nil, nil, lv.Domain{}, notFound(d.name, id)
	}
	for _, h := range d.hosts {
		l, err := h.conn()
		if err != nil {
			return nil, nil, lv.Domain{}, err
		}
		dom, err := l.DomainLookupByUUID(uuid)
		if err == nil {
			return h, l, dom, nil
		}
		if !hasCode(err, lv.ErrNoDomain) {
			return nil, nil, lv.Domain{}, fail(err, "looking up VM %s on host %s", id, h)
		}
	}
	return nil, nil, lv.Domain{}, notFound(d.name, id)
}
