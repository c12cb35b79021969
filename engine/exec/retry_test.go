package exec_test

import (
	"context"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
)

var fastRetry = exec.RetryPolicy{MaxAttempts: 10, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// With half of all calls failing, every create still succeeds by retrying,
// and no VM is made twice. One worker keeps the order of the sim's fault
// rolls, and so the outcome, fixed by the seed.
func TestTransientFailuresAreRetried(t *testing.T) {
	d := openSim(t, "a", driver.Config{"fail_rate": 0.5, "seed": int64(42)})
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 1, Retry: fastRetry})
	p, g := graph(t, nil, creates("sim.a", "fleet.web", 20)...)

	res := r.apply(t, context.Background(), nil, p, g)

	retries := map[string]int{}
	for _, ev := range r.log.events {
		if ev.Kind == exec.EventRetrying {
			retries[ev.Change.Address]++
			if ev.Err == nil || driver.KindOf(ev.Err) != driver.KindTransient {
				t.Errorf("retry of %s after %v, want a transient error", ev.Change.Address, ev.Err)
			}
		}
	}
	if len(retries) == 0 {
		t.Fatal("no EventRetrying at fail_rate 0.5: the retry path was not exercised")
	}
	for i, o := range res.Outcomes {
		c := p.Changes[i]
		if o.Status != exec.Succeeded {
			t.Errorf("%s: %v (%v) after %d attempts, want ok", c.Address, o.Status, o.Err, o.Attempts)
		}
		if o.Attempts != retries[c.Address]+1 {
			t.Errorf("%s: %d attempts, but %d retry events", c.Address, o.Attempts, retries[c.Address])
		}
	}
	live := inventory(t, d) // fails on a duplicate name
	if len(live) != len(p.Changes) {
		t.Errorf("the sim holds %d VMs, want %d", len(live), len(p.Changes))
	}
	for addr, vm := range r.saved(t).VMs {
		if live[vm.Name].ID != vm.ID {
			t.Errorf("state records %s as %s, the sim has %s", addr, vm.ID, live[vm.Name].ID)
		}
	}
}

// Errors a retry cannot fix fail the change at once; transient ones are
// tried MaxAttempts times.
func TestErrorKindsDecideRetries(t *testing.T) {
	tests := []struct {
		name     string
		failRate float64
		change   func(t *testing.T, d driver.Driver) *plan.Change
		kind     driver.Kind
		attempts int
	}{
		{
			name: "create on an unknown host",
			change: func(t *testing.T, d driver.Driver) *plan.Change {
				c := createChange("sim.a", "fleet.web", 0)
				c.After.Host = "hv-99"
				return c
			},
			kind: driver.KindPermanent, attempts: 1,
		},
		{
			name: "lowering the cpu of a running VM without restart",
			change: func(t *testing.T, d driver.Driver) *plan.Change {
				c := createChange("sim.a", "fleet.web", 0)
				c.After.CPU = 4
				return updateChange(c, existing(t, d, c), 2, 0)
			},
			kind: driver.KindPermanent, attempts: 1,
		},
		{
			name: "update of a VM that is gone",
			change: func(t *testing.T, d driver.Driver) *plan.Change {
				c := createChange("sim.a", "fleet.web", 0)
				return updateChange(c, driver.VM{ID: "vm-999999", Host: "hv-01"}, 2, 0)
			},
			kind: driver.KindNotFound, attempts: 1,
		},
		{
			name: "every call fails transiently", failRate: 1,
			change: func(t *testing.T, d driver.Driver) *plan.Change { return createChange("sim.a", "fleet.web", 0) },
			kind:   driver.KindTransient, attempts: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openSim(t, "a", driver.Config{"fail_rate": tt.failRate})
			c := tt.change(t, d)
			retry := fastRetry
			retry.MaxAttempts = 3
			r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Retry: retry})
			p, g := graph(t, nil, c)

			o := r.apply(t, context.Background(), nil, p, g).Outcomes[0]

			if o.Status != exec.Failed || driver.KindOf(o.Err) != tt.kind || o.Attempts != tt.attempts {
				t.Errorf("outcome %v, %v error %q after %d attempts; want failed, %v error after %d",
					o.Status, driver.KindOf(o.Err), o.Err, o.Attempts, tt.kind, tt.attempts)
			}
			if got := r.log.count(exec.EventRetrying); got != tt.attempts-1 {
				t.Errorf("%d retry events, want %d", got, tt.attempts-1)
			}
		})
	}
}

// A create-before-destroy replace that is retried (as `-replace` plans it,
// with the same marker as the VM it replaces) must not take the old VM for
// the new one: the old VM is deleted, the new one kept and recorded.
func TestRetriedReplaceKeepsTheNewVM(t *testing.T) {
	dir := t.TempDir()
	c := createChange("sim.a", "fleet.web", 0)
	setup := openSimAt(t, dir, "a", nil)
	old := existing(t, setup, c)
	if err := setup.Close(); err != nil {
		t.Fatal(err)
	}
	// Seed 3 fails the first create, so the replace is retried.
	d := openSimAt(t, dir, "a", driver.Config{"fail_rate": 0.5, "seed": int64(3)})
	before := c.After.Clone()
	before.Host = old.Host
	replace := &plan.Change{
		Address: c.Address, Fleet: c.Fleet, Action: plan.Replace, ID: old.ID,
		Before: before, After: c.After, Reasons: []string{"-replace"},
		CreateBeforeDestroy: true, Marker: c.Marker, Template: image,
	}
	retry := fastRetry
	retry.MaxAttempts = 30
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Retry: retry})
	p, g := graph(t, nil, replace)

	o := r.apply(t, context.Background(), nil, p, g).Outcomes[0]

	if o.Status != exec.Succeeded {
		t.Fatalf("replace: %v after %d attempts: %v", o.Status, o.Attempts, o.Err)
	}
	if o.Attempts < 2 {
		t.Fatalf("the replace took %d attempt; the test needs a seed that makes it retry", o.Attempts)
	}
	live := inventory(t, d)
	vm, ok := live[c.After.Name]
	if len(live) != 1 || !ok || vm.ID == old.ID {
		t.Fatalf("after the replace the sim holds %v; want one VM %s that is not the old %s", live, c.After.Name, old.ID)
	}
	if got := r.saved(t).VMs[c.Address]; got == nil || got.ID != vm.ID {
		t.Errorf("state records %s as %+v, want ID %s", c.Address, got, vm.ID)
	}
}
