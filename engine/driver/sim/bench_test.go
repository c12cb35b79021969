package sim

import (
	"context"
	"fmt"
	"os"
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

// bigVMs is the fleet size of the 100,000-VM benchmarks.
const bigVMs = 100000

// bigConfig is the provider block of the 100,000-VM benchmarks: 1,000 hosts
// of 256 vCPU and 1 TiB, like the fleet of docs/scale.md.
var bigConfig = driver.Config{"hosts": int64(1000), "host_cpu": int64(256), "host_memory_gb": float64(1024)}

// bigCluster returns a cluster of bigVMs VMs as a fleet leaves it: one
// template, tag set and lineage, a marker per VM, spread over the hosts.
func bigCluster(b *testing.B) *cluster {
	b.Helper()
	cfg, err := resolveConfig(bigConfig)
	if err != nil {
		b.Fatal(err)
	}
	c := newCluster()
	c.setHosts(cfg.hosts)
	tags := map[string]string{"tier": "app"}
	recs := make([]vmRecord, bigVMs)
	for i := range recs {
		n := int64(i + 1)
		recs[i] = vmRecord{
			ID: formatID(n), Name: fmt.Sprint("app-", i), Host: cfg.hosts[i%len(cfg.hosts)].Name,
			CPU: 1, MemoryMiB: 1024, DiskGB: 20, Power: driver.PowerRunning, Template: `image="base"`,
			Tags:   tags,
			Marker: &driver.Marker{Address: fmt.Sprintf("fleet.app[%d]", i), Lineage: "c9f841a6-379d-416c-bf23-14f57aab85b1", SpecHash: fmt.Sprintf("%016x", uint64(n)*0x9e3779b97f4a7c15)},
		}
		c.put(&recs[i])
		c.lastID = n
	}
	return c
}

// bigDir returns a data folder holding bigCluster as a compact snapshot or,
// legacy, as a JSON snapshot of version 1.
func bigDir(b *testing.B, legacy bool) string {
	b.Helper()
	dir := b.TempDir()
	paths, c := filesFor(dir, "lab"), bigCluster(b)
	var err error
	if legacy {
		var data []byte
		if data, err = encodeJSON(c); err == nil {
			err = os.WriteFile(paths.legacy, data, 0o600)
		}
	} else {
		err = saveSnapshot(paths, c)
	}
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkOpen100k times Open of 100,000 VMs from a compact snapshot and,
// for comparison, from a JSON snapshot of version 1 (what Open read before).
func BenchmarkOpen100k(b *testing.B) {
	for _, legacy := range []bool{false, true} {
		b.Run(map[bool]string{false: "compact", true: "json-v1"}[legacy], func(b *testing.B) {
			dir := bigDir(b, legacy)
			b.ReportAllocs()
			for b.Loop() {
				d, err := openErr(b, dir, bigConfig)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				crash(b, d) // keeps the snapshot as it is
				b.StartTimer()
			}
		})
	}
}

// BenchmarkClose100k times Close of 100,000 VMs without a change (which
// writes nothing) and after one Update (which writes the snapshot).
func BenchmarkClose100k(b *testing.B) {
	for _, change := range []bool{false, true} {
		b.Run(map[bool]string{false: "nochange", true: "changed"}[change], func(b *testing.B) {
			dir := bigDir(b, false)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				d, err := openErr(b, dir, bigConfig)
				if err == nil && change {
					_, err = d.Update(ctx, "vm-000001", driver.Changes{DiskGB: new(21 + b.N)})
				}
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := d.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSaveSnapshot100k times writing a snapshot of 100,000 VMs, synced,
// compact and as a JSON snapshot of version 1 (what every Close did before).
func BenchmarkSaveSnapshot100k(b *testing.B) {
	c := bigCluster(b)
	for _, legacy := range []bool{false, true} {
		b.Run(map[bool]string{false: "compact", true: "json-v1"}[legacy], func(b *testing.B) {
			paths := filesFor(b.TempDir(), "lab")
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if legacy {
					var data []byte
					if data, err = encodeJSON(c); err == nil {
						err = writeFileAtomic(paths.legacy, data)
					}
				} else {
					err = saveSnapshot(paths, c)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInventory100k times one Inventory of 100,000 VMs.
func BenchmarkInventory100k(b *testing.B) {
	d := open(b, bigDir(b, false), bigConfig)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		inv, err := d.Inventory(ctx)
		if err != nil || len(inv.VMs) != bigVMs {
			b.Fatalf("Inventory: %d VMs, %v", len(inv.VMs), err)
		}
	}
}
