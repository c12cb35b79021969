package estate_test

import (
	"context"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// A plan applied by its digest creates the VMs, which the listing then
// shows, and the history records who applied it.
func TestPlanApply(t *testing.T) {
	var ev events
	e := open(t, newRoot(t), &ev)
	ctx := context.Background()
	if vms, total, err := e.VMs(ctx, estate.Filter{}); err != nil || total != 0 || len(vms) != 0 {
		t.Fatalf("before apply: %d VMs (%v), %v", total, vms, err)
	}
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Plan.Summary["create"]; got != 5 {
		t.Fatalf("plan creates %d VMs, want 5: %+v", got, p.Plan.Summary)
	}
	if len(p.Graph) != 5 {
		t.Errorf("graph has %d changes, want 5", len(p.Graph))
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	done := wait(t, e, r.ID, estate.RunSucceeded)
	if done.Summary["create"] != 5 || done.Who != "alice" || done.PlanDigest != p.Digest {
		t.Errorf("run: %+v", done)
	}
	got := vm(t, e, "quickstart:fleet.web[0]")
	if got.ManagedBy != "main.nova.hcl:39" || got.Power != "running" || got.Workspace != "quickstart" {
		t.Errorf("fleet.web[0]: %+v", got)
	}
	hist, err := e.History(ctx, "quickstart", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) == 0 || hist[0].Kind != "end" || hist[0].RunID != r.ID || hist[0].Who != "alice" {
		t.Errorf("newest history record: %+v", hist[:min(1, len(hist))])
	}
	info, err := e.Workspace(ctx, "quickstart")
	if err != nil || info.VMs != 5 || info.Serial == 0 || len(info.Fleets) != 2 {
		t.Errorf("workspace: %+v, %v", info, err)
	}
}
