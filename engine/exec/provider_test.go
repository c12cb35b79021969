package exec_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
)

// A change for a provider that has no open driver fails with an error
// naming the provider, and what depends on it is skipped; changes for open
// providers go on. Before, such a change sat in a queue nothing read and
// the apply ended with it "not started" and no error.
func TestChangeForUnopenedProviderFails(t *testing.T) {
	d := openSim(t, "a", nil)
	a := creates("sim.a", "fleet.a", 2)
	gone := creates("sim.gone", "fleet.gone", 2)
	after := creates("sim.a", "fleet.after", 1)
	deps := map[string][]string{"fleet.after": {"fleet.gone"}}
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 4, Retry: fastRetry})
	p, g := graph(t, deps, append(append(a, gone...), after...)...)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := r.apply(t, ctx, nil, p, g)

	want := map[string]exec.Status{
		"fleet.a[0]": exec.Succeeded, "fleet.a[1]": exec.Succeeded,
		"fleet.gone[0]": exec.Failed, "fleet.gone[1]": exec.Failed,
		"fleet.after[0]": exec.Skipped,
	}
	if diff := cmp.Diff(want, statuses(p, res)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	for i, o := range res.Outcomes {
		if o.Status != exec.Failed {
			continue
		}
		if o.Err == nil || !strings.Contains(o.Err.Error(), "provider sim.gone is not open") || o.Attempts != 1 {
			t.Errorf("%s failed with %v after %d attempt(s); want one attempt and an error naming provider sim.gone", p.Changes[i].Address, o.Err, o.Attempts)
		}
	}
	if res.OK() || res.Interrupted {
		t.Errorf("OK %v, Interrupted %v; want a failed apply", res.OK(), res.Interrupted)
	}
}

// An imported adopt writes the workspace's marker on the VM through the
// driver and records it in state; a marker-found adopt only records it.
func TestAdoptImportWritesMarker(t *testing.T) {
	d := openSim(t, "a", nil)
	made := createChange("sim.a", "fleet.web", 0)
	unmarked := *made
	unmarked.Marker = &driver.Marker{}
	vm := existing(t, d, &unmarked)
	before := made.After.Clone()
	before.Host = vm.Host
	imp := &plan.Change{
		Address: made.Address, Fleet: made.Fleet, Action: plan.Adopt, ID: vm.ID,
		Before: before, After: before.Clone(), Reasons: []string{"import"},
		Marker: made.Marker, Imported: true,
	}
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Retry: fastRetry})
	p, g := graph(t, nil, imp)
	if res := r.apply(t, context.Background(), nil, p, g); !res.OK() {
		t.Fatalf("apply: %+v", res.Outcomes)
	}
	got := inventory(t, d)[vm.Name]
	if got.Marker == nil || *got.Marker != *made.Marker {
		t.Errorf("the imported VM carries marker %+v; want %+v", got.Marker, made.Marker)
	}
	rec := r.saved(t).VMs[made.Address]
	if rec == nil || rec.ID != vm.ID || rec.SpecHash != made.Marker.SpecHash || rec.Host != vm.Host {
		t.Errorf("state records %+v at %s; want VM %s on %s with spec hash %s", rec, made.Address, vm.ID, vm.Host, made.Marker.SpecHash)
	}
}
