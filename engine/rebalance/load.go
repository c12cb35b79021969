package rebalance

import (
	"math"
	"slices"
	"strconv"

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
	// domains counts, per fleet that spreads by a host label (a failure
	// domain such as a rack), its VMs per value of that label.
	domains map[string]map[string]int
}

func newFleet(in Input) *fleet {
	f := &fleet{
		in: in, cap: map[string]driver.Host{}, use: map[string]*[2]float64{},
		vms: map[string][]*VM{}, groups: map[string]map[string]int{},
		alloc: place.NewCluster(in.Hosts), sources: map[string]bool{}, targets: map[string]bool{},
		allocated: map[string]*[2]int64{}, domains: map[string]map[string]int{},
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
	f.alloc.AddVM(host, vm.placed())
	f.countDomain(vm, host, 1)
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
	f.alloc.RemoveVM(host, vm.placed())
	f.countDomain(vm, host, -1)
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

// countDomain adds n to the VMs of vm's fleet in host's failure domain,
// when the fleet spreads by a host label.
func (f *fleet) countDomain(vm *VM, host string, n int) {
	if vm.Rules.SpreadBy == "" {
		return
	}
	d := f.domains[vm.Rules.Group]
	if d == nil {
		d = map[string]int{}
		f.domains[vm.Rules.Group] = d
	}
	d[f.cap[host].Labels[vm.Rules.SpreadBy]] += n
}

// worsensSpread reports whether moving vm to host would put it in a
// failure domain that holds as many of its fleet's VMs as the domain it
// leaves, or more: such a move makes the spread no better and may make it
// worse, so rebalance never makes it.
func (f *fleet) worsensSpread(vm *VM, host string) bool {
	key := vm.Rules.SpreadBy
	if key == "" {
		return false
	}
	from, to := f.cap[vm.Host].Labels[key], f.cap[host].Labels[key]
	if from == to {
		return false
	}
	d := f.domains[vm.Rules.Group]
	return d[to] >= d[from]
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

// Percent prints a load with enough precision to compare it with any
// threshold: one decimal, three significant digits below 1 % (0.00412),
// 0 only when it is 0.
func Percent(x float64) string {
	if x != 0 && math.Abs(x) < 1 {
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}
