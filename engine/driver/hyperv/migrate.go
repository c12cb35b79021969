package hyperv

import (
	"context"
	"fmt"

	"github.com/novacron/novacron/engine/driver"
)

// Migrate moves a VM to another host with Move-VM: live for a running VM
// (Hyper-V moves running VMs only so, whatever live says), quick for a
// stopped one. The VM's files must be on storage both hosts reach (path on
// an SMB share or a cluster shared volume), as the template's VHDX. The
// move is verified by reading the VM back: Move-VM that reports success
// while the VM stays is an error.
func (d *Driver) Migrate(ctx context.Context, id, host string, live bool) error {
	r, err := d.fetch(ctx, id)
	if err != nil {
		return err
	}
	if !d.caps.Migrate {
		return permanent("Hyper-V provider %q has one host, so VM %s cannot migrate: name the others in hosts", d.name, r.Name)
	}
	if !d.knownHost(host) {
		return permanent("host %q is not a host of provider %q: pin one of %s", host, d.name, listOr(d.hosts, ""))
	}
	if host == r.Host {
		return permanent("VM %q is already on host %s", r.Name, host)
	}
	what := fmt.Sprintf("Move-VM %s to %s", r.Name, host)
	var res struct {
		Moved bool `json:"moved"`
	}
	if err := d.run(ctx, scriptMigrate, what, map[string]any{"id": r.ID, "from": r.Host, "to": host}, &res); err != nil {
		return err
	}
	after, err := d.find(ctx, r.ID)
	switch {
	case err != nil:
		return fmt.Errorf("%s: reading the VM back: %w", what, err)
	case after == nil:
		return driver.Errorf(driver.KindPermanent, "%s: Move-VM reported success, but no host has the VM any more", what)
	case after.Host != host:
		return transient("%s: Move-VM reported success, but the VM is still on %s", what, after.Host)
	}
	return nil
}
