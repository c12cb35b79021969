package catalog

import (
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/azure"
	"github.com/novacron/novacron/engine/driver/ec2"
	"github.com/novacron/novacron/engine/driver/gce"
	"github.com/novacron/novacron/engine/driver/hyperv"
	"github.com/novacron/novacron/engine/driver/libvirt"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/driver/vsphere"
	"github.com/novacron/novacron/engine/driver/xen"
)

// Default returns a registry of every built-in driver.
func Default() *driver.Registry {
	r := &driver.Registry{}
	r.Register(sim.Factory())
	r.Register(libvirt.Factory())
	r.Register(vsphere.Factory())
	r.Register(ec2.Factory())
	r.Register(azure.Factory())
	r.Register(gce.Factory())
	r.Register(xen.Factory())
	r.Register(hyperv.Factory())
	return r
}
