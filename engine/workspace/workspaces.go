package workspace

import (
	"context"
	"fmt"
	"slices"

	"github.com/novacron/novacron/state"
)

// Workspaces returns the backend's workspaces and the selected one. The
// selected one may not exist (a workspace deleted from another clone).
func (w *Workspace) Workspaces(ctx context.Context, env []string) (names []string, sel Selection, err error) {
	sel, err = Selected(w.DataDir, env)
	if err != nil {
		return nil, sel, err
	}
	names, err = w.Backend.Workspaces(ctx)
	return names, sel, w.redact(err)
}

// CreateWorkspace creates a workspace and selects it (unless
// NOVA_WORKSPACE selects one: then it only creates it).
func (w *Workspace) CreateWorkspace(ctx context.Context, name string, env []string) (selected bool, err error) {
	if err := state.CheckWorkspaceName(name); err != nil {
		return false, err
	}
	if err := w.Backend.CreateWorkspace(ctx, name); err != nil {
		return false, w.redact(err)
	}
	if _, fromEnv := envValue(env, WorkspaceEnv); fromEnv {
		return false, nil
	}
	return true, Select(w.DataDir, name)
}

// SelectWorkspace selects a workspace that exists. It is refused while
// NOVA_WORKSPACE selects one.
func (w *Workspace) SelectWorkspace(ctx context.Context, name string, env []string) error {
	if v, ok := envValue(env, WorkspaceEnv); ok && v != "" {
		return fmt.Errorf("%s=%s selects the workspace; unset it to select another with this command, or set it to the one you want", WorkspaceEnv, v)
	}
	if err := state.CheckWorkspaceName(name); err != nil {
		return err
	}
	names, err := w.Backend.Workspaces(ctx)
	if err != nil {
		return w.redact(err)
	}
	if !slices.Contains(names, name) {
		return &state.NoWorkspaceError{Name: name, Backend: w.Backend.Describe(), Existing: names}
	}
	return Select(w.DataDir, name)
}

// DeleteWorkspace deletes a workspace other than the selected one; the
// backend refuses a locked one, and one that manages VMs unless force.
func (w *Workspace) DeleteWorkspace(ctx context.Context, name string, force bool, env []string) error {
	sel, err := Selected(w.DataDir, env)
	if err != nil {
		return err
	}
	switch {
	case name == sel.Name && sel.FromEnv:
		return fmt.Errorf("workspace %q is the one %s=%s selects; run the command with %s unset, or naming another workspace", name, WorkspaceEnv, name, WorkspaceEnv)
	case name == sel.Name:
		return fmt.Errorf("workspace %q is the selected one; select another first (nova-plan workspace select %s)", name, state.DefaultWorkspace)
	case name == state.DefaultWorkspace:
		return fmt.Errorf("the default workspace cannot be deleted")
	}
	if err := state.CheckWorkspaceName(name); err != nil {
		return err
	}
	names, err := w.Backend.Workspaces(ctx)
	if err != nil {
		return w.redact(err)
	}
	if !slices.Contains(names, name) {
		return fmt.Errorf("workspace %q does not exist in %s (workspaces: %v): there is nothing to delete", name, w.Backend.Describe(), names)
	}
	return w.redact(w.Backend.DeleteWorkspace(ctx, name, force))
}

// redact removes the backend's secrets from err, keeping nil nil.
func (w *Workspace) redact(err error) error {
	if err == nil || w.Redactor == nil {
		return err
	}
	return redactedError{msg: w.Redactor.String(err.Error()), err: err}
}

// redactedError is an error whose text has secrets removed; errors.As
// still reaches the original (its typed fields hold no secrets).
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
