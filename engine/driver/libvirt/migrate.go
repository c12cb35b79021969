package libvirt

import (
	"context"
	"net/url"
	"strings"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// Migrate moves a VM to another host of the provider, peer to peer: the
// source libvirtd connects to the target host's URI itself. A running VM
// moves live when asked (else paused during the copy); a stopped one moves
// its definition only. The disks must be on storage both hosts see.
func (d *Driver) Migrate(ctx context.Context, id, hostName string, live bool) error {
	src, l, dom, err := d.find(id)
	if err != nil {
		return err
	}
	if !d.caps.Migrate {
		return driver.Errorf(driver.KindPermanent, "libvirt provider %q has one host, so VM %s cannot migrate: add hosts to the provider's hosts map", d.name, id)
	}
	if hostName == "" {
		return driver.Errorf(driver.KindPermanent, "migrating VM %s needs a target host", id)
	}
	dst, err := d.host(hostName)
	if err != nil {
		return err
	}
	if dst == src {
		return driver.Errorf(driver.KindPermanent, "VM %q is already on host %s", dom.Name, dst.name)
	}
	running, err := isRunning(l, dom)
	if err != nil {
		return fail(err, "reading the state of VM %q on host %s", dom.Name, src)
	}
	_, err = l.DomainMigratePerform3Params(dom, []string{dst.uri}, migrateParams(dst), nil, d.migrateFlags(running, live))
	return migrateError(err, dom.Name, src, dst)
}

// migrateFlags: peer to peer, persistent on the target, gone from the source.
func (d *Driver) migrateFlags(running, live bool) lv.DomainMigrateFlags {
	flags := lv.MigratePeer2peer | lv.MigratePersistDest | lv.MigrateUndefineSource
	if d.cfg.unsafeMigrate {
		flags |= lv.MigrateUnsafe
	}
	switch {
	case !running:
		flags |= lv.MigrateOffline
	case live:
		flags |= lv.MigrateLive
	}
	return flags
}

// migrateParams send QEMU's migration stream to the target host's address
// (not to whatever its hostname resolves to) when its URI names one.
func migrateParams(dst *host) []lv.TypedParam {
	u, err := url.Parse(dst.uri)
	if err != nil || u.Hostname() == "" {
		return nil
	}
	return []lv.TypedParam{{Field: lv.MigrateParamURI, Value: *lv.NewTypedParamValueString("tcp://" + u.Hostname())}}
}

// migrateError explains a failed migration.
func migrateError(err error, name string, src, dst *host) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "already exists"):
		return driver.Errorf(driver.KindPermanent, "cannot migrate VM %q from host %s to %s: %v (a domain of that name or UUID is already defined there; remove it)", name, src.name, dst.name, err)
	case hasCode(err, lv.ErrMigrateUnsafe):
		return driver.Errorf(driver.KindPermanent, "cannot migrate VM %q from host %s to %s: %v (put the disks on storage both hosts share, or set migration_allow_unsafe when they are shared in a way libvirt does not recognise)", name, src.name, dst.name, err)
	case strings.Contains(msg, "same host"):
		return driver.Errorf(driver.KindPermanent, "cannot migrate VM %q from host %s to %s: %v (both URIs reach the same libvirtd, or the hosts share a host_uuid)", name, src.name, dst.name, err)
	}
	return fail(err, "migrating VM %q from host %s to %s", name, src.name, dst.name)
}
