package workspace_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

const testStateKey = "NOVA_STATE_KEY=" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// openSealed opens a spec folder's workspace with a state key in its
// environment, as every command does.
func openSealed(t *testing.T, files map[string]string) *workspace.Workspace {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		writeFile(t, filepath.Join(dir, name), body)
	}
	reg := &driver.Registry{}
	reg.Register(sim.Factory())
	ws, diags := workspace.Open(context.Background(), dir, reg, workspace.BackendOptions{Env: []string{testStateKey}})
	if diags.HasErrors() {
		t.Fatalf("Open: %s", diagText(diags))
	}
	t.Cleanup(func() { ws.Close() })
	if ws.Sealer == nil {
		t.Fatal("Open with NOVA_STATE_KEY set has no Sealer")
	}
	return ws
}

// The recovery file of an apply whose state cannot be saved is sealed
// like the state, and opens with the key.
func TestRecoveryFileIsSealed(t *testing.T) {
	slow := strings.Replace(fleetsSpec, "hosts          = 2", "hosts          = 2\n  latency        = \"30ms\"", 1)
	ws := openSealed(t, map[string]string{"main.nova.hcl": slow})
	session(t, ws, spec.Options{}, func(sess *workspace.Session) { mustApply(t, sess, mustPlan(t, sess)) })
	statePath := filepath.Join(ws.DataDir, local.StateFile)
	grow := spec.Options{Vars: []spec.VarArg{{Name: "web_count", Value: "20"}}}
	session(t, ws, grow, func(sess *workspace.Session) {
		p := mustPlan(t, sess)
		if err := os.Remove(statePath); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(statePath, 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := sess.Apply(context.Background(), p, workspace.ApplyOptions{Operation: "apply", Parallelism: 1})
		var se *workspace.SaveError
		if !errors.As(err, &se) || se.Recovery == "" {
			t.Fatalf("Apply = %v, want a *workspace.SaveError with a recovery file", err)
		}
		data, err := os.ReadFile(se.Recovery)
		if err != nil {
			t.Fatal(err)
		}
		if !state.IsSealed(data) || bytes.Contains(data, []byte("fleet.web")) || bytes.Contains(data, []byte("web-")) {
			t.Fatalf("the recovery file is not sealed:\n%.200s", data)
		}
		plain, err := ws.Sealer.Open(data)
		if err != nil {
			t.Fatalf("opening the recovery file with the key: %v", err)
		}
		if doc, err := state.Decode(plain); err != nil || len(doc.VMs) == 0 {
			t.Errorf("the recovery file's document: %v, %v", doc, err)
		}
	})
}
