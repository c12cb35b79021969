package pgtests

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/pgtest"
)

// TestLockTimeoutZeroFailsFast: with -lock-timeout=0 (the default) an
// apply on a pg workspace whose lock another apply holds tries once and
// fails at once, naming the holder, as on the local backend; it does not
// spend a wait on connecting, nor wait for the holder.
func TestLockTimeoutZeroFailsFast(t *testing.T) {
	s := newSite(t, pgtest.ConnString(t), pgtest.Schema(t), fleetSpec(1, 60, "50ms"))
	first := s.start(t, "apply", "-auto-approve", "-parallelism=1")
	pid := first.cmd.Process.Pid
	waitFor(t, "the first apply to take the lock", 30*time.Second, func() bool { return s.lockHolder(t, "default") == pid })

	began := time.Now()
	r := s.run(t, "apply", "-auto-approve", "-lock-timeout=0")
	took := time.Since(began)
	if s.lockHolder(t, "default") != pid {
		t.Fatalf("the first apply ended before the second was refused: the test proves nothing\n%s", first.out)
	}
	r.Must(t, 1, "apply -lock-timeout=0 while another apply holds the lock")
	for _, want := range []string{"State is locked by", `operation "apply"`, fmt.Sprintf("pid %d", pid), "force-unlock"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the lock error lacks %q:\n%s", want, r.Stderr)
		}
	}
	// Connecting and asking once takes a fraction of a second; a wait
	// would take the holder's remaining seconds (or the 10 s that a pg
	// lock was once given at least).
	if took > 5*time.Second {
		t.Errorf("apply -lock-timeout=0 took %s to give up, want it to try once and fail at once", took.Round(time.Millisecond))
	}
	if strings.Contains(r.Stderr, "Waiting for the state lock") {
		t.Errorf("apply -lock-timeout=0 says it waits:\n%s", r.Stderr)
	}
	// A plan allowed to wait says so once, on standard error, naming the
	// holder, and then waits.
	r = s.run(t, "plan", "-lock-timeout=2m").Must(t, 0, "plan -lock-timeout=2m while the apply holds the lock")
	if n := strings.Count(r.Stderr, "Waiting for the state lock held by"); n != 1 || !strings.Contains(r.Stderr, `operation "apply"`) {
		t.Errorf("a plan that waited for the pg lock printed the waiting line %d times, want 1 naming the holder:\n%s", n, r.Stderr)
	}
	if code := first.wait(t); code != 0 {
		t.Fatalf("the first apply: exit %d\n%s", code, first.out)
	}
	s.wantConverged(t, addresses(1, 60))
}
