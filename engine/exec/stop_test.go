package exec_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
)

// Closing stop lets the changes in flight finish and starts nothing more;
// what finished is in the saved state, and nothing else exists.
func TestStopFinishesInFlightWork(t *testing.T) {
	d := openSim(t, "a", driver.Config{"latency": 20 * time.Millisecond})
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 10})
	p, g := graph(t, nil, creates("sim.a", "fleet.web", 200)...)
	stop := make(chan struct{})
	stoppedAt := -1 // index in the event log of the event that stopped the apply
	r.log.after = func(ev exec.Event) {
		if ev.Kind == exec.EventSucceeded && stoppedAt < 0 && r.log.count(exec.EventSucceeded) == 5 {
			close(stop)
			stoppedAt = len(r.log.events) - 1
		}
	}

	res := r.apply(t, context.Background(), stop, p, g)

	if !res.Interrupted {
		t.Error("Interrupted = false after stop was closed")
	}
	if stoppedAt < 0 {
		t.Fatal("the apply never reached 5 completions")
	}
	started := map[string]bool{}
	for i, ev := range r.log.events {
		if ev.Kind == exec.EventStarted {
			started[ev.Change.Address] = true
			if i > stoppedAt {
				t.Errorf("%s started after stop was closed", ev.Change.Address)
			}
		}
	}
	succeeded := map[string]bool{}
	for addr, s := range statuses(p, res) {
		switch {
		case s == exec.Succeeded:
			succeeded[addr] = true
		case s != exec.NotStarted:
			t.Errorf("%s: %v, want ok or not started", addr, s)
		}
		if started[addr] != (s == exec.Succeeded) {
			t.Errorf("%s: started %v but status %v; in-flight changes must finish", addr, started[addr], s)
		}
	}
	if n := res.Count(exec.NotStarted); n < 150 {
		t.Errorf("%d changes not started, want most of the 200", n)
	}
	saved := r.saved(t)
	if len(saved.VMs) != len(succeeded) {
		t.Errorf("state records %d VMs, %d changes succeeded", len(saved.VMs), len(succeeded))
	}
	live := inventory(t, d)
	for addr := range succeeded {
		vm := saved.VMs[addr]
		if vm == nil || live[vm.Name].ID != vm.ID {
			t.Errorf("%s succeeded; state has %+v, the sim has %+v", addr, vm, live)
		}
	}
	if len(live) != len(succeeded) {
		t.Errorf("the sim holds %d VMs, want the %d that succeeded", len(live), len(succeeded))
	}
}

// A stop closed before the apply starts starts nothing.
func TestStopBeforeApplyStartsNothing(t *testing.T) {
	d := openSim(t, "a", nil)
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 4})
	p, g := graph(t, nil, creates("sim.a", "fleet.web", 8)...)
	stop := make(chan struct{})
	close(stop)

	res := r.apply(t, context.Background(), stop, p, g)

	if !res.Interrupted || res.Count(exec.NotStarted) != 8 {
		t.Errorf("Interrupted %v, %d of 8 not started; want true, 8", res.Interrupted, res.Count(exec.NotStarted))
	}
	if n := len(inventory(t, d)); n != 0 {
		t.Errorf("the sim holds %d VMs after an apply stopped before it began", n)
	}
}

// Cancelling ctx aborts the driver calls in flight: the apply returns at
// once, the calls fail with ctx's error, and they are not retried.
func TestCancelAbortsInFlightCalls(t *testing.T) {
	d := openSim(t, "a", driver.Config{"latency": 10 * time.Second})
	r := newRun(t, map[string]driver.Driver{"sim.a": d}, exec.Options{Parallelism: 5, Retry: fastRetry})
	p, g := graph(t, nil, creates("sim.a", "fleet.web", 20)...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	r.log.after = func(ev exec.Event) {
		if ev.Kind == exec.EventStarted {
			once.Do(func() { time.AfterFunc(50*time.Millisecond, cancel) })
		}
	}

	start := time.Now()
	res := r.apply(t, ctx, nil, p, g)

	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("the cancelled apply took %v; the in-flight sleeps were not aborted", elapsed)
	}
	if !res.Interrupted {
		t.Error("Interrupted = false after ctx was cancelled")
	}
	for i, o := range res.Outcomes {
		switch {
		case i < 5 && (o.Status != exec.Failed || !errors.Is(o.Err, context.Canceled) || o.Attempts != 1):
			t.Errorf("in-flight %s: %v after %d attempts (%v); want failed once with context.Canceled",
				p.Changes[i].Address, o.Status, o.Attempts, o.Err)
		case i >= 5 && o.Status != exec.NotStarted:
			t.Errorf("queued %s: %v, want not started", p.Changes[i].Address, o.Status)
		}
	}
	if n := r.log.count(exec.EventRetrying); n != 0 {
		t.Errorf("%d retry events after cancellation; a cancelled call is not retried", n)
	}
}
