package plan_test

import (
	"testing"

	"github.com/novacron/novacron/engine/plan"
)

// TestDiffAllocatesNothingPerUnchangedVM diffs two workspaces whose VMs all
// match the spec, one twice the size of the other: an unchanged VM costs no
// allocation of its own (TestUnchangedVMAllocatesNothing), so the larger
// diff allocates no more than the tables its maps need for the extra
// entries, which hold about a thousand each (some 0.03 allocations per VM
// for the whole diff; it was 27).
func TestDiffAllocatesNothingPerUnchangedVM(t *testing.T) {
	allocs := func(vms int) float64 {
		f := applied(t, bigSpec(2, vms/2))
		in := f.input()
		if p := mustDiff(t, in); !p.Empty() {
			t.Fatalf("the test needs no changes; got %d", len(p.Changes))
		}
		return testing.AllocsPerRun(5, func() { plan.Diff(in) })
	}
	const small, large = 4000, 8000
	a, b := allocs(small), allocs(large)
	if perVM := (b - a) / (large - small); perVM > 0.1 {
		t.Errorf("a diff of %d unchanged VMs makes %.0f allocations, of %d VMs %.0f: %.3f per VM; want none", small, a, large, b, perVM)
	}
}

// TestDiffBytesPerUnchangedVM: what a diff of unchanged VMs allocates
// grows by at most 100 bytes per VM (the live index's entry by marker
// address, its id order and claimed mark, the state's sorted addresses;
// 229 bytes when the index also kept maps by id and of the claimed VMs,
// and the plan a map of the instances it wants), whether the inventory
// lists its VMs as VMs or in a table (driver.ReadCompact), whose VMs the
// diff reads without making one each.
func TestDiffBytesPerUnchangedVM(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input func(plan.Input) plan.Input
	}{
		{"VMs", func(in plan.Input) plan.Input { return in }},
		{"table", tabled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bytes := func(vms int) float64 {
				f := applied(t, bigSpec(2, vms/2))
				in := tc.input(f.input())
				if p := mustDiff(t, in); !p.Empty() {
					t.Fatalf("the test needs no changes; got %d", len(p.Changes))
				}
				r := testing.Benchmark(func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						plan.Diff(in)
					}
				})
				return float64(r.AllocedBytesPerOp())
			}
			const small, large = 4000, 8000
			a, b := bytes(small), bytes(large)
			if perVM := (b - a) / (large - small); perVM > 100 {
				t.Errorf("a diff of %d unchanged VMs allocates %.0f bytes, of %d VMs %.0f: %.0f per VM; want at most 100", small, a, large, b, perVM)
			}
		})
	}
}
