package estate_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/server/estate"
)

// An apply's events arrive in order: run_started with the number of
// changes, each change started before it finishes, finished changes
// counted one by one, and run_finished with all of them done.
func TestEventsInOrder(t *testing.T) {
	var ev events
	e := open(t, newRoot(t), &ev)
	ctx := context.Background()
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	got := ev.of(r.ID)
	if len(got) != 2+2*5 {
		t.Fatalf("%d events, want 12: %+v", len(got), got)
	}
	first, last := got[0], got[len(got)-1]
	if first.Type != "run_started" || first.Total != 5 || first.Status != estate.RunRunning || first.Workspace != "quickstart" {
		t.Errorf("first event: %+v", first)
	}
	if last.Type != "run_finished" || last.Done != 5 || last.Total != 5 || last.Status != estate.RunSucceeded {
		t.Errorf("last event: %+v", last)
	}
	started := map[string]bool{}
	done := 0
	for _, x := range got[1 : len(got)-1] {
		switch x.Type {
		case "change_started":
			started[x.Address] = true
		case "change_succeeded":
			done++
			if !started[x.Address] || x.Done != done || x.Total != 5 || x.Action != "create" {
				t.Errorf("event %d of the finished changes: %+v", done, x)
			}
		default:
			t.Errorf("unexpected event %+v", x)
		}
	}
}

// observer records what the estate tells its Observer.
type observer struct {
	mu        sync.Mutex
	reads     []string
	runs      []string
	changes   map[string]int
	inventory int
	drift     map[string]int
}

func (o *observer) InventoryRead(p string, d time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err == nil && d > 0 {
		o.reads = append(o.reads, p)
	}
}

func (o *observer) RunFinished(r *estate.Run, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.runs = append(o.runs, r.Operation+" "+string(r.Status))
}

func (o *observer) ChangeFinished(action, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.changes[action+" "+outcome]++
}

func (o *observer) Inventory(vms []estate.VM) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.inventory = len(vms)
}

func (o *observer) Drift(ws string, n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.drift[ws] = n
}

// The Observer hears of inventory reads by provider, finished runs and
// changes, the listing and the drift.
func TestObserver(t *testing.T) {
	obs := &observer{changes: map[string]int{}, drift: map[string]int{}}
	e, err := estate.Open(context.Background(), newRoot(t), estate.Options{APIWorkspace: "cloud", Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if len(obs.reads) < 4 || obs.reads[0] != "sim.lab" {
		t.Errorf("inventory reads: %v", obs.reads)
	}
	if d := cmp.Diff([]string{"apply succeeded"}, obs.runs); d != "" {
		t.Errorf("runs (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"create succeeded": 5}, obs.changes); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}
	if obs.inventory != 5 {
		t.Errorf("listing of %d VMs", obs.inventory)
	}
	if d := cmp.Diff(map[string]int{"quickstart": 0, "cloud": 0}, obs.drift); d != "" {
		t.Errorf("drift (-want +got):\n%s", d)
	}
}
