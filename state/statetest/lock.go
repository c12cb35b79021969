package statetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/state"
)

func lockInfo(op string) state.LockInfo {
	return state.LockInfo{Operation: op, Who: "alice@ops-1", PID: 4242, Created: time.Now()}
}

func mustLock(t *testing.T, s state.Store, op string) string {
	t.Helper()
	id, err := s.Lock(ctxTimeout(t, 5*time.Second), lockInfo(op))
	if err != nil {
		t.Fatalf("Lock(%s): %v", op, err)
	}
	if id == "" {
		t.Fatalf("Lock(%s) returned an empty id", op)
	}
	return id
}

// wantLocked checks that Lock fails with a LockedError naming the holder.
func wantLocked(t *testing.T, s state.Store, holderID, holderOp string) {
	t.Helper()
	id, err := s.Lock(ctxTimeout(t, shortWait), lockInfo("plan"))
	var locked *state.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("second Lock = (%q, %v), want a *state.LockedError", id, err)
	}
	h := locked.Holder
	got := state.LockInfo{ID: h.ID, Operation: h.Operation, Who: h.Who, PID: h.PID}
	want := state.LockInfo{ID: holderID, Operation: holderOp, Who: "alice@ops-1", PID: 4242}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LockedError.Holder (-want +got):\n%s", diff)
	}
}

func testLockExclusive(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	id := mustLock(t, s, "apply")
	start := time.Now()
	wantLocked(t, s, id, "apply")
	if waited := time.Since(start); waited < shortWait {
		t.Errorf("second Lock gave up after %v, before its context ended (%v)", waited, shortWait)
	}
	if err := s.Unlock(id); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}

func testLockAfterUnlock(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	first := mustLock(t, s, "apply")
	if err := s.Unlock(first); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	second := mustLock(t, s, "destroy")
	if second == first {
		t.Errorf("two locks got the same id %q", first)
	}
	if err := s.Unlock(second); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}

func testUnlockWrongID(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	id := mustLock(t, s, "apply")
	if err := s.Unlock(id + "-wrong"); err == nil {
		t.Fatalf("Unlock with a wrong id succeeded")
	}
	wantLocked(t, s, id, "apply")
	if err := s.Unlock(id); err != nil {
		t.Errorf("Unlock with the right id: %v", err)
	}
}

func testForceUnlock(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	if err := s.ForceUnlock("no-such-lock"); err == nil {
		t.Errorf("ForceUnlock with no lock held succeeded")
	}
	id := mustLock(t, s, "apply")
	if err := s.ForceUnlock(id + "-wrong"); err == nil {
		t.Fatalf("ForceUnlock with a wrong id succeeded")
	}
	wantLocked(t, s, id, "apply")
	if err := s.ForceUnlock(id); err != nil {
		t.Fatalf("ForceUnlock with the right id: %v", err)
	}
	next := mustLock(t, s, "destroy")
	if err := s.Unlock(next); err != nil {
		t.Errorf("Unlock after ForceUnlock: %v", err)
	}
}
