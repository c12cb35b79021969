package estate_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/novacron/novacron/server/estate"
)

// apiSpec is the API workspace's own spec: a provider and a template, no VMs.
const apiSpec = `provider "sim" "lab" {
  hosts          = 2
  host_cpu       = 16
  host_memory_gb = 64
}

template "ubuntu-22.04" {
  sim { image = "ubuntu-22.04" }
}
`

// newRoot returns an estate folder holding a copy of examples/quickstart
// as the workspace "quickstart", and the API workspace "cloud".
func newRoot(t *testing.T) string {
	t.Helper()
	return fillRoot(t, t.TempDir())
}

// fillRoot writes the workspaces of newRoot into root.
func fillRoot(t *testing.T, root string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "quickstart", "main.nova.hcl"), string(src))
	writeFile(t, filepath.Join(root, "cloud", "main.nova.hcl"), apiSpec)
	return root
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// events collects what an estate emits.
type events struct {
	mu  sync.Mutex
	all []estate.Event
}

func (ev *events) add(e estate.Event) {
	ev.mu.Lock()
	ev.all = append(ev.all, e)
	ev.mu.Unlock()
}

// of returns the events of one run.
func (ev *events) of(run string) []estate.Event {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	var out []estate.Event
	for _, e := range ev.all {
		if e.RunID == run {
			out = append(out, e)
		}
	}
	return out
}

// open opens an estate over root, closed when the test ends.
func open(t *testing.T, root string, ev *events) *estate.Estate {
	t.Helper()
	o := estate.Options{APIWorkspace: "cloud", LockTimeout: time.Minute}
	if ev != nil {
		o.Events = ev.add
	}
	e, err := estate.Open(context.Background(), root, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

// applied opens an estate over a new root whose quickstart is applied.
func applied(t *testing.T, ev *events) *estate.Estate {
	t.Helper()
	e := open(t, newRoot(t), ev)
	ctx := context.Background()
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	return e
}

// wait waits for a run to finish and checks its status.
func wait(t *testing.T, e *estate.Estate, id string, want estate.RunStatus) *estate.Run {
	t.Helper()
	r, err := e.GetRun(context.Background(), id, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != want {
		t.Fatalf("run %s (%s) is %s, want %s; error: %s; failed: %v", r.ID, r.Operation, r.Status, want, r.Error, r.Failed)
	}
	return r
}

// vm returns a VM of the listing by id.
func vm(t *testing.T, e *estate.Estate, id string) *estate.VM {
	t.Helper()
	v, err := e.GetVM(context.Background(), id)
	if err != nil {
		t.Fatalf("GetVM(%s): %v", id, err)
	}
	return v
}
