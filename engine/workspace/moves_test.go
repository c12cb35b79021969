package workspace_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

func moveSpec(fleet string) string {
	return simBlocks + `
fleet "` + fleet + `" {
  count     = 3
  name      = "web-${count.index}"
  template  = template.img
  cpu       = 1
  memory_gb = 1
}
`
}

// markerUpdateFails is the real sim driver, but the marker write of one VM
// fails: before the driver is called, or after it wrote the marker (a
// reply lost on the way back).
type markerUpdateFails struct {
	driver.Driver
	id    string
	after bool
}

func (d markerUpdateFails) Update(ctx context.Context, id string, ch driver.Changes) (driver.VM, error) {
	if id != d.id || ch.Marker == nil {
		return d.Driver.Update(ctx, id, ch)
	}
	if d.after {
		if _, err := d.Driver.Update(ctx, id, ch); err != nil {
			return driver.VM{}, err
		}
	}
	return driver.VM{}, driver.Errorf(driver.KindPermanent, "the marker write of %s failed", id)
}

// A fleet move whose marker write fails for one VM leaves every VM where
// both the state and its marker say, except, when the marker was written
// but the reply lost, the one VM: the next plan then refuses to act and
// says so, and running the move again finishes it. Either way, moving what
// is left and renaming the spec's fleet ends in a plan of no changes.
func TestMoveStoppedMidway(t *testing.T) {
	for _, after := range []bool{false, true} {
		name := "marker not written"
		if after {
			name = "marker written, reply lost"
		}
		t.Run(name, func(t *testing.T) {
			ws := newWorkspace(t, map[string]string{"main.nova.hcl": moveSpec("web")})
			session(t, ws, spec.Options{}, func(sess *workspace.Session) { mustApply(t, sess, mustPlan(t, sess)) })
			failing := ""
			session(t, ws, spec.Options{}, func(sess *workspace.Session) {
				failing = sess.State.VMs["fleet.web[1]"].ID
				sess.Drivers["sim.lab"] = markerUpdateFails{Driver: sess.Drivers["sim.lab"], id: failing, after: after}
				res := move(t, sess, "fleet.web", "fleet.frontend")
				if res.Count(exec.Succeeded) != 2 || res.Count(exec.Failed) != 1 {
					t.Fatalf("the move: %d succeeded, %d failed; want 2 and 1", res.Count(exec.Succeeded), res.Count(exec.Failed))
				}
			})
			session(t, ws, spec.Options{}, func(sess *workspace.Session) {
				want := map[string]string{"web-0": "fleet.frontend[0]", "web-1": "fleet.web[1]", "web-2": "fleet.frontend[2]"}
				if diff := cmp.Diff(want, stateByName(sess)); diff != "" {
					t.Errorf("state after the stopped move (-want +got):\n%s", diff)
				}
				if after {
					want["web-1"] = "fleet.frontend[1]"
				}
				if diff := cmp.Diff(want, markerByName(t, sess)); diff != "" {
					t.Errorf("markers after the stopped move (-want +got):\n%s", diff)
				}
				_, diags := sess.Plan(context.Background(), workspace.PlanOptions{})
				disagree := strings.Contains(diagText(diags), "State and ownership marker disagree")
				if diags.HasErrors() != after || disagree != after {
					t.Errorf("the next plan's diagnostics (refusal wanted: %v):\n%s", after, diagText(diags))
				}
				move(t, sess, "fleet.web[1]", "fleet.frontend[1]")
			})
			writeFile(t, ws.Dir+"/main.nova.hcl", moveSpec("frontend"))
			session(t, ws, spec.Options{}, func(sess *workspace.Session) {
				if p := mustPlan(t, sess); !p.Empty() {
					t.Errorf("plan after finishing the move and renaming the fleet: %v, want no changes", actions(p))
				}
			})
		})
	}
}

// move moves src to dst in sess, failing the test on refusals.
func move(t *testing.T, sess *workspace.Session, src, dst string) *exec.Result {
	t.Helper()
	moves, err := workspace.Moves(sess.State, src, dst)
	if err != nil {
		t.Fatalf("Moves(%s, %s): %v", src, dst, err)
	}
	p, diags := sess.PlanMove(context.Background(), moves)
	if diags.HasErrors() {
		t.Fatalf("PlanMove: %s", diagText(diags))
	}
	res, err := sess.Move(context.Background(), p, workspace.MoveOptions{})
	if err != nil {
		t.Fatalf("Move: %v", err)
	}
	return res
}

func stateByName(sess *workspace.Session) map[string]string {
	out := map[string]string{}
	for addr, vm := range sess.State.VMs {
		out[vm.Name] = addr
	}
	return out
}

func markerByName(t *testing.T, sess *workspace.Session) map[string]string {
	out := map[string]string{}
	for name, vm := range liveVMs(t, sess) {
		if vm.Marker != nil {
			out[name] = vm.Marker.Address
		}
	}
	return out
}
