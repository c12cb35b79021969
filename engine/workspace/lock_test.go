package workspace_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

// A second session waits LockTimeout for the first, then fails naming the
// holder; once the first closes, it gets the lock.
func TestBeginWaitsForTheLock(t *testing.T) {
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": fleetsSpec})
	first := begin(t, ws, spec.Options{})

	start := time.Now()
	_, diags := ws.Begin(context.Background(), workspace.BeginOptions{Operation: "plan", LockTimeout: 300 * time.Millisecond})
	waited := time.Since(start)

	text := diagText(diags)
	if !diags.HasErrors() {
		t.Fatal("a second Begin took the lock the first session holds")
	}
	for _, part := range []string{workspace.Who(), `operation "apply"`} {
		if !strings.Contains(text, part) {
			t.Errorf("lock diagnostic %q does not name the holder's %s", text, part)
		}
	}
	if waited < 300*time.Millisecond {
		t.Errorf("Begin gave up after %v, before its LockTimeout of 300ms", waited)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	session(t, ws, spec.Options{}, func(*workspace.Session) {})
}

// NoLock sessions read state while someone else holds the lock.
func TestBeginNoLockIgnoresTheLock(t *testing.T) {
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": fleetsSpec})
	session(t, ws, spec.Options{}, func(sess *workspace.Session) {
		mustApply(t, sess, mustPlan(t, sess))
	})
	// Another process (a CI job) holds the state lock; the sim is free.
	holder := local.New(ws.DataDir)
	id, err := holder.Lock(context.Background(), state.LockInfo{Operation: "destroy", Who: "ci@runner-7"})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Unlock(id)

	_, diags := ws.Begin(context.Background(), workspace.BeginOptions{Operation: "apply", LockTimeout: 100 * time.Millisecond})
	if text := diagText(diags); !strings.Contains(text, "ci@runner-7") || !strings.Contains(text, `"destroy"`) {
		t.Errorf("locked Begin: %q, want an error naming ci@runner-7 and destroy", text)
	}
	sess, diags := ws.Begin(context.Background(), workspace.BeginOptions{Operation: "inventory", NoLock: true})
	if diags.HasErrors() {
		t.Fatalf("Begin with NoLock: %s", diagText(diags))
	}
	defer sess.Close()
	if sess.State == nil || len(sess.State.VMs) != 6 {
		t.Errorf("NoLock session read state %v, want the 6 VMs", stateAddrs(sess.State))
	}
}

// A state file that cannot be decoded stops Begin with a diagnostic that
// names it, and is never rewritten.
func TestBeginRefusesCorruptState(t *testing.T) {
	ws := newWorkspace(t, map[string]string{"main.nova.hcl": fleetsSpec})
	if err := os.MkdirAll(ws.DataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(ws.DataDir, local.StateFile)
	corrupt := []byte(`{"format_version": 1, "lineage": "abc", "serial": 3, "vms": {` + "\n" + `  "vm.db": {"id": 12`)
	writeFile(t, path, string(corrupt))

	_, diags := ws.Begin(context.Background(), workspace.BeginOptions{Operation: "apply", LockTimeout: time.Second})

	if !diags.HasErrors() || !strings.Contains(diagText(diags), path) {
		t.Errorf("Begin over a corrupt state: %q, want an error naming %s", diagText(diags), path)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, corrupt) {
		t.Errorf("the corrupt state file changed: now %q (%v)", got, err)
	}
	// The failed Begin released the lock: trying again fails on the state.
	_, diags = ws.Begin(context.Background(), workspace.BeginOptions{Operation: "apply", LockTimeout: 100 * time.Millisecond})
	if text := diagText(diags); !strings.Contains(text, "Cannot read the state") {
		t.Errorf("second Begin over a corrupt state: %q, want it to fail reading the state, not locking", text)
	}
}
