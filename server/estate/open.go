package estate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
)

// DefaultLockTimeout is how long a run waits for its workspace's lock
// when Options.LockTimeout is zero.
const DefaultLockTimeout = 5 * time.Minute

// Estate is the served folder of workspaces.
type Estate struct {
	root   string
	o      Options
	env    []string
	spaces map[string]*space // by name, fixed at Open
	names  []string          // sorted
	// skipped are the spec folders Open could not serve, by folder name.
	skipped []SkippedFolder
	list    atomic.Pointer[listing]
	// relistMu serializes rebuilds of list.
	relistMu sync.Mutex
	plans    plans
	runs     runs
	// quit is cancelled by Close: runs still waiting for their lock or
	// planning give up. applyCtx outlives it, so changes in flight finish.
	quit     context.Context
	cancel   context.CancelFunc
	applyCtx context.Context
	// stop is closed by Close: applies start no new change.
	stop      chan struct{}
	wg        sync.WaitGroup
	closeMu   sync.Mutex // guards closed, and wg.Add against Close's wait
	closed    bool
	closeOnce sync.Once
	closeErr  error
}

// Open reads the workspaces under root: root itself when it holds spec
// files, and each folder directly under it that does. Each is opened with
// its spec's backend and its inventory read; a workspace whose inventory
// cannot be read is served with the error (WorkspaceInfo.Error) until a
// refresh succeeds. Options.APIWorkspace must name one of them.
func Open(ctx context.Context, root string, o Options) (*Estate, error) {
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	e := &Estate{root: root, o: o, env: os.Environ(), spaces: map[string]*space{}, stop: make(chan struct{})}
	e.quit, e.cancel = context.WithCancel(context.Background())
	e.applyCtx = context.Background()
	e.list.Store(&listing{})
	dirs, skipped, err := workspaceDirs(root)
	if err != nil {
		return nil, err
	}
	e.skipped = skipped
	for name, dir := range dirs {
		if err := e.openSpace(ctx, name, dir); err != nil {
			e.skipped = append(e.skipped, SkippedFolder{Folder: name, Reason: strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")})
		}
	}
	slices.SortFunc(e.skipped, func(a, b SkippedFolder) int { return strings.Compare(a.Folder, b.Folder) })
	if len(e.names) == 0 {
		e.Close()
		return nil, fmt.Errorf("no spec folder under %s can be served: %s", root, skippedText(e.skipped))
	}
	if o.APIWorkspace != "" && e.spaces[o.APIWorkspace] == nil {
		e.Close()
		return nil, fmt.Errorf("the API workspace %q is not a folder of spec files under %s", o.APIWorkspace, root)
	}
	e.refreshAll(ctx)
	return e, nil
}

// workspaceDirs finds the spec folders: root, named by its base name, and
// the folders directly under it, by their names. A folder under root whose
// name is no workspace name is skipped, with why.
func workspaceDirs(root string) (map[string]string, []SkippedFolder, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, nil, err
	}
	var skipped []SkippedFolder
	out := map[string]string{}
	if hasSpec(abs) {
		out[filepath.Base(abs)] = abs
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the estate folder: %w", err)
	}
	for _, ent := range entries {
		dir := filepath.Join(abs, ent.Name())
		if !ent.IsDir() || strings.HasPrefix(ent.Name(), ".") || !hasSpec(dir) {
			continue
		}
		if !validName(ent.Name()) {
			skipped = append(skipped, SkippedFolder{Folder: ent.Name(), Reason: fmt.Sprintf("its name is no workspace name: a workspace name is a letter, then letters, digits, _ and - (at most %d)", maxName)})
			continue
		}
		if _, dup := out[ent.Name()]; dup {
			skipped = append(skipped, SkippedFolder{Folder: ent.Name(), Reason: "it has the name of the served folder itself, which also holds spec files"})
			continue
		}
		out[ent.Name()] = dir
	}
	if len(out) == 0 && len(skipped) == 0 {
		return nil, nil, fmt.Errorf("%s holds no spec folder: neither it nor a folder directly under it has *%s files", root, spec.FileSuffix)
	}
	return out, skipped, nil
}

// SkippedFolder is a spec folder the server does not serve, and why.
type SkippedFolder struct {
	Folder string `json:"folder"` // its name under the served folder
	Reason string `json:"reason"`
}

// Skipped lists the spec folders Open skipped, by name. Folders are read
// at Open only: one made or renamed later is served after a restart.
func (e *Estate) Skipped() []SkippedFolder { return append([]SkippedFolder{}, e.skipped...) }

func skippedText(skipped []SkippedFolder) string {
	parts := make([]string, 0, len(skipped))
	for _, s := range skipped {
		parts = append(parts, fmt.Sprintf("%q: %s", s.Folder, s.Reason))
	}
	return strings.Join(parts, "; ")
}

func hasSpec(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*"+spec.FileSuffix))
	return len(m) > 0
}

// maxName bounds workspace and VM names.
const maxName = 63

// validName reports whether s is a safe path segment and a name the spec
// accepts: a letter, then letters, digits, underscores and dashes.
func validName(s string) bool { return len(s) <= maxName && addrs.ValidName(s) }

// openSpace opens one workspace with its backend and selected workspace.
func (e *Estate) openSpace(ctx context.Context, name, dir string) error {
	if !validName(name) {
		return fmt.Errorf("the spec folder %q cannot be served: a workspace name is a letter, then letters, digits, _ and - (at most %d)", name, maxName)
	}
	w, diags := workspace.Open(ctx, dir, catalog.Default(), workspace.BackendOptions{Env: e.env})
	if diags.HasErrors() {
		return fmt.Errorf("opening workspace %s: %s", name, diagText(diags))
	}
	e.spaces[name] = newSpace(name, w, name == e.o.APIWorkspace, e.o.Observer)
	e.names = append(e.names, name)
	slices.Sort(e.names)
	return nil
}

// Close stops the runs in flight from starting new changes, waits for
// them, and closes the workspaces. Queued runs give up. Call it once no
// request is served any more (the HTTP server shut down): only runs are
// waited for.
func (e *Estate) Close() error {
	e.closeOnce.Do(func() {
		e.closeMu.Lock()
		e.closed = true
		e.closeMu.Unlock()
		close(e.stop)
		e.cancel()
		e.wg.Wait()
		var errs []error
		for _, name := range e.names {
			errs = append(errs, e.spaces[name].w.Close())
		}
		e.closeErr = errors.Join(errs...)
	})
	return e.closeErr
}

// space returns the workspace named name, or ErrNotFound.
func (e *Estate) space(name string) (*space, error) {
	if s := e.spaces[name]; s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("workspace %q: %w", name, ErrNotFound)
}

// Workspaces lists the workspaces, by name.
func (e *Estate) Workspaces(ctx context.Context) ([]WorkspaceInfo, error) {
	out := make([]WorkspaceInfo, 0, len(e.names))
	for _, name := range e.names {
		out = append(out, e.spaces[name].info())
	}
	return out, nil
}

// Workspace returns one workspace, or ErrNotFound.
func (e *Estate) Workspace(ctx context.Context, name string) (*WorkspaceInfo, error) {
	s, err := e.space(name)
	if err != nil {
		return nil, err
	}
	info := s.info()
	return &info, nil
}
