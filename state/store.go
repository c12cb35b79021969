package state

import (
	"context"
	"fmt"
	"time"
)

// Store is a state backend. Implementations run the statetest suite.
type Store interface {
	// Read returns the stored state, or (nil, nil) when none exists yet.
	// A document that cannot be decoded, or that Validate refuses, is an
	// error that names where it is broken (an *InvalidError for the
	// latter); it is never replaced.
	Read(ctx context.Context) (*State, error)
	// Write persists s atomically: a reader sees the old or the new
	// document, never a mix. The caller sets s.Serial. A document that
	// Validate refuses is not written. When a document is stored already,
	// s must have its lineage and a greater serial: otherwise Write
	// returns a *ConflictError and writes nothing.
	Write(ctx context.Context, s *State) error
	// Overwrite is Write without the lineage and serial rules, for
	// `state push -force` and `state migrate`. Validate still applies.
	Overwrite(ctx context.Context, s *State) error
	// Lock takes the workspace lock, waiting until ctx is done. When the
	// lock stays held it returns a *LockedError naming the holder.
	Lock(ctx context.Context, info LockInfo) (id string, err error)
	// Unlock releases a lock this process holds.
	Unlock(id string) error
	// ForceUnlock removes a lock whatever holds it, if its id matches.
	ForceUnlock(id string) error
	// AppendHistory adds audit records; earlier records are never changed.
	AppendHistory(ctx context.Context, recs []HistoryRecord) error
	// History returns every audit record, oldest first.
	History(ctx context.Context) ([]HistoryRecord, error)
}

// Repairer is a Store that repairs what an interrupted writer left behind
// (a torn last history record, temporary files) when it takes the lock or
// appends history. Repairs returns what it repaired since the last call, as
// sentences for the user, and forgets them.
type Repairer interface {
	Repairs() []string
}

// LockInfo says who holds a lock and why.
type LockInfo struct {
	ID        string    `json:"id"`
	Operation string    `json:"operation"` // plan, apply, destroy, state rm, …
	Who       string    `json:"who"`       // user@host
	PID       int       `json:"pid"`
	Created   time.Time `json:"created"`
	Path      string    `json:"path,omitempty"` // the lock itself (a backend fills it in)
	Workspace string    `json:"workspace,omitempty"`
}

// LockedError is returned when the lock could not be taken in time.
type LockedError struct {
	Holder LockInfo
	// Unnamed is set when the lock is held but its record does not say by
	// whom: it says what is wrong with the record ("the lock file is
	// empty"). Holder.Path is then the lock, for the user to remove.
	Unnamed string
}

func (e *LockedError) Error() string {
	h := e.Holder
	if e.Unnamed != "" {
		return fmt.Sprintf("the state lock %s is held, but it does not say who holds it: %s. "+
			"NovaCron writes who holds the lock as soon as it takes it, so another program holds this file, or its record was overwritten. "+
			"If no nova-plan runs for this workspace, remove the lock file (rm %s) and run the command again",
			h.Path, e.Unnamed, h.Path)
	}
	return fmt.Sprintf("state is locked by %s (operation %q, pid %d, since %s, lock ID %s); "+
		"wait for it to finish: a holder that died frees the lock by itself. If it is alive but stuck, run `%s`",
		h.Who, h.Operation, h.PID, h.Created.Format(time.RFC3339), h.ID, ForceUnlockCommand(h))
}

// ForceUnlockCommand is the command that releases the lock h: it names
// the workspace (NOVA_WORKSPACE=NAME) unless it is the default one.
func ForceUnlockCommand(h LockInfo) string { return Command(h.Workspace, "force-unlock "+h.ID) }

// RecordKind says what a history record reports.
type RecordKind string

// The kinds of history record.
const (
	RecordStart     RecordKind = "start"      // an apply began
	RecordAction    RecordKind = "action"     // one change ended (or never started)
	RecordEnd       RecordKind = "end"        // an apply ended
	RecordStateRm   RecordKind = "state rm"   // `state rm` stopped managing a VM
	RecordStatePush RecordKind = "state push" // `state push` replaced the document
	RecordStateMv   RecordKind = "state mv"   // `state mv` moved a VM to another address
	// RecordStateRekey: `state rekey` rewrote the document under a new key
	// (or in plaintext).
	RecordStateRekey RecordKind = "state rekey"
	// RecordStateMigrate: `state migrate` copied the workspace from
	// another backend (Action names its type).
	RecordStateMigrate RecordKind = "state migrate"
)

// Outcome is how an action, or a whole run, ended.
type Outcome string

// The outcomes. An end record holds OK, Failed or Interrupted.
const (
	OutcomeOK          Outcome = "ok"
	OutcomeFailed      Outcome = "failed"
	OutcomeSkipped     Outcome = "skipped"     // a change it depends on failed, or its fleet halted
	OutcomeInterrupted Outcome = "interrupted" // the apply stopped before the change started
)

// HistoryRecord is one line of the audit log. An apply writes a
// RecordStart record, one RecordAction record per change, and a RecordEnd
// record.
type HistoryRecord struct {
	Kind       RecordKind `json:"kind"`
	Time       time.Time  `json:"time"`
	RunID      string     `json:"run_id"`
	Who        string     `json:"who,omitempty"`
	Operation  string     `json:"operation,omitempty"`
	PlanDigest string     `json:"plan_digest,omitempty"`
	Address    string     `json:"address,omitempty"`
	Action     string     `json:"action,omitempty"`
	Outcome    Outcome    `json:"outcome,omitempty"`
	Error      string     `json:"error,omitempty"`
	Serial     uint64     `json:"serial,omitempty"`
}
