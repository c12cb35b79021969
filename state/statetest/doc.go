// Package statetest is the conformance suite every state.Store runs:
//
//	func TestStore(t *testing.T) {
//		statetest.Run(t, func(t *testing.T) state.Store { return local.New(t.TempDir()) })
//	}
//
// It checks what the state.Store contract promises (reads of a missing
// document, round trips, atomic replacement under concurrent readers,
// documents state.Validate refuses never written,
// exclusive locks with their holder's info, unlock and force-unlock by id,
// ordered history), not how a backend keeps its data. Backend-specific
// behaviour (file modes, corrupt files, crashed lock holders) is tested in
// the backend's own package.
//
// It is imported only by tests.
package statetest
