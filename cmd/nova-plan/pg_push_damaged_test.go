package main

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/pgtest"
)

// damageRows adds a change row that cannot be read after workspace's
// document (the row's serial raised to it, as WriteDelta does), and
// returns its serial.
func (p *pgChanges) damageRows(workspace string) int64 {
	p.t.Helper()
	ctx := p.t.Context()
	var serial int64
	if err := p.c.QueryRow(ctx, "UPDATE "+p.schema+".workspaces SET serial = serial + 1 WHERE name = $1 RETURNING serial", workspace).Scan(&serial); err != nil {
		p.t.Fatalf("raising the row's serial: %v", err)
	}
	if _, err := p.c.Exec(ctx, "INSERT INTO "+p.schema+".changes (workspace, serial, record, crc32c) VALUES ($1, $2, '#not a record', 0)", workspace, serial); err != nil {
		p.t.Fatalf("adding a damaged change row: %v", err)
	}
	return serial
}

// damageDocument cuts workspace's document short, so that it does not
// parse.
func (p *pgChanges) damageDocument(workspace string) {
	p.t.Helper()
	if _, err := p.c.Exec(p.t.Context(), "UPDATE "+p.schema+".workspaces SET document = substring(document from 1 for 20) WHERE name = $1", workspace); err != nil {
		p.t.Fatalf("cutting the document short: %v", err)
	}
}

// A damaged change row or document is repaired by the command its error
// names: `state push -force FILE` replaces the state and deletes the rows;
// a plain push is refused, saying to use -force, and writes nothing.
func TestPgPushForceRepairsDamagedState(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(p *pgChanges)
		rows   int // change rows the damage leaves
	}{
		{"ChangeRow", func(p *pgChanges) { p.damageRows("default") }, 1},
		{"Document", func(p *pgChanges) { p.damageDocument("default") }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) { testPushForceRepairs(t, tc.damage, tc.rows) })
	}
}

func testPushForceRepairs(t *testing.T, damage func(p *pgChanges), left int) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	rows := newPgChanges(t, conn, schema)
	dir := newDir(t, pgSpec(slowSpec(2, "0s"), schema))
	novaEnv(t, dir, env, "apply", "-auto-approve").Must(t, 0, "apply")
	good := writeFile(t, t.TempDir(), "good.json", novaEnv(t, dir, env, "state", "pull").Must(t, 0, "state pull").Stdout)
	damage(rows)
	r := novaEnv(t, dir, env, "state", "list").Must(t, 1, "state list over a damaged state")
	for _, want := range []string{"damaged", "state push -force FILE"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("state list over a damaged state does not say %q:\n%s", want, r.Stderr)
		}
	}
	r = novaEnv(t, dir, env, "state", "push", good).Must(t, 1, "state push without -force over a damaged state")
	for _, want := range []string{"damaged", "-force", "Nothing was written"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("state push over a damaged state does not say %q:\n%s", want, r.Stderr)
		}
	}
	if n := rows.count("default"); n != left {
		t.Errorf("%d change rows after the refused push, want the %d there were", n, left)
	}
	novaEnv(t, dir, env, "state", "push", "-force", good).Must(t, 0, "state push -force over a damaged state")
	if n := rows.count("default"); n != 0 {
		t.Errorf("%d change rows after push -force, want none", n)
	}
	if got := strings.Fields(novaEnv(t, dir, env, "state", "list").Must(t, 0, "state list after the repair").Stdout); len(got) != 2 {
		t.Errorf("state list after the repair = %q, want the 2 VMs of the pushed document", got)
	}
	novaEnv(t, dir, env, "plan", "-detailed-exitcode").Must(t, 0, "plan after the repair")
}

// A damaged workspace does not block a push into another: its owner check
// reads the damaged workspace's lineage from its row. Its lineage pushed
// without -force is refused naming it; with -force it is pushed, with the
// warning naming it; a document of another lineage is pushed.
func TestPgPushBesideDamagedWorkspace(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	rows := newPgChanges(t, conn, schema)
	dir := newDir(t, pgSpec(slowSpec(2, "0s"), schema))
	novaEnv(t, dir, env, "apply", "-auto-approve").Must(t, 0, "apply")
	tmp := t.TempDir()
	pulled := novaEnv(t, dir, env, "state", "pull").Must(t, 0, "state pull").Stdout
	owned := writeFile(t, tmp, "default.json", pulled)
	lineage := stateLineage(t, pulled)
	other := writeFile(t, tmp, "other.json", strings.ReplaceAll(pulled, lineage, "0f0f0f0f-0000-4000-8000-000000000000"))
	rows.damageRows("default")
	novaEnv(t, dir, env, "workspace", "new", "staging").Must(t, 0, "workspace new staging")
	r := novaEnv(t, dir, env, "state", "push", owned).Must(t, 1, "push of the damaged workspace's lineage")
	if want := `that of workspace "default"`; !strings.Contains(r.Stderr, want) {
		t.Errorf("push of default's lineage into staging does not say %q:\n%s", want, r.Stderr)
	}
	r = novaEnv(t, dir, env, "state", "push", "-force", owned).Must(t, 0, "push -force of the damaged workspace's lineage")
	if !strings.Contains(r.Stderr, "default") {
		t.Errorf("push -force of default's lineage does not warn naming default:\n%s", r.Stderr)
	}
	novaEnv(t, dir, env, "workspace", "new", "prod").Must(t, 0, "workspace new prod")
	novaEnv(t, dir, env, "state", "push", other).Must(t, 0, "push of another lineage beside a damaged workspace")
}
