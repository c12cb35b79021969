package gce

import (
	"context"
	"time"

	compute "google.golang.org/api/compute/v1"

	"github.com/novacron/novacron/engine/driver"
)

// wait polls a zone operation until it is DONE, at most wait_timeout,
// every poll_interval growing by half to 4 times it, and returns the
// operation's own error, classified.
func (d *Driver) wait(ctx context.Context, zone string, op *compute.Operation, what string) error {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.waitTimeout)
	defer cancel()
	delay := d.cfg.poll
	for op.Status != "DONE" {
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return driver.Errorf(driver.KindTransient, "%s: operation %s still %s after wait_timeout %s (or the run was cancelled)", what, op.Name, op.Status, d.cfg.waitTimeout)
		case <-t.C:
		}
		delay = min(delay*3/2, 4*d.cfg.poll)
		next, err := d.operation(ctx, zone, op.Name)
		if err != nil {
			return fail(err, "%s: reading operation %s", what, op.Name)
		}
		op = next
	}
	if op.Error != nil && len(op.Error.Errors) > 0 {
		return opError(op, what)
	}
	return nil
}

// operation reads a zone operation.
func (d *Driver) operation(ctx context.Context, zone, name string) (*compute.Operation, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return d.svc.ZoneOperations.Get(d.project, zone, name).Context(ctx).Do()
}
