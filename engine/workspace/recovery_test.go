package workspace_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// crash does what an apply killed before it saved anything leaves behind:
// the plan's creates happened in the sim, with their markers, and state
// knows nothing of them.
func crash(t *testing.T, sess *workspace.Session, p *operation.Planned) {
	t.Helper()
	for _, c := range p.Changes {
		if c.Action != plan.Create {
			continue
		}
		a := c.After
		_, err := sess.Drivers[a.Provider].Create(context.Background(), driver.VMSpec{
			Name: a.Name, Host: a.Host, CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGB: a.DiskGB,
			Power: a.Power, Template: c.Template, Tags: a.Tags, Marker: *c.Marker,
		})
		if err != nil {
			t.Fatalf("creating %s: %v", c.Address, err)
		}
	}
}

// VMs created but not saved are adopted by the next plan, not created
// again, and applying that plan makes no duplicates.
func TestUnsavedVMsAreAdopted(t *testing.T) {
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": fleetsSpec})
	session(t, ws, spec.Options{}, func(sess *workspace.Session) {
		mustApply(t, sess, mustPlan(t, sess))
	})
	grow := spec.Options{Vars: []spec.VarArg{{Name: "web_count", Value: "6"}}}
	session(t, ws, grow, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		if diff := cmp.Diff(map[string]int{"create": 3}, actions(p)); diff != "" {
			t.Fatalf("plan to grow (-want +got):\n%s", diff)
		}
		crash(t, sess, p)
	})
	session(t, ws, grow, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		if diff := cmp.Diff(map[string]int{"adopt": 3}, actions(p)); diff != "" {
			t.Fatalf("plan after the crash (-want +got):\n%s", diff)
		}
		mustApply(t, sess, p)
		if n := len(liveVMs(t, sess)); n != 9 {
			t.Errorf("the sim holds %d VMs, want 9", n)
		}
		if p := mustPlan(t, sess); !p.Empty() {
			t.Errorf("plan after adopting: %v, want no changes", actions(p))
		}
	})
}

// The first apply of a workspace saves its lineage before any VM exists,
// so VMs of a first apply that is killed are adopted, not reported as
// another workspace's.
func TestFirstApplyCrashIsAdopted(t *testing.T) {
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": fleetsSpec})
	session(t, ws, spec.Options{}, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		stop := make(chan struct{})
		close(stop) // the process dies before any action is recorded
		res, err := sess.Apply(context.Background(), p, workspace.ApplyOptions{Operation: "apply", Stop: stop})
		if err != nil || !res.Interrupted || res.Count(exec.NotStarted) != len(p.Changes) {
			t.Fatalf("interrupted apply: %v, %+v", err, res)
		}
		crash(t, sess, p) // what the killed process had in flight
	})
	session(t, ws, spec.Options{}, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		if diff := cmp.Diff(map[string]int{"adopt": 6}, actions(p)); diff != "" {
			t.Fatalf("plan after the crash (-want +got):\n%s", diff)
		}
		mustApply(t, sess, p)
		if n := len(liveVMs(t, sess)); n != 6 {
			t.Errorf("the sim holds %d VMs, want 6", n)
		}
	})
}
