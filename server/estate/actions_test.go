package estate_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/server/estate"
)

// An action that contradicts the spec is a *ConflictError naming the
// block that owns the VM; bad requests are *InvalidErrors; a VM no
// workspace has is ErrNotFound.
func TestActRefused(t *testing.T) {
	e := applied(t, nil)
	tests := []struct {
		name string
		id   string
		r    estate.ActionRequest
		kind string // conflict, invalid, notfound
		want string
	}{
		{"stop a VM the spec wants running", "quickstart:fleet.web[0]", estate.ActionRequest{Action: "stop"},
			"conflict", `fleet.web[0] is managed by main.nova.hcl:39, which wants it running (power = "running"); change the spec`},
		{"migrate off a pinned host", "quickstart:vm.db-01", estate.ActionRequest{Action: "migrate", TargetHost: "hv-02"},
			"conflict", "vm.db-01 is managed by main.nova.hcl:29, which pins it to host hv-01"},
		{"migrate to the host it is on", "quickstart:vm.db-01", estate.ActionRequest{Action: "migrate", TargetHost: "hv-01"},
			"conflict", "already runs on hv-01"},
		{"migrate to no such host", "quickstart:fleet.web[0]", estate.ActionRequest{Action: "migrate", TargetHost: "hv-99"},
			"invalid", `has no host "hv-99"`},
		{"migrate without a host", "quickstart:fleet.web[0]", estate.ActionRequest{Action: "migrate"}, "invalid", "needs target_host"},
		{"unknown action", "quickstart:fleet.web[0]", estate.ActionRequest{Action: "reboot"}, "invalid", "is not an action"},
		{"no such VM", "quickstart:fleet.web[7]", estate.ActionRequest{Action: "restart"}, "notfound", ""},
		{"no such workspace", "nowhere:vm.x", estate.ActionRequest{Action: "restart"}, "notfound", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Act(context.Background(), "bob", tt.id, tt.r)
			var conflict *estate.ConflictError
			var invalid *estate.InvalidError
			ok := map[string]bool{
				"conflict": errors.As(err, &conflict), "invalid": errors.As(err, &invalid), "notfound": errors.Is(err, estate.ErrNotFound),
			}[tt.kind]
			if !ok || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Act: %v, want %s saying %q", err, tt.kind, tt.want)
			}
		})
	}
}

// A restart is planned by the engine as a stop then a start of the VM,
// applied under the lock and recorded in the history with who asked.
func TestActRestart(t *testing.T) {
	var ev events
	e := applied(t, &ev)
	ctx := context.Background()
	r, err := e.Act(ctx, "bob", "quickstart:fleet.web[2]", estate.ActionRequest{Action: "restart"})
	if err != nil {
		t.Fatal(err)
	}
	done := wait(t, e, r.ID, estate.RunSucceeded)
	if d := cmp.Diff(map[string]int{"stop": 1, "start": 1}, done.Summary); d != "" {
		t.Errorf("run summary (-want +got):\n%s", d)
	}
	hist, err := e.History(ctx, "quickstart", 4)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hist {
		got = append(got, h.Kind+" "+h.Address+" "+h.Action+" "+h.Who+" "+h.Operation)
	}
	want := []string{
		"end   bob restart", "action fleet.web[2] start bob restart", "action fleet.web[2] stop bob restart", "start   bob restart",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("history, newest first (-want +got):\n%s", d)
	}
	runs, err := e.Runs(ctx, "quickstart")
	if err != nil || len(runs) != 2 || runs[0].ID != r.ID || runs[1].Operation != "apply" {
		t.Errorf("runs, newest first: %+v, %v", runs, err)
	}
	if all, _ := e.Runs(ctx, ""); len(all) != 2 {
		t.Errorf("%d runs in all, want 2", len(all))
	}
	if _, err := e.Runs(ctx, "nowhere"); !errors.Is(err, estate.ErrNotFound) {
		t.Errorf("runs of no workspace: %v", err)
	}
	if p := vm(t, e, "quickstart:fleet.web[2]").Power; p != "running" {
		t.Errorf("after the restart the VM is %s", p)
	}
	var kinds []string
	for _, x := range ev.of(r.ID) {
		kinds = append(kinds, x.Type+" "+x.Action)
	}
	wantEvents := []string{"run_started ", "change_started stop", "change_succeeded stop", "change_started start", "change_succeeded start", "run_finished "}
	if d := cmp.Diff(wantEvents, kinds); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

// A migration of a VM the spec places freely goes to the host asked for,
// and stays there: the next plan of the spec does not move it back.
func TestActMigrate(t *testing.T) {
	e := applied(t, nil)
	ctx := context.Background()
	before := vm(t, e, "quickstart:fleet.web[0]")
	target := "hv-04"
	if before.Host == target {
		target = "hv-03"
	}
	r, err := e.Act(ctx, "bob", before.ID, estate.ActionRequest{Action: "migrate", TargetHost: target, Live: true})
	if err != nil {
		t.Fatal(err)
	}
	done := wait(t, e, r.ID, estate.RunSucceeded)
	if done.Summary["migrate"] != 1 || done.Plan == nil || !done.Plan.Changes[0].Live {
		t.Errorf("run: %+v", done)
	}
	if h := vm(t, e, before.ID).Host; h != target {
		t.Errorf("after migrating to %s the VM is on %s", target, h)
	}
	p, err := e.Plan(ctx, "quickstart", "bob", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.Plan.Changes); n != 0 {
		t.Errorf("the plan after the migration has %d changes: %+v", n, p.Plan.Changes)
	}
}

// A start of a VM the spec wants running, which is stopped, starts it.
func TestActStart(t *testing.T) {
	root := newRoot(t)
	e := open(t, root, nil)
	ctx := context.Background()
	p, _ := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	stopOutOfBand(t, root+"/quickstart", vm(t, e, "quickstart:fleet.web[1]").InventoryVM.ID)
	if err := e.Refresh(ctx, "quickstart"); err != nil {
		t.Fatal(err)
	}
	if p := vm(t, e, "quickstart:fleet.web[1]").Power; p != "stopped" {
		t.Fatalf("after stopping it out of band, the VM is %s", p)
	}
	r, err = e.Act(ctx, "bob", "quickstart:fleet.web[1]", estate.ActionRequest{Action: "start"})
	if err != nil {
		t.Fatal(err)
	}
	if done := wait(t, e, r.ID, estate.RunSucceeded); done.Summary["start"] != 1 {
		t.Errorf("run: %+v", done)
	}
	if p := vm(t, e, "quickstart:fleet.web[1]").Power; p != "running" {
		t.Errorf("after the start the VM is %s", p)
	}
}
