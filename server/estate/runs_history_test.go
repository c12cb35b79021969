package estate_test

import (
	"context"
	"errors"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// A run no longer in memory (the server restarted) is answered from its
// workspace's history; an id found nowhere is ErrNotFound.
func TestGetRunFromHistory(t *testing.T) {
	root := newRoot(t)
	ctx := context.Background()
	e, err := estate.Open(ctx, root, estate.Options{APIWorkspace: "cloud"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Plan(ctx, "quickstart", "alice", estate.PlanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "alice")
	if err != nil {
		t.Fatal(err)
	}
	done := wait(t, e, r.ID, estate.RunSucceeded)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e = open(t, root, nil)
	got, err := e.GetRun(ctx, r.ID, 0)
	if err != nil {
		t.Fatalf("GetRun after a restart: %v", err)
	}
	if got.Status != estate.RunSucceeded || got.Workspace != "quickstart" || got.Who != "alice" || got.Operation != "apply" ||
		got.Summary["create"] != done.Summary["create"] || got.Finished == nil || got.PlanDigest != p.Digest {
		t.Errorf("run from the history: %+v, want it as it ended: %+v", got, done)
	}
	if _, err := e.GetRun(ctx, "no-such-run", 0); !errors.Is(err, estate.ErrNotFound) {
		t.Errorf("GetRun of an unknown id: %v, want ErrNotFound", err)
	}
}
