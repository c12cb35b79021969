package local

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/novacron/novacron/state"
)

// WorkspacesDir is the folder, inside the data folder, that holds the
// workspaces other than the default one, a folder each.
const WorkspacesDir = "workspaces"

// Backend keeps a spec's workspaces in its data folder (.nova): the
// default workspace in the data folder itself, where a single-workspace
// project has always kept its state, and each other one in
// workspaces/NAME/, with the same files. It is safe for concurrent use.
type Backend struct {
	dir  string
	opts []Option

	mu     sync.Mutex
	stores map[string]*Store // by workspace name: one Store per workspace, so a lock taken through one is released through it
}

var _ state.Backend = (*Backend)(nil)

// NewBackend returns the backend over dataDir, the spec's .nova folder.
// Nothing is created until a workspace is created or written. The options
// apply to the store of every workspace.
func NewBackend(dataDir string, opts ...Option) *Backend {
	return &Backend{dir: dataDir, opts: opts, stores: map[string]*Store{}}
}

// WorkspaceDir returns the folder of the workspace name.
func (b *Backend) WorkspaceDir(name string) string {
	if name == state.DefaultWorkspace {
		return b.dir
	}
	return filepath.Join(b.dir, WorkspacesDir, name)
}

// Describe names the data folder.
func (b *Backend) Describe() string {
	if abs, err := filepath.Abs(b.dir); err == nil {
		return "the folder " + abs
	}
	return "the folder " + b.dir
}

// Close does nothing: the backend holds no connection. Locks are held by
// their Stores until unlocked.
func (b *Backend) Close() error { return nil }

// Workspaces returns the default workspace and the folders of
// workspaces/ whose names are workspace names, sorted.
func (b *Backend) Workspaces(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(b.dir, WorkspacesDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	names := []string{state.DefaultWorkspace}
	for _, e := range entries {
		if e.IsDir() && e.Name() != state.DefaultWorkspace && state.CheckWorkspaceName(e.Name()) == nil {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// Store returns the store of an existing workspace; the same one for
// every call with the same name.
func (b *Backend) Store(ctx context.Context, name string) (state.Store, error) {
	if err := state.CheckWorkspaceName(name); err != nil {
		return nil, err
	}
	if err := b.exists(ctx, name); err != nil {
		return nil, err
	}
	return b.store(name), nil
}

func (b *Backend) store(name string) *Store {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s, ok := b.stores[name]; ok {
		return s
	}
	s := New(b.WorkspaceDir(name), b.opts...)
	s.workspace = name
	s.mustExist = name != state.DefaultWorkspace
	b.stores[name] = s
	return s
}

// exists returns a *state.NoWorkspaceError for a workspace that does not
// exist.
func (b *Backend) exists(ctx context.Context, name string) error {
	if name == state.DefaultWorkspace {
		return nil
	}
	fi, err := os.Stat(b.WorkspaceDir(name))
	if err == nil && fi.IsDir() {
		return nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	existing, lerr := b.Workspaces(ctx)
	if lerr != nil {
		return lerr
	}
	return &state.NoWorkspaceError{Name: name, Backend: b.Describe(), Existing: existing}
}

// CreateWorkspace makes the folder of a new workspace (mode 0700).
func (b *Backend) CreateWorkspace(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := state.CheckWorkspaceName(name); err != nil {
		return err
	}
	if name == state.DefaultWorkspace {
		return fmt.Errorf("workspace %q already exists: every backend has it", name)
	}
	if err := os.MkdirAll(filepath.Join(b.dir, WorkspacesDir), 0o700); err != nil {
		return err
	}
	err := os.Mkdir(b.WorkspaceDir(name), 0o700)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("workspace %q already exists in %s", name, b.Describe())
	}
	return err
}

// DeleteWorkspace removes a workspace's folder with its state, lock and
// history. It takes the workspace's lock first (without waiting), so a
// workspace in use is refused with the *state.LockedError naming its
// holder, and no one takes the lock while the folder goes. The folder is
// first renamed out of workspaces/, so that a deletion cut short leaves
// no half workspace behind.
func (b *Backend) DeleteWorkspace(ctx context.Context, name string, force bool) error {
	if err := state.CheckWorkspaceName(name); err != nil {
		return err
	}
	if name == state.DefaultWorkspace {
		return fmt.Errorf("workspace %q cannot be deleted: every backend has it", name)
	}
	if err := b.exists(ctx, name); err != nil {
		return err
	}
	s := b.store(name)
	now, cancel := context.WithCancel(ctx)
	cancel() // one attempt: a lock held is a workspace in use
	id, err := s.Lock(now, state.LockInfo{Operation: "workspace delete", Who: "nova-plan"})
	if err != nil {
		return err
	}
	gone := filepath.Join(b.dir, WorkspacesDir, ".deleting-"+name+"-"+rand.Text())
	if err := checkUnmanaged(ctx, s, name, force); err != nil {
		return errors.Join(err, s.Unlock(id))
	}
	if err := os.Rename(s.dir, gone); err != nil {
		return errors.Join(err, s.Unlock(id))
	}
	s.dropLock(id) // its file went with the folder
	b.mu.Lock()
	delete(b.stores, name)
	b.mu.Unlock()
	return os.RemoveAll(gone)
}

// checkUnmanaged refuses, unless force, a workspace whose state still
// manages VMs, or whose state cannot be read.
func checkUnmanaged(ctx context.Context, s *Store, name string, force bool) error {
	if force {
		return nil
	}
	st, err := s.Read(ctx)
	if err != nil {
		return fmt.Errorf("workspace %q was not deleted: its state cannot be read (%w); delete it with -force to discard it anyway", name, err)
	}
	if st != nil && len(st.VMs) > 0 {
		return fmt.Errorf("workspace %q was not deleted: its state manages %d VMs, which would go on running unmanaged. "+
			"Destroy them first (`nova-plan destroy` in that workspace), or delete it with -force to forget them", name, len(st.VMs))
	}
	return nil
}

// dropLock releases a lock whose file may be gone with its folder.
func (s *Store) dropLock(id string) {
	if f, err := s.release(id); err == nil {
		f.Close()
	}
}
