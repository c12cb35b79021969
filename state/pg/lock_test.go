package pg_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/pg"
)

func ctxTimeout(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

var info = state.LockInfo{Operation: "apply", Who: "alice@ops-1", PID: 4242}

// startHolder re-executes the test binary as a process that takes the
// lock of a workspace and holds it; it returns the process and the lock
// ID. The process is killed at cleanup if it still runs.
func startHolder(t *testing.T, conn, schema, workspace string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holderEnv+"="+schema+" "+workspace, holderConnEnv+"="+conn)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the lock holder: %v", err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() })
	timer := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	id, ok := strings.CutPrefix(strings.TrimSpace(line), "locked ")
	if err != nil || !ok {
		t.Fatalf("the lock holder did not take the lock (%q, %v): %s", line, err, stderr.String())
	}
	return cmd, id
}

// wantHeldBy checks that Lock gives up with a *state.LockedError naming
// the holder.
func wantHeldBy(t *testing.T, s state.Store, want state.LockInfo) {
	t.Helper()
	wantHeldByWithin(t, s, 500*time.Millisecond, want)
}

// wantHeldByWithin is wantHeldBy with Lock given wait.
func wantHeldByWithin(t *testing.T, s state.Store, wait time.Duration, want state.LockInfo) {
	t.Helper()
	id, err := s.Lock(ctxTimeout(t, wait), info)
	var locked *state.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("Lock of a held lock = (%q, %v), want a *state.LockedError", id, err)
	}
	h := locked.Holder
	got := state.LockInfo{ID: h.ID, Operation: h.Operation, Who: h.Who, PID: h.PID, Workspace: h.Workspace}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LockedError.Holder (-want +got):\n%s", diff)
	}
}

func wantLocks(t *testing.T, b *pg.Backend, want ...string) {
	t.Helper()
	locks, err := b.Locks(t.Context())
	if err != nil {
		t.Fatalf("Locks: %v", err)
	}
	var got []string
	for _, l := range locks {
		got = append(got, l.Workspace+" "+l.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Locks (-want +got):\n%s", diff)
	}
}

// TestLockFreedWhenHolderKilled: a holder killed with SIGKILL never
// unlocks, but PostgreSQL frees its advisory lock as its connection ends;
// the next Lock takes the lock over within seconds, without ForceUnlock,
// and replaces the holder's row.
func TestLockFreedWhenHolderKilled(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	b := open(t, schema)
	s := store(t, b, state.DefaultWorkspace)
	child, childID := startHolder(t, conn, schema, state.DefaultWorkspace)
	wantHeldBy(t, s, state.LockInfo{ID: childID, Operation: "apply", Who: "child@test", PID: child.Process.Pid, Workspace: "default"})
	wantLocks(t, b, "default "+childID)

	child.Process.Signal(syscall.SIGKILL)
	child.Wait()
	start := time.Now()
	id, err := s.Lock(ctxTimeout(t, 10*time.Second), info)
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Lock after the holder was killed took %v, want a few seconds at most", took)
	}
	wantLocks(t, b, "default "+id)
	if err := s.Unlock(id); err != nil {
		t.Errorf("Unlock: %v", err)
	}
	wantLocks(t, b)
}

// TestLocksIndependent: each workspace has its own lock.
func TestLocksIndependent(t *testing.T) {
	b := newBackend(t)
	def, a, z := store(t, b, state.DefaultWorkspace), store(t, b, "a"), store(t, b, "z")
	idA, err := a.Lock(ctxTimeout(t, 5*time.Second), info)
	if err != nil {
		t.Fatalf("Lock(a): %v", err)
	}
	idDef, err := def.Lock(ctxTimeout(t, 5*time.Second), info)
	if err != nil {
		t.Fatalf("Lock(default) while a is locked: %v", err)
	}
	wantLocks(t, b, "a "+idA, "default "+idDef)
	wantHeldBy(t, a, state.LockInfo{ID: idA, Operation: "apply", Who: "alice@ops-1", PID: 4242, Workspace: "a"})
	idZ, err := z.Lock(ctxTimeout(t, 5*time.Second), info)
	if err != nil {
		t.Fatalf("Lock(z) while a and default are locked: %v", err)
	}
	for s, id := range map[*pg.Store]string{a: idA, def: idDef, z: idZ} {
		if err := s.Unlock(id); err != nil {
			t.Errorf("Unlock(%s): %v", s.Workspace(), err)
		}
	}
	wantLocks(t, b)
}

// TestWriteAfterLockLostFails: once another runner force-unlocks the lock
// (ending its session), the former holder's Write and AppendHistory fail
// saying the lock was lost, and write nothing.
func TestWriteAfterLockLostFails(t *testing.T) {
	schema := pgtest.Schema(t)
	holder := store(t, open(t, schema), state.DefaultWorkspace)
	other := store(t, open(t, schema), state.DefaultWorkspace)
	first := sample("lin", 1, 3)
	if err := holder.Write(t.Context(), first); err != nil {
		t.Fatalf("Write: %v", err)
	}
	id, err := holder.Lock(ctxTimeout(t, 5*time.Second), info)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	if err := holder.Write(t.Context(), sample("lin", 2, 3)); err != nil {
		t.Fatalf("Write while holding the lock: %v", err)
	}
	if err := other.ForceUnlock(id); err != nil {
		t.Fatalf("ForceUnlock from another backend: %v", err)
	}
	wantLost(t, "Write", holder.Write(t.Context(), sample("lin", 3, 3)), id)
	wantLost(t, "AppendHistory", holder.AppendHistory(t.Context(), []state.HistoryRecord{{Kind: state.RecordStart, RunID: "r", Time: time.Now()}}), id)
	wantRead(t, other, sample("lin", 2, 3))
	if recs, err := other.History(t.Context()); err != nil || len(recs) != 0 {
		t.Errorf("History after the lost lock's AppendHistory = (%v, %v), want none", recs, err)
	}
	next, err := other.Lock(ctxTimeout(t, 5*time.Second), info)
	if err != nil {
		t.Fatalf("Lock after ForceUnlock: %v", err)
	}
	if err := other.Unlock(next); err != nil {
		t.Errorf("Unlock: %v", err)
	}
	wantLost(t, "Unlock of the lost lock", holder.Unlock(id), id)
}

func wantLost(t *testing.T, what string, err error, id string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), "lock "+id+" of workspace \"default\" was lost") {
		t.Errorf("%s after the lock was lost = %v, want an error saying lock %s was lost", what, err, id)
	}
}

// TestServerRestartWhileLocked: a restart ends the holder's session, so
// its lock is lost: its next Write fails and writes nothing; the next Lock
// takes the lock over (the stale row replaced), and the state is intact.
func TestServerRestartWhileLocked(t *testing.T) {
	srv := pgtest.NewRestartable(t)
	b, err := pg.Open(t.Context(), pg.Config{ConnString: srv.ConnString, Schema: pgtest.Schema(t)})
	if err != nil {
		t.Fatalf("pg.Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	s := store(t, b, state.DefaultWorkspace)
	if err := s.Write(t.Context(), sample("lin", 1, 10)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	id, err := s.Lock(ctxTimeout(t, 5*time.Second), info)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	srv.Restart(t)
	wantLost(t, "Write", s.Write(t.Context(), sample("lin", 2, 10)), id)
	wantRead(t, s, sample("lin", 1, 10))
	next, err := s.Lock(ctxTimeout(t, 10*time.Second), info)
	if err != nil {
		t.Fatalf("Lock after the restart: %v", err)
	}
	wantLocks(t, b, "default "+next)
	if err := s.Write(t.Context(), sample("lin", 2, 10)); err != nil {
		t.Errorf("Write under the new lock: %v", err)
	}
	if err := s.Unlock(next); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}

// TestCloseFreesLocks: closing a backend ends its locks' sessions, so
// another runner takes the lock at once.
func TestCloseFreesLocks(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	first, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: schema})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := store(t, first, state.DefaultWorkspace).Lock(ctxTimeout(t, 5*time.Second), info); err != nil {
		t.Fatalf("Lock: %v", err)
	}
	first.Close()
	s := store(t, open(t, schema), state.DefaultWorkspace)
	id, err := s.Lock(ctxTimeout(t, 5*time.Second), info)
	if err != nil {
		t.Fatalf("Lock after the holder's backend was closed: %v", err)
	}
	if err := s.Unlock(id); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}

// TestLockTriedOnce: a Lock whose deadline is too short to connect (the
// CLI's -lock-timeout=0 gives 1 ms) still connects, under a timeout of its
// own, and tries once: a free lock is taken, a held one is named at once;
// a cancelled ctx stops it.
func TestLockTriedOnce(t *testing.T) {
	b := newBackend(t)
	s, other := store(t, b, state.DefaultWorkspace), store(t, b, "a")
	id, err := s.Lock(ctxTimeout(t, time.Millisecond), info)
	if err != nil {
		t.Fatalf("Lock of a free lock with 1 ms: %v", err)
	}
	began := time.Now()
	wantHeldByWithin(t, s, time.Millisecond, state.LockInfo{ID: id, Operation: "apply", Who: "alice@ops-1", PID: 4242, Workspace: "default"})
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("Lock of a held lock with 1 ms gave up after %s, want at once", took)
	}
	if err := s.Unlock(id); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if id, err := other.Lock(ctx, info); !errors.Is(err, context.Canceled) {
		t.Errorf("Lock with a cancelled ctx = (%q, %v), want context.Canceled", id, err)
	}
}
