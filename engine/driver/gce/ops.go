package gce

import (
	"context"
	"errors"
	"time"

	compute "google.golang.org/api/compute/v1"

	"github.com/novacron/novacron/engine/driver"
)

// wait polls a zone operation until it is DONE, at most wait_timeout,
// every poll_interval growing by half to 4 times it, and returns the
// operation's own error, classified.
func (d *Driver) wait(run context.Context, zone string, op *compute.Operation, what string) error {
	ctx, cancel := context.WithTimeout(run, d.cfg.waitTimeout)
	defer cancel()
	delay := d.cfg.poll
	for op.Status != "DONE" {
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return d.waitError(run, op, what)
		case <-t.C:
		}
		delay = min(delay*3/2, 4*d.cfg.poll)
		next, err := d.operation(ctx, zone, op.Name)
		if err != nil {
			return d.fail(err, "%s: reading operation %s", what, op.Name)
		}
		op = next
	}
	if op.Error != nil && len(op.Error.Errors) > 0 {
		return opError(op, what)
	}
	return nil
}

// waitError says why a wait for op ended before it was DONE: the run was
// cancelled (the operation goes on in Compute Engine), or wait_timeout
// passed.
func (d *Driver) waitError(run context.Context, op *compute.Operation, what string) error {
	if err := run.Err(); err != nil {
		why := "the run was cancelled"
		if errors.Is(err, context.DeadlineExceeded) {
			why = "the run's deadline passed"
		}
		return driver.Errorf(driver.KindTransient, "%s: stopped waiting for operation %s (%s): %s; Compute Engine may still finish it, and the next plan sees what it made", what, op.Name, op.Status, why)
	}
	return driver.Errorf(driver.KindTransient, "%s: operation %s still %s after wait_timeout %s", what, op.Name, op.Status, d.cfg.waitTimeout)
}

// operation reads a zone operation.
func (d *Driver) operation(ctx context.Context, zone, name string) (*compute.Operation, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return d.svc.ZoneOperations.Get(d.project, zone, name).Context(ctx).Do()
}
