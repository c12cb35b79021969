package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/internal/pgtest"
)

// TestDatabase: a test's database exists while it runs and is dropped
// when it ends.
func TestDatabase(t *testing.T) {
	var name string
	t.Run("uses", func(t *testing.T) {
		conn := pgtest.Database(t)
		c, err := pgx.Connect(t.Context(), conn)
		if err != nil {
			t.Fatalf("connecting to the test's database: %v", err)
		}
		defer c.Close(context.Background())
		if err := c.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	if n := count(t, "SELECT count(*) FROM pg_database WHERE datname = $1", name); name == "" || n != 0 {
		t.Errorf("database %q: %d left after its test ended, want it dropped", name, n)
	}
}

// TestSchema: a test's schema name is its own, and what the test creates
// in it is dropped when it ends.
func TestSchema(t *testing.T) {
	var name string
	t.Run("uses", func(t *testing.T) {
		name = pgtest.Schema(t)
		if other := pgtest.Schema(t); other == name {
			t.Errorf("two calls gave the same schema %q", name)
		}
		c, err := pgx.Connect(t.Context(), pgtest.ConnString(t))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(t.Context(), "CREATE SCHEMA "+name+"; CREATE TABLE "+name+".t (x int)"); err != nil {
			t.Fatal(err)
		}
	})
	if n := count(t, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", name); n != 0 {
		t.Errorf("schema %q left after its test ended, want it dropped", name)
	}
}

func count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	c, err := pgx.Connect(t.Context(), pgtest.ConnString(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var n int
	if err := c.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
