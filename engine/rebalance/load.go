package rebalance

import (
	"slices"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

// fleet is the hosts as the chosen moves leave them: allocations (for
// capacity), use (for the threshold), VMs and spread groups per host.
type fleet struct {
	in      Input
	cap     map[string]driver.Host
	use     map[string]*[2]float64 // cpu cores, memory MiB
	vms     map[string][]*VM       // by host, in input order
	groups  map[string]map[string]int
	alloc   *place.Cluster
	sources map[string]bool // hosts VMs leave: never targets
	targets map[string]bool // hosts VMs arrive on: never sources
	names   []string        // the hosts, in input order
	// allocated mirrors alloc's sums (cpu, MiB) per host, to refuse a host
	// without asking alloc — whose refusals are formatted messages — for
	// every candidate.
	allocated map[string]*[2]int64
}

func newFleet(in Input) *fleet {
	f := &fleet{
		in: in, cap: map[string]driver.Host{}, use: map[string]*[2]float64{},
		vms: map[string][]*VM{}, groups: map[string]map[string]int{},
		alloc: place.NewCluster(in.Hosts), sources: map[string]bool{}, targets: map[string]bool{},
		allocated: map[string]*[2]int64{},
	}
	for _, h := range in.Hosts {
		f.names = append(f.names, h.Name)
		f.cap[h.Name] = h
		f.use[h.Name] = &[2]float64{}
		f.allocated[h.Name] = &[2]int64{}
		f.groups[h.Name] = map[string]int{}
	}
	for i := range in.VMs {
		vm := &in.VMs[i]
		if _, ok := f.cap[vm.Host]; ok {
			f.add(vm, vm.Host)
		}
	}
	return f
}

func (f *fleet) add(vm *VM, host string) {
	f.alloc.Add(host, "", vm.CPU, vm.MemoryMiB)
	a := f.allocated[host]
	a[0], a[1] = a[0]+int64(vm.CPU), a[1]+vm.MemoryMiB
	u := f.use[host]
	u[0] += vm.UseCPU
	u[1] += vm.UseMemoryMiB
	f.vms[host] = append(f.vms[host], vm)
	if vm.Spread != "" {
		f.groups[host][vm.Spread]++
	}
}

func (f *fleet) remove(vm *VM, host string) {
	f.alloc.Remove(host, "", vm.CPU, vm.MemoryMiB)
	a := f.allocated[host]
	a[0], a[1] = a[0]-int64(vm.CPU), a[1]-vm.MemoryMiB
	u := f.use[host]
	u[0] -= vm.UseCPU
	u[1] -= vm.UseMemoryMiB
	f.vms[host] = slices.DeleteFunc(f.vms[host], func(v *VM) bool { return v == vm })
	if vm.Spread != "" {
		f.groups[host][vm.Spread]--
	}
}

// load is host's use in percent of its capacity, per dimension.
func (f *fleet) load(host string) HostLoad {
	h, u := f.cap[host], f.use[host]
	return HostLoad{Host: host, CPU: percent(u[0], float64(h.CPU)), Mem: percent(u[1], float64(h.MemoryMiB))}
}

// loadWith is host's load once vm has arrived.
func (f *fleet) loadWith(host string, vm *VM) HostLoad {
	h, u := f.cap[host], f.use[host]
	return HostLoad{Host: host, CPU: percent(u[0]+vm.UseCPU, float64(h.CPU)), Mem: percent(u[1]+vm.UseMemoryMiB, float64(h.MemoryMiB))}
}

func (f *fleet) hot(host string) bool { return f.load(host).Max() > f.in.Threshold }

// Max is the load's higher dimension.
func (l HostLoad) Max() float64 { return max(l.CPU, l.Mem) }

// excess is, per dimension, the use above the threshold (cores, MiB), 0
// when under.
func (f *fleet) excess(host string) [2]float64 {
	h, u := f.cap[host], f.use[host]
	t := f.in.Threshold / 100
	return [2]float64{max(0, u[0]-t*float64(h.CPU)), max(0, u[1]-t*float64(h.MemoryMiB))}
}

func percent(x, total float64) float64 {
	if total <= 0 {
		return 0
	}
	return 100 * x / total
}

// hostNames returns the hosts in input order (callers must not change it).
func (f *fleet) hostNames() []string { return f.names }
