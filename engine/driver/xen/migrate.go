package xen

import (
	"context"

	"github.com/novacron/novacron/engine/driver"
)

// Migrate moves a VM to another host of the pool: a running VM live with
// VM.pool_migrate (live, whatever live says: XenAPI moves running VMs only
// so), a halted one by its affinity (the host it starts on; its disks must
// be on shared storage). XAPI's answer is checked by reading resident_on
// back: a migration that reports success and moves nothing is an error
// (cloudtemple #355). The affinity follows the VM.
func (d *Driver) Migrate(ctx context.Context, id, hostName string, live bool) error {
	ref, r, err := d.vmRef(ctx, id)
	if err != nil {
		return err
	}
	if !d.caps.Migrate {
		return driver.Errorf(driver.KindPermanent, "pool %q has one host, so VM %q cannot migrate", d.poolTag, r.NameLabel)
	}
	dst, err := d.hostRef(hostName)
	if err != nil {
		return err
	}
	if r.hostRef() == dst {
		return driver.Errorf(driver.KindPermanent, "VM %q is already on host %s", r.NameLabel, hostName)
	}
	if r.running() {
		if _, err := d.async(ctx, "VM.pool_migrate", ref, dst, map[string]string{"live": "true"}); err != nil {
			return fail(err, "migrating VM %q to host %s", r.NameLabel, hostName)
		}
		if err := d.verifyHost(ctx, ref, r.NameLabel, dst); err != nil {
			return err
		}
	}
	err = d.c.call(ctx, "VM.set_affinity", nil, ref, dst)
	return fail(err, "pinning VM %q to host %s", r.NameLabel, hostName)
}

// verifyHost reads the VM's host back after a migration.
func (d *Driver) verifyHost(ctx context.Context, ref, name, dst string) error {
	r, err := d.record(ctx, ref)
	if err != nil {
		return err
	}
	if r.ResidentOn != dst {
		return driver.Errorf(driver.KindTransient,
			"XenAPI reported VM %q migrated to host %s (VM.pool_migrate succeeded), but it runs on %s: the migration did nothing",
			name, d.hostName(dst), d.hostName(r.ResidentOn))
	}
	return nil
}
