package gce

import (
	"context"

	compute "google.golang.org/api/compute/v1"

	"github.com/novacron/novacron/engine/driver"
)

// start starts a stopped instance and waits for the operation.
func (d *Driver) start(ctx context.Context, zone, name string) error {
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	op, err := d.svc.Instances.Start(d.project, zone, name).Context(cctx).Do()
	cancel()
	return d.waitCall(ctx, zone, op, err, "starting instance "+idOf(zone, name))
}

// stop stops an instance and waits for the operation.
func (d *Driver) stop(ctx context.Context, zone, name string) error {
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	op, err := d.svc.Instances.Stop(d.project, zone, name).Context(cctx).Do()
	cancel()
	return d.waitCall(ctx, zone, op, err, "stopping instance "+idOf(zone, name))
}

// waitCall waits for the operation a call answered, or classifies its
// error.
func (d *Driver) waitCall(ctx context.Context, zone string, op *compute.Operation, err error, what string) error {
	if err != nil {
		return d.fail(err, "%s", what)
	}
	return d.wait(ctx, zone, op, what)
}

// Delete deletes an instance (its boot disk with it: autoDelete) and
// waits for the operation. One that does not exist is deleted. It starts
// a new generation of the name's requestIds (see requestID).
func (d *Driver) Delete(ctx context.Context, id string) error {
	zone, name, err := d.splitID(id)
	if err != nil {
		if driver.KindOf(err) == driver.KindNotFound {
			return nil
		}
		return err
	}
	d.bump(id)
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	op, err := d.svc.Instances.Delete(d.project, zone, name).Context(cctx).Do()
	cancel()
	if err != nil {
		if kindOf(err) == driver.KindNotFound {
			return nil
		}
		return d.fail(err, "deleting instance %s", id)
	}
	err = d.wait(ctx, zone, op, "deleting instance "+id)
	if driver.KindOf(err) == driver.KindNotFound {
		return nil
	}
	return err
}
