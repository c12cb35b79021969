package plan_test

import (
	"maps"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// sliceTable is a driver.VMTable over VMs, as a driver that keeps its VMs
// in a compact form lists them (driver.ReadCompact).
type sliceTable []driver.VM

func (t sliceTable) Len() int        { return len(t) }
func (t sliceTable) ID(i int) string { return t[i].ID }
func (t sliceTable) Fill(i int, vm *driver.VM, m *driver.Marker) {
	*vm = t[i]
	if vm.Marker != nil {
		*m = *vm.Marker
		vm.Marker = m
	}
}

// tabled returns in with each inventory's VMs in a table: the first
// half of them in the table, the rest in VMs after it. An inventory with
// a table already is left as it is.
func tabled(in plan.Input) plan.Input {
	in.Inventories = maps.Clone(in.Inventories)
	for k, inv := range in.Inventories {
		if inv.Table != nil {
			continue
		}
		half := len(inv.VMs) / 2
		in.Inventories[k] = driver.Inventory{Table: sliceTable(inv.VMs[:half]), VMs: inv.VMs[half:], Hosts: inv.Hosts}
	}
	return in
}

// checkTabled fails t when the plan of in differs from p, the plan of in
// with the inventories' VMs in VMs: a diff reads a table's VMs as it
// reads those of VMs. Every test's mustDiff checks it.
func checkTabled(t testing.TB, in plan.Input, p *plan.Plan) {
	t.Helper()
	q, diags := plan.Diff(tabled(in))
	if diags.HasErrors() {
		t.Fatalf("Diff with the VMs in a table: %s", diagText(diags))
	}
	if d := cmp.Diff(p, q, cmp.Exporter(func(reflect.Type) bool { return true })); d != "" {
		t.Errorf("the plan with the VMs in a table differs (-VMs +table):\n%s", d)
	}
}
