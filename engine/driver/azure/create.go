package azure

import (
	"context"
	"encoding/base64"
	"errors"
	"maps"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/novacron/novacron/engine/driver"
)

// Create makes the VM's network interface, then the VM with its record in
// its tags, and deallocates it when it is to be stopped. A VM whose
// creation fails takes its network interface with it. The create request
// refuses to overwrite an existing VM (If-None-Match: *); a VM of the name
// that already carries this spec's marker is the one an earlier try made,
// and is returned instead.
func (d *Driver) Create(ctx context.Context, spec driver.VMSpec) (driver.VM, error) {
	img, err := parseImage(spec.Template.Config.String(tmplImage))
	if err != nil {
		return driver.VM{}, driver.Wrap(driver.KindPermanent, err)
	}
	given := spec.Template.Config.String(tmplSize)
	sz, err := target(spec.CPU, spec.MemoryMiB, given)
	if err != nil {
		return driver.VM{}, err
	}
	rec := record{user: maps.Clone(spec.Tags), cpu: spec.CPU, memoryMiB: spec.MemoryMiB, givenSize: given, template: spec.Template.ID()}
	if spec.Marker != (driver.Marker{}) {
		m := spec.Marker
		rec.marker = &m
	}
	ctx, cancel := d.callCtx(ctx)
	defer cancel()
	nicID, err := d.createNIC(ctx, spec.Name, rec)
	if err != nil {
		return driver.VM{}, err
	}
	params := d.vmParams(spec, sz, img, nicID, rec)
	if err := d.createVM(ctx, spec, params); err != nil {
		d.dropNIC(spec.Name)
		return driver.VM{}, err
	}
	if spec.Power == driver.PowerStopped {
		if err := d.deallocate(ctx, spec.Name); err != nil {
			return driver.VM{}, err
		}
	}
	v, err := d.get(ctx, spec.Name)
	if err != nil {
		return driver.VM{}, err
	}
	return d.report(v), nil
}

// createVM sends the create request and polls it to the end.
func (d *Driver) createVM(ctx context.Context, spec driver.VMSpec, params armcompute.VirtualMachine) error {
	poller, err := d.vms.BeginCreateOrUpdate(ctx, d.cfg.resourceGroup, spec.Name, params,
		&armcompute.VirtualMachinesClientBeginCreateOrUpdateOptions{IfNoneMatch: to.Ptr("*")})
	if err == nil {
		_, err = poller.PollUntilDone(ctx, d.pollOpts())
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) && re.StatusCode == http.StatusPreconditionFailed {
		return d.existing(ctx, spec)
	}
	if err != nil {
		return d.fail(err, "creating VM %s", spec.Name)
	}
	return nil
}

// existing decides about a VM of the name that was there before the
// create request: an earlier try of this very create, or a conflict.
func (d *Driver) existing(ctx context.Context, spec driver.VMSpec) error {
	v, err := d.get(ctx, spec.Name)
	if err != nil {
		return err
	}
	if m := readRecord(v.Tags).marker; m != nil && spec.Marker != (driver.Marker{}) && *m == spec.Marker {
		return nil
	}
	return driver.Errorf(driver.KindPermanent, "a VM named %s already exists in resource group %s and is not the one this create made", spec.Name, d.cfg.resourceGroup)
}

// vmParams is the create request of a Linux VM: the size, the image and an
// OS disk of the size asked for (the image's when 0), the administrator
// with the SSH key, the network interface; disk and interface go with the
// VM when it is deleted.
func (d *Driver) vmParams(spec driver.VMSpec, sz driver.Size, img *armcompute.ImageReference, nicID string, rec record) armcompute.VirtualMachine {
	disk := &armcompute.OSDisk{
		CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage),
		DeleteOption: to.Ptr(armcompute.DiskDeleteOptionTypesDelete),
	}
	if spec.DiskGB > 0 {
		disk.DiskSizeGB = to.Ptr(int32(spec.DiskGB))
	}
	os := &armcompute.OSProfile{
		ComputerName:  to.Ptr(spec.Name),
		AdminUsername: to.Ptr(d.cfg.adminUser),
		LinuxConfiguration: &armcompute.LinuxConfiguration{
			DisablePasswordAuthentication: to.Ptr(true),
			SSH: &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{
				Path:    to.Ptr("/home/" + d.cfg.adminUser + "/.ssh/authorized_keys"),
				KeyData: to.Ptr(d.cfg.sshKey),
			}}},
		},
	}
	if data := spec.Template.Config.String(tmplCustomData); data != "" {
		os.CustomData = to.Ptr(base64.StdEncoding.EncodeToString([]byte(data)))
	}
	return armcompute.VirtualMachine{
		Location: to.Ptr(d.cfg.location),
		Tags:     rec.tags(),
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypes(sz.Name))},
			StorageProfile:  &armcompute.StorageProfile{ImageReference: img, OSDisk: disk},
			OSProfile:       os,
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: []*armcompute.NetworkInterfaceReference{{
				ID: to.Ptr(nicID),
				Properties: &armcompute.NetworkInterfaceReferenceProperties{
					Primary:      to.Ptr(true),
					DeleteOption: to.Ptr(armcompute.DeleteOptionsDelete),
				},
			}}},
		},
	}
}

// dropNIC deletes the network interface of a VM whose create failed,
// under a deadline of its own: the create's may be what ran out.
func (d *Driver) dropNIC(vm string) {
	ctx, cancel := context.WithTimeout(context.Background(), min(d.cfg.timeout, 5*time.Minute))
	defer cancel()
	_ = d.deleteNIC(ctx, nicName(vm))
}
