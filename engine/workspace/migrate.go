package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/novacron/novacron/state"
)

// MigrateOptions say how to copy one backend's workspaces into another.
type MigrateOptions struct {
	// Force overwrites a target workspace that already has state.
	Force       bool
	LockTimeout time.Duration
	From        string // the old backend's type, for the history record
}

// Migrated is one workspace copied.
type Migrated struct {
	Workspace string
	VMs       int
	Serial    uint64 // 0 when the workspace had no state
	Records   int    // history records copied (those the target lacked)
	Replaced  bool   // the target had state, overwritten with -force
}

// migration is one workspace being copied, with both its locks.
type migration struct {
	name              string
	src, dst          state.Store
	srcLock, dstLock  string
	st                *state.State
	hist, dstHist     []state.HistoryRecord
	existed, hadState bool
}

// Migrate copies every workspace of from — state, lineage, serial and
// history — into w's backend, holding each workspace's lock in both. It
// first reads everything and checks every target: a target workspace that
// already has state is refused unless o.Force, and then nothing is
// written. from is left as it was. It works on any two backends.
func (w *Workspace) Migrate(ctx context.Context, from state.Backend, o MigrateOptions) ([]Migrated, error) {
	if from.Describe() == w.Backend.Describe() {
		return nil, fmt.Errorf("the old backend is the one the spec uses (%s): there is nothing to migrate", from.Describe())
	}
	names, err := from.Workspaces(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the old backend's workspaces: %w", err)
	}
	existing, err := w.Backend.Workspaces(ctx)
	if err != nil {
		return nil, err
	}
	if err := anyState(ctx, from, names); err != nil {
		return nil, err
	}
	var ms []*migration
	defer func() { unlockAll(ms) }()
	for _, name := range names {
		m := &migration{name: name, existed: slices.Contains(existing, name)}
		ms = append(ms, m)
		if err := m.read(ctx, from, w.Backend, LockWait(o.LockTimeout)); err != nil {
			return nil, fmt.Errorf("workspace %s: %w", name, err)
		}
	}
	if err := refuseOverwrite(ms, o.Force); err != nil {
		return nil, err
	}
	out := make([]Migrated, 0, len(ms))
	for _, m := range ms {
		done, err := m.write(ctx, w.Backend, o.From, LockWait(o.LockTimeout))
		if err != nil {
			return out, fmt.Errorf("workspace %s: %w", m.name, err)
		}
		out = append(out, done)
	}
	return out, nil
}

// read locks the source workspace (and the target's, if it exists) and
// reads what is to be copied and what is there.
func (m *migration) read(ctx context.Context, from, to state.Backend, timeout time.Duration) error {
	var err error
	if m.src, err = from.Store(ctx, m.name); err != nil {
		return err
	}
	if m.srcLock, err = lockStore(ctx, m.src, m.name, timeout); err != nil {
		return fmt.Errorf("locking it in the old backend: %w", err)
	}
	if m.st, err = m.src.Read(ctx); err != nil {
		return fmt.Errorf("reading its state in the old backend: %w", err)
	}
	if m.hist, err = m.src.History(ctx); err != nil {
		return fmt.Errorf("reading its history in the old backend: %w", err)
	}
	if !m.existed {
		return nil
	}
	if err := m.lockTarget(ctx, to, timeout); err != nil {
		return err
	}
	cur, err := m.dst.Read(ctx)
	if err != nil {
		return fmt.Errorf("reading its state in the new backend: %w", err)
	}
	m.hadState = cur != nil
	if m.dstHist, err = m.dst.History(ctx); err != nil {
		return fmt.Errorf("reading its history in the new backend: %w", err)
	}
	return nil
}

// anyState refuses an old backend none of whose workspaces has state:
// a wrong path or schema, which would otherwise "migrate" nothing. It
// reads without locks: it only looks.
func anyState(ctx context.Context, from state.Backend, names []string) error {
	for _, name := range names {
		s, err := from.Store(ctx, name)
		if err != nil {
			return fmt.Errorf("workspace %s: %w", name, err)
		}
		st, err := s.Read(ctx)
		if err != nil {
			return fmt.Errorf("workspace %s: reading its state in the old backend: %w", name, err)
		}
		if st != nil {
			return nil
		}
	}
	return fmt.Errorf("the old backend (%s) holds no state: none of its workspaces (%s) has any, so there is nothing to migrate. Check -from and -from-config",
		from.Describe(), strings.Join(names, ", "))
}

// newRecords returns the records of hist that have is lacks: a migration
// over a backend that has the history already (a round trip) copies
// only what is new.
func newRecords(hist, has []state.HistoryRecord) []state.HistoryRecord {
	seen := make(map[string]bool, len(has))
	for _, r := range has {
		seen[recordKey(r)] = true
	}
	var out []state.HistoryRecord
	for _, r := range hist {
		if !seen[recordKey(r)] {
			out = append(out, r)
		}
	}
	return out
}

func recordKey(r state.HistoryRecord) string {
	r.Time = r.Time.UTC()
	b, _ := json.Marshal(r)
	return string(b)
}

func (m *migration) lockTarget(ctx context.Context, to state.Backend, timeout time.Duration) error {
	var err error
	if m.dst, err = to.Store(ctx, m.name); err != nil {
		return err
	}
	if m.dstLock, err = lockStore(ctx, m.dst, m.name, timeout); err != nil {
		return fmt.Errorf("locking it in the new backend: %w", err)
	}
	return nil
}

// write creates the target workspace if needed and copies state and
// history into it.
func (m *migration) write(ctx context.Context, to state.Backend, from string, timeout time.Duration) (Migrated, error) {
	hist := newRecords(m.hist, m.dstHist)
	done := Migrated{Workspace: m.name, Records: len(hist), Replaced: m.hadState}
	if !m.existed {
		if err := to.CreateWorkspace(ctx, m.name); err != nil {
			return done, err
		}
		if err := m.lockTarget(ctx, to, timeout); err != nil {
			return done, err
		}
	}
	if m.st != nil {
		if err := m.dst.Overwrite(ctx, m.st); err != nil {
			return done, fmt.Errorf("writing its state: %w", err)
		}
		done.VMs, done.Serial = len(m.st.VMs), m.st.Serial
	}
	hist = append(hist, state.HistoryRecord{
		Kind: state.RecordStateMigrate, Time: time.Now().UTC(), RunID: NewID(), Who: Who(),
		Operation: "state migrate", Action: "from " + from, Outcome: state.OutcomeOK, Serial: done.Serial,
	})
	if err := m.dst.AppendHistory(ctx, hist); err != nil {
		return done, fmt.Errorf("state copied, but writing its history failed: %w", err)
	}
	return done, nil
}

// refuseOverwrite refuses target workspaces that have state, unless force.
func refuseOverwrite(ms []*migration, force bool) error {
	var taken []string
	for _, m := range ms {
		if m.hadState {
			taken = append(taken, m.name)
		}
	}
	if len(taken) == 0 || force {
		return nil
	}
	return fmt.Errorf("the new backend already has state in workspace %s; nothing was copied. "+
		"Run with -force to replace it with the old backend's state", strings.Join(taken, ", "))
}

// lockStore takes a workspace's lock for state migrate, given wait (see
// LockWait).
func lockStore(ctx context.Context, s state.Store, name string, wait time.Duration) (string, error) {
	return lockFor(ctx, s, name, "state migrate", wait)
}

// lockFor takes a workspace's lock for the operation op, given wait.
func lockFor(ctx context.Context, s state.Store, name, op string, wait time.Duration) (string, error) {
	lctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	return s.Lock(lctx, state.LockInfo{Operation: op, Who: Who(), PID: os.Getpid(), Created: time.Now().UTC(), Workspace: name})
}

func unlockAll(ms []*migration) error {
	var errs []error
	for _, m := range ms {
		if m.srcLock != "" {
			errs = append(errs, m.src.Unlock(m.srcLock))
		}
		if m.dstLock != "" {
			errs = append(errs, m.dst.Unlock(m.dstLock))
		}
	}
	return errors.Join(errs...)
}
