package vsphere

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/vcsim"
)

// hardware describes a VM's disks (GiB) and NICs as vCenter holds them.
func hardware(t *testing.T, s *vcsim.Sim, name string) string {
	t.Helper()
	c, err := s.Client(context.Background())
	if err != nil {
		t.Fatalf("logging in to the simulator: %v", err)
	}
	defer c.Logout(context.Background())
	f := find.NewFinder(c.Client)
	vm, err := f.VirtualMachine(context.Background(), "/"+vcsim.Datacenter+"/vm/"+name)
	if err != nil {
		t.Fatalf("finding VM %s: %v", name, err)
	}
	var m mo.VirtualMachine
	if err := c.RetrieveOne(context.Background(), vm.Reference(), []string{"config.hardware.device"}, &m); err != nil {
		t.Fatal(err)
	}
	devices := object.VirtualDeviceList(m.Config.Hardware.Device)
	var disks []int64
	for _, d := range devices.SelectByType((*types.VirtualDisk)(nil)) {
		disks = append(disks, diskBytes(d.(*types.VirtualDisk))/gib)
	}
	nics := len(devices.SelectByType((*types.VirtualEthernetCard)(nil)))
	return fmt.Sprintf("disks %v GiB, %d NIC", disks, nics)
}

// TestDiskGrown: a VM asking for a disk larger than the template's gets
// it (one disk of that size, one NIC, as vCenter holds them), and so does
// one grown in place; the inventory reports the size from the VM's
// record, and 0 (unknown) for VMs NovaCron did not make.
func TestDiskGrown(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	d := openDriver(t, simConfig(s))
	ctx := context.Background()
	spec := testSpec("grown")
	spec.DiskGB, spec.Host = 20, vcsim.HostName(1)
	vm, err := d.Create(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("disks [20] GiB, 1 NIC", hardware(t, s, "grown")); diff != "" || vm.DiskGB != 20 {
		t.Errorf("a clone asking for 20 GB reports %d GB; on vCenter (-want +got):\n%s", vm.DiskGB, diff)
	}
	if vm, err = d.Update(ctx, vm.ID, driver.Changes{DiskGB: new(30)}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("disks [30] GiB, 1 NIC", hardware(t, s, "grown")); diff != "" || vm.DiskGB != 30 {
		t.Errorf("grown to 30 GB, the VM reports %d GB; on vCenter (-want +got):\n%s", vm.DiskGB, diff)
	}

	inv, err := d.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range inv.VMs {
		switch {
		case got.ID == vm.ID && got.DiskGB != 30:
			t.Errorf("the inventory reports %d GB for the VM grown to 30 GB", got.DiskGB)
		case got.Marker == nil && got.DiskGB != 0:
			t.Errorf("VM %s, which NovaCron did not make, reports %d GB; want 0 (unknown): the inventory reads no device list", got.Name, got.DiskGB)
		}
	}
}
