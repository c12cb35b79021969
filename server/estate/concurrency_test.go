package estate_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// Runs started together on one workspace take its lock in turn: all
// succeed, no run's records fall inside another's in the history, and the
// state's serial grows with each.
func TestConcurrentRunsSerialize(t *testing.T) {
	e := applied(t, nil)
	ctx := context.Background()
	before, _ := e.Workspace(ctx, "quickstart")
	const n = 4
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := e.Act(ctx, fmt.Sprintf("user%d", i), fmt.Sprintf("quickstart:fleet.web[%d]", i), estate.ActionRequest{Action: "restart"})
			if err == nil {
				ids[i] = r.ID
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Act %d: %v", i, errs[i])
		}
		wait(t, e, ids[i], estate.RunSucceeded)
	}
	hist, err := e.History(ctx, "quickstart", 1000)
	if err != nil {
		t.Fatal(err)
	}
	open := ""
	seen := map[string]bool{}
	for i := len(hist) - 1; i >= 0; i-- { // oldest first
		h := hist[i]
		switch {
		case h.Kind == "start" && open != "":
			t.Fatalf("run %s started while run %s was running", h.RunID, open)
		case h.Kind == "start":
			open = h.RunID
		case h.RunID != open:
			t.Fatalf("a record of run %s (%s %s) inside run %s", h.RunID, h.Kind, h.Address, open)
		case h.Kind == "end":
			seen[open], open = true, ""
		}
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("run %s is not in the history", id)
		}
	}
	after, _ := e.Workspace(ctx, "quickstart")
	if after.Serial < before.Serial+n {
		t.Errorf("serial %d after %d restarts from %d", after.Serial, n, before.Serial)
	}
}

// VMs created together through the API are all made: no edit of the API
// file, and no state write, is lost.
func TestConcurrentCreates(t *testing.T) {
	e := open(t, newRoot(t), nil)
	ctx := context.Background()
	const n = 3
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := e.CreateVM(ctx, "carol", apiVM(fmt.Sprintf("c%d", i)))
			if err == nil {
				ids[i] = r.ID
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("CreateVM %d: %v", i, errs[i])
		}
		wait(t, e, ids[i], estate.RunSucceeded)
	}
	for i := range n {
		vm(t, e, fmt.Sprintf("cloud:vm.c%d", i))
	}
	p, err := e.Plan(ctx, "cloud", "carol", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Plan.Changes) != 0 {
		t.Errorf("the plan after the creates has changes: %+v", p.Plan.Changes)
	}
}
