package vcsim

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/units"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// creators is how many VMs populate makes at once: the simulator makes
// one VM in about 20 ms, mostly waiting, so 2,000 VMs take about 10 s.
const creators = 32

// Client logs in to the simulator as its user, trusting its CA.
func (s *Sim) Client(ctx context.Context) (*govmomi.Client, error) {
	u, err := soap.ParseURL(s.URL)
	if err != nil {
		return nil, err
	}
	sc := soap.NewClient(u, false)
	sc.DefaultTransport().MaxIdleConnsPerHost = creators
	if err := sc.SetRootCAs(s.CAFile); err != nil {
		return nil, err
	}
	vc, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, err
	}
	c := &govmomi.Client{Client: vc, SessionManager: session.NewManager(vc)}
	if err := c.Login(ctx, url.UserPassword(s.User, s.Password)); err != nil {
		return nil, err
	}
	return c, nil
}

// inventory is what populate works with.
type inventory struct {
	folder *object.Folder
	pool   *object.ResourcePool
	hosts  []*object.HostSystem
	nic    types.BaseVirtualDeviceBackingInfo
}

// populate makes the template and n unmanaged VMs.
func (s *Sim) populate(ctx context.Context, hosts, n int) error {
	c, err := s.Client(ctx)
	if err != nil {
		return fmt.Errorf("vcsim: logging in: %w", err)
	}
	defer c.Logout(context.Background())
	inv, err := lookup(ctx, c, hosts)
	if err != nil {
		return fmt.Errorf("vcsim: %w", err)
	}
	if err := inv.template(ctx); err != nil {
		return fmt.Errorf("vcsim: making the template: %w", err)
	}
	return inv.unmanaged(ctx, n)
}

// lookup finds the folder, pool, hosts and network the VMs go on.
func lookup(ctx context.Context, c *govmomi.Client, n int) (*inventory, error) {
	f := find.NewFinder(c.Client)
	dc, err := f.Datacenter(ctx, Datacenter)
	if err != nil {
		return nil, err
	}
	f.SetDatacenter(dc)
	folders, err := dc.Folders(ctx)
	if err != nil {
		return nil, err
	}
	pool, err := f.ResourcePool(ctx, Cluster+"/Resources")
	if err != nil {
		return nil, err
	}
	inv := &inventory{folder: folders.VmFolder, pool: pool}
	for i := range n {
		h, err := f.HostSystem(ctx, Cluster+"/"+HostName(i))
		if err != nil {
			return nil, err
		}
		inv.hosts = append(inv.hosts, h)
	}
	net, err := f.Network(ctx, Network)
	if err != nil {
		return nil, err
	}
	inv.nic, err = net.EthernetCardBackingInfo(ctx)
	return inv, err
}

// template makes the template: a VM with a disk and a NIC, a snapshot,
// marked as a template.
func (inv *inventory) template(ctx context.Context) error {
	var devices object.VirtualDeviceList
	scsi, err := devices.CreateSCSIController("pvscsi")
	if err != nil {
		return err
	}
	devices = append(devices, scsi)
	disk := devices.CreateDisk(scsi.(types.BaseVirtualController), types.ManagedObjectReference{}, "")
	disk.CapacityInKB = 10 * int64(units.GB) / int64(units.KB)
	nic, err := devices.CreateEthernetCard("vmxnet3", inv.nic)
	if err != nil {
		return err
	}
	devices = append(devices, disk, nic)
	change, err := devices.ConfigSpec(types.VirtualDeviceConfigSpecOperationAdd)
	if err != nil {
		return err
	}
	vm, err := inv.create(ctx, types.VirtualMachineConfigSpec{
		Name: Template, GuestId: string(types.VirtualMachineGuestOsIdentifierUbuntu64Guest),
		NumCPUs: 1, MemoryMB: 1024, DeviceChange: change,
		Annotation: "VM template of the NovaCron vCenter simulator",
	}, inv.hosts[0])
	if err != nil {
		return err
	}
	task, err := vm.CreateSnapshot(ctx, "base", "for linked clones", false, false)
	if err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		return err
	}
	return vm.MarkAsTemplate(ctx)
}

// unmanaged makes n small VMs, several at once.
func (inv *inventory) unmanaged(ctx context.Context, n int) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(creators, n) {
		wg.Go(func() {
			for i := range next {
				_, errs[i] = inv.create(ctx, types.VirtualMachineConfigSpec{
					Name: UnmanagedName(i), GuestId: string(types.VirtualMachineGuestOsIdentifierOtherGuest),
					NumCPUs: 1, MemoryMB: 512,
				}, inv.hosts[i%len(inv.hosts)])
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("vcsim: making the unmanaged VMs: %w", err)
	}
	return nil
}

// create makes a VM on the datastore, on host.
func (inv *inventory) create(ctx context.Context, spec types.VirtualMachineConfigSpec, host *object.HostSystem) (*object.VirtualMachine, error) {
	spec.Files = &types.VirtualMachineFileInfo{VmPathName: "[" + Datastore + "]"}
	task, err := inv.folder.CreateVM(ctx, spec, inv.pool, host)
	if err != nil {
		return nil, err
	}
	res, err := task.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	return object.NewVirtualMachine(inv.folder.Client(), res.Result.(types.ManagedObjectReference)), nil
}
