package workspace_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// When state cannot be saved, the apply used to end with the in-memory
// state thrown away. Now it is written to a recovery file next to the
// state, with a serial above the last one written, and restoring it leaves
// nothing for the next plan to adopt.
func TestApplyWritesARecoveryFileWhenStateCannotBeSaved(t *testing.T) {
	slow := strings.Replace(fleetsSpec, "hosts          = 2", "hosts          = 2\n  latency        = \"30ms\"", 1)
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": slow})
	session(t, ws, spec.Options{}, func(sess *workspace.Session) { mustApply(t, sess, mustPlan(t, sess)) })
	statePath := filepath.Join(ws.DataDir, local.StateFile)
	// Enough creates that the writer's first save (paced, state.WriteInterval)
	// comes while most are still to start.
	grow := spec.Options{Vars: []spec.VarArg{{Name: "web_count", Value: "40"}}}
	var recovery string
	session(t, ws, grow, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		serial := sess.State.Serial
		// A directory where state.json was: each write of the new state
		// fails at its rename, and the folder still takes new files.
		if err := os.Remove(statePath); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(statePath, 0o700); err != nil {
			t.Fatal(err)
		}
		res, err := sess.Apply(context.Background(), p, workspace.ApplyOptions{Operation: "apply", Parallelism: 1})
		var se *workspace.SaveError
		if !errors.As(err, &se) || res == nil || res.StateErr == nil {
			t.Fatalf("Apply = (%+v, %v), want a *workspace.SaveError and a result that says state could not be saved", res, err)
		}
		if se.StateFile != statePath || filepath.Dir(se.Recovery) != ws.DataDir || se.RecoveryErr != nil || se.Invalid != nil {
			t.Fatalf("SaveError %+v: want the recovery file in %s, for %s", se, ws.DataDir, statePath)
		}
		recovery = se.Recovery
		doc := readRecovery(t, recovery)
		if doc.Serial != serial+1 {
			t.Errorf("the recovery file has serial %d, want %d: above the last written", doc.Serial, serial+1)
		}
		if n := len(liveVMs(t, sess)); len(doc.VMs) != n || n <= 6 || res.Count(exec.NotStarted) == 0 {
			t.Errorf("the recovery file records %d VMs and the sim holds %d, %d changes not started; "+
				"want the same, more than the 6 saved before, and the apply stopped early", len(doc.VMs), n, res.Count(exec.NotStarted))
		}
	})
	if err := os.Remove(statePath); err != nil {
		t.Fatal(err)
	}
	copyFile(t, recovery, statePath)
	session(t, ws, grow, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		if a := actions(p); a["adopt"] != 0 || a["create"] == 0 {
			t.Errorf("plan after restoring the recovery file: %v; want only the creates that never started", a)
		}
	})
}

func readRecovery(t *testing.T, path string) *state.State {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode() != 0o600 {
		t.Errorf("recovery file mode %v, want 0600", fi.Mode())
	}
	var doc state.State
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("recovery file: %v", err)
	}
	if err := state.Validate(&doc); err != nil {
		t.Errorf("recovery file: %v", err)
	}
	return &doc
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The message names the recovery file whichever way it was written.
func TestSaveErrorText(t *testing.T) {
	tests := []struct {
		err  *workspace.SaveError
		want string
	}{
		{&workspace.SaveError{Err: errors.New("disk full"), Recovery: "/x/r.json"},
			"saving state failed: disk full; the state as the apply left it is in /x/r.json"},
		{&workspace.SaveError{Err: errors.New("disk full"), RecoveryErr: errors.New("no space")},
			"saving state failed: disk full; writing a recovery file failed too: no space"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.err.Error()); diff != "" {
			t.Errorf("Error() (-want +got):\n%s", diff)
		}
		if !strings.Contains(tt.err.Error(), tt.err.Err.Error()) || !errors.Is(tt.err, tt.err.Err) {
			t.Errorf("%v does not wrap %v", tt.err, tt.err.Err)
		}
	}
}
