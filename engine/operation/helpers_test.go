package operation_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// lineage is the lineage the tests' operations mark VMs with.
const lineage = "operation-test-lineage"

// simSpec is a spec of one vm and a fleet of three on one simulated
// provider; provider settings (latency, fail_rate, …) are added to it.
func simSpec(settings string) string {
	return `
provider "sim" "lab" {
  hosts          = 2
  host_cpu       = 64
  host_memory_gb = 256
` + settings + `
}

template "img" {
  sim { image = "ubuntu" }
}

vm "db" {
  template  = template.img
  cpu       = 2
  memory_gb = 4
}

fleet "web" {
  count      = 3
  template   = template.img
  cpu        = 1
  memory_gb  = 1
  depends_on = [vm.db]
}
`
}

// fixture is a spec loaded from source and its providers opened.
type fixture struct {
	spec    *spec.Spec
	drivers map[string]driver.Driver
}

// newFixture writes text as a spec file, loads it, and opens its
// providers in a fresh data folder; they close when the test ends.
func newFixture(t *testing.T, text string) *fixture {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	reg := &driver.Registry{}
	reg.Register(sim.Factory())
	sp, diags := spec.NewLoader().Load(dir, spec.Options{Registry: reg})
	if diags.HasErrors() {
		t.Fatalf("loading the spec: %s", diagText(diags))
	}
	f := &fixture{spec: sp, drivers: map[string]driver.Driver{}}
	for key, p := range sp.Providers {
		d, err := p.Factory.Open(context.Background(), driver.OpenRequest{Name: p.Name, DataDir: filepath.Join(dir, ".nova"), Config: p.Config})
		if err != nil {
			t.Fatalf("opening %s: %v", key, err)
		}
		t.Cleanup(func() { d.Close() })
		f.drivers[key] = d
	}
	return f
}

// operation is an operation of the fixture's spec against st.
func (f *fixture) operation(st *state.State) *operation.Operation {
	return &operation.Operation{Spec: f.spec, State: st, Lineage: lineage, Providers: operation.ProvidersOf(f.spec, f.drivers)}
}

// mustPlan plans, failing the test on errors.
func mustPlan(t *testing.T, op *operation.Operation) *operation.Planned {
	t.Helper()
	p, diags := op.Plan(context.Background(), operation.PlanOptions{})
	if diags.HasErrors() {
		t.Fatalf("Plan: %s", diagText(diags))
	}
	return p
}

// recorder is an exec.Recorder that keeps results in memory, as the
// Terraform provider's does.
type recorder struct {
	mu      sync.Mutex
	st      *state.State
	history []state.HistoryRecord
}

func newRecorder(st *state.State) *recorder { return &recorder{st: st.Clone()} }

func (r *recorder) Set(addr string, vm *state.VM) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.st.VMs[addr] = vm.Clone()
}

func (r *recorder) RemoveIf(addr, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if vm := r.st.VMs[addr]; vm != nil && vm.ID == id {
		delete(r.st.VMs, addr)
	}
}

func (r *recorder) Record(rec state.HistoryRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.history = append(r.history, rec)
}

func (r *recorder) Err() error { return nil }

func diagText(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}
