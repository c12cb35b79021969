package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
)

// RekeyOutcome is what `state rekey` did to one workspace's state.
type RekeyOutcome int

// The outcomes of Rekey.
const (
	Rekeyed      RekeyOutcome = iota // read with the old key, written with the new one
	AlreadyRekey                     // sealed with the new key already: left as it is
	NoState                          // the workspace has no state yet
)

// RekeyedWorkspace is one workspace `state rekey` went through.
type RekeyedWorkspace struct {
	Workspace string
	Outcome   RekeyOutcome
	Serial    uint64 // the serial written (Rekeyed)
}

// Rekey re-encrypts the state of every workspace of w's backend, which
// was opened with r as its Sealer (BackendOptions.Sealer): read with
// r.Old, written with r.New at the next serial, under the workspace's
// lock, with a "state rekey" history record. It first reads every
// workspace's state: when one cannot be opened (neither key opens it),
// nothing is written. A document sealed with the new key already (a
// rekey interrupted, run again) is left as it is.
func (w *Workspace) Rekey(ctx context.Context, r *encryption.Rekey, lockTimeout time.Duration) ([]RekeyedWorkspace, error) {
	names, err := w.Backend.Workspaces(ctx)
	if err != nil {
		return nil, w.redact(err)
	}
	for _, name := range names { // nothing written unless every one opens
		if _, err := w.rekeyRead(ctx, name, r); err != nil {
			return nil, err
		}
	}
	out := make([]RekeyedWorkspace, 0, len(names))
	for _, name := range names {
		done, err := w.rekeyOne(ctx, name, r, lockTimeout)
		if err != nil {
			return out, err
		}
		out = append(out, done)
	}
	return out, nil
}

// rekeyRead reads one workspace's state through r, unlocked, to learn
// that it opens.
func (w *Workspace) rekeyRead(ctx context.Context, name string, r *encryption.Rekey) (*state.State, error) {
	st, err := w.Backend.Store(ctx, name)
	if err != nil {
		return nil, w.redact(err)
	}
	doc, err := st.Read(ctx)
	r.OpenedWithNew() // forgotten: rekeyOne asks again of its own read
	if err != nil {
		return nil, fmt.Errorf("workspace %q: %w; nothing was rewritten", name, w.redact(err))
	}
	return doc, nil
}

// rekeyOne rewrites one workspace's state under its lock.
func (w *Workspace) rekeyOne(ctx context.Context, name string, r *encryption.Rekey, lockTimeout time.Duration) (RekeyedWorkspace, error) {
	done := RekeyedWorkspace{Workspace: name}
	st, err := w.Backend.Store(ctx, name)
	if err != nil {
		return done, w.redact(err)
	}
	id, err := lockFor(ctx, st, name, "state rekey", LockWait(lockTimeout))
	if err != nil {
		return done, fmt.Errorf("locking workspace %q: %w", name, w.redact(err))
	}
	defer st.Unlock(id)
	doc, err := st.Read(ctx)
	switch {
	case err != nil:
		return done, fmt.Errorf("reading the state of workspace %q: %w", name, w.redact(err))
	case doc == nil:
		done.Outcome = NoState
		return done, nil
	case r.OpenedWithNew():
		done.Outcome = AlreadyRekey
		return done, nil
	}
	doc.Serial++
	if err := st.Write(ctx, doc); err != nil {
		return done, fmt.Errorf("writing the state of workspace %q: %w", name, w.redact(err))
	}
	done.Serial = doc.Serial
	if err := st.AppendHistory(ctx, []state.HistoryRecord{rekeyRecord(r, doc.Serial)}); err != nil {
		return done, fmt.Errorf("workspace %q: %w", name, &HistoryError{Err: w.redact(err)})
	}
	return done, nil
}

// rekeyRecord is the audit record of one workspace rekeyed: its action
// says whether the state is now encrypted (with the key or passphrase of
// which variable) or plaintext.
func rekeyRecord(r *encryption.Rekey, serial uint64) state.HistoryRecord {
	action := "decrypt"
	if r.New != nil {
		action = "encrypt with " + encryption.CurrentVar(r.New.Var())
	}
	return state.HistoryRecord{
		Kind: state.RecordStateRekey, Time: time.Now().UTC(), RunID: NewID(), Who: Who(),
		Operation: "state rekey", Action: action, Outcome: state.OutcomeOK, Serial: serial,
	}
}
