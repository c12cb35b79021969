package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
)

// pgDocument returns the stored document of a pg workspace, read from the
// workspaces table as a dump would show it.
func pgDocument(t *testing.T, conn, schema, workspace string) []byte {
	t.Helper()
	c, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer c.Close(context.Background())
	var doc []byte
	q := "SELECT document FROM " + pgx.Identifier{schema}.Sanitize() + ".workspaces WHERE name = $1"
	if err := c.QueryRow(t.Context(), q, workspace).Scan(&doc); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return doc
}

// TestEncryptedStateOnPg: an apply on a pg workspace with NOVA_STATE_KEY
// stores a row whose document holds no VM name, address or tag value; a
// wrong key or none fails clearly with the row unchanged; state rekey
// rewrites the row under the new key.
func TestEncryptedStateOnPg(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	dir := newDir(t, secretSpec+"\nnovacron {\n  backend \"pg\" {\n    schema = \""+schema+"\"\n  }\n}\n")
	pgEnv := "NOVA_PG_CONN_STR=" + conn
	novaEnv(t, dir, []string{pgEnv, keyA}, "apply", "-auto-approve").Must(t, 0, "apply on pg with a key")
	stored := pgDocument(t, conn, schema, state.DefaultWorkspace)
	if !state.IsSealed(stored) {
		t.Fatalf("the row's document is not sealed:\n%.200s", stored)
	}
	for _, w := range secretWords {
		if bytes.Contains(stored, []byte(w)) {
			t.Errorf("the row's document contains %q", w)
		}
	}
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"another key", []string{keyB}, "the state was encrypted with another key (fingerprint "},
		{"no key", nil, state.ErrNoKey.Error()},
	} {
		for _, args := range [][]string{{"apply", "-auto-approve"}, {"state", "list"}, {"state", "pull"}} {
			r := novaEnv(t, dir, append([]string{pgEnv}, tc.env...), args...).Must(t, 1, tc.name+": "+strings.Join(args, " "))
			if !strings.Contains(strings.Join(strings.Fields(r.Stderr), " "), tc.want) || strings.Contains(r.Stdout, "payroll") {
				t.Errorf("%s: %s: stderr lacks %q or stdout shows the state:\n%s\n%s", tc.name, strings.Join(args, " "), tc.want, r.Stderr, r.Stdout)
			}
			if !bytes.Equal(stored, pgDocument(t, conn, schema, state.DefaultWorkspace)) {
				t.Fatalf("%s: %s changed the row", tc.name, strings.Join(args, " "))
			}
		}
	}
	novaEnv(t, dir, []string{pgEnv, keyA, newKeyB}, "state", "rekey").Must(t, 0, "rekey on pg")
	if after := pgDocument(t, conn, schema, state.DefaultWorkspace); !state.IsSealed(after) || bytes.Equal(after, stored) {
		t.Error("rekey on pg left the row as it was, or unsealed")
	}
	novaEnv(t, dir, []string{pgEnv, keyA}, "state", "list").Must(t, 1, "state list on pg with the old key")
	novaEnv(t, dir, []string{pgEnv, keyB}, "plan", "-detailed-exitcode").Must(t, 0, "plan on pg with the new key: no changes")
}
