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
