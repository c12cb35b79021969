package azure

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
)

// nicName is the name of the network interface NovaCron makes for a VM.
func nicName(vm string) string { return vm + "-nic" }

// createNIC makes the VM's network interface in the subnet (a dynamic
// private address, no public one), tagged with the VM's marker so a
// leftover is traceable, and returns its resource ID.
func (d *Driver) createNIC(ctx context.Context, vm string, rec record) (string, error) {
	tags := record{marker: rec.marker}.tags()
	poller, err := d.nics.BeginCreateOrUpdate(ctx, d.cfg.resourceGroup, nicName(vm), armnetwork.Interface{
		Location: to.Ptr(d.cfg.location),
		Tags:     tags,
		Properties: &armnetwork.InterfacePropertiesFormat{
			IPConfigurations: []*armnetwork.InterfaceIPConfiguration{{
				Name: to.Ptr("ipconfig1"),
				Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{
					Subnet:                    &armnetwork.Subnet{ID: to.Ptr(d.cfg.subnet)},
					PrivateIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodDynamic),
					Primary:                   to.Ptr(true),
				},
			}},
		},
	}, nil)
	if err != nil {
		return "", d.fail(err, "creating network interface %s", nicName(vm))
	}
	resp, err := poller.PollUntilDone(ctx, d.pollOpts())
	if err != nil {
		return "", d.fail(err, "creating network interface %s", nicName(vm))
	}
	return str(resp.ID), nil
}

// deleteNIC deletes a network interface; one that does not exist is fine.
func (d *Driver) deleteNIC(ctx context.Context, name string) error {
	poller, err := d.nics.BeginDelete(ctx, d.cfg.resourceGroup, name, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, d.pollOpts())
	}
	if err != nil && !isNotFound(err) {
		return d.fail(err, "deleting network interface %s", name)
	}
	return nil
}
