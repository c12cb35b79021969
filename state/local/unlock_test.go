package local_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/local"
)

func lock(t *testing.T, s *local.Store, op string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	id, err := s.Lock(ctx, state.LockInfo{Operation: op, Who: "t@test"})
	if err != nil {
		t.Fatalf("Lock(%s): %v", op, err)
	}
	return id
}

func TestLockFileLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".nova")
	s := local.New(dir)
	path := filepath.Join(dir, local.LockFile)
	id := lock(t, s, "apply")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no lock file while locked: %v", err)
	}
	if fi.Mode() != 0o600 {
		t.Errorf("lock file mode %v, want 0600", fi.Mode())
	}
	if err := s.Unlock(id); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("lock file still there after Unlock (Stat: %v)", err)
	}
	if err := s.Unlock(id); err == nil {
		t.Errorf("second Unlock of the same id succeeded")
	}
}

// A holder whose lock was forced away must not remove its successor's lock
// file when it finally unlocks.
func TestUnlockAfterForceUnlockKeepsSuccessor(t *testing.T) {
	dir := t.TempDir()
	old, admin, next := local.New(dir), local.New(dir), local.New(dir)
	oldID := lock(t, old, "apply")
	if err := admin.ForceUnlock(oldID); err != nil {
		t.Fatalf("ForceUnlock: %v", err)
	}
	nextID := lock(t, next, "destroy")
	if err := old.Unlock(oldID); err == nil {
		t.Errorf("Unlock of a forced-away lock reported success")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if id, err := admin.Lock(ctx, state.LockInfo{Operation: "plan"}); err == nil {
		t.Errorf("Lock succeeded (%s) while %s holds the lock: the old holder's Unlock broke it", id, nextID)
	}
	if err := next.Unlock(nextID); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}

func TestForceUnlockErrors(t *testing.T) {
	dir := t.TempDir()
	s := local.New(dir)
	err := s.ForceUnlock("abc")
	if err == nil {
		t.Fatal("ForceUnlock with no lock file succeeded")
	}
	wantErrText(t, err, "no lock is held")
	id := lock(t, s, "apply")
	err = s.ForceUnlock("abc")
	if err == nil {
		t.Fatal("ForceUnlock with a wrong id succeeded")
	}
	wantErrText(t, err, `"abc"`, `"`+id+`"`, "t@test", "apply")
	if err := s.Unlock(id); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}
