package exec_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
)

// A failed change skips what depends on it, naming it; independent
// branches finish.
func TestFailureSkipsDependents(t *testing.T) {
	d := openSim(t, "a", nil)
	a := creates("sim.a", "fleet.a", 2)
	a[0].After.Host = "hv-99" // no such host: a permanent error
	b := creates("sim.a", "fleet.b", 2)
	c := creates("sim.a", "fleet.c", 2)
	deps := map[string][]string{"fleet.b": {"fleet.a"}}
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 4, Retry: fastRetry})
	p, g := graph(t, deps, append(append(a, b...), c...)...)

	res := r.apply(t, context.Background(), nil, p, g)

	want := map[string]exec.Status{
		"fleet.a[0]": exec.Failed, "fleet.a[1]": exec.Succeeded,
		"fleet.b[0]": exec.Skipped, "fleet.b[1]": exec.Skipped,
		"fleet.c[0]": exec.Succeeded, "fleet.c[1]": exec.Succeeded,
	}
	if diff := cmp.Diff(want, statuses(p, res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	for i, o := range res.Outcomes {
		if o.Status == exec.Skipped && !strings.Contains(o.Reason, "fleet.a[0] (create) failed") {
			t.Errorf("%s skipped because %q, want the reason to name fleet.a[0]", p.Changes[i].Address, o.Reason)
		}
	}
	if res.Interrupted || res.OK() {
		t.Errorf("Interrupted %v, OK %v; want false, false", res.Interrupted, res.OK())
	}
}

// A failed rollout batch halts its fleet: the rest of its batch that has
// not started, its later batches and its other queued changes are skipped,
// while another fleet's rollout completes. One worker makes the order fixed.
func TestFailedBatchHaltsItsFleet(t *testing.T) {
	d := openSim(t, "a", nil)
	var changes []*plan.Change
	rollout := func(fleet string, n int, failFirst bool) {
		for i, c := range creates("sim.a", fleet, n) {
			c.After.CPU = 4
			cpu := 8 // growing cpu works on a running VM
			if i == 0 && failFirst {
				cpu = 2 // shrinking it needs a restart the change does not allow
			}
			changes = append(changes, updateChange(c, existing(t, d, c), cpu, i/2+1))
		}
	}
	rollout("fleet.w", 5, true)
	rollout("fleet.o", 4, false)
	extra := createChange("sim.a", "fleet.w", 5) // a new VM in the halted fleet
	changes = append(changes, extra)
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 1})
	p, g := graph(t, nil, changes...)

	res := r.apply(t, context.Background(), nil, p, g)

	type outcome struct {
		Status exec.Status
		Reason string
	}
	halted := "fleet fleet.w halted after a rollout batch failed"
	failed := "fleet.w[0] (update) failed"
	want := map[string]outcome{
		"fleet.w[0]": {exec.Failed, ""}, "fleet.w[1]": {exec.Skipped, halted},
		"fleet.w[2]": {exec.Skipped, failed}, "fleet.w[3]": {exec.Skipped, failed},
		"fleet.w[4]": {exec.Skipped, failed}, "fleet.w[5]": {exec.Skipped, halted},
		"fleet.o[0]": {exec.Succeeded, ""}, "fleet.o[1]": {exec.Succeeded, ""},
		"fleet.o[2]": {exec.Succeeded, ""}, "fleet.o[3]": {exec.Succeeded, ""},
	}
	got := map[string]outcome{}
	for i, o := range res.Outcomes {
		got[p.Changes[i].Address] = outcome{o.Status, o.Reason}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if _, made := inventory(t, d)[extra.After.Name]; made {
		t.Errorf("%s was created in a halted fleet", extra.Address)
	}
}

// A panic while applying a change (here: a create without its marker, which
// only a damaged plan has) fails that change and skips its dependents; the
// process and the other changes go on, and no unmarked VM is made.
func TestPanicInActionFailsOnlyThatChange(t *testing.T) {
	d := openSim(t, "a", nil)
	a := creates("sim.a", "fleet.a", 2)
	a[0].Marker = nil
	b := creates("sim.a", "fleet.b", 1)
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 2})
	p, g := graph(t, map[string][]string{"fleet.b": {"fleet.a"}}, append(a, b...)...)

	res := r.apply(t, context.Background(), nil, p, g)

	want := map[string]exec.Status{"fleet.a[0]": exec.Failed, "fleet.a[1]": exec.Succeeded, "fleet.b[0]": exec.Skipped}
	if diff := cmp.Diff(want, statuses(p, res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if err := res.Outcomes[0].Err; err == nil || !strings.Contains(err.Error(), "fleet.a[0]") {
		t.Errorf("error %v, want one naming fleet.a[0]", err)
	}
	if _, made := inventory(t, d)[a[0].After.Name]; made {
		t.Errorf("%s was created without its marker", a[0].Address)
	}
}
