package place_test

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

// scenario is a random cluster and a batch of VMs with every placement
// constraint, drawn by testing/quick from a seed.
type scenario struct {
	Hosts []driver.Host
	VMs   []place.VM
}

// Generate implements quick.Generator.
func (scenario) Generate(r *rand.Rand, _ int) reflect.Value {
	s := scenario{}
	for i := range 1 + r.Intn(12) {
		h := driver.Host{Name: fmt.Sprintf("hv-%02d", i), CPU: 4 + r.Intn(60), MemoryMiB: int64(4+r.Intn(252)) * gib,
			Labels: map[string]string{"rack": fmt.Sprintf("r%d", r.Intn(3))}}
		if r.Intn(3) > 0 {
			h.DiskGiB = int64(50 + r.Intn(2000))
		}
		if r.Intn(2) == 0 {
			h.Labels["ssd"] = "true"
		}
		if r.Intn(8) == 0 {
			delete(h.Labels, "rack")
		}
		s.Hosts = append(s.Hosts, h)
	}
	for i := range r.Intn(80) {
		g := fmt.Sprintf("fleet.g%d", r.Intn(5))
		vm := place.VM{Address: fmt.Sprintf("%s[%d]", g, i), Group: g, CPU: 1 + r.Intn(16),
			MemoryMiB: int64(1+r.Intn(64)) * gib, DiskGiB: int64(r.Intn(300))}
		switch r.Intn(10) {
		case 0:
			vm.Pin = s.Hosts[r.Intn(len(s.Hosts))].Name
		case 1:
			vm.Spread = true
		case 2:
			vm.SpreadBy = "rack"
		case 3:
			vm.Labels = map[string]string{"ssd": "true"}
		case 4:
			if a := fmt.Sprintf("fleet.g%d", r.Intn(5)); a != g {
				vm.Avoid = []string{a}
			}
		case 5:
			vm.Prefer = place.PreferSpread
		}
		s.VMs = append(s.VMs, vm)
	}
	return reflect.ValueOf(s)
}

// TestVectorProperties places random batches (PlaceAll) and random VMs one
// by one (Place) and checks: no host is ever over capacity in CPU, memory
// or disk (where reported); a pinned VM is on its pin; a VM asking for
// labels is on a host with them; no two VMs of groups that avoid each
// other share a host; a VM spread by host or rack went to a host or rack
// with the fewest VMs of its group among those that could take it when it
// was placed one by one; and an unplaced VM has a reason for every host.
func TestVectorProperties(t *testing.T) {
	for _, batch := range []bool{true, false} {
		check := func(s scenario) bool {
			if err := checkScenario(&s, batch); err != nil {
				t.Logf("batch=%v: %v", batch, err)
				return false
			}
			return true
		}
		cfg := &quick.Config{MaxCount: 400, Rand: rand.New(rand.NewSource(18))}
		if err := quick.Check(check, cfg); err != nil {
			t.Errorf("batch=%v: %v", batch, err)
		}
	}
}

func checkScenario(s *scenario, batch bool) error {
	c := place.NewCluster(s.Hosts)
	var ds []place.Decision
	if batch {
		ds = place.Vector{}.PlaceAll(c, s.VMs)
	} else {
		count := map[string]int{} // VMs per domain and group: "rack r1/fleet.g0", "hv-01/fleet.g0"
		for _, vm := range s.VMs {
			fewest := fewestInDomain(c, s.Hosts, vm, count)
			d := place.Vector{}.Place(c, vm)
			if d.Host != "" {
				key := domainKey(s.Hosts, d.Host, vm)
				if (vm.Spread || vm.SpreadBy != "") && count[key] != fewest {
					return fmt.Errorf("%s spread to %s holding %d of its group; a domain that could take it held %d", vm.Address, key, count[key], fewest)
				}
				for _, by := range []place.VM{{Group: vm.Group, Spread: true}, {Group: vm.Group, SpreadBy: "rack"}} {
					count[domainKey(s.Hosts, d.Host, by)]++
				}
			}
			ds = append(ds, d)
		}
	}
	return checkOutcome(s, ds)
}

// domainKey names the host's failure domain for vm, with vm's group.
func domainKey(hosts []driver.Host, host string, vm place.VM) string {
	if vm.SpreadBy == "rack" {
		for _, h := range hosts {
			if h.Name == host {
				return "rack " + h.Labels["rack"] + "/" + vm.Group
			}
		}
	}
	return host + "/" + vm.Group
}

// fewestInDomain is the fewest VMs of vm's group in the domain of any host
// that can take vm now.
func fewestInDomain(c *place.Cluster, hosts []driver.Host, vm place.VM, count map[string]int) int {
	fewest := -1
	for _, h := range hosts {
		if c.FitsVM(h.Name, vm) != "" {
			continue
		}
		if n := count[domainKey(hosts, h.Name, vm)]; fewest < 0 || n < fewest {
			fewest = n
		}
	}
	return fewest
}

func checkOutcome(s *scenario, ds []place.Decision) error {
	hosts := map[string]driver.Host{}
	for _, h := range s.Hosts {
		hosts[h.Name] = h
	}
	type use struct{ cpu, mib, disk int64 }
	used := map[string]*use{}
	groups := map[string]map[string]bool{}
	for _, h := range s.Hosts {
		used[h.Name], groups[h.Name] = &use{}, map[string]bool{}
	}
	for i, d := range ds {
		vm := s.VMs[i]
		if d.Host == "" {
			if len(d.Rejected) < len(s.Hosts) {
				return fmt.Errorf("%s unplaced with %d reasons for %d hosts", vm.Address, len(d.Rejected), len(s.Hosts))
			}
			for _, r := range d.Rejected {
				if r.Reason == "" {
					return fmt.Errorf("%s: rejection of %s has no reason", vm.Address, r.Host)
				}
			}
			continue
		}
		h := hosts[d.Host]
		u := used[d.Host]
		u.cpu, u.mib, u.disk = u.cpu+int64(vm.CPU), u.mib+vm.MemoryMiB, u.disk+vm.DiskGiB
		if u.cpu > int64(h.CPU) || u.mib > h.MemoryMiB || (h.DiskGiB > 0 && u.disk > h.DiskGiB) {
			return fmt.Errorf("%s over capacity after %s: %+v of %+v", d.Host, vm.Address, *u, h)
		}
		if vm.Pin != "" && vm.Pin != d.Host {
			return fmt.Errorf("%s pinned to %s, placed on %s", vm.Address, vm.Pin, d.Host)
		}
		for k, v := range vm.Labels {
			if h.Labels[k] != v {
				return fmt.Errorf("%s needs %s=%s, placed on %s with %v", vm.Address, k, v, d.Host, h.Labels)
			}
		}
		if _, ok := h.Labels["rack"]; vm.SpreadBy == "rack" && !ok {
			return fmt.Errorf("%s spread by rack, placed on %s without a rack", vm.Address, d.Host)
		}
		groups[d.Host][vm.Group] = true
	}
	return checkAvoid(s, ds, groups)
}

// checkAvoid: no host holds VMs of two groups one of which avoids the other.
func checkAvoid(s *scenario, ds []place.Decision, groups map[string]map[string]bool) error {
	for i, d := range ds {
		vm := s.VMs[i]
		for _, a := range vm.Avoid {
			if d.Host != "" && groups[d.Host][a] && a != vm.Group {
				return fmt.Errorf("%s avoids %s but shares %s with it", vm.Address, a, d.Host)
			}
		}
	}
	return nil
}
