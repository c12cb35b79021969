package vsphere

import (
	"reflect"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// grownDisk returns a copy of disk with a capacity of gb GiB, or nil when
// it is that large already (or there is no disk, or no size asked for).
func grownDisk(disk *types.VirtualDisk, gb int) *types.VirtualDisk {
	want := int64(gb) * gib
	if disk == nil || gb == 0 || diskBytes(disk) >= want {
		return nil
	}
	grown := *disk
	grown.CapacityInBytes, grown.CapacityInKB = want, want>>10
	return &grown
}

// nicChange moves a copy of the template's first NIC to the network, or
// adds a vmxnet3 NIC on it when the template has none.
func nicChange(nic types.BaseVirtualEthernetCard, backing types.BaseVirtualDeviceBackingInfo) types.BaseVirtualDeviceConfigSpec {
	if nic == nil {
		var devices object.VirtualDeviceList
		card, _ := devices.CreateEthernetCard("vmxnet3", backing) // a known type: cannot fail
		return &types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, Device: card}
	}
	moved := copyDevice(nic.(types.BaseVirtualDevice))
	moved.GetVirtualDevice().Backing = backing
	return &types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationEdit, Device: moved}
}

// copyDevice returns a shallow copy of a device of any concrete type, so
// that the template's cached devices are never changed.
func copyDevice(dev types.BaseVirtualDevice) types.BaseVirtualDevice {
	v := reflect.ValueOf(dev).Elem()
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	return c.Interface().(types.BaseVirtualDevice)
}
