package main

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/pgtest"
)

// state migrate from local to pg and back, through the real server: the
// spec names pg, the connection string comes from NOVA_PG_CONN_STR, every
// workspace arrives with its VMs, and plans find nothing to change.
func TestStateMigrateLocalPgLocal(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	dir := newDir(t, prefixSpec)
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply on local")
	nova(t, dir, "workspace", "new", "staging").Must(t, 0, "workspace new staging on local")
	stg := []string{"NOVA_VAR_prefix=stg"}
	novaEnv(t, dir, stg, "apply", "-auto-approve").Must(t, 0, "apply in staging on local")
	nova(t, dir, "workspace", "select", "default").Must(t, 0, "select default")

	writeSpec(t, dir, prefixSpec+"\nnovacron {\n  backend \"pg\" {\n    schema = \""+schema+"\"\n  }\n}\n")
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	r := novaEnv(t, dir, env, "state", "migrate", "-from=local").Must(t, 0, "migrate local → pg")
	for _, want := range []string{`Copied workspace "default": 2 VMs`, `Copied workspace "staging": 2 VMs`, "remove the old state yourself"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("migrate local → pg lacks %q:\n%s", want, r.Stdout)
		}
	}
	if got := novaEnv(t, dir, env, "workspace", "list").Must(t, 0, "workspace list on pg").Stdout; got != "* default\n  staging\n" {
		t.Errorf("workspace list on pg:\n%s", got)
	}
	novaEnv(t, dir, env, "plan", "-detailed-exitcode").Must(t, 0, "plan on pg: no changes")
	novaEnv(t, dir, append(env, append(stg, "NOVA_WORKSPACE=staging")...), "plan", "-detailed-exitcode").Must(t, 0, "plan in staging on pg: no changes")

	// Back to local: its .nova still has the old state, so only -force copies.
	writeSpec(t, dir, prefixSpec)
	r = nova(t, dir, "state", "migrate", "-from=pg", "-from-config=conn_str="+conn, "-from-config=schema="+schema).Must(t, 1, "migrate pg → local over the old state")
	if !strings.Contains(r.Stderr, "already has state") {
		t.Errorf("migrate pg → local over state: %s", r.Stderr)
	}
	nova(t, dir, "state", "migrate", "-force", "-from=pg", "-from-config=conn_str="+conn, "-from-config=schema="+schema).Must(t, 0, "migrate pg → local -force")
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan on local after the round trip: no changes")
}
