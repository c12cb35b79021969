package xen

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/novacron/novacron/engine/driver"
)

var (
	_ driver.Driver          = (*Driver)(nil)
	_ driver.IDCanonicalizer = (*Driver)(nil)
	_ driver.CreateChecker   = (*Driver)(nil)
)

// Driver is an open xen provider: one XenAPI session on the pool master,
// shared by every call. It is safe for concurrent use.
type Driver struct {
	pricer  driver.CorePricer // cost_per_core_hour, cost_per_gib_hour
	name    string
	cfg     config
	c       *client
	srRef   string // "": clone beside the template's disks
	netRef  string // "": the template's interfaces
	poolTag string // for messages
	caps    driver.Capabilities

	mu        sync.Mutex
	hosts     map[string]hostRecord // by reference, as last read
	templates map[string]*template  // by the template setting
}

// Open logs in to the pool master and checks the pool, sr and network
// the settings name; each that is wrong is an error naming its setting.
func Open(ctx context.Context, req driver.OpenRequest) (*Driver, error) {
	cfg, err := resolveConfig(req.Config)
	if err != nil {
		return nil, err
	}
	c, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	s, err := c.login(ctx)
	if err != nil {
		return nil, openError(err, cfg)
	}
	c.session = s
	d := &Driver{pricer: driver.CorePricerOf(req.Config), name: req.Name, cfg: cfg, c: c, templates: map[string]*template{}}
	if err := d.open(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// open checks pool, sr and network, and reads the hosts.
func (d *Driver) open(ctx context.Context) error {
	var pools map[string]poolRecord
	if err := d.c.call(ctx, "pool.get_all_records", &pools); err != nil {
		return fail(err, "reading the pool of %s", d.cfg.url)
	}
	if err := d.checkPool(pools); err != nil {
		return err
	}
	var err error
	if d.srRef, err = d.lookup(ctx, "SR", settingSR, d.cfg.sr); err != nil {
		return err
	}
	if d.netRef, err = d.lookup(ctx, "network", settingNetwork, d.cfg.network); err != nil {
		return err
	}
	hosts, err := d.readHosts(ctx)
	if err != nil {
		return err
	}
	d.caps = driver.Capabilities{HotAddCPU: true, HotAddMemory: true, Migrate: len(hosts) > 1, LiveMigrate: len(hosts) > 1, StoppedUseNoCapacity: true}
	return nil
}

// checkPool fails unless url leads to the pool the pool setting names.
func (d *Driver) checkPool(pools map[string]poolRecord) error {
	var names []string
	for _, p := range pools {
		d.poolTag = p.NameLabel
		if d.cfg.pool == "" || p.NameLabel == d.cfg.pool || p.UUID == d.cfg.pool {
			return nil
		}
		names = append(names, fmt.Sprintf("%q (uuid %s)", p.NameLabel, p.UUID))
	}
	return driver.Errorf(driver.KindPermanent, "pool %q: the pool master %s leads to pool %s, not that one: check pool and url",
		d.cfg.pool, d.cfg.url, strings.Join(names, ", "))
}

// lookup finds the one SR or network a setting names by name-label or
// uuid; "" for an unset setting.
func (d *Driver) lookup(ctx context.Context, class, setting, want string) (string, error) {
	if want == "" {
		return "", nil
	}
	var all map[string]namedRecord
	if err := d.c.call(ctx, class+".get_all_records", &all); err != nil {
		return "", fail(err, "reading the %ss to find %s %q", class, setting, want)
	}
	var found, names []string
	for _, ref := range slices.Sorted(maps.Keys(all)) {
		r := all[ref]
		if r.ContentType == "iso" {
			continue // ISO libraries hold no disks
		}
		names = append(names, fmt.Sprintf("%q", r.NameLabel))
		if r.NameLabel == want || r.UUID == want {
			found = append(found, ref)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", driver.Errorf(driver.KindPermanent, "setting %s = %q: pool %q has no such %s (it has %s): check %s", setting, want, d.poolTag, class, strings.Join(names, ", "), setting)
	}
	return "", driver.Errorf(driver.KindPermanent, "setting %s = %q: pool %q has %d %ss of that name: set %s to the uuid of one", setting, want, d.poolTag, len(found), class, setting)
}

// Capabilities: vCPUs and memory grow on a running VM up to its VCPUs_max
// and memory_static_max (each VM's ceiling, set by max_cpu and
// max_memory_gb); disks grow only halted; VMs migrate live within the
// pool; a halted VM holds no host memory.
func (d *Driver) Capabilities() driver.Capabilities { return d.caps }

// Close logs out.
func (d *Driver) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.c.logout(ctx); err != nil {
		return fail(err, "logging out of %s", d.cfg.url)
	}
	d.c.http.CloseIdleConnections()
	return nil
}

// uuidPattern is a VM id: a uuid in lower case with dashes. It and anyUUID
// are compiled at their first use, not when nova-plan starts (issue 15).
var uuidPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
})

// anyUUID is a uuid in either case, with or without dashes.
var anyUUID = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`)
})

// CanonicalID spells a uuid in lower case with dashes.
func (d *Driver) CanonicalID(id string) (string, bool) {
	if !anyUUID().MatchString(id) {
		return id, false
	}
	h := strings.ToLower(strings.ReplaceAll(id, "-", ""))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

// checkID refuses an id in another spelling; ok is false for an id that
// can be no VM's (not found).
func (d *Driver) checkID(id string) (ok bool, err error) {
	if err := driver.CheckID(id); err != nil {
		return false, err
	}
	if uuidPattern().MatchString(id) {
		return true, nil
	}
	if c, is := d.CanonicalID(id); is {
		return false, driver.NotCanonical(id, c)
	}
	return false, nil
}

// vmRef finds a VM by id: its reference and record. A VM that does not
// exist, or a template (but for a half-made clone) or control domain, is
// not found.
func (d *Driver) vmRef(ctx context.Context, id string) (string, *vmRecord, error) {
	ok, err := d.checkID(id)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, d.notFound(id)
	}
	var ref string
	if err := d.c.call(ctx, "VM.get_by_uuid", &ref, id); err != nil {
		return "", nil, fail(err, "finding VM %s", id)
	}
	r, err := d.record(ctx, ref)
	if err != nil {
		return "", nil, err
	}
	if !r.listed() {
		return "", nil, d.notFound(id)
	}
	return ref, r, nil
}

func (d *Driver) notFound(id string) error {
	return driver.Errorf(driver.KindNotFound, "xen provider %q has no VM %s", d.name, id)
}

// record reads a VM record.
func (d *Driver) record(ctx context.Context, ref string) (*vmRecord, error) {
	var r vmRecord
	if err := d.c.call(ctx, "VM.get_record", &r, ref); err != nil {
		return nil, fail(err, "reading VM %s", ref)
	}
	return &r, nil
}

// disks reads a VM's VBDs and their VDIs.
func (d *Driver) disks(ctx context.Context, r *vmRecord) ([]disk, error) {
	var out []disk
	for _, b := range r.VBDs {
		dk := disk{vbdRef: b}
		if err := d.c.call(ctx, "VBD.get_record", &dk.vbd, b); err != nil {
			return nil, fail(err, "reading a disk of VM %q", r.NameLabel)
		}
		dk.vdiRef = dk.vbd.VDI
		if dk.vdiRef != nullRef && dk.vdiRef != "" {
			if err := d.c.call(ctx, "VDI.get_record", &dk.vdi, dk.vdiRef); err != nil {
				return nil, fail(err, "reading a disk of VM %q", r.NameLabel)
			}
		}
		out = append(out, dk)
	}
	return out, nil
}

// read reads a VM as the driver reports it.
func (d *Driver) read(ctx context.Context, ref string) (driver.VM, error) {
	r, err := d.record(ctx, ref)
	if err != nil {
		return driver.VM{}, err
	}
	disks, err := d.disks(ctx, r)
	if err != nil {
		return driver.VM{}, err
	}
	first, ok := firstDisk(disks)
	return vmOf(r, first, ok, d.hostNames()), nil
}
