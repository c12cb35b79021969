package operation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/state"
)

// makeOwned creates VM name on the fixture's simulator as another owner
// would, with that owner's marker.
func (f *fixture) makeOwned(t *testing.T, name, address, owner string) string {
	t.Helper()
	vm, err := f.drivers["sim.lab"].Create(context.Background(), driver.VMSpec{
		Name: name, CPU: 1, MemoryMiB: 1024, DiskGB: 10, Power: driver.PowerRunning,
		Template: f.spec.Fleets[1].TemplateRef,
		Marker:   driver.Marker{Address: address, Lineage: owner, SpecHash: "x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return vm.ID
}

// PlanImportWith adopts several VMs in one plan; applied, each carries the
// operation's marker at its new address. Without force, VMs another
// lineage's marker claims are refused, one error each.
func TestPlanImportWithSeveralVMs(t *testing.T) {
	f := newFixture(t, simSpec(""))
	web0 := f.makeOwned(t, "web-0", "fleet.old[0]", "another-owner")
	web1 := f.makeOwned(t, "web-1", "fleet.old[1]", "another-owner")
	invs, diags := f.operation(nil).Inventory(context.Background())
	if diags.HasErrors() {
		t.Fatal(diagText(diags))
	}
	web := addrs.Fleet{Name: "web"}
	imports := []operation.Import{{Address: web.Instance(addrs.IntKey(0)), ID: web0}, {Address: web.Instance(addrs.IntKey(1)), ID: web1}}

	st := state.New(lineage)
	if _, diags := f.operation(st).PlanImportWith(invs, imports, false); len(diags) != 2 ||
		!strings.Contains(diagText(diags), "VM belongs to another workspace") {
		t.Fatalf("an import of two VMs owned elsewhere, not forced: %s; want two refusals", diagText(diags))
	}

	p, diags := f.operation(st).PlanImportWith(invs, imports, true)
	if diags.HasErrors() {
		t.Fatalf("forced import: %s", diagText(diags))
	}
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Address+" "+c.Action.String()+" "+c.ID)
	}
	if diff := cmp.Diff([]string{"fleet.web[0] adopt " + web0, "fleet.web[1] adopt " + web1}, got); diff != "" {
		t.Fatalf("planned changes (-want +got):\n%s", diff)
	}
	rec := newRecorder(st)
	var res *operation.Result = f.operation(st).Apply(context.Background(), p, operation.ApplyOptions{Recorder: rec})
	if !res.OK() || res.Count(operation.Succeeded) != 2 {
		t.Fatalf("apply: %s", diagText(operation.OutcomeDiagnostics(f.spec, p.Plan, res)))
	}
	inv, err := f.drivers["sim.lab"].Inventory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, vm := range inv.VMs {
		want := map[string]string{web0: "fleet.web[0]", web1: "fleet.web[1]"}[vm.ID]
		if vm.Marker == nil || vm.Marker.Address != want || vm.Marker.Lineage != lineage {
			t.Errorf("VM %s carries marker %+v after the import, want %s of lineage %s", vm.ID, vm.Marker, want, lineage)
		}
		if rec.st.VMs[want] == nil || rec.st.VMs[want].ID != vm.ID {
			t.Errorf("the recorder does not hold VM %s at %s", vm.ID, want)
		}
	}
	if _, diags := f.operation(st).PlanImportWith(invs, nil, true); !diags.HasErrors() {
		t.Error("an import of no VMs plans without an error")
	}
}
