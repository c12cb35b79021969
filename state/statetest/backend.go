package statetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

// newBackendFunc returns a fresh backend that holds only the default
// workspace, empty; every call gets its own.
type newBackendFunc func(t *testing.T) state.Backend

// RunBackend runs the conformance suite of state.Backend against the
// backends newBackend returns; newBackend registers their Close with
// t.Cleanup. It ends with Run over the store of the default workspace and
// of a workspace it creates.
func RunBackend(t *testing.T, newBackend func(t *testing.T) state.Backend) {
	t.Helper()
	tests := []struct {
		name string
		test func(*testing.T, newBackendFunc)
	}{
		{"DefaultWorkspace", testDefaultWorkspace},
		{"CreateListDelete", testCreateListDelete},
		{"InvalidNamesRefused", testInvalidNames},
		{"CreateExistingRefused", testCreateExisting},
		{"StoreOfMissingWorkspace", testStoreOfMissing},
		{"WorkspacesIsolated", testWorkspacesIsolated},
		{"DeleteRefusesLocked", testDeleteRefusesLocked},
		{"DeleteRefusesManaged", testDeleteRefusesManaged},
		{"Locks", testLocks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, newBackend) })
	}
	t.Run("DefaultStore", func(t *testing.T) {
		Run(t, func(t *testing.T) state.Store { return mustStore(t, newBackend(t), state.DefaultWorkspace) })
	})
	t.Run("WorkspaceStore", func(t *testing.T) {
		Run(t, func(t *testing.T) state.Store {
			b := newBackend(t)
			mustCreate(t, b, "staging")
			return mustStore(t, b, "staging")
		})
	})
}

func mustCreate(t *testing.T, b state.Backend, names ...string) {
	t.Helper()
	for _, name := range names {
		if err := b.CreateWorkspace(t.Context(), name); err != nil {
			t.Fatalf("CreateWorkspace(%q): %v", name, err)
		}
	}
}

func mustStore(t *testing.T, b state.Backend, name string) state.Store {
	t.Helper()
	s, err := b.Store(t.Context(), name)
	if err != nil {
		t.Fatalf("Store(%q): %v", name, err)
	}
	return s
}

func wantWorkspaces(t *testing.T, b state.Backend, want ...string) {
	t.Helper()
	got, err := b.Workspaces(t.Context())
	if err != nil {
		t.Fatalf("Workspaces: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Workspaces (-want +got):\n%s", diff)
	}
}

func wantNoWorkspace(t *testing.T, b state.Backend, name string) {
	t.Helper()
	s, err := b.Store(t.Context(), name)
	var nw *state.NoWorkspaceError
	if !errors.As(err, &nw) {
		t.Fatalf("Store(%q) = (%v, %v), want a *state.NoWorkspaceError", name, s, err)
	}
	if nw.Name != name || nw.Backend != b.Describe() {
		t.Errorf("NoWorkspaceError names %q in %q, want %q in %q", nw.Name, nw.Backend, name, b.Describe())
	}
}

func testDefaultWorkspace(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	wantWorkspaces(t, b, state.DefaultWorkspace)
	if b.Describe() == "" {
		t.Errorf("Describe() is empty")
	}
	for _, force := range []bool{false, true} {
		if err := b.DeleteWorkspace(t.Context(), state.DefaultWorkspace, force); err == nil {
			t.Errorf("DeleteWorkspace(default, force=%v) succeeded", force)
		}
	}
	mustCreate(t, b, "prod")
	if err := b.DeleteWorkspace(t.Context(), state.DefaultWorkspace, true); err == nil {
		t.Errorf("DeleteWorkspace(default) succeeded with another workspace present")
	}
	wantWorkspaces(t, b, state.DefaultWorkspace, "prod")
}

func testCreateListDelete(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	mustCreate(t, b, "prod", "b-2", "a_1", "0ne")
	wantWorkspaces(t, b, "0ne", "a_1", "b-2", state.DefaultWorkspace, "prod")
	if err := b.DeleteWorkspace(t.Context(), "b-2", false); err != nil {
		t.Fatalf("DeleteWorkspace(b-2): %v", err)
	}
	wantWorkspaces(t, b, "0ne", "a_1", state.DefaultWorkspace, "prod")
	wantNoWorkspace(t, b, "b-2")
	err := b.DeleteWorkspace(t.Context(), "b-2", true)
	var nw *state.NoWorkspaceError
	if !errors.As(err, &nw) {
		t.Errorf("DeleteWorkspace of a deleted workspace = %v, want a *state.NoWorkspaceError", err)
	}
}

func testInvalidNames(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	names := []string{"", "Prod", "../x", "a/b", ".hidden", "-x", "_x", "a b", "a.b", "ü", strings.Repeat("a", 64)}
	for _, name := range names {
		want := state.CheckWorkspaceName(name)
		if want == nil {
			t.Fatalf("CheckWorkspaceName(%q) accepts it; the test needs names it refuses", name)
		}
		if err := b.CreateWorkspace(t.Context(), name); err == nil || err.Error() != want.Error() {
			t.Errorf("CreateWorkspace(%q) = %v, want %v", name, err, want)
		}
		if s, err := b.Store(t.Context(), name); err == nil {
			t.Errorf("Store(%q) = %v, want an error", name, s)
		}
		if err := b.DeleteWorkspace(t.Context(), name, true); err == nil {
			t.Errorf("DeleteWorkspace(%q) succeeded", name)
		}
	}
	wantWorkspaces(t, b, state.DefaultWorkspace)
	mustCreate(t, b, strings.Repeat("a", 63))
}

func testCreateExisting(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	mustCreate(t, b, "prod")
	s := mustStore(t, b, "prod")
	want := sampleState(3, 2)
	writeOK(t, s, want)
	for _, name := range []string{"prod", state.DefaultWorkspace} {
		if err := b.CreateWorkspace(t.Context(), name); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Errorf("CreateWorkspace(%q) of an existing workspace = %v, want an error saying it exists", name, err)
		}
	}
	wantStored(t, mustStore(t, b, "prod"), want, "a refused CreateWorkspace")
	wantWorkspaces(t, b, state.DefaultWorkspace, "prod")
}

func testStoreOfMissing(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	mustCreate(t, b, "prod")
	wantNoWorkspace(t, b, "staging")
	_, err := b.Store(t.Context(), "staging")
	var nw *state.NoWorkspaceError
	if errors.As(err, &nw) {
		if diff := cmp.Diff([]string{state.DefaultWorkspace, "prod"}, nw.Existing); diff != "" {
			t.Errorf("NoWorkspaceError.Existing (-want +got):\n%s", diff)
		}
	}
	wantWorkspaces(t, b, state.DefaultWorkspace, "prod")
}

// testWorkspacesIsolated writes state and history, and takes the lock, in
// one workspace, and checks that the others see none of it.
func testWorkspacesIsolated(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	mustCreate(t, b, "a", "b")
	def, a, other := mustStore(t, b, state.DefaultWorkspace), mustStore(t, b, "a"), mustStore(t, b, "b")
	inDefault, inA := withLineage("lineage-default", 3, 2), withLineage("lineage-a", 1, 4)
	writeOK(t, def, inDefault)
	writeOK(t, a, inA)
	wantStored(t, def, inDefault, "a Write in another workspace")
	wantStored(t, a, inA, "a Write in another workspace")
	wantStored(t, other, nil, "Writes in other workspaces")
	if err := a.AppendHistory(t.Context(), historyRun(0)); err != nil {
		t.Fatalf("AppendHistory: %v", err)
	}
	for name, s := range map[string]state.Store{"default": def, "b": other} {
		if recs, err := s.History(t.Context()); err != nil || len(recs) != 0 {
			t.Errorf("History of %s = (%v, %v), want none: the records went to workspace a", name, recs, err)
		}
	}
	id := mustLock(t, a, "apply")
	wantLocked(t, mustStore(t, b, "a"), id, "apply")
	for name, s := range map[string]state.Store{"default": def, "b": other} {
		other, err := s.Lock(ctxTimeout(t, shortWait), lockInfo("plan"))
		if err != nil {
			t.Errorf("Lock of workspace %s while a is locked: %v", name, err)
			continue
		}
		if err := s.Unlock(other); err != nil {
			t.Errorf("Unlock of workspace %s: %v", name, err)
		}
	}
	if err := a.Unlock(id); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}

func testDeleteRefusesLocked(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	mustCreate(t, b, "prod")
	s := mustStore(t, b, "prod")
	id := mustLock(t, s, "apply")
	for _, force := range []bool{false, true} {
		err := b.DeleteWorkspace(t.Context(), "prod", force)
		var locked *state.LockedError
		if !errors.As(err, &locked) || locked.Holder.ID != id {
			t.Errorf("DeleteWorkspace(force=%v) of a locked workspace = %v, want a *state.LockedError naming lock %s", force, err, id)
		}
	}
	wantWorkspaces(t, b, state.DefaultWorkspace, "prod")
	if err := s.Unlock(id); err != nil {
		t.Fatalf("Unlock after the refused deletes: %v", err)
	}
	if err := b.DeleteWorkspace(t.Context(), "prod", false); err != nil {
		t.Fatalf("DeleteWorkspace once unlocked: %v", err)
	}
	wantWorkspaces(t, b, state.DefaultWorkspace)
}

// testDeleteRefusesManaged checks that a workspace whose state manages VMs
// is deleted only with force, one with an empty state without, and that a
// workspace created again under a deleted one's name starts empty.
func testDeleteRefusesManaged(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	mustCreate(t, b, "prod", "empty")
	managed := sampleState(4, 2)
	writeOK(t, mustStore(t, b, "prod"), managed)
	if err := mustStore(t, b, "prod").AppendHistory(t.Context(), historyRun(0)); err != nil {
		t.Fatalf("AppendHistory: %v", err)
	}
	writeOK(t, mustStore(t, b, "empty"), sampleState(9, 0))
	err := b.DeleteWorkspace(t.Context(), "prod", false)
	if err == nil || !strings.Contains(err.Error(), "prod") {
		t.Fatalf("DeleteWorkspace without force of a workspace managing VMs = %v, want an error naming it", err)
	}
	wantStored(t, mustStore(t, b, "prod"), managed, "a refused DeleteWorkspace")
	if err := b.DeleteWorkspace(t.Context(), "empty", false); err != nil {
		t.Errorf("DeleteWorkspace of a workspace managing no VMs: %v", err)
	}
	if err := b.DeleteWorkspace(t.Context(), "prod", true); err != nil {
		t.Fatalf("DeleteWorkspace with force: %v", err)
	}
	wantWorkspaces(t, b, state.DefaultWorkspace)
	mustCreate(t, b, "prod")
	again := mustStore(t, b, "prod")
	wantStored(t, again, nil, "deleting and creating the workspace again")
	if recs, err := again.History(t.Context()); err != nil || len(recs) != 0 {
		t.Errorf("History of a workspace created again = (%v, %v), want none", recs, err)
	}
}

func testLocks(t *testing.T, newBackend newBackendFunc) {
	b := newBackend(t)
	mustCreate(t, b, "a", "z")
	wantLocks(t, b, nil)
	def, a := mustStore(t, b, state.DefaultWorkspace), mustStore(t, b, "a")
	idDefault, idA := mustLock(t, def, "apply"), mustLock(t, a, "destroy")
	wantLocks(t, b, []state.LockInfo{
		{ID: idA, Operation: "destroy", Who: "alice@ops-1", PID: 4242, Workspace: "a"},
		{ID: idDefault, Operation: "apply", Who: "alice@ops-1", PID: 4242, Workspace: state.DefaultWorkspace},
	})
	if err := a.Unlock(idA); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	wantLocks(t, b, []state.LockInfo{
		{ID: idDefault, Operation: "apply", Who: "alice@ops-1", PID: 4242, Workspace: state.DefaultWorkspace},
	})
	if err := def.ForceUnlock(idDefault); err != nil {
		t.Fatalf("ForceUnlock: %v", err)
	}
	wantLocks(t, b, nil)
}

// wantLocks compares Locks with want, on the fields every backend keeps.
func wantLocks(t *testing.T, b state.Backend, want []state.LockInfo) {
	t.Helper()
	locks, err := b.Locks(t.Context())
	if err != nil {
		t.Fatalf("Locks: %v", err)
	}
	var got []state.LockInfo
	for _, l := range locks {
		got = append(got, state.LockInfo{ID: l.ID, Operation: l.Operation, Who: l.Who, PID: l.PID, Workspace: l.Workspace})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Locks (-want +got):\n%s", diff)
	}
}
