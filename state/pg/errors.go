package pg

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// ConnectError is a connection to PostgreSQL that failed or broke: Where
// names the server and role (host:port as user), Cause says why, without
// the password.
type ConnectError struct {
	Where string
	Cause string
	Err   error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("cannot connect to PostgreSQL at %s: %s", e.Where, e.Cause)
}

func (e *ConnectError) Unwrap() error { return e.Err }

func (b *Backend) connectError(err error) error {
	cc := b.conf.ConnConfig
	return &ConnectError{Where: where(cc.Host, cc.Port, cc.User), Cause: redact(connCause(err, cc.Database), b.secrets), Err: err}
}

// connCause says why a connection failed, in words, with a hint where
// the cause is a common mistake.
func connCause(err error, database string) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg := pgMessage(pgErr)
		switch pgErr.Code {
		case "28P01", "28000":
			return msg + " (check the password or user in the connection string)"
		case "3D000":
			return msg + " (create it, or name another database in the connection string)"
		}
		return msg
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		msg := opErr.Err.Error()
		if strings.Contains(msg, "connection refused") {
			return "connection refused (is PostgreSQL running there, listening on that address?)"
		}
		return msg
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		return ce.Unwrap().Error()
	}
	return err.Error()
}

// pgMessage is PostgreSQL's message of err with its SQLSTATE, or err's
// text.
func pgMessage(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Sprintf("%s (SQLSTATE %s)", pgErr.Message, pgErr.Code)
	}
	return err.Error()
}

// isConnErr reports whether err is the connection failing, rather than a
// statement: no server message, or one that ends the session (classes
// 08 connection exception, 57 operator intervention but for a cancelled
// statement, 28 authorization, 3D no such database).
func isConnErr(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code[:2] {
		case "08", "28", "3D":
			return true
		case "57":
			return pgErr.Code != "57014" // query_canceled ends a statement, not the session
		}
		return false
	}
	var ce *pgconn.ConnectError
	var opErr *net.OpError
	return errors.As(err, &ce) || errors.As(err, &opErr) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed")
}
