package workspace

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// Open reads the spec folder's backend setting (and nothing else of the
// spec), opens the backend with o's overrides, and opens the selected
// workspace's store. A selected workspace that does not exist is an error
// naming those that do. Close the workspace when done. On errors the
// Workspace has no backend, and its Loader holds the files the
// diagnostics point into.
func Open(ctx context.Context, dir string, reg *driver.Registry, o BackendOptions) (*Workspace, hcl.Diagnostics) {
	w, diags := OpenBackendOnly(ctx, dir, reg, o)
	if diags.HasErrors() {
		return w, diags
	}
	diags = append(diags, w.selectStore(ctx, o.Env)...)
	if diags.HasErrors() {
		w.Close()
		return w.failed(diags)
	}
	return w, diags
}

// OpenBackendOnly is Open without a workspace selected, for the commands
// that manage workspaces: Store is nil.
func OpenBackendOnly(ctx context.Context, dir string, reg *driver.Registry, o BackendOptions) (*Workspace, hcl.Diagnostics) {
	w := &Workspace{Dir: dir, DataDir: filepath.Join(dir, DataDirName), Registry: reg, Loader: spec.NewLoader()}
	cfg, diags := w.Loader.ReadBackend(dir)
	if diags.HasErrors() {
		return w.failed(diags)
	}
	cfg, ds := ResolveBackend(cfg, o)
	diags = append(diags, ds...)
	if diags.HasErrors() {
		return w.failed(diags)
	}
	w.Redactor, w.Policy = NewRedactor(cfg), cfg.Policy
	sealer, ds := w.sealer(cfg, o)
	if diags = append(diags, ds...); diags.HasErrors() {
		return w.failed(diags)
	}
	b, err := OpenBackend(ctx, cfg, w.DataDir, sealer)
	if err != nil {
		return w.failed(append(diags, w.backendError(fmt.Sprintf("Cannot open the %s backend", cfg.Type), err)...))
	}
	w.Backend = b
	return w, diags
}

// failed returns w with no backend, for its Loader's files, and diags.
func (w *Workspace) failed(diags hcl.Diagnostics) (*Workspace, hcl.Diagnostics) {
	return &Workspace{Dir: w.Dir, DataDir: w.DataDir, Registry: w.Registry, Loader: w.Loader}, diags
}

// selectStore opens the selected workspace's store.
func (w *Workspace) selectStore(ctx context.Context, env []string) hcl.Diagnostics {
	sel, err := Selected(w.DataDir, env)
	if err != nil {
		return errorDiag("Cannot tell which workspace is selected", err)
	}
	st, err := w.Backend.Store(ctx, sel.Name)
	if err != nil {
		var nw *state.NoWorkspaceError
		if errors.As(err, &nw) && sel.FromEnv {
			err = fmt.Errorf("%s=%s: %w", WorkspaceEnv, sel.Name, err)
		}
		return w.backendError("Cannot open the selected workspace", err)
	}
	w.Name, w.Store = sel.Name, st
	return nil
}

// backendError is a diagnostic of what the backend said, secrets removed.
func (w *Workspace) backendError(summary string, err error) hcl.Diagnostics {
	msg := err.Error()
	if w.Redactor != nil {
		msg = w.Redactor.String(msg)
	}
	return errorDiag(summary, errors.New(msg))
}

// Close closes the backend; a Workspace that opened none has nothing to
// close.
func (w *Workspace) Close() error {
	if w == nil || w.Backend == nil {
		return nil
	}
	err := w.Backend.Close()
	w.Backend, w.Store = nil, nil
	if err != nil && w.Redactor != nil {
		err = errors.New(w.Redactor.String(err.Error()))
	}
	return err
}
