package pg

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/novacron/novacron/state"
)

// Workspaces returns the names of the workspaces, sorted.
func (b *Backend) Workspaces(ctx context.Context) ([]string, error) {
	rows, err := b.pool.Query(ctx, b.q("SELECT name FROM {s}.workspaces ORDER BY name"))
	if err != nil {
		return nil, b.fail("listing the workspaces", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return names, b.fail("listing the workspaces", err)
}

// Store returns the store of a workspace that exists; a *state.NoWorkspaceError
// otherwise.
func (b *Backend) Store(ctx context.Context, name string) (state.Store, error) {
	if err := state.CheckWorkspaceName(name); err != nil {
		return nil, err
	}
	var one int
	err := b.pool.QueryRow(ctx, b.q("SELECT 1 FROM {s}.workspaces WHERE name = $1"), name).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, b.noWorkspace(ctx, name)
	}
	if err != nil {
		return nil, b.fail("reading workspace "+name, err)
	}
	return &Store{b: b, name: name, key: b.lockKey("workspace", name), held: map[string]*heldLock{}, lost: map[string]error{}}, nil
}

// noWorkspace returns the *state.NoWorkspaceError for name.
func (b *Backend) noWorkspace(ctx context.Context, name string) error {
	existing, err := b.Workspaces(ctx)
	if err != nil {
		return err
	}
	return &state.NoWorkspaceError{Name: name, Backend: b.desc, Existing: existing}
}

// CreateWorkspace adds an empty workspace.
func (b *Backend) CreateWorkspace(ctx context.Context, name string) error {
	if err := state.CheckWorkspaceName(name); err != nil {
		return err
	}
	tag, err := b.pool.Exec(ctx, b.q("INSERT INTO {s}.workspaces (name) VALUES ($1) ON CONFLICT DO NOTHING"), name)
	if err != nil {
		return b.fail("creating workspace "+name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("the workspace %q exists already in %s", name, b.desc)
	}
	return nil
}

// DeleteWorkspace removes a workspace's row, and with it its lock row and
// history. It holds the workspace's advisory lock while it does, so no
// one takes the lock meanwhile; a lock held is a *state.LockedError.
func (b *Backend) DeleteWorkspace(ctx context.Context, name string, force bool) error {
	if err := state.CheckWorkspaceName(name); err != nil {
		return err
	}
	if name == state.DefaultWorkspace {
		return fmt.Errorf("the workspace %q cannot be deleted: every backend has it", name)
	}
	s, err := b.Store(ctx, name)
	if err != nil {
		return err
	}
	st := s.(*Store)
	err = pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		var free bool
		if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", st.key).Scan(&free); err != nil {
			return err
		}
		if !free {
			return st.lockedError(ctx, errors.New("the workspace is locked"))
		}
		if !force {
			if err := st.refuseManaged(ctx, tx); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, b.q("DELETE FROM {s}.workspaces WHERE name = $1"), name)
		return err
	})
	var locked *state.LockedError
	if errors.As(err, &locked) || errors.As(err, new(*managedError)) {
		return err
	}
	return b.fail("deleting workspace "+name, err)
}

// managedError refuses to delete a workspace whose state manages VMs.
type managedError struct {
	name string
	vms  int
}

func (e *managedError) Error() string {
	return fmt.Sprintf("the workspace %q still manages %d VMs: destroy them first (nova-plan destroy), or delete it with -force to forget them", e.name, e.vms)
}

// refuseManaged returns a *managedError when the workspace's state (its
// document with the changes written since) holds VMs.
func (s *Store) refuseManaged(ctx context.Context, tx pgx.Tx) error {
	row, err := s.fetch(ctx, tx)
	if err != nil {
		return err
	}
	st, err := s.assemble(row)
	if err != nil || st == nil {
		return err
	}
	if len(st.VMs) > 0 {
		return &managedError{name: s.name, vms: len(st.VMs)}
	}
	return nil
}

// Locks returns the locks held now, by workspace: the rows of the locks
// table whose session holds the advisory lock (a row left by a holder
// that died is not listed).
func (b *Backend) Locks(ctx context.Context) ([]state.LockInfo, error) {
	rows, err := b.pool.Query(ctx, b.q(`SELECT l.workspace, l.id, l.operation, l.who, l.pid, l.created
FROM {s}.locks l JOIN pg_locks a ON a.pid = l.backend_pid AND `+fmt.Sprintf(liveLock, "l.lock_key")+`
ORDER BY l.workspace`))
	if err != nil {
		return nil, b.fail("listing the locks", err)
	}
	locks, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (state.LockInfo, error) {
		var l state.LockInfo
		var created time.Time
		err := row.Scan(&l.Workspace, &l.ID, &l.Operation, &l.Who, &l.PID, &created)
		l.Created = created.UTC()
		l.Path = (&Store{b: b, name: l.Workspace}).lockPath()
		return l, err
	})
	return locks, b.fail("listing the locks", err)
}
