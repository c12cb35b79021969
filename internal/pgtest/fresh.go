package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Schema returns a schema name of the test's own, which does not exist
// yet; the schema is dropped, with all it holds, when the test ends.
func Schema(t T) string {
	t.Helper()
	conn := ConnString(t)
	name := uniqueName(t)
	t.Cleanup(func() { runSQL(t, conn, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE") })
	return name
}

// Database creates a database of the test's own and returns a connection
// string to it; the database is dropped (its sessions ended) when the test
// ends.
func Database(t T) string {
	t.Helper()
	conn := ConnString(t)
	name := uniqueName(t)
	runSQL(t, conn, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	t.Cleanup(func() { runSQL(t, conn, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)") })
	return WithDatabase(t, conn, name)
}

// WithDatabase returns conn with its database replaced by name.
func WithDatabase(t T, conn, name string) string {
	t.Helper()
	if !strings.HasPrefix(conn, "postgres://") && !strings.HasPrefix(conn, "postgresql://") {
		return conn + " dbname=" + name // keyword/value: the last setting wins
	}
	u, err := url.Parse(conn)
	if err != nil {
		t.Fatalf("pgtest: the connection string is not a URL: %v", (&url.Error{Op: "parse", URL: "(hidden)", Err: errors.Unwrap(err)}).Error())
	}
	u.Path = "/" + name
	return u.String()
}

var notIdent = regexp.MustCompile(`[^a-z0-9]+`)

// uniqueName returns "t_" + the test's name, shortened, and a random suffix:
// a lowercase identifier of at most 40 characters.
func uniqueName(t T) string {
	base := strings.Trim(notIdent.ReplaceAllString(strings.ToLower(t.Name()), "_"), "_")
	if len(base) > 24 {
		base = base[len(base)-24:]
	}
	var b [6]byte
	rand.Read(b[:])
	return "t_" + base + "_" + hex.EncodeToString(b[:])
}

// runSQL runs one statement on its own connection, within a minute.
func runSQL(t T, conn, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatalf("pgtest: %s: cannot connect: %v", sql, err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}
