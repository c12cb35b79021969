package state

import (
	"context"
	"fmt"
	"regexp"
	"sync"
)

// DefaultWorkspace is the workspace every backend has; it is used until
// another is selected, and cannot be deleted.
const DefaultWorkspace = "default"

// Backend keeps the workspaces of one spec. Each workspace has its own
// state, lock and history, reached through its Store. Implementations run
// statetest.RunBackend.
type Backend interface {
	// Workspaces returns the names of the workspaces that exist, sorted.
	// DefaultWorkspace is always among them.
	Workspaces(ctx context.Context) ([]string, error)
	// Store returns the store of a workspace that exists; for a name that
	// does not it returns a *NoWorkspaceError. DefaultWorkspace always
	// exists.
	Store(ctx context.Context, name string) (Store, error)
	// CreateWorkspace creates an empty workspace. A name CheckWorkspaceName
	// refuses, or one that exists, is an error.
	CreateWorkspace(ctx context.Context, name string) error
	// DeleteWorkspace removes a workspace with its state, lock and
	// history. DefaultWorkspace cannot be deleted; a workspace whose lock is
	// held is refused with a *LockedError; one whose state still manages
	// VMs is refused unless force.
	DeleteWorkspace(ctx context.Context, name string, force bool) error
	// Locks returns the locks held now, in every workspace, sorted by
	// workspace; each LockInfo names its Workspace.
	Locks(ctx context.Context) ([]LockInfo, error)
	// Describe names where the backend keeps its data, for messages: a
	// folder, or a database with the password left out.
	Describe() string
	// Close releases what the backend holds (connections). Stores it
	// returned must not be used afterwards.
	Close() error
}

// NoWorkspaceError is returned for a workspace that does not exist.
type NoWorkspaceError struct {
	Name     string
	Backend  string   // Backend.Describe
	Existing []string // the workspaces that do exist
}

func (e *NoWorkspaceError) Error() string {
	return fmt.Sprintf("workspace %q does not exist in %s (workspaces: %v); create it with `nova-plan workspace new %s`",
		e.Name, e.Backend, e.Existing, e.Name)
}

// workspaceName is compiled at its first use, not when nova-plan starts:
// the counted repetition costs hundreds of allocations (issue 15).
var workspaceName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`) })

// CheckWorkspaceName returns an error that says what is wrong with a
// workspace name, or nil: lowercase letters, digits, '-' and '_', starting
// with a letter or digit, at most 63 characters. The same names are valid
// in every backend (a folder name, a database key).
func CheckWorkspaceName(name string) error {
	if workspaceName().MatchString(name) {
		return nil
	}
	return fmt.Errorf("the workspace name %q is not valid: use 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or a digit", name)
}

// ConflictError is a Write refused because the stored document is not the
// one the writer started from: another lineage (another workspace's
// document), or a serial not older than the one being written (someone
// wrote since).
type ConflictError struct {
	StoredLineage  string
	StoredSerial   uint64
	WrittenLineage string
	WrittenSerial  uint64
}

func (e *ConflictError) Error() string {
	if e.StoredLineage != e.WrittenLineage {
		return fmt.Sprintf("refusing to write state of lineage %q over the stored state of lineage %q: they are different workspaces' documents",
			e.WrittenLineage, e.StoredLineage)
	}
	return fmt.Sprintf("refusing to write state serial %d: the stored state is already at serial %d, so it was written since this one was read",
		e.WrittenSerial, e.StoredSerial)
}
