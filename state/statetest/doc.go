// Package statetest is the conformance suite every state.Store and every
// state.Backend runs:
//
//	func TestStore(t *testing.T) {
//		statetest.Run(t, func(t *testing.T) state.Store { return local.New(t.TempDir()) })
//	}
//
//	func TestBackend(t *testing.T) {
//		statetest.RunBackend(t, func(t *testing.T) state.Backend {
//			b := local.NewBackend(t.TempDir())
//			t.Cleanup(func() { b.Close() })
//			return b
//		})
//	}
//
// Run checks what the state.Store contract promises (reads of a missing
// document, round trips, atomic replacement under concurrent readers,
// documents state.Validate refuses never written, the lineage and serial
// rule of Write — a stale or equal serial, or another lineage, refused with
// a *state.ConflictError and nothing written; the first write of any
// lineage accepted; Overwrite exempt from the rule but not from Validate —,
// exclusive locks with their holder's info, unlock and force-unlock by id,
// ordered history), not how a backend keeps its data. RunBackend checks the
// state.Backend contract (the default workspace always there and never
// deleted; create, list sorted, delete; names CheckWorkspaceName refuses;
// a missing workspace a *state.NoWorkspaceError; each workspace's state,
// lock and history its own; delete refused while locked, and while the
// state manages VMs unless forced; Locks listing exactly the locks held),
// then runs Run over the store of the default workspace and of a created
// one. Backend-specific behaviour (file modes, corrupt files, crashed lock
// holders) is tested in the backend's own package. The suites prove
// themselves (statetest_test.go): state/local passes them, and backends
// broken in one way on purpose fail the case that guards against it.
//
// RunSealed is the encryption suite, run by every backend with
// state/encryption's Sealer: the stored bytes (file, row) sealed and free
// of the document's words, a round trip through another store with the same
// key, a wrong key or none refused on Read and on Write with the stored
// bytes unchanged, and a plaintext document sealed by the next write.
//
// RunDelta is the suite of state.DeltaStore, for a backend that keeps
// changes apart from its document (state/local's journal): changes read
// back with the document they follow (VMs set, removed, the abandoned list
// replaced), ErrWriteWhole with nothing stored, the lineage and serial rule
// for changes and for Compact (the stored serial exactly), invalid records
// refused, and Write and Overwrite superseding the changes before them.
//
// It is imported only by tests.
package statetest
