package libvirt

import (
	"context"
	"errors"
	"sync"

	lv "github.com/digitalocean/go-libvirt"

	"github.com/novacron/novacron/engine/driver"
)

// xmlWorkers is how many domain XMLs are fetched at once over one host's
// connection: enough to keep libvirtd's workers busy, few enough not to
// queue behind its per-client request limit for long.
const xmlWorkers = 16

// Inventory lists every domain and the capacity of every host, reading the
// hosts at once.
func (d *Driver) Inventory(ctx context.Context) (driver.Inventory, error) {
	vms := make([][]driver.VM, len(d.hosts))
	hosts := make([]driver.Host, len(d.hosts))
	errs := make([]error, len(d.hosts))
	var wg sync.WaitGroup
	for i, h := range d.hosts {
		wg.Go(func() { vms[i], hosts[i], errs[i] = d.hostInventory(ctx, h) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return driver.Inventory{}, err
	}
	var inv driver.Inventory
	for i := range d.hosts {
		inv.VMs = append(inv.VMs, vms[i]...)
	}
	inv.Hosts = hosts
	return inv, nil
}

// hostInventory reads one host: one list call, then the domains' XML, then
// (when some disks have no recorded size) one statistics call.
func (d *Driver) hostInventory(ctx context.Context, h *host) ([]driver.VM, driver.Host, error) {
	l, err := h.conn()
	if err != nil {
		return nil, driver.Host{}, err
	}
	hc, err := d.capacity(l, h)
	if err != nil {
		return nil, driver.Host{}, err
	}
	doms, _, err := l.ConnectListAllDomains(1, lv.ConnectListDomainsActive|lv.ConnectListDomainsInactive)
	if err != nil {
		return nil, driver.Host{}, fail(err, "listing the domains of host %s", h)
	}
	vms, err := d.readDomains(ctx, l, h, doms)
	if err != nil {
		return nil, driver.Host{}, err
	}
	fillDiskSizes(l, vms) // one call for the disks NovaCron did not make
	return vms, hc, nil
}

// readDomains fetches the domains' XML concurrently over one connection.
// A domain that vanished since the list is left out.
func (d *Driver) readDomains(ctx context.Context, l *lv.Libvirt, h *host, doms []lv.Domain) ([]driver.VM, error) {
	out := make([]*driver.VM, len(doms))
	errs := make([]error, len(doms))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(xmlWorkers, len(doms)) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = d.readDomain(l, h, doms[i])
			}
		})
	}
	feed(ctx, next, len(doms))
	wg.Wait()
	if err := errors.Join(append(errs, ctx.Err())...); err != nil {
		return nil, err
	}
	vms := make([]driver.VM, 0, len(doms))
	for _, vm := range out {
		if vm != nil {
			vms = append(vms, *vm)
		}
	}
	return vms, nil
}

// feed sends 0…n-1 on next until ctx is done, then closes it.
func feed(ctx context.Context, next chan<- int, n int) {
	defer close(next)
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			return
		}
	}
}

// readDomain reads one domain's persistent definition; nil when it is gone.
func (d *Driver) readDomain(l *lv.Libvirt, h *host, dom lv.Domain) (*driver.VM, error) {
	x, err := l.DomainGetXMLDesc(dom, lv.DomainXMLInactive)
	if hasCode(err, lv.ErrNoDomain) {
		return nil, nil
	}
	if err != nil {
		return nil, fail(err, "reading domain %q on host %s", dom.Name, h)
	}
	def, err := parseDomain(x)
	if err != nil {
		return nil, fail(err, "host %s", h)
	}
	vm := def.vm(h.name, powerOf(dom))
	if vm.Power == driver.PowerRunning && def.hasNetworkNIC() {
		vm.Addresses = addresses(l, dom)
	}
	return &vm, nil
}

// powerOf tells a running domain by its ID: inactive domains have none.
func powerOf(dom lv.Domain) driver.Power {
	if dom.ID > 0 {
		return driver.PowerRunning
	}
	return driver.PowerStopped
}

// addresses are the IP addresses of a domain's DHCP leases; none when the
// network cannot tell.
func addresses(l *lv.Libvirt, dom lv.Domain) []string {
	ifaces, err := l.DomainInterfaceAddresses(dom, uint32(lv.DomainInterfaceAddressesSrcLease), 0)
	if err != nil {
		return nil
	}
	var out []string
	for _, iface := range ifaces {
		for _, a := range iface.Addrs {
			out = append(out, a.Addr)
		}
	}
	return out
}

// capacity is what a host offers to place VMs on: its CPUs and memory
// times the allocation ratios.
func (d *Driver) capacity(l *lv.Libvirt, h *host) (driver.Host, error) {
	_, memKiB, cpus, _, _, _, _, _, err := l.NodeGetInfo()
	if err != nil {
		return driver.Host{}, fail(err, "reading the capacity of host %s", h)
	}
	if total := totalMemoryKiB(l); total > 0 {
		memKiB = total // NodeGetInfo may count one NUMA node only
	}
	return driver.Host{
		Name:      h.name,
		CPU:       int(float64(cpus) * d.cfg.cpuRatio),
		MemoryMiB: int64(float64(memKiB/1024) * d.cfg.memoryRatio),
	}, nil
}

// totalMemoryKiB is the host's memory over all NUMA cells, or 0 when the
// hypervisor driver does not tell.
func totalMemoryKiB(l *lv.Libvirt) uint64 {
	_, n, err := l.NodeGetMemoryStats(0, int32(lv.NodeMemoryStatsAllCells), 0)
	if err != nil || n <= 0 {
		return 0
	}
	stats, _, err := l.NodeGetMemoryStats(n, int32(lv.NodeMemoryStatsAllCells), 0)
	if err != nil {
		return 0
	}
	for _, s := range stats {
		if s.Field == "total" {
			return s.Value
		}
	}
	return 0
}
