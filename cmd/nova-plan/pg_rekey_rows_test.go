package main

import (
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
	"github.com/novacron/novacron/state/pg"
)

// addSealedChange writes one change row under key (NOVA_STATE_KEY=…) to
// the default workspace of schema, as an apply killed before its end
// leaves it: the VMs of the state set again at the next serial.
func addSealedChange(t *testing.T, conn, schema, key string) {
	t.Helper()
	sealer, err := encryption.FromEnv([]string{key})
	if err != nil {
		t.Fatal(err)
	}
	b, err := pg.Open(t.Context(), pg.Config{ConnString: conn, Schema: schema, Sealer: sealer})
	if err != nil {
		t.Fatalf("opening the pg backend: %v", err)
	}
	defer b.Close()
	s, err := b.Store(t.Context(), state.DefaultWorkspace)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Read(t.Context())
	if err != nil || st == nil {
		t.Fatalf("reading the state: %v (state %v)", err, st)
	}
	d := &state.Delta{Lineage: st.Lineage, Serial: st.Serial + 1, Set: st.VMs}
	if _, err := s.(state.DeltaStore).WriteDelta(t.Context(), d); err != nil {
		t.Fatalf("WriteDelta: %v", err)
	}
}

// TestPgRekeyWithChangeRows: state rekey over a workspace with change rows
// pending (an apply killed before its end) rewrites its state with the new
// key, says so, records a state rekey history record, and leaves no
// change row; the old key no longer opens it.
func TestPgRekeyWithChangeRows(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	env := []string{"NOVA_PG_CONN_STR=" + conn}
	rows := newPgChanges(t, conn, schema)
	dir := newDir(t, pgSpec(secretSpec, schema))
	novaEnv(t, dir, append(env, keyA), "apply", "-auto-approve").Must(t, 0, "apply under key A")
	addSealedChange(t, conn, schema, keyA)
	if n := rows.count("default"); n != 1 {
		t.Fatalf("%d change rows before the rekey, want 1", n)
	}
	r := novaEnv(t, dir, append(env, keyA, newKeyB), "state", "rekey").Must(t, 0, "rekey A→B with a change row pending")
	if !strings.Contains(r.Stdout, "Rewrote 1 state document") {
		t.Errorf("rekey with a change row pending does not say it rewrote the state:\n%s", r.Stdout)
	}
	if n := rows.count("default"); n != 0 {
		t.Errorf("%d change rows after the rekey, want none", n)
	}
	h := novaEnv(t, dir, append(env, keyB), "history").Must(t, 0, "history with key B").Stdout
	if !strings.Contains(h, "state rekey") {
		t.Errorf("history has no state rekey record:\n%s", h)
	}
	novaEnv(t, dir, append(env, keyA), "state", "list").Must(t, 1, "state list with the old key")
	novaEnv(t, dir, append(env, keyB), "plan", "-detailed-exitcode").Must(t, 0, "plan with the new key")
}
