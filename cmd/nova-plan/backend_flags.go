package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

// settingsFlag collects repeatable KEY=VALUE backend settings. Its errors
// never quote what was given: it may be a connection string. Go's flag
// package would quote it in front of the error, so parse prints refused's
// text instead.
type settingsFlag struct {
	name     string
	settings []workspace.Setting
	refused  error
}

func (f *settingsFlag) String() string { return "" }

func (f *settingsFlag) Set(s string) error {
	key, val, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.ContainsAny(key, ":/@ ") {
		f.refused = fmt.Errorf("-%s needs KEY=VALUE, such as -%s=schema=fleet_prod; the keys are %s. "+
			"What was given is not repeated here: it may hold a password", f.name, f.name, settingKeys())
		return f.refused
	}
	f.settings = append(f.settings, workspace.Setting{Key: key, Value: val})
	return nil
}

// backendFlags is -backend-config, on every command that opens the state.
type backendFlags struct {
	config settingsFlag
	// noDocuments is set by the commands that never read or write a state
	// document: they run without the key even when the spec requires
	// encryption.
	noDocuments bool
}

func (b *backendFlags) register(fs *flag.FlagSet) {
	b.config.name = "backend-config"
	fs.Var(&b.config, "backend-config", "override a setting of the spec's backend: `KEY=VALUE` (repeatable; wins over NOVA_PG_CONN_STR and the spec)")
}

func (b *backendFlags) options(e *env) workspace.BackendOptions {
	return workspace.BackendOptions{Config: b.config.settings, Env: e.environ, NoDocuments: b.noDocuments}
}

// openWorkspace opens the spec folder's backend and selected workspace,
// printing diagnostics; nil means exit 1. Close it with closeWorkspace.
func openWorkspace(ctx context.Context, u *ui, e *env, b *backendFlags) *workspace.Workspace {
	ws, diags := workspace.Open(ctx, ".", catalog.Default(), b.options(e))
	return opened(u, ws, diags)
}

// openBackend is openWorkspace without selecting a workspace.
func openBackend(ctx context.Context, u *ui, e *env, b *backendFlags) *workspace.Workspace {
	ws, diags := workspace.OpenBackendOnly(ctx, ".", catalog.Default(), b.options(e))
	return opened(u, ws, diags)
}

func opened(u *ui, ws *workspace.Workspace, diags hcl.Diagnostics) *workspace.Workspace {
	if ws != nil {
		u.files = ws.Loader.Files()
		ws.LockWaiting = func(h state.LockInfo, timeout time.Duration) { lockWaiting(u, h, timeout) }
	}
	if u.diagnostics(diags) {
		ws.Close()
		return nil
	}
	return ws
}

func closeWorkspace(u *ui, ws *workspace.Workspace) {
	if err := ws.Close(); err != nil {
		u.diagnostics(warning("Problem while closing the backend", workspace.Message(err)))
	}
}

// settingKeys names every backend type's settings: "conn_str and schema
// (pg), path (local)".
func settingKeys() string {
	var out []string
	for _, typ := range spec.BackendTypes() {
		if keys, _ := spec.BackendSettings(typ); len(keys) > 0 {
			out = append(out, fmt.Sprintf("%s (%s)", strings.Join(keys, " and "), typ))
		}
	}
	return strings.Join(out, ", ")
}

// refusedSetting returns the error of a settings flag fs refused, which
// does not quote the value; nil when none was refused.
func refusedSetting(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if s, ok := f.Value.(*settingsFlag); ok && s.refused != nil && err == nil {
			err = s.refused
		}
	})
	return err
}

// hideConnStr hides the value of a conn_str setting in a command-line
// argument printed back: it may hold a password. So does an argument that
// looks like a connection string (a URL, or password=) without conn_str=.
func hideConnStr(arg string) string {
	if i := strings.Index(arg, "conn_str="); i >= 0 {
		return arg[:i] + "conn_str=…"
	}
	if strings.Contains(arg, "://") || strings.Contains(strings.ToLower(arg), "password") {
		if strings.HasPrefix(arg, "-") {
			if name, _, ok := strings.Cut(arg, "="); ok {
				return name + "=…"
			}
		}
		return "…"
	}
	return arg
}

// lockWaiting says, on standard error, that the command waits for a lock
// another run holds (Terraform's "Acquiring state lock").
func lockWaiting(u *ui, h state.LockInfo, timeout time.Duration) {
	holder := "another run"
	if h.Who != "" {
		holder = fmt.Sprintf("%s (operation %q, lock ID %s)", printable(h.Who, false), printable(h.Operation, false), h.ID)
	}
	fmt.Fprintf(u.err, "Waiting for the state lock held by %s, up to -lock-timeout=%s...\n", holder, timeout)
}
