package ec2

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/novacron/novacron/engine/driver"
)

// waitRunning waits, at most wait_timeout, until the instance runs.
func (d *Driver) waitRunning(ctx context.Context, id string) error {
	w := ec2.NewInstanceRunningWaiter(d.c, func(o *ec2.InstanceRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = d.cfg.poll, 3*d.cfg.poll
	})
	if err := w.Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, d.cfg.waitTimeout); err != nil {
		return d.waitError(ctx, err, id, "running")
	}
	return nil
}

// waitStopped waits, at most wait_timeout, until the instance is stopped.
func (d *Driver) waitStopped(ctx context.Context, id string) error {
	w := ec2.NewInstanceStoppedWaiter(d.c, func(o *ec2.InstanceStoppedWaiterOptions) {
		o.MinDelay, o.MaxDelay = d.cfg.poll, 3*d.cfg.poll
	})
	if err := w.Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, d.cfg.waitTimeout); err != nil {
		return d.waitError(ctx, err, id, "stopped")
	}
	return nil
}

// waitError classifies a waiter's failure: running out of time (the
// context's or wait_timeout) is transient, an instance that reached a
// state it cannot leave for the one awaited (a launch that terminated) is
// permanent.
func (d *Driver) waitError(ctx context.Context, err error, id, state string) error {
	if ctx.Err() != nil || errorCode(err) != "" {
		return fail(err, "waiting for instance %s to be %s", id, state)
	}
	kind := driver.KindPermanent
	if isTimeout(err) {
		kind = driver.KindTransient
	}
	return driver.Wrap(kind, fmt.Errorf("waiting for instance %s to be %s (wait_timeout %s): %w", id, state, d.cfg.waitTimeout, err))
}

// isTimeout: the SDK's waiters say "exceeded max wait time" when the
// time runs out.
func isTimeout(err error) bool {
	return err != nil && strings.Contains(strings.ToLower(err.Error()), "exceeded max wait time")
}

// start starts a stopped instance and waits until it runs.
func (d *Driver) start(ctx context.Context, id string) error {
	if _, err := d.c.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}); err != nil {
		return fail(err, "starting instance %s", id)
	}
	return d.waitRunning(ctx, id)
}

// stop stops an instance and waits until it is stopped.
func (d *Driver) stop(ctx context.Context, id string) error {
	if _, err := d.c.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}); err != nil {
		return fail(err, "stopping instance %s", id)
	}
	return d.waitStopped(ctx, id)
}

// Delete terminates an instance. One that does not exist, or is already
// terminated or on its way, is deleted.
func (d *Driver) Delete(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		if driver.KindOf(err) == driver.KindNotFound {
			return nil
		}
		return err
	}
	_, err := d.c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	if err != nil && kindOf(err) != driver.KindNotFound {
		return fail(err, "terminating instance %s", id)
	}
	return nil
}
