package estate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// Close lets the run in flight finish the changes it started, stops it
// starting others, and returns once it is over; no run starts after it.
func TestCloseWaitsForRuns(t *testing.T) {
	e, err := estate.Open(context.Background(), newRoot(t), estate.Options{APIWorkspace: "cloud"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := e.GetRun(ctx, r.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Finished == nil || (got.Status != estate.RunSucceeded && got.Status != estate.RunFailed) {
		t.Errorf("after Close the run is %s (finished %v)", got.Status, got.Finished)
	}
	if got.Status == estate.RunFailed && !strings.Contains(got.Error, "shutting down") {
		t.Errorf("a run stopped by Close says %q", got.Error)
	}
	if _, err := e.Act(ctx, "bob", "quickstart:vm.db-01", estate.ActionRequest{Action: "restart"}); err == nil {
		t.Errorf("a run started after Close")
	}
}
