package plan_test

import (
	"context"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

const simSpec = `
fleet "web" {
  count     = 3
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  tags      = { tier = "web" }
  placement {
    spread_by = "host"
  }
}
`

// simWorld is a spec diffed against a real simulated cluster.
type simWorld struct {
	t     *testing.T
	ctx   context.Context
	spec  *spec.Spec
	drv   *sim.Driver
	state *state.State
}

func openSim(t *testing.T, body string) *simWorld {
	t.Helper()
	s := loadSpec(t, body)
	ctx := context.Background()
	d, err := sim.Open(ctx, driver.OpenRequest{Name: "lab", DataDir: t.TempDir(), Config: s.Providers[pk].Config})
	if err != nil {
		t.Fatalf("sim.Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return &simWorld{t: t, ctx: ctx, spec: s, drv: d}
}

func (w *simWorld) diff() *plan.Plan {
	w.t.Helper()
	inv, err := w.drv.Inventory(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return mustDiff(w.t, plan.Input{
		Spec: w.spec, State: w.state, Lineage: lineage,
		Inventories:  map[string]driver.Inventory{pk: inv},
		Capabilities: map[string]driver.Capabilities{pk: w.drv.Capabilities()},
	})
}

// create makes a plan's create in the sim, as the executor would, and
// records it in state unless crash is set.
func (w *simWorld) create(c *plan.Change, crash bool) {
	w.t.Helper()
	a := c.After
	vm, err := w.drv.Create(w.ctx, driver.VMSpec{
		Name: a.Name, Host: a.Host, CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGB: a.DiskGB, Power: a.Power,
		Template: c.Template, Tags: maps.Clone(a.Tags), Marker: *c.Marker,
	})
	if err != nil {
		w.t.Fatalf("Create %s: %v", c.Address, err)
	}
	if crash {
		return
	}
	if w.state == nil {
		w.state = state.New(lineage)
	}
	w.state.Serial++
	w.state.VMs[c.Address] = &state.VM{
		Provider: pk, ID: vm.ID, Fleet: c.Fleet, Name: vm.Name, Host: vm.Host, CPU: vm.CPU, MemoryMiB: vm.MemoryMiB,
		DiskGB: vm.DiskGB, Power: string(vm.Power), Template: vm.Template, Tags: vm.Tags, SpecHash: c.Marker.SpecHash,
	}
}

// TestDiffAgainstSim plans a fleet on a real sim cluster, creates it there
// (one create "crashes" before state is saved), and diffs again: the
// crashed VM is adopted, then nothing is left to do until the VM drifts.
func TestDiffAgainstSim(t *testing.T) {
	w := openSim(t, simSpec)
	p := w.diff()
	want := []row{
		{"fleet.web[0]", plan.Create, "", []string{whyNotFound}, "host hv-01"},
		{"fleet.web[1]", plan.Create, "", []string{whyNotFound}, "host hv-02"},
		{"fleet.web[2]", plan.Create, "", []string{whyNotFound}, "host hv-03"},
	}
	if diff := cmp.Diff(want, rows(p)); diff != "" {
		t.Fatalf("first plan (-want +got):\n%s", diff)
	}
	for i, c := range p.Changes {
		w.create(c, i == 2)
	}
	id2 := ""
	inv, _ := w.drv.Inventory(w.ctx)
	for _, vm := range inv.VMs {
		if vm.Marker != nil && vm.Marker.Address == "fleet.web[2]" {
			id2 = vm.ID
		}
	}
	want = []row{{"fleet.web[2]", plan.Adopt, id2, []string{"VM " + id2 + whyAdopt}, ""}}
	if diff := cmp.Diff(want, rows(w.diff())); diff != "" {
		t.Fatalf("plan after a crash (-want +got):\n%s", diff)
	}
	w.state.VMs["fleet.web[2]"] = &state.VM{Provider: pk, ID: id2, Fleet: "fleet.web", Name: "web-2"}
	if p := w.diff(); !p.Empty() {
		t.Fatalf("plan after the adoption: %v; want no changes", rows(p))
	}

	one := 1
	if _, err := w.drv.Update(w.ctx, w.state.VMs["fleet.web[0]"].ID, driver.Changes{CPU: &one, Restart: true}); err != nil {
		t.Fatal(err)
	}
	want = []row{{"fleet.web[0]", plan.Update, w.state.VMs["fleet.web[0]"].ID, []string{"cpu 1 → 2"}, ""}}
	if diff := cmp.Diff(want, rows(w.diff())); diff != "" {
		t.Errorf("plan after a resize in the sim (-want +got):\n%s", diff)
	}
}

// TestDiffSimNameConflict: a VM made outside NovaCron in the sim holds the
// name a create needs.
func TestDiffSimNameConflict(t *testing.T) {
	w := openSim(t, simSpec)
	if _, err := w.drv.Create(w.ctx, driver.VMSpec{Name: "web-1", CPU: 1, MemoryMiB: gib, Template: ubuntu}); err != nil {
		t.Fatal(err)
	}
	inv, _ := w.drv.Inventory(w.ctx)
	_, diags := plan.Diff(plan.Input{
		Spec: w.spec, Lineage: lineage, Inventories: map[string]driver.Inventory{pk: inv},
		Capabilities: map[string]driver.Capabilities{pk: w.drv.Capabilities()},
	})
	if len(diags) != 1 || diags[0].Summary != "VM name already in use" {
		t.Errorf("diagnostics %s; want one name conflict", diagText(diags))
	}
}
