package sim

import (
	"context"
	"fmt"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

// benchVMs is the fleet size the benchmarks run at.
const benchVMs = 10000

// benchConfig has room for benchVMs VMs of 1 vCPU and 1 GiB on hosts hosts.
func benchConfig(hosts int) driver.Config {
	perHost := int64(benchVMs/hosts + 1)
	return driver.Config{"hosts": int64(hosts), "host_cpu": min(perHost*2, maxHostCPU), "host_memory_gb": float64(perHost * 2)}
}

// fill creates n VMs on d.
func fill(b *testing.B, d *Driver, n int) {
	b.Helper()
	ctx := context.Background()
	s := spec("bench", "")
	for i := range n {
		s.Name = fmt.Sprint("bench-", i)
		if _, err := d.Create(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreate10000 times creating 10,000 VMs (one op) on a fresh
// cluster with the sim choosing the host.
func BenchmarkCreate10000(b *testing.B) {
	for _, hosts := range []int{4, 100, 1000} {
		b.Run(fmt.Sprintf("hosts=%d", hosts), func(b *testing.B) {
			cfg := benchConfig(hosts)
			if hosts == 1000 {
				cfg["host_cpu"] = int64(64)
				cfg["host_memory_gb"] = float64(64)
			}
			for b.Loop() {
				b.StopTimer()
				d := open(b, b.TempDir(), cfg)
				b.StartTimer()
				fill(b, d, benchVMs)
				b.StopTimer()
				d.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchVMs), "ns/create")
		})
	}
}

// BenchmarkCreateDeleteParallel times a Create and a Delete with every CPU
// doing them at once: the cost of contention on the mutex and journal.
func BenchmarkCreateDeleteParallel(b *testing.B) {
	d := open(b, b.TempDir(), nil)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		s := spec("bench", "")
		for pb.Next() {
			vm, err := d.Create(ctx, s)
			if err == nil {
				err = d.Delete(ctx, vm.ID)
			}
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkInventory10000 times one Inventory of 10,000 VMs.
func BenchmarkInventory10000(b *testing.B) {
	d := open(b, b.TempDir(), benchConfig(100))
	fill(b, d, benchVMs)
	ctx := context.Background()
	for b.Loop() {
		inv, err := d.Inventory(ctx)
		if err != nil || len(inv.VMs) != benchVMs {
			b.Fatalf("Inventory: %d VMs, %v", len(inv.VMs), err)
		}
	}
}

// BenchmarkOpen10000 times Open of a cluster of 10,000 VMs from its
// snapshot (after a Close) and from its journal (after a crash).
func BenchmarkOpen10000(b *testing.B) {
	for _, crashed := range []bool{false, true} {
		name := map[bool]string{false: "snapshot", true: "journal"}[crashed]
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			d := open(b, dir, benchConfig(100))
			fill(b, d, benchVMs)
			if crashed {
				crash(b, d)
			} else if err := d.Close(); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				d, err := openErr(b, dir, benchConfig(100))
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if crashed {
					crash(b, d)
				} else if err := d.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
