package live

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/novacron/novacron/server/auth"
	"github.com/novacron/novacron/server/estate"
)

// quickstart returns an estate folder holding a copy of
// examples/quickstart as the workspace "quickstart".
func quickstart(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "quickstart"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "quickstart", "main.nova.hcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// An apply of examples/quickstart through the estate streams to a
// WebSocket client as it happens: run_started, each change started and
// made, run_finished.
func TestWebSocketStreamsAnEstateApply(t *testing.T) {
	h := newHub(t, Options{})
	ctx := context.Background()
	e, err := estate.Open(ctx, quickstart(t), estate.Options{LockTimeout: time.Minute, Events: h.Publish})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	viewer := &auth.Principal{Name: "ann", Roles: map[string]auth.Role{"quickstart": auth.Viewer}}
	c := dial(t, serve(t, h, viewer), "")

	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	run, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	changes := len(p.Plan.Changes)
	got := map[string]int{}
	var ev estate.Event
	for ev.Type != "run_finished" {
		ev = read(t, c)
		if ev.RunID != run.ID || ev.Workspace != "quickstart" {
			t.Fatalf("event of another run: %+v", ev)
		}
		if got["run_started"] == 0 && ev.Type != "run_started" {
			t.Fatalf("first event %+v, want run_started", ev)
		}
		got[ev.Type]++
	}
	if ev.Status != estate.RunSucceeded || ev.Done != changes || ev.Total != changes {
		t.Errorf("run_finished: %+v; want succeeded with %d of %d done", ev, changes, changes)
	}
	if changes == 0 || got["change_started"] != changes || got["change_succeeded"] != changes {
		t.Errorf("events by type %v; want each of the %d changes started and made", got, changes)
	}
}
