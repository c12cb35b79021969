package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// bigSpec is fleets×size VMs: fleet f<i> of size VMs, each fleet depending
// on the one before.
func bigSpec(fleets, size int) string {
	var b strings.Builder
	for i := range fleets {
		fmt.Fprintf(&b, "fleet \"f%d\" {\n  count = %d\n  template = template.ubuntu\n  cpu = 1\n  memory_gb = 1\n  tags = { n = \"%d\" }\n", i, size, i)
		if i > 0 {
			fmt.Fprintf(&b, "  depends_on = [fleet.f%d]\n", i-1)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// BenchmarkDiffNoChanges diffs a 10,000-VM spec against a matching
// inventory and state: the cost of a plan that finds nothing to do.
func BenchmarkDiffNoChanges(b *testing.B) {
	f := applied(b, bigSpec(10, 1000))
	in := f.input()
	if p := mustDiff(b, in); !p.Empty() || len(f.vms) != 10000 {
		b.Fatalf("the benchmark needs 10,000 VMs and no changes; got %d VMs and %d changes", len(f.vms), len(p.Changes))
	}
	b.ReportAllocs()
	for b.Loop() {
		plan.Diff(in)
	}
}

// BenchmarkDiffCreates diffs a 10,000-VM spec against 100 empty hosts of
// 256 vCPU:
// every VM is created and placed.
func BenchmarkDiffCreates(b *testing.B) {
	f := &fixture{spec: loadSpec(b, bigSpec(10, 1000)), hosts: hosts(100), caps: simCaps}
	for i := range f.hosts {
		f.hosts[i].CPU, f.hosts[i].MemoryMiB = 256, 1024*gib
	}
	in := f.input()
	if p := mustDiff(b, in); len(p.Changes) != 10000 {
		b.Fatalf("got %d changes; want 10,000 creates", len(p.Changes))
	}
	b.ReportAllocs()
	for b.Loop() {
		plan.Diff(in)
	}
}

// BenchmarkBuildGraph orders 10,000 creates in 100 fleets, each fleet
// depending on the one before.
func BenchmarkBuildGraph(b *testing.B) {
	p := &plan.Plan{FleetDeps: map[string][]string{}}
	for i := range 100 {
		fleet := fmt.Sprintf("fleet.f%02d", i)
		if i > 0 {
			p.FleetDeps[fleet] = []string{fmt.Sprintf("fleet.f%02d", i-1)}
		}
		for j := range 100 {
			p.Changes = append(p.Changes, change(plan.Create, fmt.Sprintf("%s[%d]", fleet, j), 0))
		}
	}
	g := mustGraph(b, p)
	if n := len(edges(g)); n > 3*len(p.Changes) {
		b.Fatalf("%d edges for %d changes; want them linear", n, len(p.Changes))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := plan.BuildGraph(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFingerprint10k fingerprints the inventory of a 10,000-VM
// workspace with 100 hosts and 1,000 VMs it does not manage: what every
// plan -out and every apply of a saved plan pays on top of the diff.
func BenchmarkFingerprint10k(b *testing.B) {
	f := applied(b, bigSpec(10, 1000))
	f.hosts = hosts(100)
	for i := range 1000 {
		f.vms = append(f.vms, driver.VM{ID: fmt.Sprintf("pet-%04d", i), Name: fmt.Sprintf("pet-%d", i), Host: "hv-02", CPU: 1, MemoryMiB: gib})
	}
	invs := map[string]driver.Inventory{pk: {VMs: f.vms, Hosts: f.hosts}}
	b.ReportAllocs()
	for b.Loop() {
		plan.FingerprintOf(invs, lineage, f.state)
	}
}

// BenchmarkDiffDriftNone compares the inventory, state and spec of
// BenchmarkDiffNoChanges for drift: the cost of a drift that finds none.
func BenchmarkDiffDriftNone(b *testing.B) {
	f := applied(b, bigSpec(10, 1000))
	in := f.input()
	if d, diags := plan.DiffDrift(in); diags.HasErrors() || d.Drifted() || len(d.Pending) != 0 {
		b.Fatalf("the benchmark needs no drift and no pending change; got %v, %+v", diags, d)
	}
	b.ReportAllocs()
	for b.Loop() {
		plan.DiffDrift(in)
	}
}
