package pgtests

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/pgtest"
)

// TestKillNineHolder: an apply killed with SIGKILL mid-way never unlocks,
// but PostgreSQL frees its lock as its connection ends: no lock is listed,
// the next apply takes the lock within seconds without force-unlock, adopts
// the VMs created but not recorded, creates the rest, and no VM exists
// twice.
func TestKillNineHolder(t *testing.T) {
	const n = 300
	s := newSite(t, pgtest.ConnString(t), pgtest.Schema(t), fleetSpec(1, n, "20ms"))
	p := s.start(t, "apply", "-auto-approve", "-parallelism=10")
	waitFor(t, "the apply to create some VMs", 60*time.Second, func() bool { return s.journalLines() >= 150 })
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t)
	if lines := s.journalLines(); lines >= n {
		t.Fatalf("the apply finished (%d journal entries) before it was killed; the test proves nothing", lines)
	}
	if got := s.run(t, "state", "locks").Must(t, 0, "state locks after the kill").Stdout; !strings.Contains(got, "No state lock is held.") {
		t.Errorf("state locks after the holder was killed:\n%s\nwant no lock: its session ended", got)
	}

	existing := len(s.inventory(t))
	inState := len(strings.Fields(s.run(t, "state", "list").Must(t, 0, "state list").Stdout))
	t.Logf("after the kill: %d VMs exist, %d in state", existing, inState)
	if inState == existing {
		t.Fatalf("after the kill %d VMs exist and %d are in state: the kill left nothing to recover", existing, inState)
	}
	plan := s.run(t, "plan", "-json").Must(t, 0, "plan -json after the kill")
	var doc struct {
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(plan.Stdout), &doc); err != nil {
		t.Fatalf("plan -json: %v", err)
	}
	if doc.Summary["adopt"] != existing-inState || doc.Summary["create"] != n-existing {
		t.Errorf("plan after the kill: %v; want %d adopt (created, not recorded) and %d create", doc.Summary, existing-inState, n-existing)
	}

	s.run(t, "apply", "-auto-approve", "-parallelism=50", "-lock-timeout=5s").Must(t, 0, "apply after kill -9, without force-unlock")
	s.wantConverged(t, addresses(1, n))
}
