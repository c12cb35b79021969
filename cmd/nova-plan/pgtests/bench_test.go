package pgtests

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
)

// BenchmarkLockHandOverProcess: the lock passing between two nova-plan
// processes on one pg workspace. Each round an apply creates 20 VMs (50 ms
// a call, one at a time, about a second), and a destroy started while it
// runs waits for the lock (-lock-timeout=1m). A watcher polls the locks
// table: handover-ms is the time from the apply's lock row going (its
// Unlock) to the destroy's row appearing (its Lock returned and recorded);
// exit-to-lock-ms is the time from the apply's process exiting, as its
// parent sees it, to the destroy's row (negative: the destroy held the
// lock before the apply's process had exited).
func BenchmarkLockHandOverProcess(b *testing.B) {
	conn, schema := pgtest.ConnString(b), pgtest.Schema(b)
	s := newSite(b, conn, schema, fleetSpec(1, 20, "50ms"))
	watch, err := pgx.Connect(b.Context(), conn)
	if err != nil {
		b.Fatal(err)
	}
	defer watch.Close(context.Background())
	q := "SELECT coalesce(max(pid), 0) FROM " + pgx.Identifier{schema}.Sanitize() + ".locks WHERE workspace = 'default'"
	holder := func() int {
		var pid int
		if err := watch.QueryRow(b.Context(), q).Scan(&pid); err != nil {
			b.Fatal(err)
		}
		return pid
	}
	s.run(b, "state", "list").Must(b, 0, "state list") // creates the schema
	var handover, exitToLock time.Duration
	n := 0
	b.ResetTimer()
	for b.Loop() {
		apply := s.start(b, "apply", "-auto-approve", "-parallelism=1")
		for holder() != apply.cmd.Process.Pid {
			time.Sleep(time.Millisecond)
		}
		destroy := s.start(b, "destroy", "-auto-approve", "-lock-timeout=1m")
		var wg sync.WaitGroup
		var exited time.Time
		wg.Go(func() { apply.cmd.Wait(); exited = time.Now() })
		var released, taken time.Time
		for taken.IsZero() {
			switch pid := holder(); {
			case pid == destroy.cmd.Process.Pid:
				taken = time.Now()
			case pid != apply.cmd.Process.Pid && released.IsZero():
				released = time.Now()
			}
		}
		wg.Wait()
		if err := destroy.cmd.Wait(); err != nil {
			b.Fatalf("destroy: %v\n%s", err, destroy.out)
		}
		if apply.cmd.ProcessState.ExitCode() != 0 {
			b.Fatalf("apply: exit %d\n%s", apply.cmd.ProcessState.ExitCode(), apply.out)
		}
		if released.IsZero() {
			released = taken
		}
		handover += taken.Sub(released)
		exitToLock += taken.Sub(exited)
		n++
	}
	b.ReportMetric(float64(handover.Microseconds())/float64(n)/1000, "handover-ms")
	b.ReportMetric(float64(exitToLock.Microseconds())/float64(n)/1000, "exit-to-lock-ms")
}
