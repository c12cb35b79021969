package workspace_test

import (
	"context"
	"testing"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// TestApplyClosesDriversWhenAsked: with CloseDrivers an apply returns with
// its drivers closed (the sim's snapshot written beside the state's last
// write), Close still releases the lock without error, and the next
// session finds every VM; without it the drivers stay open for the caller.
func TestApplyClosesDriversWhenAsked(t *testing.T) {
	for _, closeDrivers := range []bool{true, false} {
		ws := newWorkspace(t, map[string]string{"main.nova.hcl": fleetsSpec})
		session(t, ws, spec.Options{}, func(sess *workspace.Session) {
			res, err := sess.Apply(context.Background(), mustPlan(t, sess), workspace.ApplyOptions{
				Operation: "apply", Parallelism: 4, CloseDrivers: closeDrivers,
			})
			if err != nil || !res.OK() {
				t.Fatalf("Apply: %v, %+v", err, res)
			}
			if open := len(sess.Drivers) > 0; open == closeDrivers {
				t.Errorf("CloseDrivers %v: after Apply the session has %d drivers open", closeDrivers, len(sess.Drivers))
			}
		})
		session(t, ws, spec.Options{}, func(sess *workspace.Session) {
			if p := mustPlan(t, sess); !p.Empty() {
				t.Errorf("CloseDrivers %v: the next plan has changes %v", closeDrivers, actions(p))
			}
		})
	}
}
