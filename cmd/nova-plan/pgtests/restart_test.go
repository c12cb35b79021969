package pgtests

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
)

// restartableSite is a site on a server of the test's own to restart.
func restartableSite(t *testing.T, body string) (*site, *pgtest.Restartable) {
	t.Helper()
	srv := pgtest.NewRestartable(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "t_restart_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, srv.ConnString); err == nil {
			c.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
			c.Close(ctx)
		}
	})
	return newSite(t, srv.ConnString, schema, body), srv
}

// TestServerRestartDuringApply: the database restarts while an apply
// creates VMs. The restart ends the lock's session, so the apply cannot
// save under it: it stops starting changes and exits 1 saying the state
// could not be saved because the lock was lost, and where the state it
// could not save is. Nothing is lost: every VM created is in the state or
// adopted by the next plan, and the next apply converges without
// force-unlock, with no VM twice.
func TestServerRestartDuringApply(t *testing.T) {
	const n = 200
	s, srv := restartableSite(t, fleetSpec(1, n, "50ms"))
	p := s.start(t, "apply", "-auto-approve", "-parallelism=4")
	waitFor(t, "the apply to create some VMs", 60*time.Second, func() bool { return s.journalLines() >= 40 })
	srv.Restart(t)
	code := p.wait(t)
	out := p.out.String()
	if code != 1 {
		t.Fatalf("apply during a restart: exit %d, want 1\n%s", code, out)
	}
	if s.journalLines() >= n {
		t.Fatalf("the apply created all %d VMs before the restart stopped it; the test proves nothing\n%s", n, out)
	}
	for _, want := range []string{"the state could not be saved", "was lost", "run the command again", "state.recovery-"} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply's output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "panic") {
		t.Errorf("the apply panicked:\n%s", out)
	}

	existing := len(s.inventory(t))
	inState := len(strings.Fields(s.run(t, "state", "list").Must(t, 0, "state list after the restart").Stdout))
	t.Logf("after the restart: %d VMs exist, %d in state", existing, inState)
	plan := s.run(t, "plan", "-json").Must(t, 0, "plan -json after the restart")
	var doc struct {
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(plan.Stdout), &doc); err != nil {
		t.Fatalf("plan -json: %v", err)
	}
	if doc.Summary["adopt"] != existing-inState || doc.Summary["create"] != n-existing {
		t.Errorf("plan after the restart: %v; want %d adopt (created, not saved) and %d create", doc.Summary, existing-inState, n-existing)
	}
	// The restore command the error gives works on pg, and the lost lock
	// is said once, not again as a problem while closing.
	if strings.Contains(out, "Problem while closing") {
		t.Errorf("the lost lock is reported again as a problem while closing:\n%s", out)
	}
	push := pushCommand(t, out)
	s.run(t, push...).Must(t, 0, "the restore command the error gives")
	if err := json.Unmarshal([]byte(s.run(t, "plan", "-json").Must(t, 0, "plan -json after restoring").Stdout), &doc); err != nil {
		t.Fatalf("plan -json: %v", err)
	}
	if doc.Summary["adopt"] != 0 || doc.Summary["create"] != n-existing {
		t.Errorf("plan after restoring the recovery file: %v; want nothing to adopt (it records every VM made) and %d to create", doc.Summary, n-existing)
	}
	s.run(t, "apply", "-auto-approve", "-parallelism=50", "-lock-timeout=10s").Must(t, 0, "apply after the restart, without force-unlock")
	s.wantConverged(t, addresses(1, n))
}

// pushCommand returns the arguments of the `nova-plan state push -force
// FILE` line of an apply's output.
func pushCommand(t *testing.T, out string) []string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 5 && f[0] == "nova-plan" && f[1] == "state" && f[2] == "push" && f[3] == "-force" {
			return f[1:]
		}
	}
	t.Fatalf("no `nova-plan state push -force FILE` line in:\n%s", out)
	return nil
}
