package exec_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
)

func byProvider(c *plan.Change) string { return c.Provider() }

func TestParallelismBoundsRunningChanges(t *testing.T) {
	for _, par := range []int{1, 4} {
		d := openSim(t, "a", driver.Config{"latency": 50 * time.Millisecond})
		r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: par})
		p, g := graph(t, nil, creates("sim.a", "fleet.web", 12)...)

		res := r.apply(t, context.Background(), nil, p, g)

		if !res.OK() {
			t.Fatalf("parallelism %d: apply not OK: %d failed, %d skipped", par, res.Count(exec.Failed), res.Count(exec.Skipped))
		}
		got := r.log.maxRunning(func(*plan.Change) string { return "all" })["all"]
		if got != par {
			t.Errorf("parallelism %d: at most %d changes ran at once, want exactly %d", par, got, par)
		}
	}
}

// A provider limit holds one provider to its cap while another provider's
// work runs beside it.
func TestProviderLimitCapsOneProvider(t *testing.T) {
	slow := driver.Config{"latency": 30 * time.Millisecond}
	drivers := map[string]driver.Driver{"sim.a": openSim(t, "a", slow), "sim.b": openSim(t, "b", slow)}
	r := newRun(t, drivers, exec.Options{Parallelism: 8, ProviderLimits: map[string]int{"sim.a": 1}})
	p, g := graph(t, nil, append(creates("sim.a", "fleet.a", 6), creates("sim.b", "fleet.b", 6)...)...)

	res := r.apply(t, context.Background(), nil, p, g)

	if !res.OK() {
		t.Fatalf("apply not OK: %d failed, %d skipped", res.Count(exec.Failed), res.Count(exec.Skipped))
	}
	peak := r.log.maxRunning(byProvider)
	if peak["sim.a"] != 1 {
		t.Errorf("sim.a ran %d changes at once, want 1 (its limit)", peak["sim.a"])
	}
	// sim.a holds one worker for its whole run; the other 7 are free for
	// sim.b's 6 changes, which all start at once.
	if peak["sim.b"] != 6 {
		t.Errorf("sim.b ran at most %d changes at once while sim.a was capped, want 6", peak["sim.b"])
	}
	if got := len(inventory(t, drivers["sim.a"])) + len(inventory(t, drivers["sim.b"])); got != 12 {
		t.Errorf("the providers hold %d VMs, want 12", got)
	}
}

// A rate limit spaces the driver calls of its provider: 11 calls at 100 per
// second (burst 1) take at least 100ms even with no latency at all.
func TestRateLimitSlowsCalls(t *testing.T) {
	d := openSim(t, "a", nil)
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 8, RateLimits: map[string]float64{"sim.a": 100}})
	p, g := graph(t, nil, creates("sim.a", "fleet.web", 11)...)

	start := time.Now()
	res := r.apply(t, context.Background(), nil, p, g)
	elapsed := time.Since(start)

	if !res.OK() {
		t.Fatalf("apply not OK: %d failed", res.Count(exec.Failed))
	}
	if elapsed < 95*time.Millisecond {
		t.Errorf("11 rate-limited creates took %v, want at least 100ms", elapsed)
	}
}

// Every create is recorded in state with the ID the driver gave it.
func TestCreatesAreRecorded(t *testing.T) {
	d := openSim(t, "a", nil)
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 4})
	p, g := graph(t, nil, creates("sim.a", "fleet.web", 5)...)

	res := r.apply(t, context.Background(), nil, p, g)

	if !res.OK() {
		t.Fatalf("apply not OK: %d failed", res.Count(exec.Failed))
	}
	live := inventory(t, d)
	got, want := map[string]string{}, map[string]string{}
	for addr, vm := range r.saved(t).VMs {
		got[addr] = vm.Provider + " " + vm.ID + " " + vm.Name + " " + vm.Host
	}
	for _, c := range p.Changes {
		vm := live[c.After.Name]
		want[c.Address] = "sim.a " + vm.ID + " " + vm.Name + " " + vm.Host
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("saved state (-want +got):\n%s", diff)
	}
}
