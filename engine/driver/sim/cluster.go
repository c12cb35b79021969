package sim

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/novacron/novacron/engine/driver"
)

// vmRecord is a VM as the sim keeps it, in memory and on disk. A record
// stored in a cluster is never changed, its Tags and Marker included (an
// update stores a new record), so it can be read after the mutex is released.
type vmRecord struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Host      string            `json:"host"`
	CPU       int               `json:"cpu"`
	MemoryMiB int64             `json:"memory_mib"`
	DiskGB    int               `json:"disk_gb"`
	Power     driver.Power      `json:"power"`
	Template  string            `json:"template"`
	Tags      map[string]string `json:"tags,omitempty"`
	Marker    *driver.Marker    `json:"marker,omitempty"`
}

// toVM returns the record as a driver.VM that shares no memory with it.
// Its marker and its Addresses (of capacity one: an append copies it) are
// made in one block, its tags in another.
func (r *vmRecord) toVM() driver.VM {
	x := new(vmParts)
	vm := r.toVMWith(&x.marker, maps.Clone(r.Tags))
	if r.Power == driver.PowerRunning {
		x.addrs[0] = simAddress(r.ID)
		vm.Addresses = x.addrs[:1:1]
	}
	return vm
}

// vmParts are what toVM makes of a driver.VM beside its tags.
type vmParts struct {
	marker driver.Marker
	addrs  [1]string
}

// toVMWith is toVM without the addresses, with the marker (when there is
// one) copied into m, and tags (a copy of the record's) as its Tags.
func (r *vmRecord) toVMWith(m *driver.Marker, tags map[string]string) driver.VM {
	vm := driver.VM{
		ID: r.ID, Name: r.Name, Host: r.Host,
		CPU: r.CPU, MemoryMiB: r.MemoryMiB, DiskGB: r.DiskGB,
		Power: r.Power, Template: r.Template,
		Tags: tags,
	}
	if r.Marker != nil {
		*m = *r.Marker
		vm.Marker = m
	}
	return vm
}

// simAddress is the simulated IP address of a running VM: 10.x.y.z from
// the number in its ID, so it is stable and unique per cluster.
func simAddress(id string) string {
	var b [len("10.255.255.255")]byte
	return string(appendAddress(b[:0], id))
}

// appendAddress appends the simulated address of the VM with the ID to b.
func appendAddress(b []byte, id string) []byte {
	n, _ := strconv.ParseInt(strings.TrimPrefix(id, "vm-"), 10, 64)
	b = append(b, "10."...)
	b = append(strconv.AppendInt(b, n>>16&255, 10), '.')
	b = append(strconv.AppendInt(b, n>>8&255, 10), '.')
	return strconv.AppendInt(b, n&255, 10)
}

// compareIDs orders vm-000009 before vm-000010 and vm-999999 before vm-1000000.
func compareIDs(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

// formatID returns the ID of the n-th VM the cluster made.
func formatID(n int64) string {
	var digits [20]byte
	var b [len("vm-") + 20]byte
	d := strconv.AppendInt(digits[:0], n, 10)
	id := append(b[:0], "vm-"...)
	for range 6 - len(d) {
		id = append(id, '0')
	}
	return string(append(id, d...))
}

// host is a host of the cluster and what its VMs use of it.
type host struct {
	driver.Host
	usedCPU int
	usedMem int64
}

func (h *host) freeCPU() int   { return h.CPU - h.usedCPU }
func (h *host) freeMem() int64 { return h.MemoryMiB - h.usedMem }

// fits reports whether cpu and mem more fit on h.
func (h *host) fits(cpu int, mem int64) bool {
	return cpu <= h.freeCPU() && mem <= h.freeMem()
}

// cluster is the whole simulated provider. It is not safe for concurrent
// use; Driver guards it with its mutex. Stored records are never changed in
// place: a put stores a new one, so a copied slice of them stays valid.
type cluster struct {
	hosts  []*host // in config order
	byName map[string]*host
	order  []*vmRecord // the VMs in ID order, found by binary search
	lastID int64       // number of the last ID handed out; IDs are never reused

	// cols, when set, are the VMs as the compact snapshot holds them, not
	// yet made into records (order is empty): a command that only lists
	// the VMs (a plan) never makes them. The first use of order makes
	// them (records).
	cols *columns
	// view, when set instead, are the VMs of cols as SharedInventory first
	// listed them: they stand for the columns, which are dropped, and are
	// never changed (callers hold them); records makes records of them.
	view []driver.VM

	// unsaved is set when the cluster differs from its snapshot files (a
	// mutation, a journal replayed, an old format read): only then does
	// Close write them.
	unsaved bool
	// legacy is set when the cluster was read from a sim-NAME.json of
	// format version 1: the first save moves it to the compact snapshot.
	legacy bool
}

func newCluster() *cluster {
	return &cluster{byName: map[string]*host{}}
}

// setHosts replaces the host list and recounts what every host uses.
func (c *cluster) setHosts(hosts []driver.Host) {
	c.hosts = make([]*host, len(hosts))
	c.byName = make(map[string]*host, len(hosts))
	for i, h := range hosts {
		c.hosts[i] = &host{Host: h}
		c.byName[h.Name] = c.hosts[i]
	}
	c.eachUse(func(host string, cpu int, mem int64) {
		if h := c.byName[host]; h != nil {
			h.usedCPU += cpu
			h.usedMem += mem
		}
	})
}

// eachUse calls use with the host, vCPUs and memory of every VM, without
// making the records of columns.
func (c *cluster) eachUse(use func(host string, cpu int, mem int64)) {
	if c.cols != nil {
		c.cols.eachUse(use)
		return
	}
	if c.view != nil {
		for i := range c.view {
			use(c.view[i].Host, c.view[i].CPU, c.view[i].MemoryMiB)
		}
		return
	}
	for _, vm := range c.order {
		use(vm.Host, vm.CPU, vm.MemoryMiB)
	}
}

// records returns order, making the records of cols or view first if
// they are not made yet.
func (c *cluster) records() []*vmRecord {
	if c.cols != nil {
		c.order, c.cols = c.cols.records(), nil
	}
	if c.view != nil {
		c.order, c.view = viewRecords(c.view), nil
	}
	return c.order
}

// use adds (sign 1) or removes (sign -1) what vm uses of its host.
func (c *cluster) use(vm *vmRecord, sign int) {
	if h := c.byName[vm.Host]; h != nil {
		h.usedCPU += sign * vm.CPU
		h.usedMem += int64(sign) * vm.MemoryMiB
	}
}

// put stores vm, replacing the VM with its ID. New IDs are the largest
// yet, so keeping the order is an append.
func (c *cluster) put(vm *vmRecord) {
	c.records()
	i, found := c.index(vm.ID)
	if found {
		c.use(c.order[i], -1)
		c.order[i] = vm
	} else {
		c.order = slices.Insert(c.order, i, vm)
	}
	c.use(vm, 1)
}

// remove deletes the VM with the ID, if any.
func (c *cluster) remove(id string) {
	if i, found := c.index(id); found {
		c.use(c.order[i], -1)
		c.order = slices.Delete(c.order, i, i+1)
	}
}

// get returns the VM with the ID, or nil.
func (c *cluster) get(id string) *vmRecord {
	if i, found := c.index(id); found {
		return c.order[i]
	}
	return nil
}

// index finds the position of the ID in c.order, checking the end first.
func (c *cluster) index(id string) (int, bool) {
	c.records()
	n := len(c.order)
	if n == 0 || compareIDs(c.order[n-1].ID, id) < 0 {
		return n, false
	}
	return slices.BinarySearchFunc(c.order, id, func(r *vmRecord, id string) int { return compareIDs(r.ID, id) })
}

// hostList returns the hosts as the driver reports them.
func (c *cluster) hostList() []driver.Host {
	out := make([]driver.Host, len(c.hosts))
	for i, h := range c.hosts {
		out[i] = h.Host
	}
	return out
}

// lookupHost returns the named host or a permanent error listing the hosts.
func (c *cluster) lookupHost(name string) (*host, error) {
	if h := c.byName[name]; h != nil {
		return h, nil
	}
	return nil, driver.Errorf(driver.KindPermanent,
		"unknown host %q: the simulated cluster has %s", name, c.describeHosts())
}

// describeHosts names the hosts for an error message, eliding long lists.
func (c *cluster) describeHosts() string {
	switch n := len(c.hosts); {
	case n == 1:
		return "only host " + c.hosts[0].Name
	case n <= 5:
		names := make([]string, n)
		for i, h := range c.hosts {
			names[i] = h.Name
		}
		return "hosts " + strings.Join(names, ", ")
	default:
		return fmt.Sprintf("%d hosts, %s … %s", n, c.hosts[0].Name, c.hosts[n-1].Name)
	}
}
