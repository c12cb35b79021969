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

// mixedPlan has changes that succeed, one that fails and some skipped
// because of it.
func mixedPlan(t *testing.T) (*plan.Plan, *plan.Graph) {
	t.Helper()
	a := creates("sim.a", "fleet.a", 3)
	a[1].After.Host = "hv-99"
	b := creates("sim.a", "fleet.b", 2)
	return graph(t, map[string][]string{"fleet.b": {"fleet.a"}}, append(a, b...)...)
}

// The audit log holds one action record per finished or skipped change,
// with its action and outcome and the run's ID.
func TestHistoryRecordsEveryAction(t *testing.T) {
	d := openSim(t, "a", nil)
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 3, RunID: "run-1"})
	p, g := mixedPlan(t)

	r.apply(t, context.Background(), nil, p, g)

	recs, err := r.store.History(context.Background())
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	type action struct{ Kind, RunID, Action, Outcome string }
	got := map[string]action{}
	for _, rec := range recs {
		if _, dup := got[rec.Address]; dup {
			t.Errorf("%s has more than one record", rec.Address)
		}
		got[rec.Address] = action{string(rec.Kind), rec.RunID, rec.Action, string(rec.Outcome)}
		if rec.Time.IsZero() {
			t.Errorf("%s: record without a time", rec.Address)
		}
		if (rec.Outcome == "ok") != (rec.Error == "") {
			t.Errorf("%s: outcome %s with error %q", rec.Address, rec.Outcome, rec.Error)
		}
		if rec.Outcome == "skipped" && !strings.Contains(rec.Error, "fleet.a[1]") {
			t.Errorf("%s: skipped because %q, want it to name fleet.a[1]", rec.Address, rec.Error)
		}
	}
	want := map[string]action{
		"fleet.a[0]": {"action", "run-1", "create", "ok"},
		"fleet.a[1]": {"action", "run-1", "create", "failed"},
		"fleet.a[2]": {"action", "run-1", "create", "ok"},
		"fleet.b[0]": {"action", "run-1", "create", "skipped"},
		"fleet.b[1]": {"action", "run-1", "create", "skipped"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

// Done counts up one finished change at a time to Total, across started,
// retrying, finished and skipped events; and Events is never called
// concurrently, though workers report retries.
func TestEventsCountProgress(t *testing.T) {
	d := openSim(t, "a", driver.Config{"fail_rate": 0.3, "latency": 2 * time.Millisecond})
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 8, Retry: fastRetry})
	a := creates("sim.a", "fleet.a", 40)
	a[0].After.Host = "hv-99"
	p, g := graph(t, map[string][]string{"fleet.b": {"fleet.a"}}, append(a, creates("sim.a", "fleet.b", 10)...)...)

	r.apply(t, context.Background(), nil, p, g)

	if r.log.count(exec.EventRetrying) == 0 {
		t.Error("no retry events: workers never emitted")
	}
	done, finished := 0, 0
	for i, ev := range r.log.events {
		if ev.Total != len(p.Changes) {
			t.Fatalf("event %d: Total %d, want %d", i, ev.Total, len(p.Changes))
		}
		if ev.Done < done {
			t.Fatalf("event %d: Done went back from %d to %d", i, done, ev.Done)
		}
		done = ev.Done
		switch ev.Kind {
		case exec.EventSucceeded, exec.EventFailed, exec.EventSkipped:
			finished++
			if ev.Done != finished {
				t.Fatalf("event %d (%v of %s): Done %d after %d finished changes", i, ev.Kind, ev.Change.Address, ev.Done, finished)
			}
		}
	}
	if done != len(p.Changes) || finished != len(p.Changes) {
		t.Errorf("ended at Done %d with %d finished events, want %d", done, finished, len(p.Changes))
	}
}
