package place_test

import (
	"slices"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/place"
)

// BenchmarkVectorPlaceP99On500Hosts places the 10,000 VMs of a generated
// instance (seed 1) one by one with Vector.Place on 500 hosts, timing each
// placement, and reports the 99th percentile (p99-µs/VM; target ≤ 50 µs)
// and the median. One op is the whole sequence.
func BenchmarkVectorPlaceP99On500Hosts(b *testing.B) {
	in := genInstance(1, 10_000, 500)
	hosts, vms := in.hostList(), in.vmList()
	took := make([]time.Duration, len(vms))
	b.ReportAllocs()
	for b.Loop() {
		c := place.NewCluster(hosts)
		for i, vm := range vms {
			start := time.Now()
			d := place.Vector{}.Place(c, vm)
			took[i] = time.Since(start)
			if d.Host == "" {
				b.Fatalf("%s found no host", vm.Address)
			}
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds())/1e3, "p99-µs/VM")
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds())/1e3, "p50-µs/VM")
}

// BenchmarkVectorReplace10kOn500Hosts is a full re-placement: the 10,000
// VMs of a generated instance (seed 1) placed as one batch (PlaceAll) on
// 500 empty hosts. Target: ≤ 1 s per op.
func BenchmarkVectorReplace10kOn500Hosts(b *testing.B) {
	in := genInstance(1, 10_000, 500)
	hosts, vms := in.hostList(), in.vmList()
	b.ReportAllocs()
	for b.Loop() {
		c := place.NewCluster(hosts)
		for _, d := range (place.Vector{}).PlaceAll(c, vms) {
			if d.Host == "" {
				b.Fatal("a VM found no host")
			}
		}
	}
}

// BenchmarkVectorBatch100kOn2500Hosts places BestFit's benchmark VMs
// (100,000 of 1–4 vCPU and 1–8 GiB) on its 2,500 hosts as one batch, as a
// plan creating them does.
func BenchmarkVectorBatch100kOn2500Hosts(b *testing.B) {
	hosts, vms := benchHosts(), benchVMs(false)
	b.ReportAllocs()
	for b.Loop() {
		c := place.NewCluster(hosts)
		for _, d := range (place.Vector{}).PlaceAll(c, vms) {
			if d.Host == "" {
				b.Fatal("a VM found no host")
			}
		}
	}
}
