package xen

import (
	"context"
	"errors"

	"github.com/novacron/novacron/engine/driver"
)

// start starts a halted VM on host (its affinity), or where XAPI chooses
// when host is not a host of the pool.
func (d *Driver) start(ctx context.Context, ref, name, host string) error {
	var err error
	if _, ok := d.hostNames()[host]; ok {
		_, err = d.async(ctx, "VM.start_on", ref, host, false, false)
	} else {
		_, err = d.async(ctx, "VM.start", ref, false, false)
	}
	if codeOf(err) == "VM_BAD_POWER_STATE" && badState(err) == "running" {
		return nil // started already
	}
	return fail(err, "starting VM %q on host %s", name, d.hostName(host))
}

// stop shuts the guest down cleanly, and hard when it has not halted
// within shutdown_timeout or cannot be asked (no PV drivers).
func (d *Driver) stop(ctx context.Context, ref, name string) error {
	var task string
	err := d.c.call(ctx, "Async.VM.clean_shutdown", &task, ref)
	if err == nil {
		defer d.forget(task)
		_, err = d.wait(ctx, "VM.clean_shutdown", task, d.cfg.shutdown)
	}
	var timeout *timeoutError
	switch {
	case err == nil:
		return nil
	case codeOf(err) == "VM_BAD_POWER_STATE" && badState(err) == "halted":
		return nil
	case ctx.Err() != nil:
		return driver.Wrap(driver.KindTransient, ctx.Err())
	case errors.As(err, &timeout) || noCleanShutdown[codeOf(err)]:
		return d.hardStop(ctx, ref, name)
	}
	return fail(err, "shutting VM %q down", name)
}

// noCleanShutdown are the codes of a guest that cannot be asked to shut
// down (no PV drivers or guest agent): it is shut down hard.
var noCleanShutdown = map[string]bool{
	"VM_MISSING_PV_DRIVERS": true, "VM_LACKS_FEATURE": true, "VM_LACKS_FEATURE_SHUTDOWN": true, "VM_OLD_PV_DRIVERS": true,
}

// hardStop pulls the plug; a halted VM is left as it is.
func (d *Driver) hardStop(ctx context.Context, ref, name string) error {
	_, err := d.async(ctx, "VM.hard_shutdown", ref)
	if codeOf(err) == "VM_BAD_POWER_STATE" && badState(err) == "halted" {
		return nil
	}
	return fail(err, "shutting VM %q down hard", name)
}

// badState is the actual state of a VM_BAD_POWER_STATE error (its third
// parameter: vm, expected, actual).
func badState(err error) string {
	var ae *apiError
	if !errors.As(err, &ae) || len(ae.Params) < 3 {
		return ""
	}
	return ae.Params[2]
}
