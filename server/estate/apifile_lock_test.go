package estate_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/server/estate"
	"github.com/novacron/novacron/state"
)

// The API file is edited under the workspace's state lock, by the run
// that applies the edit: while a CLI (here, the test) holds the lock, the
// file is not touched; once it is released, the run edits and applies.
func TestAPIFileEditedUnderStateLock(t *testing.T) {
	root := newRoot(t)
	e := open(t, root, nil)
	ctx := context.Background()
	w, diags := workspace.Open(ctx, filepath.Join(root, "cloud"), catalog.Default(), workspace.BackendOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	defer w.Close()
	id, err := w.Store.Lock(ctx, state.LockInfo{Operation: "apply", Who: "cli@test"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.CreateVM(ctx, "carol", apiVM("api-1"))
	if err != nil {
		w.Store.Unlock(id)
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	file, _ := os.ReadFile(filepath.Join(root, "cloud", estate.APISpecFile))
	if strings.Contains(string(file), `vm "api-1"`) {
		t.Errorf("the API file was edited while another process held the state lock:\n%s", file)
	}
	if err := w.Store.Unlock(id); err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	file, _ = os.ReadFile(filepath.Join(root, "cloud", estate.APISpecFile))
	if !strings.Contains(string(file), `vm "api-1"`) {
		t.Errorf("the API file after the run has no vm block api-1:\n%s", file)
	}
}
