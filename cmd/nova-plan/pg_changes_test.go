package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
)

// pgSpec is spec on the pg backend in schema.
func pgSpec(spec, schema string) string {
	return spec + "\nnovacron {\n  backend \"pg\" {\n    schema = \"" + schema + "\"\n  }\n}\n"
}

// pgChanges reads a schema's changes table behind NovaCron's back.
type pgChanges struct {
	t      *testing.T
	c      *pgx.Conn
	schema string // quoted
}

func newPgChanges(t *testing.T, conn, schema string) *pgChanges {
	t.Helper()
	c, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL: %v", err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return &pgChanges{t: t, c: c, schema: pgx.Identifier{schema}.Sanitize()}
}

// count returns the number of change rows of a workspace.
func (p *pgChanges) count(workspace string) int {
	p.t.Helper()
	var n int
	if err := p.c.QueryRow(p.t.Context(), "SELECT count(*) FROM "+p.schema+".changes WHERE workspace = $1", workspace).Scan(&n); err != nil {
		p.t.Fatalf("counting the change rows: %v", err)
	}
	return n
}

// pulledState is `state pull`'s document without what differs between two
// runs of one apply: the lineage, the serial (how many writes it took)
// and the VMs' IDs (the order the simulator made them in).
func pulledState(t *testing.T, dir string, env []string) map[string]any {
	t.Helper()
	var doc map[string]any
	out := novaEnv(t, dir, env, "state", "pull").Must(t, 0, "state pull").Stdout
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("state pull printed invalid JSON: %v\n%s", err, out)
	}
	delete(doc, "lineage")
	delete(doc, "serial")
	vms, _ := doc["vms"].(map[string]any)
	for _, vm := range vms {
		delete(vm.(map[string]any), "id")
	}
	return doc
}

// TestPgApplyWritesChangeRows: an apply on the pg backend writes its
// changes as rows of the changes table while it runs, and leaves none at
// its end (the document holds them); the state is the one the same applies
// leave on the local backend.
func TestPgApplyWritesChangeRows(t *testing.T) {
	const first, n = 100, 250
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	rows := newPgChanges(t, conn, schema)
	dir, local := newDir(t, pgSpec(slowSpec(first, "0s"), schema)), newDir(t, slowSpec(first, "0s"))
	novaEnv(t, dir, env, "apply", "-auto-approve").Must(t, 0, "first apply on pg")
	nova(t, local, "apply", "-auto-approve").Must(t, 0, "first apply on local")
	writeSpec(t, dir, pgSpec(slowSpec(n, "50ms"), schema))
	writeSpec(t, local, slowSpec(n, "0s"))
	cmd := startPg(t, dir, env, "apply", "-auto-approve", "-parallelism=2")
	most := 0
	waitFor(t, "the apply to write 3 change rows", 60*time.Second, func() bool {
		most = max(most, rows.count("default"))
		return most >= 3
	})
	if err := cmd.Wait(); err != nil {
		t.Fatalf("apply on pg: %v", err)
	}
	if left := rows.count("default"); left != 0 {
		t.Errorf("%d change rows are left after the apply finished, want none", left)
	}
	nova(t, local, "apply", "-auto-approve").Must(t, 0, "second apply on local")
	if diff := cmp.Diff(pulledState(t, local, nil), pulledState(t, dir, env)); diff != "" {
		t.Errorf("state on pg differs from the state on local (-local +pg):\n%s", diff)
	}
	novaEnv(t, dir, env, "plan", "-detailed-exitcode").Must(t, 0, "plan on pg after the apply")
}

// startPg runs the binary in the background with env added (the pg
// connection string), as start does.
func startPg(t *testing.T, dir string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(novaBin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("output of %s:\n%s", strings.Join(args, " "), out.String())
		}
	})
	return cmd
}

// An apply on pg killed with -9 while it writes change rows leaves them:
// the next command reads the state with them (a damaged one is an error
// naming the workspace and its serial, nothing written), workspace delete
// counts their VMs as managed, and the next apply converges with every VM
// once, leaving no change row. It runs in a workspace of its own, staging,
// so that delete may be tried.
func TestPgKillNineLeavesChangeRows(t *testing.T) {
	const first, n = 300, 400
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	rows := newPgChanges(t, conn, schema)
	dir := newDir(t, pgSpec(slowSpec(first, "0s"), schema))
	novaEnv(t, dir, env, "workspace", "new", "staging").Must(t, 0, "workspace new staging")
	novaEnv(t, dir, env, "apply", "-auto-approve").Must(t, 0, "first apply")
	// 100 more VMs write fewer bytes than the 300 of the document: no
	// compaction before the end of the apply.
	writeSpec(t, dir, pgSpec(slowSpec(n, "100ms"), schema))
	cmd := startPg(t, dir, env, "apply", "-auto-approve", "-parallelism=2")
	waitFor(t, "the apply to write 3 change rows", 60*time.Second, func() bool { return rows.count("staging") >= 3 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	left := rows.count("staging")
	if left < 3 {
		t.Fatalf("after the kill %d change rows are left, want 3 or more", left)
	}
	wantDamagedRow(t, dir, env, rows)
	inState := len(strings.Fields(novaEnv(t, dir, env, "state", "list").Must(t, 0, "state list").Stdout))
	if inState <= first || inState >= n {
		t.Fatalf("state list after the kill: %d VMs, want more than %d (in change rows) and fewer than %d", inState, first, n)
	}
	novaEnv(t, dir, env, "workspace", "select", "default").Must(t, 0, "workspace select default")
	r := novaEnv(t, dir, env, "workspace", "delete", "staging").Must(t, 1, "workspace delete staging while it manages VMs")
	if want := fmt.Sprintf("still manages %d VMs", inState); !strings.Contains(r.Stderr, want) {
		t.Errorf("workspace delete does not say %q (the VMs of the document and its change rows):\n%s", want, r.Stderr)
	}
	novaEnv(t, dir, env, "workspace", "select", "staging").Must(t, 0, "workspace select staging")
	if got := rows.count("staging"); got != left {
		t.Errorf("%d change rows after the refused delete, want the %d the kill left", got, left)
	}
	novaEnv(t, dir, env, "apply", "-auto-approve", "-parallelism=50").Must(t, 0, "apply after kill -9")
	if got := rows.count("staging"); got != 0 {
		t.Errorf("%d change rows are left after the apply that converged", got)
	}
	if got := len(strings.Fields(novaEnv(t, dir, env, "state", "list").Must(t, 0, "state list").Stdout)); got != n {
		t.Errorf("state list after converging: %d VMs, want %d", got, n)
	}
	if got := len(simVMsOf(t, dir, env)); got != n {
		t.Errorf("the simulator holds %d VMs after converging, want %d (none lost, none made twice)", got, n)
	}
	novaEnv(t, dir, env, "plan", "-detailed-exitcode").Must(t, 0, "plan after converging")
}

// wantDamagedRow alters the bytes of staging's newest change row: state list fails
// naming the workspace and the row's serial, and changes nothing; the row
// is put back.
func wantDamagedRow(t *testing.T, dir string, env []string, rows *pgChanges) {
	t.Helper()
	ctx := t.Context()
	var serial int64
	var rec []byte
	if err := rows.c.QueryRow(ctx, "SELECT serial, record FROM "+rows.schema+".changes WHERE workspace = 'staging' ORDER BY serial DESC LIMIT 1").Scan(&serial, &rec); err != nil {
		t.Fatal(err)
	}
	set := "UPDATE " + rows.schema + ".changes SET record = $2 WHERE workspace = 'staging' AND serial = $1"
	if _, err := rows.c.Exec(ctx, set, serial, append([]byte("#"), rec...)); err != nil {
		t.Fatal(err)
	}
	r := novaEnv(t, dir, env, "state", "list").Must(t, 1, "state list over a damaged change row")
	for _, want := range []string{`workspace "staging"`, "change at serial " + strconv.FormatInt(serial, 10), "damaged"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("state list over a damaged change row does not say %q:\n%s", want, r.Stderr)
		}
	}
	var after []byte
	if err := rows.c.QueryRow(ctx, "SELECT record FROM "+rows.schema+".changes WHERE workspace = 'staging' AND serial = $1", serial).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if string(after) != "#"+string(rec) {
		t.Errorf("the damaged change row was rewritten")
	}
	if _, err := rows.c.Exec(ctx, set, serial, rec); err != nil {
		t.Fatal(err)
	}
}

// simVMsOf returns the names of the VMs the slowSpec simulator holds
// (inventory lists them all, managed or not).
func simVMsOf(t *testing.T, dir string, env []string) map[string]bool {
	t.Helper()
	r := novaEnv(t, dir, env, "inventory", "-json").Must(t, 0, "inventory -json")
	var inv inventoryDoc
	if err := json.Unmarshal([]byte(r.Stdout), &inv); err != nil {
		t.Fatalf("inventory -json printed invalid JSON: %v\n%s", err, r.Stdout)
	}
	out := map[string]bool{}
	for _, vm := range inv.VMs {
		if out[vm.Name] {
			t.Errorf("the simulator holds two VMs named %s", vm.Name)
		}
		out[vm.Name] = true
	}
	return out
}
