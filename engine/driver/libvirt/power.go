package libvirt

import (
	"context"
	"time"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// How often a graceful shutdown polls the domain's state, and how often it
// presses the power button again: a press before the guest's ACPI handler
// runs is lost.
const (
	stopPoll   = 250 * time.Millisecond
	stopResend = 2 * time.Second
)

// isRunning reports whether a domain is active (running, paused, …).
func isRunning(l *lv.Libvirt, dom lv.Domain) (bool, error) {
	state, _, err := l.DomainGetState(dom, 0)
	if err != nil {
		return false, err
	}
	s := lv.DomainState(state)
	return s != lv.DomainShutoff && s != lv.DomainCrashed, nil
}

// stop shuts a domain down gracefully (ACPI), and powers it off when it is
// still running after the shutdown timeout.
func (d *Driver) stop(ctx context.Context, l *lv.Libvirt, h *host, dom lv.Domain) error {
	deadline := time.Now().Add(d.cfg.shutdownTimeout)
	var lastPress time.Time
	for time.Now().Before(deadline) {
		running, err := isRunning(l, dom)
		if err != nil {
			return fail(err, "reading the state of VM %q on host %s", dom.Name, h)
		}
		if !running {
			return nil
		}
		if time.Since(lastPress) >= stopResend {
			if err := l.DomainShutdownFlags(dom, 0); err != nil && !hasCode(err, lv.ErrOperationInvalid) {
				return fail(err, "shutting down VM %q on host %s", dom.Name, h)
			}
			lastPress = time.Now()
		}
		if err := sleep(ctx, stopPoll); err != nil {
			return err
		}
	}
	return d.powerOff(l, h, dom)
}

// powerOff destroys (pulls the plug on) a running domain.
func (d *Driver) powerOff(l *lv.Libvirt, h *host, dom lv.Domain) error {
	err := l.DomainDestroyFlags(dom, 0)
	if err == nil || hasCode(err, lv.ErrOperationInvalid) { // not running any more
		return nil
	}
	return fail(err, "powering off VM %q on host %s", dom.Name, h)
}

// start starts a defined domain.
func (d *Driver) start(l *lv.Libvirt, h *host, dom lv.Domain) error {
	_, err := l.DomainCreateWithFlags(dom, 0)
	return fail(err, "starting VM %q on host %s", dom.Name, h)
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return driver.Wrap(driver.KindTransient, ctx.Err())
	}
}

// read returns the VM of a domain as Inventory reports it.
func (d *Driver) read(l *lv.Libvirt, h *host, dom lv.Domain) (driver.VM, error) {
	def, err := d.definition(l, h, dom)
	if err != nil {
		return driver.VM{}, err
	}
	running, err := isRunning(l, dom)
	if err != nil {
		return driver.VM{}, fail(err, "reading the state of VM %q on host %s", dom.Name, h)
	}
	power := driver.PowerStopped
	if running {
		power = driver.PowerRunning
	}
	vm := def.vm(h.name, power)
	if running && def.hasNetworkNIC() {
		vm.Addresses = addresses(l, dom)
	}
	vms := []driver.VM{vm}
	fillDiskSizes(l, vms)
	return vms[0], nil
}

// definition reads a domain's persistent definition.
func (d *Driver) definition(l *lv.Libvirt, h *host, dom lv.Domain) (*domain, error) {
	x, err := l.DomainGetXMLDesc(dom, lv.DomainXMLInactive)
	if err != nil {
		return nil, fail(err, "reading the definition of VM %q on host %s", dom.Name, h)
	}
	def, err := parseDomain(x)
	if err != nil {
		return nil, fail(err, "host %s", h)
	}
	return def, nil
}
