package place_test

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
)

// scanCluster is BestFit as it was before the index (issue 15): every host
// checked in name order, the best feasible one kept. It is the reference the
// indexed placer must match decision for decision.
type scanCluster struct {
	hosts  []*scanHost // sorted by name
	byName map[string]*scanHost
}

type scanHost struct {
	driver.Host
	usedCPU int
	usedMiB int64
	groups  map[string]int
}

func newScanCluster(hosts []driver.Host) *scanCluster {
	c := &scanCluster{byName: map[string]*scanHost{}}
	for _, h := range hosts {
		sh := &scanHost{Host: h, groups: map[string]int{}}
		c.hosts = append(c.hosts, sh)
		c.byName[h.Name] = sh
	}
	slices.SortFunc(c.hosts, func(a, b *scanHost) int { return cmpString(a.Name, b.Name) })
	return c
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (c *scanCluster) add(host, group string, cpu int, mib int64) {
	if h := c.byName[host]; h != nil {
		h.usedCPU += cpu
		h.usedMiB += mib
		h.groups[group]++
	}
}

func (c *scanCluster) remove(host, group string, cpu int, mib int64) {
	h := c.byName[host]
	h.usedCPU -= cpu
	h.usedMiB -= mib
	h.groups[group]--
}

func (c *scanCluster) place(vm place.VM) string {
	var best *scanHost
	for _, h := range c.hosts {
		if scanFeasible(h, vm) && (best == nil || scanBetter(h, best, vm)) {
			best = h
		}
	}
	if best == nil {
		return ""
	}
	c.add(best.Name, vm.Group, vm.CPU, vm.MemoryMiB)
	return best.Name
}

func scanFeasible(h *scanHost, vm place.VM) bool {
	return (vm.Pin == "" || vm.Pin == h.Name) && vm.CPU <= h.CPU-h.usedCPU && vm.MemoryMiB <= h.MemoryMiB-h.usedMiB
}

func scanBetter(a, b *scanHost, vm place.VM) bool {
	if vm.Spread && a.groups[vm.Group] != b.groups[vm.Group] {
		return a.groups[vm.Group] < b.groups[vm.Group]
	}
	freeA, freeB := a.MemoryMiB-a.usedMiB, b.MemoryMiB-b.usedMiB
	if freeA != freeB {
		return freeA < freeB
	}
	return a.CPU-a.usedCPU < b.CPU-b.usedCPU
}

// TestBestFitMatchesScan runs random clusters through the indexed BestFit
// and the scan it replaced, with the same allocations, releases and VMs in
// the same order, and requires the same decision every time. Hosts come in
// few shapes so ties are common; groups outnumber the spread indexes a
// cluster keeps, so eviction and the scan fallback are exercised too.
func TestBestFitMatchesScan(t *testing.T) {
	for _, keep := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("%d spread indexes", keep), func(t *testing.T) {
			defer place.SetMaxSpreadIndexes(keep)()
			rng := rand.New(rand.NewSource(int64(15 + keep)))
			for iter := range 400 {
				hosts := shapedHosts(rng, 1+rng.Intn(40))
				if err := compareOnCluster(rng, hosts); err != nil {
					t.Fatalf("iteration %d, hosts %+v: %v", iter, hosts, err)
				}
			}
		})
	}
}

// shapedHosts returns n hosts in a few shapes, given in random order.
func shapedHosts(rng *rand.Rand, n int) []driver.Host {
	shapes := 1 + rng.Intn(3)
	hosts := make([]driver.Host, n)
	for i := range hosts {
		s := rng.Intn(shapes)
		hosts[i] = driver.Host{Name: fmt.Sprintf("hv-%03d", i), CPU: 8 << s, MemoryMiB: int64(16<<s) * gib}
	}
	rng.Shuffle(n, func(i, j int) { hosts[i], hosts[j] = hosts[j], hosts[i] })
	return hosts
}

// compareOnCluster applies one random sequence of operations to both
// clusters and reports the first decision on which they differ.
func compareOnCluster(rng *rand.Rand, hosts []driver.Host) error {
	c, ref := place.NewCluster(hosts), newScanCluster(hosts)
	var placed []place.VM
	for step := range 20 + rng.Intn(300) {
		switch op := rng.Intn(10); {
		case op == 0: // a live VM allocated beforehand, possibly overcommitting
			h, g, cpu, mib := hosts[rng.Intn(len(hosts))].Name, group(rng), rng.Intn(12), int64(rng.Intn(48))*gib
			c.Add(h, g, cpu, mib)
			ref.add(h, g, cpu, mib)
		case op == 1 && len(placed) > 0: // a replace releasing its old VM
			k := rng.Intn(len(placed))
			vm := placed[k]
			placed = slices.Delete(placed, k, k+1)
			c.Remove(vm.Pin, vm.Group, vm.CPU, vm.MemoryMiB)
			ref.remove(vm.Pin, vm.Group, vm.CPU, vm.MemoryMiB)
		default:
			vm := randomPlacement(rng, hosts, step)
			got, want := place.BestFit{}.Place(c, vm), ref.place(vm)
			if got.Host != want {
				return fmt.Errorf("step %d: %+v placed on %q, the scan chose %q", step, vm, got.Host, want)
			}
			if got.Host == "" && len(got.Rejected) < len(hosts) {
				return fmt.Errorf("step %d: %+v unplaced with %d reasons for %d hosts", step, vm, len(got.Rejected), len(hosts))
			}
			if got.Host != "" {
				vm.Pin = got.Host // remembered where it went, for a release
				placed = append(placed, vm)
			}
		}
	}
	return nil
}

func group(rng *rand.Rand) string { return fmt.Sprintf("fleet.g%d", rng.Intn(7)) }

func randomPlacement(rng *rand.Rand, hosts []driver.Host, i int) place.VM {
	vm := place.VM{
		Address: fmt.Sprintf("vm[%d]", i), Group: group(rng),
		CPU: rng.Intn(9), MemoryMiB: int64(rng.Intn(33)) * gib / 2, Spread: rng.Intn(3) == 0,
	}
	if rng.Intn(12) == 0 {
		vm.Pin = hosts[rng.Intn(len(hosts))].Name
	}
	return vm
}
