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

// Read returns the stored document, or (nil, nil) when the workspace has
// none yet.
func (s *Store) Read(ctx context.Context) (*state.State, error) {
	var doc []byte
	var lineage string
	var serial int64
	err := s.b.pool.QueryRow(ctx, s.b.q("SELECT document, lineage, serial FROM {s}.workspaces WHERE name = $1"), s.name).Scan(&doc, &lineage, &serial)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, s.b.noWorkspace(ctx, s.name)
	}
	if err != nil {
		return nil, s.b.fail(fmt.Sprintf("reading the state of workspace %q", s.name), err)
	}
	if doc == nil && serial == 0 {
		return nil, nil
	}
	mismatch := &state.MismatchError{Workspace: s.name, Where: fmt.Sprintf("the state of workspace %q in %s", s.name, s.b.desc),
		RowLineage: lineage, RowSerial: uint64(serial)}
	if doc == nil {
		return nil, mismatch
	}
	st, err := s.decode(doc)
	if st != nil && (st.Lineage != lineage || st.Serial != uint64(serial)) {
		mismatch.DocLineage, mismatch.DocSerial, mismatch.Doc = st.Lineage, st.Serial, st
		return nil, mismatch
	}
	return st, err
}

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
		return nil, fmt.Errorf("%s is damaged at line %d, column %d: %w. It was left untouched; restore it with `%s`",
			where, syntax.Line, syntax.Column, syntax, state.Command(s.name, "state push"))
	case errors.As(err, &invalid):
		invalid.Source = where
		return st, err
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
		_, err = tx.Exec(ctx, s.b.q("UPDATE {s}.workspaces SET lineage = $2, serial = $3, document = $4, updated = now() WHERE name = $1"),
			s.name, st.Lineage, int64(st.Serial), stored)
		return err
	})
}

// checkStored locks the workspace's row (a missing row is a
// *state.NoWorkspaceError). When checked (Write, not Overwrite) it refuses
// to replace the document when it has another lineage or a serial not
// below st's (a *state.ConflictError), or when it is sealed and this
// backend's Sealer cannot open it (no key, another key): Write never
// replaces what it cannot open. Only the head of a sealed document is
// fetched (opensStored).
func (s *Store) checkStored(ctx context.Context, tx pgx.Tx, st *state.State, checked bool) error {
	var lineage string
	var serial uint64
	var has bool
	var head []byte
	err := tx.QueryRow(ctx, s.b.q(`SELECT lineage, serial, document IS NOT NULL,
	CASE WHEN substring(document from 1 for $2) = $3 THEN substring(document from 1 for $4) END
FROM {s}.workspaces WHERE name = $1 FOR UPDATE`), s.name, len(state.SealedPrefix), []byte(state.SealedPrefix), state.SealedHeadBytes).Scan(&lineage, &serial, &has, &head)
	if errors.Is(err, pgx.ErrNoRows) {
		return s.b.noWorkspace(ctx, s.name)
	}
	if err != nil || !checked {
		return err
	}
	if has && (lineage != st.Lineage || serial >= st.Serial) {
		return &state.ConflictError{StoredLineage: lineage, StoredSerial: serial, WrittenLineage: st.Lineage, WrittenSerial: st.Serial}
	}
	if head == nil {
		return nil
	}
	if err := s.opensStored(ctx, tx, head); err != nil {
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
	if err == nil || errors.As(err, &conflict) || errors.As(err, &noWS) || errors.As(err, &unopened) {
		return err
	}
	return b.fail(what, err)
}
