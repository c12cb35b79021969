package workspace

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/novacron/novacron/state"
)

// Pull returns the workspace's state document as state.Encode writes it,
// in plain text whatever the backend stores; nil when there is no state
// yet. It takes no lock: the document is one read.
func (w *Workspace) Pull(ctx context.Context) ([]byte, error) {
	st, err := w.Store.Read(ctx)
	if err != nil || st == nil {
		return nil, err
	}
	return state.Encode(st)
}

// PushOptions say how to replace the state with a document.
type PushOptions struct {
	// Force replaces a document of another lineage or a newer serial.
	Force       bool
	LockTimeout time.Duration
}

// PushResult is what a push wrote.
type PushResult struct {
	Serial uint64 // the serial written
	// Replaced is the document replaced; nil when there was none.
	Replaced *state.State
	// SharedWith names the other workspace whose lineage the document has,
	// pushed with Force: both workspaces now own the same VMs.
	SharedWith string
}

// LineageOwnedError is a push refused without -force: the document has
// the lineage of another workspace of the same backend, which manages its
// VMs; two workspaces would own them, and one would destroy what the
// other manages.
type LineageOwnedError struct{ Workspace, Lineage string }

func (e *LineageOwnedError) Error() string {
	return fmt.Sprintf("the document has lineage %q, that of workspace %q of this backend: it is that workspace's state, and pushing it here would make two workspaces manage the same VMs (a plan in one would destroy or recreate what the other manages). "+
		"Push a document pulled from this workspace, use workspace %q itself, or push with -force to copy it anyway",
		e.Lineage, e.Workspace, e.Workspace)
}

// PushConflictError is a push refused without -force: the document is
// another workspace's (another lineage), or older than the stored one.
type PushConflictError struct {
	Stored, Pushed *state.State
}

func (e *PushConflictError) Error() string {
	if e.Stored.Lineage != e.Pushed.Lineage {
		return fmt.Sprintf("the document has lineage %q, and the workspace's state has lineage %q: it is another workspace's state, and the VMs marked with this workspace's lineage would no longer be found. "+
			"Push a document pulled from this workspace, or push with -force to replace this workspace's state with it anyway",
			e.Pushed.Lineage, e.Stored.Lineage)
	}
	return fmt.Sprintf("the document is serial %d, older than the stored serial %d: the state was written since it was pulled, and pushing it would undo those writes. "+
		"Pull the state again, make the edit on it and push that, or push with -force to replace the newer state anyway",
		e.Pushed.Serial, e.Stored.Serial)
}

// PushDecodeError is a pushed document that state.Decode refuses. Line
// and Column (1-based) are where it is broken, when known.
type PushDecodeError struct {
	Line, Column int
	Err          error
}

func (e *PushDecodeError) Error() string { return e.Err.Error() }
func (e *PushDecodeError) Unwrap() error { return e.Err }

// Push replaces the workspace's state with the document data, under the
// workspace lock. data may be sealed with the workspace's key (a recovery
// file of an encrypted workspace). The document must decode and pass state.Validate. It
// must have the stored lineage and a serial not older than the stored one
// unless Force; it is written with the serial after the stored one, so
// that pull, edit, push works without touching the serial, and a saved
// plan made before the push is stale after it. With Force it replaces
// the stored document whatever its lineage and serial (Store.Overwrite),
// and a stored state that was changed outside NovaCron
// (*state.MismatchError) or cannot be read (*state.DamagedError: Overwrite
// deletes a pg workspace's change rows with its document). A history
// record names the push. Nothing is written when it fails.
func (w *Workspace) Push(ctx context.Context, data []byte, o PushOptions) (*PushResult, error) {
	if state.IsSealed(data) { // a recovery file of an encrypted workspace
		plain, err := state.OpenStored(w.StoreSealer(), data)
		if err != nil {
			return nil, &PushDecodeError{Err: fmt.Errorf("it is an encrypted state document: %w", err)}
		}
		data = plain
	}
	pushed, err := decodePushed(data)
	if err != nil {
		return nil, err
	}
	id, err := w.lock(ctx, "state push", Who(), o.LockTimeout)
	if err != nil {
		return nil, err
	}
	defer w.Store.Unlock(id)
	stored, err := w.readStored(ctx, o.Force)
	if err != nil {
		return nil, err
	}
	res := &PushResult{Replaced: stored}
	if stored == nil || stored.Lineage != pushed.Lineage {
		owner, err := w.lineageOwner(ctx, pushed.Lineage, o.Force)
		if err != nil {
			return nil, err
		}
		if owner != "" && !o.Force {
			return nil, &LineageOwnedError{Workspace: owner, Lineage: pushed.Lineage}
		}
		res.SharedWith = owner
	}
	write := w.Store.Write
	if stored != nil {
		conflict := stored.Lineage != pushed.Lineage || pushed.Serial < stored.Serial
		if conflict && !o.Force {
			return nil, &PushConflictError{Stored: stored, Pushed: pushed}
		}
		if o.Force {
			write = w.Store.Overwrite
		}
		pushed.Serial = stored.Serial + 1
	}
	if err := write(ctx, pushed); err != nil {
		return nil, err
	}
	res.Serial = pushed.Serial
	return res, w.recordPush(ctx, pushed, o.Force)
}

// readStored reads the state a push replaces. With force, a stored state
// changed outside NovaCron or damaged is replaced: it returns what stands
// for it (mismatchedStored, damagedStored).
func (w *Workspace) readStored(ctx context.Context, force bool) (*state.State, error) {
	stored, err := w.Store.Read(ctx)
	var mismatch *state.MismatchError
	var damaged *state.DamagedError
	switch {
	case err == nil:
		return stored, nil
	case errors.As(err, &mismatch) && force: // the repair of a row changed outside NovaCron
		return mismatchedStored(mismatch), nil
	case errors.As(err, &damaged) && force: // the repair of a damaged document or change row
		return damagedStored(damaged), nil
	}
	return nil, fmt.Errorf("reading the stored state: %w", err)
}

// damagedStored is what a push -force replaces in a store whose state
// cannot be read: an empty state of the row's lineage at the row's
// serial, so that the pushed one is newer.
func damagedStored(e *state.DamagedError) *state.State {
	st := state.New(e.RowLineage)
	st.Serial = e.RowSerial
	return st
}

// mismatchedStored is what a push -force replaces in a store whose
// document disagrees with its row: the document, at the highest of the
// serials (the row's, the document's, its changes'), so that the pushed
// one is newer than all.
func mismatchedStored(e *state.MismatchError) *state.State {
	st := e.Doc
	if st == nil {
		st = state.New(e.RowLineage)
	} else {
		st = st.Clone()
	}
	st.Serial = max(e.RowSerial, e.DocSerial, e.ChangeSerial)
	return st
}

// lineageOwner returns the other workspace of the backend whose state has
// lineage, or "". A workspace whose state is damaged is judged by the
// lineage its backend keeps beside it (a pg row's); when there is none,
// force skips it (what it owns cannot be told, and -force copies a
// lineage anyway), and without force the error names it, so that one
// damaged workspace neither blocks a push -force into another nor lets a
// plain push pass unchecked.
func (w *Workspace) lineageOwner(ctx context.Context, lineage string, force bool) (string, error) {
	names, err := w.Backend.Workspaces(ctx)
	if err != nil {
		return "", fmt.Errorf("listing the workspaces: %w", err)
	}
	for _, name := range names {
		if name == w.Name {
			continue
		}
		st, err := w.Backend.Store(ctx, name)
		if err != nil {
			return "", fmt.Errorf("workspace %s: %w", name, err)
		}
		has, err := hasLineage(ctx, st, lineage, force)
		if err != nil {
			return "", fmt.Errorf("reading the state of workspace %s to check that it does not own lineage %q: %w", name, lineage, err)
		}
		if has {
			return name, nil
		}
	}
	return "", nil
}

// hasLineage tells whether the state of st has lineage (lineageOwner).
func hasLineage(ctx context.Context, st state.Store, lineage string, force bool) (bool, error) {
	cur, err := st.Read(ctx)
	var mismatch *state.MismatchError
	var damaged *state.DamagedError
	switch {
	case errors.As(err, &mismatch): // its document tells its lineage
		cur, err = mismatch.Doc, nil
	case errors.As(err, &damaged) && damaged.RowLineage != "":
		return damaged.RowLineage == lineage, nil
	case errors.As(err, &damaged) && force:
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return cur != nil && cur.Lineage == lineage, nil
}

// decodePushed decodes a pushed document, with where it is broken.
func decodePushed(data []byte) (*state.State, error) {
	st, err := state.Decode(data)
	var syntax *state.SyntaxError
	var invalid *state.InvalidError
	switch {
	case errors.As(err, &syntax):
		return nil, &PushDecodeError{Line: syntax.Line, Column: syntax.Column, Err: syntax}
	case errors.As(err, &invalid):
		invalid.Source = "the document"
		e := &PushDecodeError{Err: invalid}
		for i, p := range invalid.Problems {
			line, col := locate(data, p.Field)
			if p.Line == 0 {
				invalid.Problems[i].Line = line
			}
			if i == 0 {
				e.Line, e.Column = invalid.Problems[i].Line, col
			}
		}
		return nil, e
	case err != nil:
		return nil, &PushDecodeError{Err: err}
	}
	return st, nil
}

// recordPush appends the history record of a push. The state is written
// by then: an error here says the audit record is missing, not the push.
func (w *Workspace) recordPush(ctx context.Context, st *state.State, force bool) error {
	action := "push"
	if force {
		action = "push -force"
	}
	rec := state.HistoryRecord{
		Kind: state.RecordStatePush, Time: time.Now().UTC(), RunID: NewID(), Who: Who(),
		Operation: "state push", Action: action, Outcome: state.OutcomeOK, Serial: st.Serial,
	}
	if err := w.Store.AppendHistory(ctx, []state.HistoryRecord{rec}); err != nil {
		return &HistoryError{Err: err}
	}
	return nil
}

// HistoryError is an audit record that could not be written after what it
// records was done.
type HistoryError struct{ Err error }

func (e *HistoryError) Error() string { return "the audit record was not written: " + e.Err.Error() }
func (e *HistoryError) Unwrap() error { return e.Err }
