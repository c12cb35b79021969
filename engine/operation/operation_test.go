package operation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// The core plans a spec against the simulator, applies the plan through a
// face's own recorder, and then plans nothing more to do.
func TestPlanAndApplyOnTheSimulator(t *testing.T) {
	f := newFixture(t, simSpec(""))
	st := state.New(lineage)
	p := mustPlan(t, f.operation(st))
	got := map[string]string{}
	for _, c := range p.Changes {
		got[c.Address] = c.Action.String()
	}
	want := map[string]string{"vm.db": "create", "fleet.web[0]": "create", "fleet.web[1]": "create", "fleet.web[2]": "create"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("plan (-want +got):\n%s", diff)
	}
	if p.Graph() == nil || len(p.Graph().Nodes) < len(p.Changes) {
		t.Fatalf("the plan has no graph of its %d changes", len(p.Changes))
	}
	if p.InventoryFingerprint.Managed == "" {
		t.Error("the plan has no inventory fingerprint to check a saved plan against")
	}

	rec := newRecorder(st)
	res := f.operation(st).Apply(context.Background(), p, operation.ApplyOptions{Recorder: rec, RunID: "run-1"})
	if !res.OK() {
		t.Fatalf("apply: %s", diagText(operation.OutcomeDiagnostics(f.spec, p.Plan, res)))
	}
	inv, err := f.drivers["sim.lab"].Inventory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]*driver.Marker{}
	for _, vm := range inv.VMs {
		live[vm.ID] = vm.Marker
	}
	for addr, vm := range rec.st.VMs {
		m := live[vm.ID]
		if m == nil || m.Address != addr || m.Lineage != lineage {
			t.Errorf("%s: the recorder holds VM %s, which the simulator has with marker %+v", addr, vm.ID, m)
		}
	}
	if len(rec.st.VMs) != 4 || len(inv.VMs) != 4 {
		t.Errorf("the recorder holds %d VMs and the simulator %d, want 4 each", len(rec.st.VMs), len(inv.VMs))
	}
	for _, h := range rec.history {
		if h.Kind != state.RecordAction || h.Outcome != state.OutcomeOK || h.RunID != "run-1" {
			t.Errorf("history record %+v, want an ok action record of run-1", h)
		}
	}
	if len(rec.history) != 4 {
		t.Errorf("%d history records, want one per change", len(rec.history))
	}
	if again := mustPlan(t, f.operation(rec.st)); !again.Empty() {
		t.Errorf("plan after apply has %d changes, want none", len(again.Changes))
	}
}

// A provider's parallelism reaches the executor.
func TestProviderParallelismLimitsTheApply(t *testing.T) {
	f := newFixture(t, simSpec(`latency = "20ms"`))
	op := f.operation(state.New(lineage))
	pv := op.Providers["sim.lab"]
	pv.Parallelism = 2
	op.Providers["sim.lab"] = pv
	p := mustPlan(t, op)
	running, peak := 0, 0
	res := op.Apply(context.Background(), p, operation.ApplyOptions{
		Recorder: newRecorder(state.New(lineage)), Parallelism: 10,
		Events: func(ev exec.Event) { // never called concurrently
			switch ev.Kind {
			case exec.EventStarted:
				running++
				peak = max(peak, running)
			case exec.EventSucceeded, exec.EventFailed:
				running--
			}
		},
	})
	if !res.OK() {
		t.Fatalf("apply: %+v", res)
	}
	if peak != 2 {
		t.Errorf("at most %d changes ran at once; the provider's parallelism is 2", peak)
	}
}

// An inventory read cut short by an interrupt says "Interrupted", not that
// the provider failed; one that runs out of time keeps the provider's error
// on its block.
func TestInventoryInterruptedOrTimedOut(t *testing.T) {
	f := newFixture(t, simSpec(`latency = "10s"`))
	op := f.operation(nil)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, diags := op.Inventory(ctx)
	if diff := cmp.Diff(diagText(operation.Interrupted()), diagText(diags)); diff != "" {
		t.Errorf("interrupted inventory (-want +got):\n%s", diff)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, diags = op.Plan(ctx, operation.PlanOptions{})
	if len(diags) != 1 || diags[0].Summary != "Cannot read the inventory of provider sim.lab" || diags[0].Subject == nil ||
		diags[0].Subject.Start.Line != 2 {
		t.Errorf("timed-out inventory: %s (subject %v), want the provider's error on its block at line 2", diagText(diags), diags[0].Subject)
	}
}

// A saved plan applies only while the VMs it was made from are as they
// were.
func TestCheckSaved(t *testing.T) {
	f := newFixture(t, simSpec(""))
	p := mustPlan(t, f.operation(nil))
	if _, diags := f.operation(nil).CheckSaved(context.Background(), p.Plan); diags.HasErrors() {
		t.Fatalf("CheckSaved refused an untouched plan: %s", diagText(diags))
	}
	_, err := f.drivers["sim.lab"].Create(context.Background(), driver.VMSpec{
		Name: "intruder", CPU: 1, MemoryMiB: 512, DiskGB: 10, Power: driver.PowerRunning,
		Template: f.spec.Fleets[0].TemplateRef,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, diags := f.operation(nil).CheckSaved(context.Background(), p.Plan)
	if !diags.HasErrors() || diags[0].Summary != "Cannot apply the saved plan" || !strings.Contains(diags[0].Detail, "stale") {
		t.Errorf("CheckSaved after a VM appeared = %s, want a stale plan", diagText(diags))
	}
}

// A change that fails on the simulator becomes an error on its block, and
// the changes that depend on it a warning saying why they were not made.
func TestApplyFailureBecomesDiagnostics(t *testing.T) {
	f := newFixture(t, simSpec("fail_rate = 1"))
	st := state.New(lineage)
	p := mustPlan(t, f.operation(st))
	res := f.operation(st).Apply(context.Background(), p, operation.ApplyOptions{
		Recorder: newRecorder(st), Retry: exec.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond},
	})
	diags := operation.OutcomeDiagnostics(f.spec, p.Plan, res)
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+" @"+d.Subject.String())
	}
	want := []string{
		"vm.db: create failed @" + f.spec.Fleet("vm.db").DeclRange.String(),
		"fleet.web: 3 changes not made @" + f.spec.Fleet("fleet.web").DeclRange.String(),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(diags) > 0 && !strings.Contains(diags[0].Detail, "simulated transient fault") || !strings.Contains(diags[0].Detail, "after 2 attempts") {
		t.Errorf("the failure's detail %q does not give the error and the attempts", diags[0].Detail)
	}
}

// PlanWith plans against the inventories it is given, without reading
// them again: a VM only the given inventory holds decides the plan.
func TestPlanWithGivenInventories(t *testing.T) {
	f := newFixture(t, simSpec(""))
	op := f.operation(nil)
	invs, diags := op.Inventory(context.Background())
	if diags.HasErrors() {
		t.Fatal(diagText(diags))
	}
	inv := invs["sim.lab"]
	inv.VMs = append(inv.VMs, driver.VM{ID: "vm-x", Name: "web-1", Host: inv.Hosts[0].Name, CPU: 1, MemoryMiB: 512, Power: driver.PowerRunning})
	invs["sim.lab"] = inv
	_, diags = op.PlanWith(invs, operation.PlanOptions{})
	if !diags.HasErrors() || diags[0].Summary != "VM name already in use" || !strings.Contains(diags[0].Detail, "vm-x") {
		t.Errorf("PlanWith = %s, want the name of the given inventory's VM vm-x in use", diagText(diags))
	}
}

// Without a spec, an operation plans the deletion of what its state
// holds, as the provider's destroy does.
func TestDestroyWithoutSpec(t *testing.T) {
	f := newFixture(t, simSpec(""))
	st := state.New(lineage)
	rec := newRecorder(st)
	if res := f.operation(st).Apply(context.Background(), mustPlan(t, f.operation(st)), operation.ApplyOptions{Recorder: rec}); !res.OK() {
		t.Fatalf("apply: %+v", res)
	}
	op := &operation.Operation{State: rec.st, Providers: operation.ProvidersOf(nil, f.drivers)}
	p := mustPlan(t, op)
	for _, c := range p.Changes {
		if c.Action != plan.Delete {
			t.Errorf("%s: %s, want delete", c.Address, c.Action)
		}
	}
	after := newRecorder(rec.st)
	if res := op.Apply(context.Background(), p, operation.ApplyOptions{Recorder: after}); !res.OK() || len(res.Outcomes) != 4 {
		t.Fatalf("destroy: %+v", res)
	}
	if len(after.st.VMs) != 0 {
		t.Errorf("after destroy the recorder holds %v", after.st.Addresses())
	}
}
