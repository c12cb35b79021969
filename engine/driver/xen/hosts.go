package xen

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// readHosts reads the pool's hosts and keeps them.
func (d *Driver) readHosts(ctx context.Context) (map[string]hostRecord, error) {
	var hosts map[string]hostRecord
	if err := d.c.call(ctx, "host.get_all_records", &hosts); err != nil {
		return nil, fail(err, "reading the hosts of pool %q", d.poolTag)
	}
	d.mu.Lock()
	d.hosts = hosts
	d.mu.Unlock()
	return hosts, nil
}

// hostNames maps host references to names, as last read.
func (d *Driver) hostNames() map[string]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]string, len(d.hosts))
	for ref, h := range d.hosts {
		out[ref] = h.NameLabel
	}
	return out
}

// hostRef finds a host by name among those last read.
func (d *Driver) hostRef(name string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var names, found []string
	for ref, h := range d.hosts {
		if h.NameLabel == name {
			found = append(found, ref)
		}
		names = append(names, h.NameLabel)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
	default:
		return "", driver.Errorf(driver.KindPermanent, "pool %q has %d hosts named %q: give them distinct name-labels, as plans name hosts by it", d.poolTag, len(found), name)
	}
	slices.Sort(names)
	return "", driver.Errorf(driver.KindPermanent, "pool %q has no host %q (its hosts: %s)", d.poolTag, name, strings.Join(names, ", "))
}

// hostList makes driver hosts of records and their metrics.
// A host's CPU is its CPU count times ratio (cpu_allocation_ratio).
func hostList(hosts map[string]hostRecord, metrics map[string]hostMetricsRecord, ratio float64) []driver.Host {
	var out []driver.Host
	for _, ref := range slices.Sorted(maps.Keys(hosts)) {
		h := hosts[ref]
		cpus, _ := strconv.Atoi(h.CPUInfo["cpu_count"])
		out = append(out, driver.Host{Name: h.NameLabel, CPU: int(float64(cpus) * ratio), MemoryMiB: int64(metrics[h.Metrics].MemoryTotal) / mib})
	}
	slices.SortFunc(out, func(a, b driver.Host) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// chooseHost is the host a new VM goes on: the one named, or the enabled
// host with the most free memory.
func (d *Driver) chooseHost(ctx context.Context, name string) (string, error) {
	if name != "" {
		return d.hostRef(name)
	}
	var metrics map[string]hostMetricsRecord
	if err := d.c.call(ctx, "host_metrics.get_all_records", &metrics); err != nil {
		return "", fail(err, "reading the free memory of the hosts of pool %q", d.poolTag)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	best, free := "", int64(-1)
	for _, ref := range slices.Sorted(maps.Keys(d.hosts)) {
		h := d.hosts[ref]
		if m := int64(metrics[h.Metrics].MemoryFree); h.Enabled && m > free {
			best, free = ref, m
		}
	}
	if best == "" {
		return "", driver.Errorf(driver.KindCapacity, "pool %q has no enabled host", d.poolTag)
	}
	return best, nil
}

// hostName names a host reference for messages.
func (d *Driver) hostName(ref string) string {
	if n, ok := d.hostNames()[ref]; ok {
		return n
	}
	return fmt.Sprintf("(no host: %s)", ref)
}
