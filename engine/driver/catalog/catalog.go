package catalog

import (
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/azure"
	"github.com/novacron/novacron/engine/driver/ec2"
	"github.com/novacron/novacron/engine/driver/libvirt"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/driver/vsphere"
)

// Default returns a registry of every built-in driver.
func Default() *driver.Registry {
	r := &driver.Registry{}
	r.Register(sim.Factory())
	r.Register(libvirt.Factory())
	r.Register(vsphere.Factory())
	r.Register(ec2.Factory())
	r.Register(azure.Factory())
	return r
}
