package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
)

// A key, passphrase or password written into the novacron block (where
// it is not a setting) is never printed back in a diagnostic's snippet,
// whatever the command and whether or not the file parses.
func TestSecretsInTheNovacronBlockAreMasked(t *testing.T) {
	const key, pass, pw = "KEYSECRETXbHKAJ0", "PASSSECRETmysecret", "PWSECRETdbpass"
	specs := map[string]string{
		"encryption": "\nnovacron {\n  encryption {\n    required = true\n    key = \"" + key + "\"\n    passphrase = \"" + pass + "\"\n  }\n}\n",
		"backend":    "\nnovacron {\n  backend \"local\" {\n    password = \"" + pw + "\"\n    state_key = \"" + key + "\"\n  }\n}\n",
		"syntax":     "\nnovacron {\n  encryption {\n    key = \"" + key + "\" }}}\n    passphrase = \"" + pass + "\"\n  }\n}\n",
	}
	for name, block := range specs {
		dir := newDir(t, prefixSpec+block)
		for _, args := range [][]string{{"validate"}, {"plan"}, {"state", "list"}, {"history"}, {"workspace", "list"}} {
			r := novaEnv(t, dir, []string{"NOVA_STATE_KEY="}, args...)
			if r.Code != 1 {
				t.Errorf("%s: %v: exit %d, want 1:\n%s", name, args, r.Code, r.Stderr)
			}
			for _, s := range []string{key, pass, pw} {
				if strings.Contains(r.Stdout+r.Stderr, s) {
					t.Errorf("%s: %v printed the secret %s:\n%s", name, args, s, r.Stderr)
				}
			}
			if name == "encryption" && !strings.Contains(r.Stderr, "NOVA_STATE_KEY") {
				t.Errorf("%s: %v does not say keys go in NOVA_STATE_KEY:\n%s", name, args, r.Stderr)
			}
		}
	}
}

// pgExec runs one SQL statement on the test server.
func pgExec(t *testing.T, conn, sql string, args ...any) {
	t.Helper()
	c, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// pgSerial returns the serial column of a pg workspace's row.
func pgSerial(t *testing.T, conn, schema, workspace string) uint64 {
	t.Helper()
	c, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer c.Close(context.Background())
	var serial int64
	q := "SELECT serial FROM " + pgx.Identifier{schema}.Sanitize() + ".workspaces WHERE name = $1"
	if err := c.QueryRow(t.Context(), q, workspace).Scan(&serial); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return uint64(serial)
}

// A pg row whose lineage or serial column disagrees with the document in
// it, or whose document is NULL at a serial above 0, was changed outside
// NovaCron: every command that reads it refuses before planning, names
// the workspace and both values and the repair (state push -force of a good
// document), and writes nothing. The repair works.
func TestPgRowChangedOutsideNovaCron(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	dir := newDir(t, prefixSpec+"\nnovacron {\n  backend \"pg\" {\n    schema = \""+schema+"\"\n  }\n}\n")
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	novaEnv(t, dir, env, "workspace", "new", "r2").Must(t, 0, "workspace new")
	ws := append(env, "NOVA_WORKSPACE=r2")
	novaEnv(t, dir, ws, "apply", "-auto-approve").Must(t, 0, "apply")
	old := novaEnv(t, dir, ws, "state", "pull").Must(t, 0, "pull").Stdout
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	novaEnv(t, dir, ws, "state", "push", good).Must(t, 0, "push (a newer serial)")
	table := pgx.Identifier{schema}.Sanitize() + ".workspaces"
	for _, tc := range []struct {
		name, sql string
		args      []any
		want      []string
	}{
		{"an older document under a newer serial", "UPDATE " + table + " SET document = $1 WHERE name = 'r2'", []any{[]byte(old)},
			nil},
		{"another lineage column", "UPDATE " + table + " SET lineage = '00000000-0000-0000-0000-000000000000' WHERE name = 'r2'", nil,
			[]string{`"00000000-0000-0000-0000-000000000000"`}},
		{"a NULL document", "UPDATE " + table + " SET document = NULL WHERE name = 'r2'", nil,
			[]string{"no document"}},
	} {
		novaEnv(t, dir, ws, "state", "push", "-force", good).Must(t, 0, tc.name+": restore")
		pgExec(t, conn, tc.sql, tc.args...)
		before := pgDocument(t, conn, schema, "r2")
		if tc.want == nil { // both serials are named
			var doc struct{ Serial uint64 }
			if err := json.Unmarshal([]byte(old), &doc); err != nil {
				t.Fatal(err)
			}
			tc.want = []string{fmt.Sprintf("serial %d", doc.Serial), fmt.Sprintf("serial %d", pgSerial(t, conn, schema, "r2"))}
		}
		for _, args := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"state", "list"}} {
			r := novaEnv(t, dir, ws, args...).Must(t, 1, tc.name+": "+strings.Join(args, " "))
			msg := strings.Join(strings.Fields(r.Stderr), " ")
			for _, w := range append(tc.want, `workspace "r2"`, "changed outside NovaCron", "NOVA_WORKSPACE=r2 nova-plan state push -force FILE") {
				if !strings.Contains(msg, w) {
					t.Errorf("%s: %v: stderr lacks %q:\n%s", tc.name, args, w, r.Stderr)
				}
			}
			if strings.Contains(msg, "written since") || strings.Contains(msg, "to add") {
				t.Errorf("%s: %v planned or blamed a concurrent write:\n%s", tc.name, args, r.Stderr)
			}
		}
		if after := pgDocument(t, conn, schema, "r2"); !bytes.Equal(before, after) {
			t.Errorf("%s: the row was written", tc.name)
		}
	}
	novaEnv(t, dir, ws, "state", "push", "-force", good).Must(t, 0, "repair")
	novaEnv(t, dir, ws, "plan", "-detailed-exitcode").Must(t, 0, "plan after the repair")
}

// The restore command printed after a lost lock names the workspace the
// apply ran in (NOVA_WORKSPACE=NAME), so that, pasted into a new shell
// whose selected workspace is default, it restores that workspace and not
// default.
func TestRestoreHintNamesTheWorkspace(t *testing.T) {
	const n = 60
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	dir := newDir(t, slowSpec(n, "100ms")+"\nnovacron {\n  backend \"pg\" {\n    schema = \""+schema+"\"\n  }\n}\n")
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	novaEnv(t, dir, env, "workspace", "new", "db").Must(t, 0, "workspace new db")
	novaEnv(t, dir, env, "workspace", "select", "default").Must(t, 0, "workspace select default")
	cmd := exec.Command(novaBin, "apply", "-auto-approve", "-parallelism=2")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), append(env, "NO_COLOR=1", "NOVA_WORKSPACE=db")...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitFor(t, "the apply to create some VMs", 30*time.Second, func() bool { return journalLines(dir) >= 4 })
	pgExec(t, conn, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nova-plan state lock'")
	if err := cmd.Wait(); err == nil {
		t.Fatalf("apply whose lock was lost: exit 0\n%s", &out)
	}
	var restore []string
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); len(f) == 6 && f[1] == "nova-plan" && f[2] == "state" && f[3] == "push" {
			restore = f
		}
	}
	if restore == nil || restore[0] != "NOVA_WORKSPACE=db" {
		t.Fatalf("no `NOVA_WORKSPACE=db nova-plan state push -force FILE` line in:\n%s", &out)
	}
	if !strings.Contains(out.String(), "NOVA_WORKSPACE=db nova-plan plan") {
		t.Errorf("the plan to run after restoring does not name the workspace:\n%s", &out)
	}
	novaEnv(t, dir, append(env, restore[0]), restore[2:]...).Must(t, 0, "the restore command")
	if got := novaEnv(t, dir, env, "state", "list").Must(t, 0, "state list of default").Stdout; strings.TrimSpace(got) != "" {
		t.Errorf("the default workspace got state:\n%s", got)
	}
}

// With encryption required, a plaintext stored document (a downgrade by
// someone who can write the state but has no key) is refused, with the
// way to encrypt it; state rekey encrypts it.
func TestRequiredEncryptionRefusesPlaintextState(t *testing.T) {
	dir := newDir(t, prefixSpec)
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply in plaintext")
	path := filepath.Join(dir, ".nova", "state.json")
	before := readFile(t, path)
	writeSpec(t, dir, prefixSpec+"\nnovacron {\n  encryption {\n    required = true\n  }\n}\n")
	for _, args := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"state", "list"}} {
		r := novaEnv(t, dir, []string{keyA}, args...).Must(t, 1, strings.Join(args, " ")+" of plaintext state under required = true")
		msg := strings.Join(strings.Fields(r.Stderr), " ")
		for _, w := range []string{"is not encrypted but the spec requires encryption", "nova-plan state rekey"} {
			if !strings.Contains(msg, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, w, r.Stderr)
			}
		}
	}
	if after := readFile(t, path); !bytes.Equal(after, before) {
		t.Errorf("the state was written")
	}
	novaEnv(t, dir, []string{keyA, "NOVA_STATE_NEW_KEY=" + strings.TrimPrefix(keyA, "NOVA_STATE_KEY=")}, "state", "rekey").Must(t, 0, "state rekey encrypts it")
	if !state.IsSealed(readFile(t, path)) {
		t.Errorf("state rekey left the state plaintext")
	}
	novaEnv(t, dir, []string{keyA}, "plan", "-detailed-exitcode").Must(t, 0, "plan after rekey")
}

// With encryption required, the commands that never read or write a
// state document (the history, the locks, the workspace list, new, select
// and show, force-unlock) run without the key; a state command still
// needs it.
func TestRequiredEncryptionOnlyGuardsStateDocuments(t *testing.T) {
	dir := newDir(t, prefixSpec+"\nnovacron {\n  encryption {\n    required = true\n  }\n}\n")
	novaEnv(t, dir, []string{keyA}, "apply", "-auto-approve").Must(t, 0, "apply with the key")
	for _, args := range [][]string{{"history"}, {"state", "locks"}, {"workspace", "list"}, {"workspace", "new", "x"},
		{"workspace", "select", "default"}, {"workspace", "show"}, {"force-unlock", "-force", "no-such-lock"}} {
		r := nova(t, dir, args...)
		if strings.Contains(r.Stderr, "State encryption is required") || (args[0] != "force-unlock" && r.Code != 0) {
			t.Errorf("%v without the key: exit %d:\n%s", args, r.Code, r.Stderr)
		}
	}
	r := nova(t, dir, "state", "list").Must(t, 1, "state list without the key")
	if !strings.Contains(r.Stderr, "State encryption is required") {
		t.Errorf("state list without the key:\n%s", r.Stderr)
	}
	novaEnv(t, dir, []string{keyA, "NOVA_WORKSPACE=x"}, "state", "list").Must(t, 0, "state list of the new workspace with the key")
	novaEnv(t, dir, []string{keyA}, "plan", "-detailed-exitcode").Must(t, 0, "plan with the key")
}
