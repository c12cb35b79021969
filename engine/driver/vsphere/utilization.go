package vsphere

import (
	"context"

	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

var _ driver.UtilizationReader = (*Driver)(nil)

// useVMProps are the VM properties Utilization reads: vCenter's quick
// statistics (its 20-second samples), the power state and the host.
var useVMProps = []string{
	"runtime.powerState", "runtime.host",
	"summary.quickStats.overallCpuUsage",
	"summary.quickStats.hostMemoryUsage", "summary.quickStats.guestMemoryUsage",
}

// useHostProps: a host's MHz per core turns a VM's MHz into cores.
var useHostProps = []string{"summary.hardware.cpuMhz"}

// Utilization reads the quick statistics of every powered-on VM of the
// provider's scope, with the MHz per core of every host of the datacenter,
// in one property-collector retrieve over two container views; never a
// call per VM. A VM's cores are its overallCpuUsage (MHz) over its host's
// MHz per core. Its memory is hostMemoryUsage (consumed: what it takes from
// its host, which is what rebalancing moves), or guestMemoryUsage (active
// guest memory) where vCenter gives only that. A VM that is not powered on,
// whose host has no MHz figure, or that has no memory figure (vCenter has
// no sample of it yet) is left out, never reported as idle.
func (d *Driver) Utilization(ctx context.Context) (map[string]driver.Usage, error) {
	vms, hosts, err := d.readUse(ctx)
	if err != nil {
		return nil, err
	}
	mhz := make(map[types.ManagedObjectReference]int32, len(hosts))
	for i := range hosts {
		if hw := hosts[i].Summary.Hardware; hw != nil {
			mhz[hosts[i].Self] = hw.CpuMhz
		}
	}
	out := make(map[string]driver.Usage, len(vms))
	for i := range vms {
		if u, ok := usageOf(&vms[i], mhz); ok {
			out[vms[i].Self.Value] = u
		}
	}
	return out, nil
}

// usageOf converts a VM's quick statistics; ok is false when the VM is
// not measured (see Utilization).
func usageOf(m *mo.VirtualMachine, mhz map[types.ManagedObjectReference]int32) (driver.Usage, bool) {
	if m.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn || m.Runtime.Host == nil {
		return driver.Usage{}, false
	}
	perCore := mhz[*m.Runtime.Host]
	q := m.Summary.QuickStats
	mem := q.HostMemoryUsage
	if mem <= 0 {
		mem = q.GuestMemoryUsage
	}
	if perCore <= 0 || mem <= 0 || q.OverallCpuUsage < 0 {
		return driver.Usage{}, false
	}
	return driver.Usage{CPU: float64(q.OverallCpuUsage) / float64(perCore), MemoryMiB: float64(mem)}, true
}

// readUse retrieves useVMProps of the VMs of the provider's scope and
// useHostProps of the datacenter's hosts in one retrieve.
func (d *Driver) readUse(ctx context.Context) ([]mo.VirtualMachine, []mo.HostSystem, error) {
	root, what := d.at.dc.Reference(), "datacenter "+d.at.dc.Name()
	if d.at.pool != nil {
		root, what = *d.at.pool, "resource pool "+d.at.poolName
	}
	m := view.NewManager(d.c.Client)
	vmView, err := m.CreateContainerView(ctx, root, []string{"VirtualMachine"}, true)
	if err != nil {
		return nil, nil, fail(err, "listing the VMs of %s", what)
	}
	defer vmView.Destroy(context.Background())
	hostView, err := m.CreateContainerView(ctx, d.at.dc.Reference(), []string{"HostSystem"}, true)
	if err != nil {
		return nil, nil, fail(err, "listing the hosts of datacenter %s", d.at.dc.Name())
	}
	defer hostView.Destroy(context.Background())
	res, err := property.DefaultCollector(d.c.Client).RetrieveProperties(ctx, types.RetrieveProperties{
		SpecSet: []types.PropertyFilterSpec{{
			ObjectSet: []types.ObjectSpec{viewSpec(vmView), viewSpec(hostView)},
			PropSet: []types.PropertySpec{
				{Type: "VirtualMachine", PathSet: useVMProps},
				{Type: "HostSystem", PathSet: useHostProps},
			},
		}},
	})
	if err != nil {
		return nil, nil, fail(err, "reading the quick statistics of the VMs of %s", what)
	}
	return splitUse(res.Returnval)
}

// viewSpec selects the objects a container view holds, not the view.
func viewSpec(v *view.ContainerView) types.ObjectSpec {
	return types.ObjectSpec{
		Obj:       v.Reference(),
		Skip:      types.NewBool(true),
		SelectSet: []types.BaseSelectionSpec{&types.TraversalSpec{Type: v.Reference().Type, Path: "view"}},
	}
}

// splitUse loads the retrieved objects into VMs and hosts.
func splitUse(all []types.ObjectContent) ([]mo.VirtualMachine, []mo.HostSystem, error) {
	var vmContent, hostContent []types.ObjectContent
	for _, oc := range all {
		if oc.Obj.Type == "HostSystem" {
			hostContent = append(hostContent, oc)
		} else {
			vmContent = append(vmContent, oc)
		}
	}
	var vms []mo.VirtualMachine
	var hosts []mo.HostSystem
	if err := mo.LoadObjectContent(vmContent, &vms); err != nil {
		return nil, nil, fail(err, "reading the quick statistics of the VMs")
	}
	if err := mo.LoadObjectContent(hostContent, &hosts); err != nil {
		return nil, nil, fail(err, "reading the MHz per core of the hosts")
	}
	return vms, hosts, nil
}
