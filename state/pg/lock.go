package pg

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/novacron/novacron/state"
)

// heldLock is a workspace lock this process holds: a session-level
// advisory lock of the connection conn, which only this lock uses.
type heldLock struct {
	mu   sync.Mutex // one statement at a time on conn
	conn *pgx.Conn
	info state.LockInfo
	lost error // set once conn failed: the lock is gone
}

// errLockFreed is lockedError's answer when no session holds the lock any
// more: its holder let go after the try found it held. Lock then tries
// again, up to maxFreedRetries times, rather than fail a lock that is free.
var errLockFreed = errors.New("state/pg: the lock was held, then released before its holder could be named; run the command again")

const maxFreedRetries = 5

// A holder found without its row is looked up again every holderRowPoll,
// up to holderRowPolls times (one second in all).
const (
	holderRowPoll  = 20 * time.Millisecond
	holderRowPolls = 50
)

// retryPause is how long Lock waits before it connects again after the
// server went away while it waited.
const retryPause = 500 * time.Millisecond

// Lock takes the workspace lock: it opens a connection of its own (under
// its own connect timeout, not ctx's deadline: only ctx's cancellation
// stops it), tries the advisory lock once and, when another session holds
// it, waits in pg_advisory_lock until the lock is free or ctx's deadline
// passes, then returns a *state.LockedError naming the holder from the
// locks table. A ctx whose deadline has passed by then (a
// -lock-timeout of 0) tries once.
// Holding it, it records info in the locks table (a row left there by a
// holder that died is replaced: its advisory lock was free). Lock fills
// in info.ID (when empty), info.PID (when zero), info.Created (when zero),
// info.Workspace and info.Path. When the server goes away while Lock
// waits (a restart), it connects again until ctx is done. It leaves the
// change rows a killed run left as they are: every read applies them, the
// next apply's end compacts them and any whole write (state push, rekey,
// migrate) deletes them; a fold here would rewrite the document before
// the command looks at it (state rekey would find it sealed with the new
// key already).
func (s *Store) Lock(ctx context.Context, info state.LockInfo) (string, error) {
	info = s.completeInfo(info)
	connected := false
	freed := 0 // times the holder let go between the try and naming it
	for {
		h, err := s.tryLock(ctx, info, &connected)
		if err == nil {
			s.mu.Lock()
			s.held[info.ID] = h
			s.mu.Unlock()
			s.b.track(h)
			return info.ID, nil
		}
		if !connected {
			return "", err
		}
		if ctx.Err() != nil {
			lerr := s.lockedError(ctx, err)
			if errors.Is(lerr, errLockFreed) && freed < maxFreedRetries {
				freed++ // free now: try once more, as a -lock-timeout=0 would have
				continue
			}
			return "", lerr
		}
		if !isConnErr(err) {
			return "", err
		}
		select {
		case <-ctx.Done():
			return "", s.lockedError(ctx, err)
		case <-time.After(retryPause):
		}
	}
}

func (s *Store) completeInfo(info state.LockInfo) state.LockInfo {
	if info.ID == "" {
		info.ID = newLockID()
	}
	if info.PID == 0 {
		info.PID = os.Getpid()
	}
	if info.Created.IsZero() {
		info.Created = time.Now().UTC().Truncate(time.Second)
	}
	info.Workspace = s.name
	info.Path = s.lockPath()
	return info
}

// lockPath names the lock for LockInfo.Path.
func (s *Store) lockPath() string {
	return fmt.Sprintf("%s, table %s.locks, workspace %q", s.b.desc, s.b.qschema, s.name)
}

// tryLock connects, waits for the advisory lock and records info. It sets
// *connected once a connection succeeded.
func (s *Store) tryLock(ctx context.Context, info state.LockInfo, connected *bool) (*heldLock, error) {
	cctx, cancel := connectContext(ctx)
	defer cancel()
	conn, err := s.b.connectLock(cctx)
	if err != nil {
		return nil, err
	}
	*connected = true
	// A new session reads the catalog on its first use of a table: do it
	// now, so the hand-over does not wait for it.
	if _, err := conn.Exec(cctx, s.b.q("SELECT 1 FROM {s}.locks l JOIN {s}.workspaces w ON w.name = l.workspace WHERE l.workspace = $1"), s.name); err != nil {
		conn.Close(context.Background())
		return nil, s.b.fail("reading the locks", err)
	}
	var got bool
	if err := conn.QueryRow(cctx, "SELECT pg_try_advisory_lock($1)", s.key).Scan(&got); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	if !got {
		// Held by another session: wait until ctx's deadline (none
		// left: the statement is not sent, and Lock names the holder).
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", s.key); err != nil {
			conn.Close(context.Background())
			return nil, err
		}
	}
	// Held: finish recording even if ctx ends now.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	err = lockRowTx(rctx, conn, s.b.q(`INSERT INTO {s}.locks (workspace, id, operation, who, pid, created, lock_key, backend_pid)
VALUES ($1, $2, $3, $4, $5, $6, $7, pg_backend_pid())
ON CONFLICT (workspace) DO UPDATE SET id = excluded.id, operation = excluded.operation, who = excluded.who,
	pid = excluded.pid, created = excluded.created, lock_key = excluded.lock_key, backend_pid = excluded.backend_pid`),
		s.name, info.ID, info.Operation, info.Who, info.PID, info.Created, s.key)
	if err != nil {
		conn.Close(context.Background())
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23503" { // the workspace was deleted
			return nil, s.b.noWorkspace(rctx, s.name)
		}
		return nil, s.b.fail("recording the lock of workspace "+s.name, err)
	}
	return &heldLock{conn: conn, info: info}, nil
}

// connectTimeout bounds connecting for a lock, and the first statements
// on the new connection, whatever the lock's deadline.
const connectTimeout = 30 * time.Second

// connectContext returns the context a lock connects under: ctx's values
// and its cancellation (an interrupt), but connectTimeout instead of its
// deadline, so a lock tried once (a deadline already passed) still
// connects and asks.
func connectContext(ctx context.Context) (context.Context, context.CancelFunc) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), connectTimeout)
	cancelled := func() {
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	}
	if ctx.Err() != nil {
		cancelled()
	}
	stop := context.AfterFunc(ctx, cancelled)
	return cctx, func() { stop(); cancel() }
}

// connectLock opens a connection of its own for one lock. A cancelled
// statement is cancelled on the server (the connection survives); the
// server's timeouts are off, so neither the wait nor the idle holder is
// cut short.
func (b *Backend) connectLock(ctx context.Context) (*pgx.Conn, error) {
	cc := b.conf.ConnConfig.Copy()
	cc.RuntimeParams["application_name"] = "nova-plan state lock"
	cc.RuntimeParams["statement_timeout"] = "0"
	cc.RuntimeParams["lock_timeout"] = "0"
	cc.RuntimeParams["idle_in_transaction_session_timeout"] = "0"
	// Its statements are few and run once or twice: no round trip to
	// prepare them first.
	cc.DefaultQueryExecMode = pgx.QueryExecModeExec
	cc.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 5 * time.Second}
	}
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return nil, b.connectError(err)
	}
	// idle_session_timeout (PostgreSQL 14+) would end an idle holder.
	if _, err := conn.Exec(ctx, `DO $$ BEGIN
	IF current_setting('server_version_num')::int >= 140000 THEN SET idle_session_timeout = 0; END IF;
END $$`); err != nil {
		conn.Close(context.Background())
		return nil, b.connectError(err)
	}
	return conn, nil
}

// lockRowTx runs one statement on a lock's row in a transaction of its
// own, in one round trip, committed without waiting for the WAL flush:
// the row is for people, and a crash that loses it loses nothing (the
// advisory lock is gone with the crash too). So handing a lock over waits
// for no disk.
func lockRowTx(ctx context.Context, conn *pgx.Conn, sql string, args ...any) error {
	batch := &pgx.Batch{}
	batch.Queue("BEGIN")
	batch.Queue("SET LOCAL synchronous_commit = off")
	batch.Queue(sql, args...)
	batch.Queue("COMMIT")
	err := conn.SendBatch(ctx, batch).Close()
	if err != nil && !conn.IsClosed() {
		conn.Exec(ctx, "ROLLBACK") // leave no aborted transaction behind
	}
	return err
}

// liveLock is the condition on pg_locks a that a's row is the granted
// advisory lock of key %[1]s in this database.
const liveLock = `a.locktype = 'advisory' AND a.granted AND a.objsubid = 1
	AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND a.classid = ((%[1]s >> 32) & 4294967295)::oid AND a.objid = (%[1]s & 4294967295)::oid`

// lockedError returns the *state.LockedError that names who holds the
// lock, read with a context of its own (ctx is done), or err when the
// lock is not held (it was freed as Lock gave up) or cannot be read.
func (s *Store) lockedError(ctx context.Context, err error) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var id, op, who *string
	var pid *int
	var created *time.Time
	var session int
	var qerr error
	// A holder records its row just after it takes the advisory lock:
	// give a holder found without one a moment to write it, so the user
	// is told who it is.
	for wait := 0; wait < holderRowPolls; wait++ {
		qerr = s.b.pool.QueryRow(rctx, s.b.q(`SELECT l.id, l.operation, l.who, l.pid, l.created, a.pid
FROM pg_locks a LEFT JOIN {s}.locks l ON l.workspace = $1 AND l.backend_pid = a.pid
WHERE `+fmt.Sprintf(liveLock, "$2::bigint")), s.name, s.key).Scan(&id, &op, &who, &pid, &created, &session)
		if qerr != nil || id != nil {
			break
		}
		time.Sleep(holderRowPoll)
	}
	if errors.Is(qerr, pgx.ErrNoRows) {
		return errLockFreed
	}
	if qerr != nil {
		return fmt.Errorf("state/pg: the lock of workspace %q was not taken: %w", s.name, errors.Join(ctx.Err(), s.b.passOrFail("waiting for the lock", err)))
	}
	h := state.LockInfo{Workspace: s.name, Path: s.lockPath(), Operation: "unknown",
		Who: fmt.Sprintf("PostgreSQL session %d, which has not recorded who it is yet", session)}
	if id != nil {
		h.ID, h.Operation, h.Who, h.PID, h.Created = *id, *op, *who, *pid, created.UTC()
	}
	return &state.LockedError{Holder: h}
}

// Unlock releases a lock taken through this Store: it removes the lock's
// row, releases the advisory lock (a runner waiting gets it at once) and
// closes the lock's connection. A lock that
// was lost while held (its connection ended) is an error that says so.
func (s *Store) Unlock(id string) error {
	h, err := s.release(id)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	defer h.conn.Close(ctx)
	if h.lost != nil {
		return h.lost
	}
	err = lockRowTx(ctx, h.conn, s.b.q("DELETE FROM {s}.locks WHERE workspace = $1 AND id = $2"), s.name, id)
	if err == nil {
		_, err = h.conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", s.key)
	}
	if err != nil && h.conn.IsClosed() {
		return s.lostLock(h, err)
	}
	return s.b.fail("releasing the lock of workspace "+s.name, err)
}

// forget moves a lock that was lost from held to lost: the store holds
// it no more, and its Unlock says how it was lost.
func (s *Store) forget(h *heldLock) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held[h.info.ID] == h {
		delete(s.held, h.info.ID)
		s.lost[h.info.ID] = h.lost
	}
	s.b.untrack(h)
}

// release forgets the lock id and returns it. A lock that was lost is
// the error that says how.
func (s *Store) release(id string) (*heldLock, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err, ok := s.lost[id]; ok {
		delete(s.lost, id)
		return nil, err
	}
	h, ok := s.held[id]
	if !ok {
		return nil, fmt.Errorf("state/pg: lock ID %q is not held through this store (it holds %q)",
			id, slices.Sorted(maps.Keys(s.held)))
	}
	delete(s.held, id)
	s.b.untrack(h)
	return h, nil
}

// holding returns the lock the store holds, or nil; or, when it holds
// none but lost one that was not unlocked since, the error that says how:
// a holder that lost its lock must not go on writing unlocked.
func (s *Store) holding() (*heldLock, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.held {
		return h, nil
	}
	for _, err := range s.lost {
		return nil, err
	}
	return nil, nil
}

// lostLock is the error of a write or unlock on a lock's connection that
// ended: PostgreSQL freed the lock, so nothing more is written under it.
func (s *Store) lostLock(h *heldLock, err error) error {
	return fmt.Errorf("state/pg: the lock %s of workspace %q was lost: its connection to PostgreSQL ended (%s). "+
		"PostgreSQL freed the lock, so another run may hold it now, and nothing more is written under it; run the command again",
		h.info.ID, s.name, redact(connCause(err, ""), s.b.secrets))
}

// newLockID returns a random UUID (version 4).
func newLockID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
