package pg_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/pgtest"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/pg"
)

// holderEnv, when set to "SCHEMA WORKSPACE", turns the test binary into a
// lock holder (see runLockHolder) instead of running the tests; the
// connection string comes in holderConnEnv.
const (
	holderEnv     = "NOVA_PG_TEST_LOCK_HOLDER"
	holderConnEnv = "NOVA_PG_TEST_LOCK_HOLDER_CONN"
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(holderEnv); spec != "" {
		os.Exit(runLockHolder(spec))
	}
	os.Exit(m.Run())
}

// runLockHolder takes the lock of a workspace, prints "locked ID" and
// holds it until its stdin closes (or it is killed).
func runLockHolder(spec string) int {
	schema, workspace, _ := strings.Cut(spec, " ")
	ctx := context.Background()
	b, err := pg.Open(ctx, pg.Config{ConnString: os.Getenv(holderConnEnv), Schema: schema})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	s, err := b.Store(ctx, workspace)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	id, err := s.Lock(ctx, state.LockInfo{Operation: "apply", Who: "child@test"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("locked", id)
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// open opens a backend over a schema of the test's own, closed at cleanup.
func open(t testing.TB, schema string) *pg.Backend {
	t.Helper()
	b, err := pg.Open(context.Background(), pg.Config{ConnString: pgtest.ConnString(t), Schema: schema})
	if err != nil {
		t.Fatalf("pg.Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// newBackend opens a backend over a fresh schema.
func newBackend(t testing.TB) *pg.Backend {
	t.Helper()
	return open(t, pgtest.Schema(t))
}

// store returns the store of a workspace, creating the workspace unless it
// is the default.
func store(t testing.TB, b *pg.Backend, name string) *pg.Store {
	t.Helper()
	if name != state.DefaultWorkspace {
		if err := b.CreateWorkspace(context.Background(), name); err != nil {
			t.Fatalf("CreateWorkspace(%s): %v", name, err)
		}
	}
	s, err := b.Store(context.Background(), name)
	if err != nil {
		t.Fatalf("Store(%s): %v", name, err)
	}
	return s.(*pg.Store)
}
