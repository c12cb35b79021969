package place_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

// model is the test's own bookkeeping of what each host has left, kept
// apart from Cluster so the property checks BestFit against it.
type model struct {
	hosts  map[string]driver.Host
	cpu    map[string]int
	mib    map[string]int64
	groups map[string]map[string]int
}

func newModel(hosts []driver.Host) *model {
	m := &model{hosts: map[string]driver.Host{}, cpu: map[string]int{}, mib: map[string]int64{}, groups: map[string]map[string]int{}}
	for _, h := range hosts {
		m.hosts[h.Name], m.groups[h.Name] = h, map[string]int{}
	}
	return m
}

func (m *model) room(host string, vm place.VM) bool {
	h := m.hosts[host]
	return m.cpu[host]+vm.CPU <= h.CPU && m.mib[host]+vm.MemoryMiB <= h.MemoryMiB
}

func (m *model) feasible(host string, vm place.VM) bool {
	return (vm.Pin == "" || vm.Pin == host) && m.room(host, vm)
}

func randomHosts(rng *rand.Rand) []driver.Host {
	hosts := make([]driver.Host, 1+rng.Intn(6))
	for i := range hosts {
		hosts[i] = driver.Host{Name: fmt.Sprintf("h%d", rng.Intn(100)*10+i), CPU: 1 + rng.Intn(64), MemoryMiB: int64(1+rng.Intn(256)) * 512}
	}
	return hosts
}

func randomVM(rng *rand.Rand, hosts []driver.Host, i int) place.VM {
	vm := place.VM{
		Address: fmt.Sprintf("fleet.g%d[%d]", i%3, i), Group: fmt.Sprintf("fleet.g%d", i%3),
		CPU: 1 + rng.Intn(16), MemoryMiB: int64(1+rng.Intn(64)) * 512, Spread: rng.Intn(2) == 0,
	}
	switch rng.Intn(8) {
	case 0:
		vm.Pin = hosts[rng.Intn(len(hosts))].Name
	case 1:
		vm.Pin = "missing"
	}
	return vm
}

// TestBestFitProperties places random VMs on random hosts and checks: a
// placed VM fit its host and was a feasible choice the placer prefers; no
// host ends over capacity; a VM is unplaceable only when no host had room,
// and then every host (and a missing pin) has a rejection reason.
func TestBestFitProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(20240611))
	for iter := range 500 {
		hosts := randomHosts(rng)
		c, m := place.NewCluster(hosts), newModel(hosts)
		for i := range 3 + rng.Intn(40) {
			vm := randomVM(rng, hosts, i)
			d := place.BestFit{}.Place(c, vm)
			if err := m.check(vm, d); err != nil {
				t.Fatalf("iteration %d, VM %d %+v on hosts %+v: %v", iter, i, vm, hosts, err)
			}
		}
		for name, h := range m.hosts {
			if m.cpu[name] > h.CPU || m.mib[name] > h.MemoryMiB {
				t.Fatalf("iteration %d: host %s over capacity: %d/%d vCPU, %d/%d MiB", iter, name, m.cpu[name], h.CPU, m.mib[name], h.MemoryMiB)
			}
			if why := c.Fits(name, h.CPU-m.cpu[name], h.MemoryMiB-m.mib[name]); why != "" {
				t.Fatalf("iteration %d: cluster and model disagree on %s: %s", iter, name, why)
			}
		}
	}
}

// check verifies one decision against the model and then records it.
func (m *model) check(vm place.VM, d place.Decision) error {
	if d.Host == "" {
		return m.checkUnplaced(vm, d)
	}
	if !m.feasible(d.Host, vm) {
		return fmt.Errorf("placed on %s, which is not feasible", d.Host)
	}
	for name := range m.hosts {
		if name != d.Host && m.feasible(name, vm) && m.prefers(name, d.Host, vm) {
			return fmt.Errorf("placed on %s, but %s is feasible and preferred", d.Host, name)
		}
	}
	m.cpu[d.Host] += vm.CPU
	m.mib[d.Host] += vm.MemoryMiB
	m.groups[d.Host][vm.Group]++
	return nil
}

func (m *model) checkUnplaced(vm place.VM, d place.Decision) error {
	reasons := map[string]string{}
	for _, r := range d.Rejected {
		if r.Reason == "" {
			return fmt.Errorf("rejection of %s has no reason", r.Host)
		}
		reasons[r.Host] = r.Reason
	}
	for name := range m.hosts {
		if m.feasible(name, vm) {
			return fmt.Errorf("reported unplaceable, but %s had room", name)
		}
		if reasons[name] == "" {
			return fmt.Errorf("no rejection reason for %s", name)
		}
	}
	if _, exists := m.hosts[vm.Pin]; vm.Pin != "" && !exists && reasons[vm.Pin] == "" {
		return fmt.Errorf("no reason given for the missing pinned host %s", vm.Pin)
	}
	return nil
}

// prefers reports whether BestFit must rank host a strictly above host b:
// spread first, then the least free memory, then the least free CPU, then
// the name.
func (m *model) prefers(a, b string, vm place.VM) bool {
	if ga, gb := m.groups[a][vm.Group], m.groups[b][vm.Group]; vm.Spread && ga != gb {
		return ga < gb
	}
	fa, fb := m.hosts[a].MemoryMiB-m.mib[a], m.hosts[b].MemoryMiB-m.mib[b]
	if fa != fb {
		return fa < fb
	}
	ca, cb := m.hosts[a].CPU-m.cpu[a], m.hosts[b].CPU-m.cpu[b]
	if ca != cb {
		return ca < cb
	}
	return a < b
}
