package vsphere

import (
	"context"
	"slices"
	"strings"

	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/engine/driver"
)

// hostProps are the host properties the driver reads, all hosts at once.
var hostProps = []string{
	"name", "parent",
	"summary.hardware.numCpuThreads", "summary.hardware.memorySize",
	"runtime.connectionState", "runtime.inMaintenanceMode",
}

// host is one ESXi host of the datacenter.
type host struct {
	ref     types.ManagedObjectReference
	name    string
	parent  types.ManagedObjectReference // its compute resource (cluster)
	threads int
	memory  int64 // bytes
	inScope bool  // its compute resource takes the provider's VMs
	usable  bool  // connected, not in maintenance mode
}

// hostTable is the datacenter's hosts, by reference.
type hostTable map[types.ManagedObjectReference]*host

// readHosts reads every host of the datacenter in one retrieve and keeps
// the table for Create and Migrate.
func (d *Driver) readHosts(ctx context.Context) (hostTable, error) {
	v, err := view.NewManager(d.c.Client).CreateContainerView(ctx, d.at.dc.Reference(), []string{"HostSystem"}, true)
	if err != nil {
		return nil, fail(err, "listing the hosts of datacenter %s", d.at.dc.Name())
	}
	defer v.Destroy(context.Background())
	var all []mo.HostSystem
	if err := v.Retrieve(ctx, []string{"HostSystem"}, hostProps, &all); err != nil {
		return nil, fail(err, "reading the hosts of datacenter %s", d.at.dc.Name())
	}
	t := make(hostTable, len(all))
	for i := range all {
		h := d.hostOf(&all[i])
		t[h.ref] = h
	}
	d.mu.Lock()
	d.hosts = t
	d.mu.Unlock()
	return t, nil
}

// hostOf converts a retrieved host.
func (d *Driver) hostOf(m *mo.HostSystem) *host {
	h := &host{ref: m.Self, name: m.Name}
	if m.Parent != nil {
		h.parent = *m.Parent
	}
	if hw := m.Summary.Hardware; hw != nil {
		h.threads, h.memory = int(hw.NumCpuThreads), hw.MemorySize
	}
	h.inScope = d.at.scope == nil || d.at.scope[h.parent]
	h.usable = m.Runtime.ConnectionState == types.HostSystemConnectionStateConnected && !m.Runtime.InMaintenanceMode
	return h
}

// inScope returns the usable hosts that take the provider's VMs, by name.
func (t hostTable) inScope() []*host {
	var out []*host
	for _, h := range t {
		if h.inScope && h.usable {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b *host) int { return strings.Compare(a.name, b.name) })
	return out
}

// names maps each host's reference to its name.
func (t hostTable) names() map[types.ManagedObjectReference]string {
	out := make(map[types.ManagedObjectReference]string, len(t))
	for ref, h := range t {
		out[ref] = h.name
	}
	return out
}

// capacity is what the scope's hosts offer for placement: threads and
// memory times the allocation ratios.
func (d *Driver) capacity(t hostTable) []driver.Host {
	var out []driver.Host
	for _, h := range t.inScope() {
		out = append(out, driver.Host{
			Name:      h.name,
			CPU:       int(float64(h.threads) * d.cfg.cpuRatio),
			MemoryMiB: int64(float64(h.memory>>20) * d.cfg.memoryRatio),
		})
	}
	return out
}

// host returns the usable host of the provider with the name, reading the
// hosts again when the table does not know it.
func (d *Driver) host(ctx context.Context, name string) (*host, error) {
	for attempt := range 2 {
		d.mu.Lock()
		t := d.hosts
		d.mu.Unlock()
		if attempt == 1 {
			var err error
			if t, err = d.readHosts(ctx); err != nil {
				return nil, err
			}
		}
		for _, h := range t.inScope() {
			if h.name == name {
				return h, nil
			}
		}
	}
	return nil, driver.Errorf(driver.KindPermanent, "vSphere provider %q has no usable host %q; its hosts are %s",
		d.name, name, list(d.hostNames()))
}

// hostNames are the names of the usable hosts of the provider.
func (d *Driver) hostNames() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, h := range d.hosts.inScope() {
		out = append(out, h.name)
	}
	return out
}

// poolFor returns the resource pool a VM on h goes in: the provider's, or
// the host's compute resource's root pool.
func (d *Driver) poolFor(ctx context.Context, h *host) (types.ManagedObjectReference, error) {
	if d.at.pool != nil {
		return *d.at.pool, nil
	}
	var cr mo.ComputeResource
	if err := d.c.RetrieveOne(ctx, h.parent, []string{"resourcePool"}, &cr); err != nil {
		return types.ManagedObjectReference{}, fail(err, "reading the resource pool of host %s", h.name)
	}
	if cr.ResourcePool == nil {
		return types.ManagedObjectReference{}, driver.Errorf(driver.KindPermanent, "host %s has no resource pool", h.name)
	}
	return *cr.ResourcePool, nil
}
