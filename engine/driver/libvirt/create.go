package libvirt

import (
	"context"
	"errors"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// Create defines a domain for spec on spec.Host (the first host when
// empty), with its disk and cloud-init seed, and starts it unless the spec
// asks for a stopped VM. Whatever it made is removed again when a later
// step fails, so a failed Create leaves nothing behind; and first, what an
// earlier Create of the same VM that crashed before defining the domain
// left is removed (leftovers.go).
func (d *Driver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	if spec.Power == "" {
		spec.Power = driver.PowerRunning
	}
	tmpl, err := checkSpec(spec)
	if err != nil {
		return driver.VM{}, err
	}
	h, err := d.host(spec.Host)
	if err != nil {
		return driver.VM{}, err
	}
	l, err := h.conn()
	if err != nil {
		return driver.VM{}, err
	}
	if err := d.nameFree(l, h, spec.Name); err != nil {
		return driver.VM{}, err
	}
	owner := ownerOf(&spec.Marker)
	if err := d.removeLeftovers(spec.Name, owner); err != nil {
		return driver.VM{}, err
	}
	c := &creation{d: d, h: h, l: l, spec: spec, tmpl: tmpl, uuid: newUUID(), owner: owner}
	dom, err := c.run(ctx)
	if err != nil {
		return driver.VM{}, errors.Join(err, c.undo())
	}
	return d.read(l, h, dom)
}

// nameFree fails when the host already has a domain of the name.
func (d *Driver) nameFree(l *lv.Libvirt, h *host, name string) error {
	_, err := l.DomainLookupByName(name)
	if hasCode(err, lv.ErrNoDomain) {
		return nil
	}
	if err != nil {
		return fail(err, "checking whether the name %q is free on host %s", name, h)
	}
	return driver.Errorf(driver.KindPermanent,
		"a domain named %q already exists on libvirt host %s and NovaCron did not create it for this VM: rename the VM in the spec, remove the domain, or adopt it with `nova-plan import`",
		name, h)
}

// creation is one Create in progress, with what it made so far.
type creation struct {
	d     *Driver
	h     *host
	l     *lv.Libvirt
	spec  driver.VMSpec
	tmpl  template
	uuid  lv.UUID
	owner string // of the volume names

	vols    volumes
	made    []string // volume names, to remove on failure
	defined *lv.Domain
}

// run makes the volumes, defines the domain and starts it.
func (c *creation) run(ctx context.Context) (lv.Domain, error) {
	vols, err := openPool(c.l, c.h, c.d.cfg.pool)
	if err != nil {
		return lv.Domain{}, err
	}
	c.vols = vols
	p, err := c.plan()
	if err != nil {
		return lv.Domain{}, err
	}
	if err := ctx.Err(); err != nil {
		return lv.Domain{}, driver.Wrap(driver.KindTransient, err)
	}
	x, err := p.domainXML()
	if err != nil {
		return lv.Domain{}, fail(err, "writing the definition of VM %q", c.spec.Name)
	}
	if err := checkpoint(stepVolumesMade); err != nil {
		return lv.Domain{}, err
	}
	dom, err := c.l.DomainDefineXMLFlags(x, 0)
	if err != nil {
		return lv.Domain{}, fail(err, "defining VM %q on host %s", c.spec.Name, c.h)
	}
	c.defined = &dom
	if err := checkpoint(stepDefined); err != nil {
		return lv.Domain{}, err
	}
	if c.spec.Power == driver.PowerStopped {
		return dom, nil
	}
	if _, err := c.l.DomainCreateWithFlags(dom, 0); err != nil {
		return lv.Domain{}, fail(err, "starting VM %q on host %s", c.spec.Name, c.h)
	}
	return dom, nil
}

// plan makes the volumes and returns the domain to define.
func (c *creation) plan() (domainPlan, error) {
	cfg := c.d.cfg
	uuid := formatUUID(c.uuid)
	m := newMeta(c.spec)
	maxCPU, maxMiB := cfg.ceilings(c.spec.CPU, c.spec.MemoryMiB)
	p := domainPlan{
		name: c.spec.Name, uuid: uuid, domainType: cfg.domainType,
		cpu: c.spec.CPU, memoryMiB: c.spec.MemoryMiB, maxCPU: maxCPU, maxMiB: maxMiB,
		kernel: c.tmpl.kernel, initrd: c.tmpl.initrd, cmdline: c.tmpl.cmdline,
		network: cfg.network, bridge: cfg.bridge, serialLog: serialLogPath(cfg.serialLogDir, c.spec.Name),
	}
	if err := c.disk(&p, &m, uuid); err != nil {
		return domainPlan{}, err
	}
	if err := c.seed(&p, &m, uuid); err != nil {
		return domainPlan{}, err
	}
	enc, err := m.encode()
	p.meta = enc
	return p, err
}

// disk makes the VM's disk: an overlay on the base volume, or a blank one.
func (c *creation) disk(p *domainPlan, m *meta, uuid string) error {
	size := uint64(c.spec.DiskGB) * gib
	backing, backingFormat := "", ""
	if c.tmpl.volume != "" {
		path, format, baseSize, err := c.vols.base(c.tmpl.volume)
		if err != nil {
			return err
		}
		if size < baseSize {
			return driver.Errorf(driver.KindPermanent,
				"VM %q asks for a %d GB disk, smaller than its template's base volume %q (%.1f GB): set disk_gb to at least %d",
				c.spec.Name, c.spec.DiskGB, c.tmpl.volume, float64(baseSize)/gib, (baseSize+gib-1)/gib)
		}
		backing, backingFormat = path, format
	} else if size == 0 {
		return nil
	}
	name := diskVolumeName(c.spec.Name, c.owner, uuid)
	path, err := c.vols.create(name, size, backing, backingFormat)
	if err != nil {
		return err
	}
	c.made = append(c.made, name)
	m.Volumes = append(m.Volumes, xmlVol{Pool: c.vols.pool.Name, Role: roleDisk, Name: name})
	p.diskPath, p.diskFormat = path, "qcow2"
	return nil
}

// seed uploads the cloud-init seed when the template has any.
func (c *creation) seed(p *domainPlan, m *meta, uuid string) error {
	if !c.tmpl.cloudInit() {
		return nil
	}
	iso, err := c.tmpl.seedISO(c.spec.Name, uuid)
	if err != nil {
		return driver.Errorf(driver.KindPermanent, "building the cloud-init seed of VM %q: %v", c.spec.Name, err)
	}
	name := seedVolumeName(c.spec.Name, c.owner, uuid)
	path, err := c.vols.upload(name, iso)
	if err != nil {
		return err
	}
	c.made = append(c.made, name)
	m.Volumes = append(m.Volumes, xmlVol{Pool: c.vols.pool.Name, Role: roleSeed, Name: name})
	p.seedPath = path
	return nil
}

// undo removes the domain and volumes a failed Create made.
func (c *creation) undo() error {
	var errs []error
	if c.defined != nil {
		c.l.DomainDestroyFlags(*c.defined, 0)
		if err := c.l.DomainUndefineFlags(*c.defined, lv.DomainUndefineManagedSave|lv.DomainUndefineNvram); err != nil && !hasCode(err, lv.ErrNoDomain) {
			errs = append(errs, fail(err, "removing the half-created domain %q from host %s", c.spec.Name, c.h))
		}
	}
	for _, name := range c.made {
		errs = append(errs, c.vols.remove(name))
	}
	if err := errors.Join(errs...); err != nil {
		return driver.Wrap(driver.KindPermanent, errors.Join(errors.New("cleaning up failed too; retrying the create removes the volumes it left"), err))
	}
	return nil
}
