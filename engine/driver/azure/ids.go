package azure

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/novacron/novacron/engine/driver"
)

var _ driver.IDCanonicalizer = (*Driver)(nil)

// CanonicalID spells a VM's resource ID as the driver reports it: Azure
// takes resource IDs in any case (and answers with the resource group in
// whatever case it keeps), so the driver reports them in lower case but
// for the fixed segments: /subscriptions/SUB/resourceGroups/RG/providers/
// Microsoft.Compute/virtualMachines/NAME. False for an ID that is no VM of
// this provider's subscription and resource group.
func (d *Driver) CanonicalID(id string) (string, bool) {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(rid.ResourceType.String(), "Microsoft.Compute/virtualMachines") ||
		!strings.EqualFold(rid.SubscriptionID, d.cfg.subscription) || !strings.EqualFold(rid.ResourceGroupName, d.cfg.resourceGroup) ||
		rid.Parent == nil || rid.Parent.ResourceType.String() != "Microsoft.Resources/resourceGroups" {
		return id, false
	}
	return "/subscriptions/" + strings.ToLower(rid.SubscriptionID) + "/resourceGroups/" + strings.ToLower(rid.ResourceGroupName) +
		"/providers/Microsoft.Compute/virtualMachines/" + strings.ToLower(rid.Name), true
}

// vmName returns the name of the VM a canonical ID names; ok is false for
// an ID of no VM of this provider. Another spelling of a VM's ID is a
// permanent error (driver.NotCanonical): it is refused, never resolved.
func (d *Driver) vmName(id string) (name string, ok bool, err error) {
	if err := driver.CheckID(id); err != nil {
		return "", false, err
	}
	c, ok := d.CanonicalID(id)
	if !ok {
		return "", false, nil
	}
	if c != id {
		return "", false, driver.NotCanonical(id, c)
	}
	return c[strings.LastIndexByte(c, '/')+1:], true, nil
}

// report converts an Azure VM with its ID in the canonical spelling.
func (d *Driver) report(v *armcompute.VirtualMachine) driver.VM {
	vm := toVM(v)
	if c, ok := d.CanonicalID(vm.ID); ok {
		vm.ID = c
	}
	return vm
}
