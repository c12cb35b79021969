package pg

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/state"
)

// Store is one workspace's state, lock and history. It is safe for
// concurrent use. While it holds the workspace lock, its writes
// (Write, Overwrite, AppendHistory) go through the lock's own connection,
// so they fail once the lock is lost instead of writing unlocked.
type Store struct {
	b    *Backend
	name string
	key  int64 // the workspace's advisory lock

	mu   sync.Mutex
	held map[string]*heldLock // lock ID → the connection holding it
	lost map[string]error     // lock ID → how a lock held was lost, for Unlock
}

var _ state.Store = (*Store)(nil)

// Workspace returns the name of the store's workspace.
func (s *Store) Workspace() string { return s.name }

// decode opens (state.OpenStored) and decodes stored bytes, naming the
// workspace and database in its errors.
func (s *Store) decode(stored []byte) (*state.State, error) {
	where := fmt.Sprintf("the state of workspace %q in %s", s.name, s.b.desc)
	plain, err := state.OpenStored(s.b.sealer, stored)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	st, err := state.Decode(plain)
	var syntax *state.SyntaxError
	var invalid *state.InvalidError
	switch {
	case errors.As(err, &syntax):
		return nil, &state.DamagedError{Workspace: s.name, Err: fmt.Errorf("%s is damaged at line %d, column %d: %w. It was left untouched; %s",
			where, syntax.Line, syntax.Column, syntax, s.repair())}
	case errors.As(err, &invalid):
		invalid.Source = where
		return st, s.invalidStored(invalid)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return st, nil
}

// Write stores st when the stored document has its lineage and an older
// serial (or there is none); otherwise it returns a *state.ConflictError
// and writes nothing. The check and the write are one transaction, the
// row locked (SELECT … FOR UPDATE) between them.
func (s *Store) Write(ctx context.Context, st *state.State) error {
	return s.write(ctx, st, true)
}

// Overwrite is Write without the lineage and serial rules.
func (s *Store) Overwrite(ctx context.Context, st *state.State) error {
	return s.write(ctx, st, false)
}

func (s *Store) write(ctx context.Context, st *state.State, checked bool) error {
	stored, err := s.encode(st)
	if err != nil {
		return err
	}
	return s.exec(ctx, "writing the state of workspace "+s.name, func(tx pgx.Tx) error {
		if err := s.checkStored(ctx, tx, st, checked); err != nil {
			return err
		}
		return s.replace(ctx, tx, st, stored)
	})
}

// replace stores a whole document (its stored bytes) and deletes the
// changes written since the one it replaces: they are in it, or
// superseded by it.
func (s *Store) replace(ctx context.Context, tx pgx.Tx, st *state.State, stored []byte) error {
	batch := &pgx.Batch{}
	batch.Queue(s.b.q("UPDATE {s}.workspaces SET lineage = $2, serial = $3, document = $4, updated = now() WHERE name = $1"),
		s.name, st.Lineage, int64(st.Serial), stored)
	batch.Queue(s.b.q("DELETE FROM {s}.changes WHERE workspace = $1"), s.name)
	return tx.SendBatch(ctx, batch).Close()
}

// checkStored locks the workspace's row (a missing row is a
// *state.NoWorkspaceError). When checked (Write, not Overwrite) it refuses
// to replace the document when it has another lineage or a serial not
// below st's (a *state.ConflictError; the serial is the row's, raised by
// the changes written since the document), or when it is sealed and this
// backend's Sealer cannot open it (checkOpens).
func (s *Store) checkStored(ctx context.Context, tx pgx.Tx, st *state.State, checked bool) error {
	r, err := s.lockRow(ctx, tx)
	if err != nil || !checked {
		return err
	}
	if r.has && (r.lineage != st.Lineage || r.serial >= st.Serial) {
		return r.conflict(st.Lineage, st.Serial)
	}
	return s.checkOpens(ctx, tx, r)
}

// lockedRow is what lockRow reads of a workspace's row.
type lockedRow struct {
	lineage     string
	serial      uint64
	has         bool   // a document is stored
	head        []byte // its first state.SealedHeadBytes when it is sealed, else nil
	docBytes    int64  // the stored document's bytes
	changeBytes int64  // the bytes of the changes written since it
}

func (r *lockedRow) conflict(lineage string, serial uint64) *state.ConflictError {
	return &state.ConflictError{StoredLineage: r.lineage, StoredSerial: r.serial, WrittenLineage: lineage, WrittenSerial: serial}
}

// lockRow locks the workspace's row (SELECT … FOR UPDATE) and reads it
// without the document: only the head of a sealed one, and the sizes. A
// missing row is a *state.NoWorkspaceError.
func (s *Store) lockRow(ctx context.Context, tx pgx.Tx) (*lockedRow, error) {
	var r lockedRow
	err := tx.QueryRow(ctx, s.b.q(`SELECT lineage, serial, document IS NOT NULL,
	CASE WHEN substring(document from 1 for $2) = $3 THEN substring(document from 1 for $4) END,
	coalesce(octet_length(document), 0),
	(SELECT coalesce(sum(octet_length(record)), 0) FROM {s}.changes WHERE workspace = $1)
FROM {s}.workspaces WHERE name = $1 FOR UPDATE`), s.name, len(state.SealedPrefix), []byte(state.SealedPrefix), state.SealedHeadBytes).Scan(
		&r.lineage, &r.serial, &r.has, &r.head, &r.docBytes, &r.changeBytes)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, s.b.noWorkspace(ctx, s.name)
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// checkOpens refuses a stored sealed document this backend's Sealer
// cannot open (no key, another key): a write never replaces, nor adds to,
// what it cannot open. Only the head of a sealed document is fetched
// (opensStored).
func (s *Store) checkOpens(ctx context.Context, tx pgx.Tx, r *lockedRow) error {
	if r.head == nil {
		return nil
	}
	if err := s.opensStored(ctx, tx, r.head); err != nil {
		return &unopenedError{fmt.Errorf("refusing to replace the state of workspace %q in %s: %w", s.name, s.b.desc, err)}
	}
	return nil
}

// opensStored checks that the backend's Sealer opens the stored sealed
// document whose head is given: from the head when the Sealer is a
// state.KeyChecker that can tell, else by opening the whole document.
func (s *Store) opensStored(ctx context.Context, tx pgx.Tx, head []byte) error {
	if s.b.sealer == nil {
		return state.ErrNoKey
	}
	if kc, ok := s.b.sealer.(state.KeyChecker); ok {
		if decided, err := kc.CheckKey(head); decided {
			return err
		}
	}
	var doc []byte
	if err := tx.QueryRow(ctx, s.b.q("SELECT document FROM {s}.workspaces WHERE name = $1"), s.name).Scan(&doc); err != nil {
		return err
	}
	_, err := state.OpenStored(s.b.sealer, doc)
	return err
}

// unopenedError is a stored document Write refused because it could not
// open it; passOrFail returns it as it is.
type unopenedError struct{ err error }

func (e *unopenedError) Error() string { return e.err.Error() }
func (e *unopenedError) Unwrap() error { return e.err }

// encode checks st as state/local does and returns the bytes to store:
// state.Encode's, sealed when the backend has a Sealer.
func (s *Store) encode(st *state.State) ([]byte, error) {
	if st.FormatVersion != state.FormatVersion {
		return nil, fmt.Errorf("refusing to write format_version %d; this build writes format_version %d (build documents with state.New)",
			st.FormatVersion, state.FormatVersion)
	}
	var invalid *state.InvalidError
	if err := state.Validate(st); errors.As(err, &invalid) {
		return nil, fmt.Errorf("refusing to write a state document that could not be read back:%s", invalid.List())
	}
	data, err := state.Encode(st)
	if err != nil {
		return nil, fmt.Errorf("encoding state: %w", err)
	}
	if s.b.sealer == nil {
		return data, nil
	}
	sealed, err := s.b.sealer.Seal(data)
	if err != nil {
		return nil, fmt.Errorf("encrypting the state of workspace %q: %w", s.name, err)
	}
	return sealed, nil
}

// exec runs fn in a transaction: on the connection of the lock the store
// holds, or on any connection of the pool when it holds none. Errors of
// the lock's connection say that the lock was lost, and so does every
// later call until the lost lock is unlocked or another is taken.
func (s *Store) exec(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	h, lost := s.holding()
	if lost != nil {
		return lost
	}
	if h == nil {
		err := pgx.BeginFunc(ctx, s.b.pool, fn)
		return s.b.passOrFail(what, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lost != nil {
		return h.lost
	}
	err := pgx.BeginFunc(ctx, h.conn, fn)
	if err != nil && h.conn.IsClosed() {
		h.lost = s.lostLock(h, err)
		s.forget(h)
		return h.lost
	}
	return s.b.passOrFail(what, err)
}

// passOrFail returns the errors of this package as they are, and
// PostgreSQL's through fail.
func (b *Backend) passOrFail(what string, err error) error {
	var conflict *state.ConflictError
	var noWS *state.NoWorkspaceError
	var unopened *unopenedError
	if err == nil || errors.As(err, &conflict) || errors.As(err, &noWS) || errors.As(err, &unopened) ||
		errors.Is(err, state.ErrWriteWhole) {
		return err
	}
	return b.fail(what, err)
}
