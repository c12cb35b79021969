package pg_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/pg"
)

// TestMigrateConcurrentFirstUse: eight runners opening a schema that does
// not exist yet all succeed, and each migration is applied once; opening
// it again changes nothing.
func TestMigrateConcurrentFirstUse(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	const runners = 8
	errs := make([]error, runners)
	var wg sync.WaitGroup
	for i := range runners {
		wg.Go(func() {
			b, err := pg.Open(context.Background(), pg.Config{ConnString: conn, Schema: schema})
			if err == nil {
				b.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open by runner %d of %d on a new schema: %v", i, runners, err)
		}
	}
	want := []string{"1 workspaces, locks and history", "2 changes written since the document"}
	if diff := cmp.Diff(want, migrationsIn(t, conn, schema)); diff != "" {
		t.Errorf("migrations after concurrent first uses (-want +got):\n%s", diff)
	}
	b := open(t, schema)
	if diff := cmp.Diff(want, migrationsIn(t, conn, schema)); diff != "" {
		t.Errorf("migrations after opening again (-want +got):\n%s", diff)
	}
	names, err := b.Workspaces(t.Context())
	if diff := cmp.Diff([]string{state.DefaultWorkspace}, names); err != nil || diff != "" {
		t.Errorf("Workspaces = %v, %v, want only the default", names, err)
	}
}

// migrationsIn lists the migrations table of a schema.
func migrationsIn(t *testing.T, conn, schema string) []string {
	t.Helper()
	return queryStrings(t, conn, "SELECT version || ' ' || description FROM "+pgx.Identifier{schema}.Sanitize()+".migrations ORDER BY version")
}

func queryStrings(t *testing.T, conn, sql string, args ...any) []string {
	t.Helper()
	c, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer c.Close(context.Background())
	rows, err := c.Query(t.Context(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// TestHistoryRowsNeverChange: the history table refuses UPDATE, whoever
// tries it.
func TestHistoryRowsNeverChange(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	s := store(t, open(t, schema), state.DefaultWorkspace)
	rec := state.HistoryRecord{Kind: state.RecordEnd, RunID: "run-1", Outcome: state.OutcomeOK, Serial: 3}
	if err := s.AppendHistory(t.Context(), []state.HistoryRecord{rec}); err != nil {
		t.Fatalf("AppendHistory: %v", err)
	}
	c, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	_, err = c.Exec(t.Context(), "UPDATE "+pgx.Identifier{schema}.Sanitize()+".history SET run_id = 'forged'")
	if err == nil {
		t.Fatalf("UPDATE of a history row succeeded")
	}
	recs, err := s.History(t.Context())
	if diff := cmp.Diff([]state.HistoryRecord{rec}, recs); err != nil || diff != "" {
		t.Errorf("History after the refused UPDATE (%v) (-want +got):\n%s", err, diff)
	}
}

// TestNewerSchemaRefused: a schema a newer nova-plan migrated (a migration
// this build does not know) is refused when the backend is opened, naming
// both versions and saying to upgrade nova-plan; the schema is left as
// it is.
func TestNewerSchemaRefused(t *testing.T) {
	conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
	open(t, schema).Close()
	c, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(t.Context(), "INSERT INTO "+pgx.Identifier{schema}.Sanitize()+".migrations (version, description) VALUES (3, 'a newer one')"); err != nil {
		t.Fatal(err)
	}
	want := migrationsIn(t, conn, schema)
	b, err := pg.Open(context.Background(), pg.Config{ConnString: conn, Schema: schema})
	if err == nil {
		b.Close()
		t.Fatal("pg.Open of a schema at version 3 succeeded")
	}
	for _, s := range []string{schema, "version 3, newer than this nova-plan's 2", "upgrade nova-plan"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("pg.Open = %v, want it to say %q", err, s)
		}
	}
	if diff := cmp.Diff(want, migrationsIn(t, conn, schema)); diff != "" {
		t.Errorf("the refused open changed the migrations (-before +after):\n%s", diff)
	}
}

// TestDamagedSchemaRefused: a migrations table holding a version NovaCron
// never applied (0, -1) is damaged, not older or newer: Open refuses it,
// naming the schema and the table, and changes nothing.
func TestDamagedSchemaRefused(t *testing.T) {
	for _, v := range []int{0, -1} {
		t.Run(fmt.Sprint(v), func(t *testing.T) {
			conn, schema := pgtest.ConnString(t), pgtest.Schema(t)
			open(t, schema).Close()
			c, err := pgx.Connect(t.Context(), conn)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(context.Background())
			if _, err := c.Exec(t.Context(), "INSERT INTO "+pgx.Identifier{schema}.Sanitize()+".migrations (version, description) VALUES ($1, 'not ours')", v); err != nil {
				t.Fatal(err)
			}
			want := migrationsIn(t, conn, schema)
			b, err := pg.Open(context.Background(), pg.Config{ConnString: conn, Schema: schema})
			if err == nil {
				b.Close()
				t.Fatalf("pg.Open of a schema with migration %d succeeded", v)
			}
			for _, s := range []string{schema, "damaged", fmt.Sprintf("migrations table holds version %d", v)} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("pg.Open = %v, want it to say %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "upgrade") {
				t.Errorf("pg.Open = %v: a damaged schema is not a newer one", err)
			}
			if diff := cmp.Diff(want, migrationsIn(t, conn, schema)); diff != "" {
				t.Errorf("the refused open changed the migrations (-before +after):\n%s", diff)
			}
		})
	}
}
