package estate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/server/estate"
)

// Apply refuses a plan with another digest, a plan applied already, and
// a plan made stale by a change of the spec or of the state; it finds no
// plan that was not made.
func TestApplyRefused(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(t *testing.T, e *estate.Estate, root string, p *estate.SavedPlan)
		digest func(p *estate.SavedPlan) string
		want   string // in the *ConflictError
	}{
		{name: "wrong digest", digest: func(p *estate.SavedPlan) string { return strings.Repeat("0", 64) }, want: "the digest does not match"},
		{name: "applied already", change: func(t *testing.T, e *estate.Estate, root string, p *estate.SavedPlan) {
			r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
			if err != nil {
				t.Fatal(err)
			}
			wait(t, e, r.ID, estate.RunSucceeded)
		}, want: "was applied already"},
		{name: "spec changed", change: func(t *testing.T, e *estate.Estate, root string, p *estate.SavedPlan) {
			path := filepath.Join(root, "quickstart", "main.nova.hcl")
			src, _ := os.ReadFile(path)
			writeFile(t, path, strings.Replace(string(src), "default     = 4", "default     = 3", 1))
		}, want: "the spec files changed since it was made"},
		{name: "state changed", change: func(t *testing.T, e *estate.Estate, root string, p *estate.SavedPlan) {
			r, err := e.Act(ctx, "bob", "quickstart:fleet.web[1]", estate.ActionRequest{Action: "restart"})
			if err != nil {
				t.Fatal(err)
			}
			wait(t, e, r.ID, estate.RunSucceeded)
		}, want: "the state changed since it was made"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newRoot(t)
			e := open(t, root, nil)
			first, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
			if err != nil {
				t.Fatal(err)
			}
			r, err := e.Apply(ctx, "quickstart", first.ID, first.Digest, "alice")
			if err != nil {
				t.Fatal(err)
			}
			wait(t, e, r.ID, estate.RunSucceeded)
			p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{Vars: map[string]string{"web_count": "5"}})
			if err != nil {
				t.Fatal(err)
			}
			if tt.change != nil {
				tt.change(t, e, root, p)
			}
			digest := p.Digest
			if tt.digest != nil {
				digest = tt.digest(p)
			}
			_, err = e.Apply(ctx, "quickstart", p.ID, digest, "alice")
			var conflict *estate.ConflictError
			if !errors.As(err, &conflict) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Apply: %v, want a *ConflictError saying %q", err, tt.want)
			}
		})
	}
}

// A plan that went stale behind the server's back (a VM stopped by
// another process) passes Apply's checks, whose inventory is older than
// the plan, and is refused by its run, which checks the live inventory
// under the lock and says why.
func TestApplyStaleInRun(t *testing.T) {
	ctx := context.Background()
	root := newRoot(t)
	e := open(t, root, nil)
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	p, err = e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{Vars: map[string]string{"web_count": "5"}})
	if err != nil {
		t.Fatal(err)
	}
	stopOutOfBand(t, filepath.Join(root, "quickstart"), vm(t, e, "quickstart:fleet.web[0]").InventoryVM.ID)
	r, err = e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	got := wait(t, e, r.ID, estate.RunFailed)
	if !strings.Contains(got.Error, "Saved plan is stale: the VMs it covers changed") {
		t.Errorf("run error %q, want it to say the plan is stale", got.Error)
	}
}

// stopOutOfBand stops a VM through the workspace's sim provider, as
// another nova-plan process could.
func stopOutOfBand(t *testing.T, dir, id string) {
	t.Helper()
	ctx := context.Background()
	w, diags := workspace.Open(ctx, dir, catalog.Default(), workspace.BackendOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	defer w.Close()
	sess, diags := w.Begin(ctx, workspace.BeginOptions{Operation: "inventory", NoLock: true})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	defer sess.Close()
	stopped := driver.PowerStopped
	if _, err := sess.Drivers["sim.lab"].Update(ctx, id, driver.Changes{Power: &stopped}); err != nil {
		t.Fatal(err)
	}
}

// Apply of a plan or a workspace that does not exist is ErrNotFound.
func TestApplyNotFound(t *testing.T) {
	e := open(t, newRoot(t), nil)
	ctx := context.Background()
	for _, tc := range [][2]string{{"quickstart", "no-such-plan"}, {"nowhere", "x"}} {
		if _, err := e.Apply(ctx, tc[0], tc[1], "d", "alice"); !errors.Is(err, estate.ErrNotFound) {
			t.Errorf("Apply(%s, %s): %v, want ErrNotFound", tc[0], tc[1], err)
		}
	}
}

// createOutOfBand creates a VM without a marker through the workspace's
// sim provider, as someone outside NovaCron could, and returns its id.
func createOutOfBand(t *testing.T, dir, name string) string {
	t.Helper()
	ctx := context.Background()
	w, diags := workspace.Open(ctx, dir, catalog.Default(), workspace.BackendOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	defer w.Close()
	sess, diags := w.Begin(ctx, workspace.BeginOptions{Operation: "inventory", NoLock: true})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	defer sess.Close()
	vm, err := sess.Drivers["sim.lab"].Create(ctx, driver.VMSpec{
		Name: name, CPU: 1, MemoryMiB: 512, Template: driver.TemplateRef{Name: "ubuntu-22.04", Config: driver.Config{"image": "ubuntu-22.04"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return vm.ID
}

// A workspace keeps its MaxPlans newest plans: an older one is gone.
func TestPlansBounded(t *testing.T) {
	e := open(t, newRoot(t), nil)
	ctx := context.Background()
	var ids []string
	for range estate.MaxPlans + 1 {
		p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if _, err := e.GetPlan(ctx, "quickstart", ids[0]); !errors.Is(err, estate.ErrNotFound) {
		t.Errorf("the oldest plan: %v, want ErrNotFound", err)
	}
	p, err := e.GetPlan(ctx, "quickstart", ids[len(ids)-1])
	if err != nil || p.Who != "alice" || p.Expires.Sub(p.Created) != estate.PlanTTL {
		t.Errorf("the newest plan: %+v, %v", p, err)
	}
	if _, err := e.GetPlan(ctx, "cloud", ids[len(ids)-1]); !errors.Is(err, estate.ErrNotFound) {
		t.Errorf("a plan asked of another workspace: %v", err)
	}
}
