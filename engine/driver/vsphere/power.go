package vsphere

import (
	"context"
	"errors"
	"time"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// cleanupTimeout bounds the removal of a half-made VM, which runs after
// the caller's context may have ended.
const cleanupTimeout = 2 * time.Minute

// powerOn powers a VM on; one already on is left as it is.
func (d *Driver) powerOn(ctx context.Context, ref types.ManagedObjectReference, name string) error {
	task, err := d.vmObject(ref).PowerOn(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	if isPowerState(err, types.VirtualMachinePowerStatePoweredOn) {
		return nil
	}
	return fail(err, "powering on VM %q", name)
}

// powerOff pulls the plug on a VM; one already off is left as it is.
func (d *Driver) powerOff(ctx context.Context, ref types.ManagedObjectReference, name string) error {
	task, err := d.vmObject(ref).PowerOff(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	if fault.IsAlreadyPoweredOffError(err) {
		return nil
	}
	return fail(err, "powering off VM %q", name)
}

// stop shuts the guest down through VMware Tools and waits up to
// shutdown_timeout for the VM to power off, then powers it off; a guest
// without running Tools is powered off at once.
func (d *Driver) stop(ctx context.Context, ref types.ManagedObjectReference, name string) error {
	vm := d.vmObject(ref)
	err := vm.ShutdownGuest(ctx)
	switch {
	case fault.IsAlreadyPoweredOffError(err):
		return nil
	case isNotFound(err):
		return notFound(d.name, ref.Value)
	case err != nil: // no Tools, or Tools not running: nothing to ask
		return d.powerOff(ctx, ref, name)
	}
	wait, cancel := context.WithTimeout(ctx, d.cfg.shutdownTimeout)
	defer cancel()
	err = vm.WaitForPowerState(wait, types.VirtualMachinePowerStatePoweredOff)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return driver.Wrap(driver.KindTransient, ctx.Err())
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		return fail(err, "waiting for VM %q to shut down", name)
	}
	return d.powerOff(ctx, ref, name)
}

// destroy powers a VM off and destroys it; a VM that is gone already is
// no error.
func (d *Driver) destroy(ctx context.Context, ref types.ManagedObjectReference, name string) error {
	err := d.powerOff(ctx, ref, name)
	if err != nil && !isNotFound(err) {
		return err
	}
	task, err := d.vmObject(ref).Destroy(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	if isNotFound(err) {
		return nil
	}
	return fail(err, "destroying VM %q", name)
}

// isPowerState reports an InvalidPowerState fault whose VM is in state s.
func isPowerState(err error, s types.VirtualMachinePowerState) bool {
	var ips *types.InvalidPowerState
	_, ok := fault.As(err, &ips)
	return ok && ips.ExistingState == s
}
