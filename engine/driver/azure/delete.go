package azure

import (
	"context"
	"errors"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/novacron/novacron/engine/driver"
)

// Delete deletes a VM; its OS disk and network interface go with it
// (their delete option), and a network interface Azure left behind is
// deleted after it. A VM that does not exist is deleted already.
func (d *Driver) Delete(ctx context.Context, id string) error {
	name, ok, err := d.vmName(id)
	if err != nil || !ok {
		return err
	}
	ctx, cancel := d.callCtx(ctx)
	defer cancel()
	v, err := d.get(ctx, name)
	if errors.Is(err, driver.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	poller, err := d.vms.BeginDelete(ctx, d.cfg.resourceGroup, name, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, d.pollOpts())
	}
	if err != nil && !isNotFound(err) {
		return d.fail(err, "deleting VM %s", name)
	}
	for _, nic := range d.ownNICs(v, name) {
		if err := d.deleteNIC(ctx, nic); err != nil {
			return err
		}
	}
	return nil
}

// ownNICs returns the names of the VM's network interfaces that NovaCron
// made for it.
func (d *Driver) ownNICs(v *armcompute.VirtualMachine, vm string) []string {
	if v.Properties == nil || v.Properties.NetworkProfile == nil {
		return nil
	}
	var out []string
	for _, ref := range v.Properties.NetworkProfile.NetworkInterfaces {
		if ref == nil || ref.ID == nil {
			continue
		}
		rid, err := arm.ParseResourceID(*ref.ID)
		if err == nil && equalFold(rid.Name, nicName(vm)) && equalFold(rid.ResourceGroupName, d.cfg.resourceGroup) {
			out = append(out, rid.Name)
		}
	}
	return out
}
