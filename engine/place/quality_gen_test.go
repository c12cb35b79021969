package place_test

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/place/lpbound"
)

// instance is a packing problem shaped like Azure's public packing trace
// (2020): identical hosts, few VM types, a skewed popularity of types.
type instance struct {
	host  driver.Host // the shape every host has
	hosts int
	types []lpbound.Type
}

// azureShapes are VM shapes (vCPU, GiB of memory, GiB of disk) of the
// sizes the trace's VM types follow: 1–32 vCPU, 2–8 GiB per vCPU.
var azureShapes = [][3]int64{
	{1, 2, 32}, {1, 4, 64}, {2, 4, 64}, {2, 8, 128}, {2, 16, 128}, {4, 8, 128}, {4, 16, 256},
	{4, 32, 256}, {8, 16, 256}, {8, 32, 512}, {8, 64, 512}, {16, 32, 512}, {16, 64, 1024},
	{16, 128, 1024}, {32, 128, 2048}, {32, 256, 2048},
}

// genInstance draws an instance of vms VMs on hosts hosts from seed: 6 to
// 12 VM types, their popularity Zipf-like (the k-th type ∝ 1/k^1.1), and
// hosts of 128 vCPU, 768 GiB and 8 TiB of disk, scaled down with the
// number of VMs so the VMs fill about 90 % of the hosts' busiest resource.
func genInstance(seed int64, vms, hosts int) instance {
	rng := rand.New(rand.NewSource(seed))
	perm := rng.Perm(len(azureShapes))[:6+rng.Intn(7)]
	weights := make([]float64, len(perm))
	total := 0.0
	for k := range weights {
		weights[k] = 1 / math.Pow(float64(k+1), 1.1)
		total += weights[k]
	}
	counts := make([]int, len(perm))
	for range vms {
		r, k := rng.Float64()*total, 0
		for ; k < len(perm)-1 && r >= weights[k]; k++ {
			r -= weights[k]
		}
		counts[k]++
	}
	in := instance{hosts: hosts}
	var sum [3]float64
	for k, s := range perm {
		if counts[k] == 0 {
			continue
		}
		sh := azureShapes[s]
		in.types = append(in.types, lpbound.Type{Demand: [3]int64{sh[0], sh[1] * 1024, sh[2]}, Count: counts[k]})
		for d := range 3 {
			sum[d] += float64(sh[d] * int64(counts[k]))
		}
	}
	in.host = scaledHost(sum, hosts)
	return in
}

// scaledHost is a host of the 128 vCPU : 768 GiB : 8 TiB shape, as big as
// makes the load of the busiest dimension 90 % of hosts hosts.
func scaledHost(sum [3]float64, hosts int) driver.Host {
	shape := [3]float64{128, 768, 8192}
	f := 0.0
	for d := range 3 {
		f = max(f, sum[d]/shape[d]/(0.9*float64(hosts)))
	}
	f = max(f, 32.0/128) // every shape fits
	return driver.Host{CPU: int(128 * f), MemoryMiB: int64(768*f) * 1024, DiskGiB: int64(8192 * f)}
}

// hostList is the instance's hosts, hv-0001 … .
func (in instance) hostList() []driver.Host {
	out := make([]driver.Host, in.hosts)
	for i := range out {
		h := in.host
		h.Name = fmt.Sprintf("hv-%04d", i+1)
		out[i] = h
	}
	return out
}

// vmList is the instance's VMs, the types interleaved as a plan lists the
// VMs of several fleets.
func (in instance) vmList() []place.VM {
	var out []place.VM
	left := make([]int, len(in.types))
	for t, ty := range in.types {
		left[t] = ty.Count
	}
	for n := 0; ; n++ {
		added := false
		for t, ty := range in.types {
			if left[t] > 0 {
				left[t]--
				g := fmt.Sprintf("fleet.t%d", t)
				out = append(out, place.VM{Address: fmt.Sprintf("%s[%d]", g, n), Group: g,
					CPU: int(ty.Demand[0]), MemoryMiB: ty.Demand[1], DiskGiB: ty.Demand[2]})
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// bound is the instance's configuration-LP bound.
func (in instance) bound() (lpbound.Result, error) {
	return lpbound.Bound([3]int64{int64(in.host.CPU), in.host.MemoryMiB, in.host.DiskGiB}, in.types)
}

// hostsUsed places the instance's VMs with p and counts the hosts used
// and the VMs left unplaced (the instance's hosts were too few for p).
func hostsUsed(in instance, p place.BatchPlacer) (hosts, unplaced int) {
	c := place.NewCluster(in.hostList())
	used := map[string]bool{}
	for _, d := range p.PlaceAll(c, in.vmList()) {
		if d.Host == "" {
			unplaced++
		}
		used[d.Host] = true
	}
	delete(used, "")
	return len(used), unplaced
}
