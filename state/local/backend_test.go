package local_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
	"github.com/novacron/novacron/state/statetest"
)

func TestBackendConformance(t *testing.T) {
	statetest.RunBackend(t, func(t *testing.T) state.Backend {
		b := local.NewBackend(t.TempDir())
		t.Cleanup(func() { b.Close() })
		return b
	})
}

// The default workspace is the data folder itself, where a project's state
// has always been: a state written before workspaces existed is the
// default workspace's, with no migration. Other workspaces are folders
// under workspaces/, with the same file names.
func TestBackendLayout(t *testing.T) {
	data := filepath.Join(t.TempDir(), ".nova")
	old := state.New("lineage-old")
	old.Serial = 7
	if err := local.New(data).Write(t.Context(), old); err != nil {
		t.Fatalf("Write through the single-workspace store: %v", err)
	}
	b := local.NewBackend(data)
	def := mustStore(t, b, state.DefaultWorkspace)
	if got, err := def.Read(t.Context()); err != nil || got == nil || got.Lineage != "lineage-old" || got.Serial != 7 {
		t.Fatalf("the default workspace reads (%+v, %v), want the state written before workspaces", got, err)
	}
	if err := b.CreateWorkspace(t.Context(), "prod"); err != nil {
		t.Fatal(err)
	}
	prod := mustStore(t, b, "prod")
	st := state.New("lineage-prod")
	if err := prod.Write(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	id := lock(t, prod.(*local.Store), "apply")
	if err := prod.AppendHistory(t.Context(), []state.HistoryRecord{{Kind: state.RecordStart, RunID: "r"}}); err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(data, local.WorkspacesDir, "prod")
	for _, path := range []string{ws, filepath.Join(ws, local.StateFile), filepath.Join(ws, local.LockFile), filepath.Join(ws, local.HistoryFile)} {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("workspace prod: %v", err)
		}
	}
	if fi, err := os.Stat(filepath.Join(data, local.WorkspacesDir)); err != nil || fi.Mode() != os.ModeDir|0o700 {
		t.Errorf("workspaces folder: (%v, %v), want mode drwx------", fi.Mode(), err)
	}
	if fi, err := os.Stat(ws); err != nil || fi.Mode() != os.ModeDir|0o700 {
		t.Errorf("workspace folder: (%v, %v), want mode drwx------", fi.Mode(), err)
	}
	if err := prod.Unlock(id); err != nil {
		t.Error(err)
	}
	if got := b.Describe(); got != "the folder "+data {
		t.Errorf("Describe() = %q, want %q", got, "the folder "+data)
	}
	if got := b.WorkspaceDir("prod"); got != ws {
		t.Errorf("WorkspaceDir(prod) = %q, want %q", got, ws)
	}
}

// Locks reports what flock says: a lock file left by a holder killed with
// SIGKILL is not a held lock; a live holder in another process is.
func TestBackendLocksFollowTheFlock(t *testing.T) {
	data := t.TempDir()
	b := local.NewBackend(data)
	if err := b.CreateWorkspace(t.Context(), "prod"); err != nil {
		t.Fatal(err)
	}
	child := startHolder(t, b.WorkspaceDir("prod"))
	locks, err := b.Locks(t.Context())
	if err != nil {
		t.Fatalf("Locks: %v", err)
	}
	if len(locks) != 1 || locks[0].PID != child.Process.Pid || locks[0].Who != "child@test" || locks[0].Workspace != "prod" {
		t.Fatalf("Locks = %+v, want the child's lock (pid %d) in workspace prod", locks, child.Process.Pid)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	if _, err := os.Stat(filepath.Join(b.WorkspaceDir("prod"), local.LockFile)); err != nil {
		t.Fatalf("the killed holder left no lock file, so the test proves nothing: %v", err)
	}
	if locks, err := b.Locks(t.Context()); err != nil || len(locks) != 0 {
		t.Errorf("Locks after the holder was killed = (%+v, %v), want none", locks, err)
	}
	if err := b.DeleteWorkspace(t.Context(), "prod", false); err != nil {
		t.Errorf("DeleteWorkspace of a workspace whose holder died: %v", err)
	}
}

// A store kept from before its workspace was deleted does not bring the
// workspace back.
func TestDeletedWorkspaceStaysDeleted(t *testing.T) {
	data := t.TempDir()
	b := local.NewBackend(data)
	if err := b.CreateWorkspace(t.Context(), "prod"); err != nil {
		t.Fatal(err)
	}
	s := mustStore(t, b, "prod")
	if err := b.DeleteWorkspace(t.Context(), "prod", false); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(t.Context(), state.New("lin")); err == nil || !strings.Contains(err.Error(), `workspace "prod" was deleted`) {
		t.Errorf("Write through the store of a deleted workspace = %v, want an error saying it was deleted", err)
	}
	if _, err := s.Lock(t.Context(), state.LockInfo{Operation: "apply"}); err == nil {
		t.Errorf("Lock through the store of a deleted workspace succeeded")
	}
	if err := s.AppendHistory(t.Context(), []state.HistoryRecord{{Kind: state.RecordStart}}); err == nil {
		t.Errorf("AppendHistory through the store of a deleted workspace succeeded")
	}
	if _, err := os.Stat(b.WorkspaceDir("prod")); !os.IsNotExist(err) {
		t.Errorf("the deleted workspace's folder is back (Stat: %v)", err)
	}
	entries, err := os.ReadDir(filepath.Join(data, local.WorkspacesDir))
	if err != nil || len(entries) != 0 {
		t.Errorf("workspaces/ holds %d entries after the delete (%v), want none", len(entries), err)
	}
}

func mustStore(t *testing.T, b *local.Backend, name string) state.Store {
	t.Helper()
	s, err := b.Store(t.Context(), name)
	if err != nil {
		t.Fatalf("Store(%q): %v", name, err)
	}
	return s
}
