package operation

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// recordNothing is an exec.Recorder that drops what it receives.
type recordNothing struct{}

func (recordNothing) Set(string, *state.VM)      {}
func (recordNothing) RemoveIf(string, string)    {}
func (recordNothing) Record(state.HistoryRecord) {}
func (recordNothing) Err() error                 { return nil }

// countGraphs counts plan.BuildGraph calls until the test ends.
func countGraphs(t *testing.T) *int {
	n := new(int)
	buildGraph = func(p *plan.Plan) (*plan.Graph, error) {
		*n++
		return plan.BuildGraph(p)
	}
	t.Cleanup(func() { buildGraph = plan.BuildGraph })
	return n
}

// An operation builds its graph once: a plan and its apply, or a saved
// plan's check and its apply.
func TestGraphBuiltOncePerOperation(t *testing.T) {
	dir := t.TempDir()
	text := `
provider "sim" "lab" {}
template "img" {
  sim { image = "x" }
}
fleet "web" {
  count     = 4
  template  = template.img
  cpu       = 1
  memory_gb = 1
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	reg := &driver.Registry{}
	reg.Register(sim.Factory())
	sp, diags := spec.NewLoader().Load(dir, spec.Options{Registry: reg})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, err := sim.Open(context.Background(), driver.OpenRequest{Name: "lab", DataDir: dir, Config: sp.Providers["sim.lab"].Config})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	op := &Operation{Spec: sp, Lineage: "l", Providers: ProvidersOf(sp, map[string]driver.Driver{"sim.lab": d})}

	n := countGraphs(t)
	p, diags := op.Plan(context.Background(), PlanOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if res := op.Apply(context.Background(), p, ApplyOptions{Recorder: recordNothing{}}); !res.OK() || len(res.Outcomes) != 4 {
		t.Fatalf("apply: %+v", res)
	}
	if *n != 1 {
		t.Errorf("plan and apply built the graph %d times, want once", *n)
	}

	destroy := &Operation{Spec: sp, Lineage: "l", Providers: op.Providers}
	saved, diags := destroy.Plan(context.Background(), PlanOptions{Destroy: true})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	*n = 0
	checked, diags := destroy.CheckSaved(context.Background(), saved.Plan)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if res := destroy.Apply(context.Background(), checked, ApplyOptions{Recorder: recordNothing{}}); !res.OK() || len(res.Outcomes) != 4 {
		t.Fatalf("apply of the checked plan: %+v", res)
	}
	if *n != 1 {
		t.Errorf("checking a saved plan and applying it built the graph %d times, want once", *n)
	}
}
