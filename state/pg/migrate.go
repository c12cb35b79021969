package pg

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migration is one versioned change of the backend's tables.
type migration struct {
	version     int
	description string
	sql         string // {s} is the schema
}

// migrations are applied in order, each once; the migrations table
// records which. Append, never edit: a database migrated by an older
// build must reach the same tables as a new one.
var migrations = []migration{{
	version:     1,
	description: "workspaces, locks and history",
	sql: `
CREATE TABLE {s}.workspaces (
	name     text PRIMARY KEY,
	lineage  text NOT NULL DEFAULT '',
	serial   bigint NOT NULL DEFAULT 0,
	document bytea,
	created  timestamptz NOT NULL DEFAULT now(),
	updated  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE {s}.locks (
	workspace   text PRIMARY KEY REFERENCES {s}.workspaces (name) ON DELETE CASCADE,
	id          text NOT NULL,
	operation   text NOT NULL,
	who         text NOT NULL,
	pid         integer NOT NULL,
	created     timestamptz NOT NULL,
	lock_key    bigint NOT NULL,
	backend_pid integer NOT NULL
);
CREATE TABLE {s}.history (
	id        bigserial PRIMARY KEY,
	workspace text NOT NULL REFERENCES {s}.workspaces (name) ON DELETE CASCADE,
	kind      text NOT NULL,
	time      timestamptz NOT NULL,
	run_id    text NOT NULL,
	address   text NOT NULL,
	record    json NOT NULL
);
CREATE INDEX history_workspace ON {s}.history (workspace, id);
CREATE FUNCTION {s}.history_never_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'history records are never changed';
END $$;
CREATE TRIGGER history_never_changes BEFORE UPDATE ON {s}.history
	FOR EACH ROW EXECUTE FUNCTION {s}.history_never_changes();
`,
}, {
	version:     2,
	description: "changes written since the document",
	sql: `
CREATE TABLE {s}.changes (
	workspace text NOT NULL REFERENCES {s}.workspaces (name) ON DELETE CASCADE,
	serial    bigint NOT NULL,
	record    bytea NOT NULL,
	crc32c    bigint NOT NULL,
	PRIMARY KEY (workspace, serial)
);
`,
}}

// migrate brings the schema to the latest version. Concurrent first uses
// take turns: each migrates under a transaction-level advisory lock, and
// finds the work done when its turn comes. A schema already at the latest
// version is only read, so a role that may not create tables can use one
// made for it.
func (b *Backend) migrate(ctx context.Context) error {
	latest := migrations[len(migrations)-1].version
	v, err := b.schemaVersion(ctx, b.pool)
	var damaged *damagedSchemaError
	if errors.As(err, &damaged) {
		return err
	}
	if err == nil && v >= latest {
		if v > latest {
			return b.newerSchema(v, latest)
		}
		return b.ensureDefault(ctx)
	}
	err = pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", b.lockKey("migrate")); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, b.q(`CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE IF NOT EXISTS {s}.migrations (
	version     integer PRIMARY KEY,
	description text NOT NULL,
	applied     timestamptz NOT NULL DEFAULT now()
)`)); err != nil {
			return err
		}
		v, err := b.schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		return b.apply(ctx, tx, v)
	})
	if errors.As(err, &damaged) {
		return err
	}
	if err != nil {
		return b.fail("creating the tables in schema "+b.qschema, err)
	}
	return b.ensureDefault(ctx)
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// schemaVersion returns the latest migration applied (0 for none); an
// error when the migrations table does not exist, or holds a version
// NovaCron never applied (below 1): the schema is damaged.
func (b *Backend) schemaVersion(ctx context.Context, q querier) (int, error) {
	var v, least int
	err := q.QueryRow(ctx, b.q("SELECT coalesce(max(version), 0), coalesce(min(version), 1) FROM {s}.migrations")).Scan(&v, &least)
	if err == nil && least < 1 {
		return 0, &damagedSchemaError{fmt.Sprintf("the pg backend's schema %s is damaged: its migrations table holds version %d, "+
			"which NovaCron never applies (its migrations are numbered from 1); it was left as it is: restore the schema from a backup", b.qschema, least)}
	}
	return v, err
}

// damagedSchemaError is a migrations table NovaCron did not write.
type damagedSchemaError struct{ msg string }

func (e *damagedSchemaError) Error() string { return e.msg }

// apply runs the migrations after version v.
func (b *Backend) apply(ctx context.Context, tx pgx.Tx, v int) error {
	if latest := migrations[len(migrations)-1].version; v > latest {
		return b.newerSchema(v, latest)
	}
	for _, m := range migrations {
		if m.version <= v {
			continue
		}
		if _, err := tx.Exec(ctx, b.q(m.sql)); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.description, err)
		}
		if _, err := tx.Exec(ctx, b.q("INSERT INTO {s}.migrations (version, description) VALUES ($1, $2)"),
			m.version, m.description); err != nil {
			return err
		}
	}
	return nil
}

// newerSchema refuses a schema a newer nova-plan migrated: its tables
// may hold what this build would misread or overwrite.
func (b *Backend) newerSchema(v, latest int) error {
	return fmt.Errorf("the pg backend's schema %s is at version %d, newer than this nova-plan's %d: upgrade nova-plan to use it", b.qschema, v, latest)
}

// ensureDefault creates the default workspace's row when it is missing.
func (b *Backend) ensureDefault(ctx context.Context) error {
	_, err := b.pool.Exec(ctx, b.q("INSERT INTO {s}.workspaces (name) VALUES ($1) ON CONFLICT DO NOTHING"), "default")
	return b.fail("creating the default workspace", err)
}
