package pg

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SchemaExists reports whether the schema cfg names exists, without
// creating anything: for a backend that is only read (the old backend of
// a migration), which Open would create. Its errors never hold the
// password.
func SchemaExists(ctx context.Context, cfg Config) (bool, error) {
	pc, schema, err := parse(cfg)
	if err != nil {
		return false, err
	}
	setConnParams(pc.ConnConfig, "nova-plan")
	b := &Backend{conf: pc, secrets: secretsOf(cfg.ConnString, pc)}
	conn, err := pgx.ConnectConfig(ctx, pc.ConnConfig)
	if err != nil {
		return false, b.connectError(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var found bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&found); err != nil {
		return false, fmt.Errorf("looking for schema %q: %s", schema, redact(err.Error(), b.secrets))
	}
	return found, nil
}
