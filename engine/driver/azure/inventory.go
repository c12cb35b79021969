package azure

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/novacron/novacron/engine/driver"
)

// Inventory lists the resource group's VMs with their power state: one
// paged list call, expanded with each VM's instance view.
func (d *Driver) Inventory(ctx context.Context) (driver.Inventory, error) {
	ctx, cancel := d.callCtx(ctx)
	defer cancel()
	pager := d.vms.NewListPager(d.cfg.resourceGroup, &armcompute.VirtualMachinesClientListOptions{
		Expand: to.Ptr(armcompute.ExpandTypeForListVMsInstanceView),
	})
	var inv driver.Inventory
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return driver.Inventory{}, d.fail(err, "listing the VMs of resource group %s", d.cfg.resourceGroup)
		}
		for _, v := range page.Value {
			if v != nil && v.ID != nil {
				inv.VMs = append(inv.VMs, d.report(v))
			}
		}
	}
	return inv, nil
}

// toVM converts an Azure VM as listed or returned.
func toVM(v *armcompute.VirtualMachine) driver.VM {
	rec := readRecord(v.Tags)
	p := v.Properties
	if p == nil {
		p = &armcompute.VirtualMachineProperties{}
	}
	cpu, mem := reportedSize(rec, vmSize(p))
	return driver.VM{
		ID:        str(v.ID),
		Name:      str(v.Name),
		CPU:       cpu,
		MemoryMiB: mem,
		DiskGB:    osDiskGB(p),
		Power:     power(p.InstanceView),
		Template:  rec.template,
		Tags:      rec.user,
		Marker:    rec.marker,
	}
}

// reportedSize is the vCPUs and memory a VM reports: those asked for,
// while its size is still the one they give; otherwise (resized outside
// NovaCron, or made without it) its size's own, or 0 for a size the table
// lacks.
func reportedSize(rec record, actual string) (int, int64) {
	if rec.cpu > 0 {
		if want, err := target(rec.cpu, rec.memoryMiB, rec.givenSize); err == nil && equalFold(want.Name, actual) {
			return rec.cpu, rec.memoryMiB
		}
	}
	if s, ok := lookupSize(actual); ok {
		return s.CPU, s.MemoryMiB
	}
	return 0, 0
}

// target is the size a VM of cpu vCPUs and memoryMiB gets: the given one,
// which must hold them, or the cheapest that does.
func target(cpu int, memoryMiB int64, given string) (driver.Size, error) {
	if given != "" {
		s, ok := lookupSize(given)
		if !ok {
			return driver.Size{}, driver.Errorf(driver.KindPermanent, "%s %q is not a VM size this driver knows", tmplSize, given)
		}
		if !s.Fits(cpu, memoryMiB) {
			return driver.Size{}, driver.Errorf(driver.KindPermanent, "%s %s has %d vCPUs and %d MiB, less than the %d vCPUs and %d MiB asked for: set a bigger vm_size or leave it out",
				tmplSize, s.Name, s.CPU, s.MemoryMiB, cpu, memoryMiB)
		}
		return s, nil
	}
	s, ok := sizes.CheapestFit(cpu, memoryMiB)
	if !ok {
		return driver.Size{}, driver.Errorf(driver.KindPermanent, "no VM size in the driver's table has %d vCPUs and %d MiB of memory", cpu, memoryMiB)
	}
	return s, nil
}

func vmSize(p *armcompute.VirtualMachineProperties) string {
	if p.HardwareProfile == nil || p.HardwareProfile.VMSize == nil {
		return ""
	}
	return string(*p.HardwareProfile.VMSize)
}

func osDiskGB(p *armcompute.VirtualMachineProperties) int {
	if p.StorageProfile == nil || p.StorageProfile.OSDisk == nil || p.StorageProfile.OSDisk.DiskSizeGB == nil {
		return 0
	}
	return int(*p.StorageProfile.OSDisk.DiskSizeGB)
}

// power reads the PowerState status of an instance view: running (or
// starting) is running; stopped, deallocated and the ways there are
// stopped.
func power(iv *armcompute.VirtualMachineInstanceView) driver.Power {
	if iv != nil {
		for _, s := range iv.Statuses {
			if s == nil || s.Code == nil {
				continue
			}
			if state, ok := strings.CutPrefix(*s.Code, "PowerState/"); ok && (state == "running" || state == "starting") {
				return driver.PowerRunning
			}
		}
	}
	return driver.PowerStopped
}

// get reads one VM with its instance view.
func (d *Driver) get(ctx context.Context, name string) (*armcompute.VirtualMachine, error) {
	resp, err := d.vms.Get(ctx, d.cfg.resourceGroup, name, &armcompute.VirtualMachinesClientGetOptions{
		Expand: to.Ptr(armcompute.InstanceViewTypesInstanceView),
	})
	if err != nil {
		return nil, d.fail(err, "reading VM %s", name)
	}
	return &resp.VirtualMachine, nil
}

// mustName returns the VM name of id, or a not-found error (a permanent
// one for another spelling of a VM's ID).
func (d *Driver) mustName(id string) (string, error) {
	name, ok, err := d.vmName(id)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", driver.Errorf(driver.KindNotFound, "%q is not the ID of a VM in resource group %s", id, d.cfg.resourceGroup)
	}
	return name, nil
}
