package pg

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ForceUnlock removes the lock with this id, whoever holds it. When its
// holder is alive (a session holds the advisory lock the row names), it
// ends that holder's PostgreSQL session with pg_terminate_backend: the
// holder's next write fails, saying it lost the lock. That needs the
// holder's role, membership in pg_signal_backend, or a superuser. A row
// whose holder is gone is only removed.
func (s *Store) ForceUnlock(id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var session int
	var live bool
	err := s.b.pool.QueryRow(ctx, s.b.q(`SELECT l.backend_pid, EXISTS (SELECT 1 FROM pg_locks a WHERE a.pid = l.backend_pid AND `+
		fmt.Sprintf(liveLock, "l.lock_key")+`)
FROM {s}.locks l WHERE l.workspace = $1 AND l.id = $2`), s.name, id).Scan(&session, &live)
	if errors.Is(err, pgx.ErrNoRows) {
		return s.noSuchLock(ctx, id)
	}
	if err != nil {
		return s.b.fail("reading the lock of workspace "+s.name, err)
	}
	if live {
		if err := s.b.terminate(ctx, session); err != nil {
			return err
		}
	}
	if _, err := s.b.pool.Exec(ctx, s.b.q("DELETE FROM {s}.locks WHERE workspace = $1 AND id = $2"), s.name, id); err != nil {
		return s.b.fail("removing the lock of workspace "+s.name, err)
	}
	if h, err := s.release(id); err == nil { // held through this store
		h.mu.Lock()
		h.conn.Close(ctx)
		h.mu.Unlock()
	}
	return nil
}

// noSuchLock is ForceUnlock's error for an id no lock of the workspace
// has; it names the lock that is held, if one is.
func (s *Store) noSuchLock(ctx context.Context, id string) error {
	var held, who, op string
	err := s.b.pool.QueryRow(ctx, s.b.q("SELECT id, who, operation FROM {s}.locks WHERE workspace = $1"), s.name).Scan(&held, &who, &op)
	if err != nil {
		return fmt.Errorf("state/pg: no lock of workspace %q has ID %q: no lock is recorded", s.name, id)
	}
	return fmt.Errorf("state/pg: lock ID %q does not match the lock of workspace %q: ID %q, by %s (operation %q)",
		id, s.name, held, who, op)
}

// terminate ends the session session and waits (up to 10 s) until it is
// gone, so its advisory locks are free.
func (b *Backend) terminate(ctx context.Context, session int) error {
	var ok bool
	if err := b.pool.QueryRow(ctx, "SELECT pg_terminate_backend($1)", session).Scan(&ok); err != nil {
		return b.fail(fmt.Sprintf("ending the lock holder's PostgreSQL session %d (pg_terminate_backend needs the holder's role, pg_signal_backend or a superuser)", session), err)
	}
	for deadline := time.Now().Add(10 * time.Second); ok && time.Now().Before(deadline); {
		var alive bool
		if err := b.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)", session).Scan(&alive); err != nil {
			return b.fail("waiting for the lock holder's session to end", err)
		}
		if !alive {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !ok {
		return nil // it ended before the signal
	}
	return fmt.Errorf("state/pg: the lock holder's PostgreSQL session %d did not end within 10 s of pg_terminate_backend", session)
}
