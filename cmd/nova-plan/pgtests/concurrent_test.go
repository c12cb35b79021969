package pgtests

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/novacron/novacron/internal/pgtest"
)

// TestEightConcurrentApplies: eight applies started at once on one pg
// workspace, each targeting a fleet of its own, six of them willing to
// wait for the lock and two not (-lock-timeout=0). Each runs alone: a
// waiting one applies after the holder, a refused one exits 1 naming the
// holder, another of the eight. An apply afterwards creates the refused
// ones' fleets. The state has every VM exactly once, the simulator too,
// and the history has a start and an ok end record for every apply that
// changed something.
func TestEightConcurrentApplies(t *testing.T) {
	const fleets, size = 8, 4
	s := newSite(t, pgtest.ConnString(t), pgtest.Schema(t), fleetSpec(fleets, size, "30ms"))
	// The first use creates the schema: do it before the race.
	s.run(t, "state", "list").Must(t, 0, "state list on a new schema")

	procs := make([]*proc, fleets)
	for i := range fleets {
		timeout := "2m"
		if i >= 6 {
			timeout = "0"
		}
		procs[i] = s.start(t, "apply", "-auto-approve", "-parallelism=2", "-lock-timeout="+timeout, fmt.Sprintf("-target=fleet.f%d", i))
	}
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Go(func() { p.wait(t) })
	}
	wg.Wait()

	pids := map[int]bool{}
	for _, p := range procs {
		pids[p.cmd.Process.Pid] = true
	}
	lockedBy := regexp.MustCompile(`State is locked by \S+ \(operation "apply", pid (\d+),`)
	applied := 0
	for i, p := range procs {
		out := p.out.String()
		switch {
		case p.code == 0 && strings.Contains(out, fmt.Sprintf("Apply complete! VMs: %d added", size)):
			applied++
		case p.code == 1 && i >= 6:
			m := lockedBy.FindStringSubmatch(out)
			if m == nil {
				t.Errorf("apply %d (-lock-timeout=0) failed without naming the lock's holder:\n%s", i, out)
				continue
			}
			if pid, _ := strconv.Atoi(m[1]); !pids[pid] || pid == p.cmd.Process.Pid {
				t.Errorf("apply %d names pid %s as the holder, which is not another of the eight", i, m[1])
			}
		default:
			t.Errorf("apply %d %v: exit %d\n%s", i, p.args, p.code, out)
		}
	}
	t.Logf("%d of the 8 applies applied, %d were refused the lock", applied, fleets-applied)
	if applied < 6 {
		t.Fatalf("%d of 8 applies applied, want at least the 6 that wait for the lock", applied)
	}
	final := s.run(t, "apply", "-auto-approve", "-parallelism=8").Must(t, 0, "apply after the eight")
	if applied < fleets && !strings.Contains(final.Stdout, fmt.Sprintf("%d added", (fleets-applied)*size)) {
		t.Errorf("the apply after the eight should create the %d refused applies' fleets:\n%s", fleets-applied, final.Stdout)
	}
	s.wantConverged(t, addresses(fleets, size))

	// The history: one run per apply that changed something, each with a
	// start, its creates, and an ok end.
	want := applied
	if applied < fleets {
		want++
	}
	rs := runs(s.history(t))
	if len(rs) != want {
		t.Errorf("history has %d runs, want %d (%d of the eight, and the one after)", len(rs), want, applied)
	}
	created := map[string]int{}
	for id, recs := range rs {
		first, last := recs[0], recs[len(recs)-1]
		if first.Kind != "start" || first.Operation != "apply" || last.Kind != "end" || last.Outcome != "ok" {
			t.Errorf("run %s: first record %+v, last %+v; want an apply's start and an ok end", id, first, last)
		}
		for _, r := range recs[1 : len(recs)-1] {
			if r.Kind != "action" || r.Action != "create" || r.Outcome != "ok" {
				t.Errorf("run %s: record %+v, want ok creates between start and end", id, r)
			}
			created[r.Address]++
		}
	}
	all := addresses(fleets, size)
	for _, a := range all {
		if created[a] != 1 {
			t.Errorf("history: %s created %d times, want once", a, created[a])
		}
	}
	if len(created) != len(all) {
		t.Errorf("history creates %d addresses, want %d", len(created), len(all))
	}
}
