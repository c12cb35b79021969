package pg

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/novacron/novacron/state"
)

// Backend keeps a spec's workspaces in one schema of a PostgreSQL
// database. It is safe for concurrent use.
type Backend struct {
	pool    *pgxpool.Pool
	conf    *pgxpool.Config // a lock's own connection is made from its ConnConfig
	schema  string
	qschema string // schema, quoted for SQL
	sealer  state.Sealer
	desc    string
	secrets []string // what redact removes from messages

	mu    sync.Mutex
	locks map[*heldLock]bool // the locks its stores hold, for Close
}

var _ state.Backend = (*Backend)(nil)

// Open connects to the database cfg names, creates or upgrades the
// backend's tables in cfg.Schema (migrate), and makes sure the default
// workspace exists. Its errors name the server and role, never the
// password: "cannot connect to PostgreSQL at HOST:PORT as USER: …".
func Open(ctx context.Context, cfg Config) (*Backend, error) {
	pc, schema, err := parse(cfg)
	if err != nil {
		return nil, err
	}
	setConnParams(pc.ConnConfig, "nova-plan")
	// Check every connection before use (one round trip): one that a
	// server restart ended is replaced, instead of failing the statement.
	pc.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return true }
	b := &Backend{
		conf: pc, schema: schema, qschema: pgx.Identifier{schema}.Sanitize(), sealer: cfg.Sealer,
		desc: describe(pc, schema), secrets: secretsOf(cfg.ConnString, pc), locks: map[*heldLock]bool{},
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, b.connectError(err)
	}
	b.pool = pool
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, b.connectError(err)
	}
	if err := b.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return b, nil
}

// Describe names the database, server, role and schema; never the
// password.
func (b *Backend) Describe() string { return b.desc }

// Close closes the backend's connections, those of the locks its stores
// hold too: PostgreSQL frees those locks.
func (b *Backend) Close() error {
	b.mu.Lock()
	held := slices.Collect(maps.Keys(b.locks))
	clear(b.locks)
	b.mu.Unlock()
	for _, h := range held {
		h.mu.Lock()
		h.conn.Close(context.Background())
		h.mu.Unlock()
	}
	b.pool.Close()
	return nil
}

// track and untrack keep the set of locks Close closes.
func (b *Backend) track(h *heldLock) {
	b.mu.Lock()
	b.locks[h] = true
	b.mu.Unlock()
}

func (b *Backend) untrack(h *heldLock) {
	b.mu.Lock()
	delete(b.locks, h)
	b.mu.Unlock()
}

// q fills the schema into a statement: {s}.table is the backend's table.
func (b *Backend) q(sql string) string { return strings.ReplaceAll(sql, "{s}", b.qschema) }

// lockKey returns the advisory lock key of a purpose within the
// backend's schema (advisory locks are per database).
func (b *Backend) lockKey(parts ...string) int64 {
	h := fnv.New64a()
	for _, p := range append([]string{"novacron", b.schema}, parts...) {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return int64(h.Sum64())
}

// fail returns err as a message for the user: connection failures say
// where, nothing holds the password.
func (b *Backend) fail(what string, err error) error {
	if err == nil {
		return nil
	}
	if isConnErr(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return b.connectError(err)
	}
	return &Error{What: what, Msg: redact(pgMessage(err), b.secrets), Err: err}
}

// Error is a failed statement of the backend: What it was doing, and
// PostgreSQL's message with any password removed.
type Error struct {
	What string
	Msg  string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("state/pg: %s: %s", e.What, e.Msg) }

func (e *Error) Unwrap() error { return e.Err }
