package azure

import "context"

// start powers a VM on and waits until Azure reports it done.
func (d *Driver) start(ctx context.Context, name string) error {
	poller, err := d.vms.BeginStart(ctx, d.cfg.resourceGroup, name, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, d.pollOpts())
	}
	if err != nil {
		return d.fail(err, "starting VM %s", name)
	}
	return nil
}

// deallocate stops a VM and releases its compute resources, so it is no
// longer billed for them (a plain power-off keeps them, and the bill).
func (d *Driver) deallocate(ctx context.Context, name string) error {
	poller, err := d.vms.BeginDeallocate(ctx, d.cfg.resourceGroup, name, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, d.pollOpts())
	}
	if err != nil {
		return d.fail(err, "deallocating VM %s", name)
	}
	return nil
}
