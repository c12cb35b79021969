package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/plan"
)

// BenchmarkDiffRename diffs the 10,000 VMs of BenchmarkDiffNoChanges with
// every fleet renamed by a moved block: 10,000 moves.
func BenchmarkDiffRename(b *testing.B) {
	f := applied(b, bigSpec(10, 1000))
	renamed := strings.NewReplacer("fleet.f", "fleet.g").Replace(bigSpec(10, 1000))
	for i := range 10 { // the VMs keep their names: f0-0, …
		renamed = strings.Replace(renamed, fmt.Sprintf("fleet \"f%d\" {\n", i), fmt.Sprintf("fleet \"g%d\" {\n  name = \"f%d-${count.index}\"\n", i, i), 1)
		renamed += fmt.Sprintf("moved {\n  from = fleet.f%d\n  to   = fleet.g%d\n}\n", i, i)
	}
	f.spec = loadSpec(b, renamed)
	in := f.input()
	if p := mustDiff(b, in); len(p.Changes) != 10000 || p.Changes[0].Action != plan.Move {
		b.Fatalf("the benchmark needs 10,000 moves; got %d changes", len(p.Changes))
	}
	b.ReportAllocs()
	for b.Loop() {
		plan.Diff(in)
	}
}
