package main

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/pg"
)

// addDuplicateChange writes one change row to the default workspace of
// schema that records a second address for the VM of from: each row reads,
// but the state they make is invalid (one VM at two addresses).
func addDuplicateChange(t *testing.T, conn, schema, from, to string) {
	t.Helper()
	b, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: schema})
	if err != nil {
		t.Fatalf("opening the pg backend: %v", err)
	}
	defer b.Close()
	s, err := b.Store(t.Context(), state.DefaultWorkspace)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Read(t.Context())
	if err != nil || st == nil || st.VMs[from] == nil {
		t.Fatalf("reading the state: %v (want a VM at %s)", err, from)
	}
	vm := *st.VMs[from]
	d := &state.Delta{Lineage: st.Lineage, Serial: st.Serial + 1, Set: map[string]*state.VM{to: &vm}}
	if _, err := s.(state.DeltaStore).WriteDelta(t.Context(), d); err != nil {
		t.Fatalf("WriteDelta: %v", err)
	}
}

// TestPgInvalidChangeRows: change rows that make an invalid state are
// refused with a message about the pg workspace (its document and change
// rows, not "the file"), each sentence ending once, and the repair command,
// which repairs it.
func TestPgInvalidChangeRows(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	dir := newDir(t, pgSpec(slowSpec(2, "0s"), schema))
	novaEnv(t, dir, env, "apply", "-auto-approve").Must(t, 0, "apply")
	good := writeFile(t, t.TempDir(), "good.json", novaEnv(t, dir, env, "state", "pull").Must(t, 0, "state pull").Stdout)
	addDuplicateChange(t, conn, schema, "fleet.app[0]", "fleet.app[1]")
	r := novaEnv(t, dir, env, "state", "list").Must(t, 1, "state list over invalid change rows")
	for _, bad := range []string{"the file", "..", "restore the file"} {
		if strings.Contains(strings.ToLower(r.Stderr), bad) {
			t.Errorf("state list over invalid change rows says %q:\n%s", bad, r.Stderr)
		}
	}
	for _, want := range []string{`workspace "default"`, "left untouched", "state push -force FILE"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("state list over invalid change rows does not say %q:\n%s", want, r.Stderr)
		}
	}
	novaEnv(t, dir, env, "state", "push", "-force", good).Must(t, 0, "state push -force over invalid change rows")
	novaEnv(t, dir, env, "plan", "-detailed-exitcode").Must(t, 0, "plan after the repair")
}
