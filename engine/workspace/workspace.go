package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
	"github.com/novacron/novacron/state/encryption"
	"github.com/novacron/novacron/state/local"
)

// DataDirName is the folder, inside the spec folder, that holds the
// selected workspace's name (EnvironmentFile), the providers' files (the
// simulator's), recovery files, and the local backend's workspaces unless
// its path setting puts them elsewhere.
const DataDirName = ".nova"

// Workspace is a spec folder, its backend and the selected workspace's
// state. Close closes the backend.
type Workspace struct {
	Dir      string
	DataDir  string // the spec folder's .nova: the selection, the providers' files, recovery files
	Registry *driver.Registry
	Backend  state.Backend
	Name     string      // the selected workspace
	Store    state.Store // the selected workspace's store; nil until one is selected
	// Sealer encrypts the state of both backends (nil: plaintext); see
	// StateSealer.
	Sealer *encryption.Sealer
	// Redactor removes the backend's secrets (a password in its
	// connection string) from what the backend says.
	Redactor *Redactor
	// Policy is the spec's policy setting: the folder of policies every
	// plan is checked against ("" for none).
	Policy spec.PolicySetting
	// Loader is the loader of the last spec load, which holds its files
	// for rendering diagnostics. Each load takes a new one: a parser
	// caches files by name, and would not see a spec file edited since.
	Loader *spec.Loader
	// LockWaiting, when set, is told once when a lock is held by another
	// run and this one waits for it (up to timeout), as Terraform says
	// "Acquiring state lock".
	LockWaiting func(holder state.LockInfo, timeout time.Duration)
}

// New returns the default workspace of a spec folder on the local backend
// in its .nova folder, whatever its spec says (for tests).
func New(dir string, reg *driver.Registry) *Workspace {
	data := filepath.Join(dir, DataDirName)
	b := local.NewBackend(data)
	st, _ := b.Store(context.Background(), state.DefaultWorkspace) // the default always exists
	return &Workspace{
		Dir: dir, DataDir: data, Registry: reg, Backend: b, Name: state.DefaultWorkspace, Store: st,
		Redactor: &Redactor{}, Loader: spec.NewLoader(),
	}
}

// SpecOptions are the variable inputs of an operation.
type SpecOptions struct {
	Vars []spec.VarArg
	Env  []string
	// ModuleRoot is spec.Options.ModuleRoot.
	ModuleRoot string
}

// LoadSpec loads the spec with the given variables.
func (w *Workspace) LoadSpec(o SpecOptions) (*spec.Spec, hcl.Diagnostics) {
	return w.load(spec.Options{Registry: w.Registry, Vars: o.Vars, Env: o.Env, ModuleRoot: o.ModuleRoot})
}

func (w *Workspace) load(o spec.Options) (*spec.Spec, hcl.Diagnostics) {
	w.Loader = spec.NewLoader()
	return w.Loader.Load(w.Dir, o)
}

// Session is an operation in progress: the lock held, the state read, the
// spec loaded and its drivers open. Close releases all of it.
type Session struct {
	ws      *Workspace
	Spec    *spec.Spec
	State   *state.State // nil when the workspace has no state yet
	Drivers map[string]driver.Driver
	// InventoryRead, when set, is told how long each provider's
	// inventory read took, and its error (the server's metrics).
	InventoryRead func(provider string, d time.Duration, err error)
	lockID        string
	who           string
	notes         []string // the drivers' (Notes)
	closeErrs     []error  // the drivers' errors when Apply closed them (ApplyOptions.CloseDrivers)
}

// BeginOptions say how to start a session.
type BeginOptions struct {
	Operation   string // for the lock: plan, apply, destroy, …
	LockTimeout time.Duration
	NoLock      bool         // read-only operations (inventory) read state unlocked
	Spec        spec.Options // Registry is filled in
	// Who is recorded in the lock and the audit history as the one
	// running the operation ("" is the process's user and host: Who).
	Who string
	// Locked, when set, is called once the lock is held, before the spec
	// is loaded: the server edits its API file there, under the lock. Its
	// error ends Begin.
	Locked func() error
	// SpecLoaded, when set, is called with the spec once it is loaded,
	// while the state is read and before the drivers open: nova-plan sets
	// its memory limit there, from the spec's size (cmd/nova-plan,
	// gcpace.go), before the state's records are live.
	SpecLoaded func(*spec.Spec)
}

// Begin locks the state, reads it, loads the spec and opens its drivers.
func (w *Workspace) Begin(ctx context.Context, o BeginOptions) (*Session, hcl.Diagnostics) {
	s := &Session{ws: w, Drivers: map[string]driver.Driver{}, who: o.Who}
	if s.who == "" {
		s.who = Who()
	}
	if !o.NoLock {
		id, err := w.lock(ctx, o.Operation, s.who, o.LockTimeout)
		if err != nil {
			return nil, operation.IfInterrupted(ctx, w.backendError("Cannot lock the state", err))
		}
		s.lockID = id
	}
	if o.Locked != nil {
		if err := o.Locked(); err != nil {
			s.Close()
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot prepare the spec", Detail: err.Error()}}
		}
	}
	repairs := w.Repairs()
	var read *stateRead
	if !o.NoLock {
		read = w.readState(ctx) // while the spec loads and the providers open
	}
	fail := func() {
		read.wait() // before the lock goes
		s.discard()
	}
	o.Spec.Registry = w.Registry
	sp, diags := w.load(o.Spec)
	diags = append(repairs, diags...)
	if diags.HasErrors() {
		fail()
		return nil, diags
	}
	s.Spec = sp
	if o.SpecLoaded != nil {
		o.SpecLoaded(sp)
	}
	octx, cancel := context.WithTimeout(ctx, max(o.LockTimeout, ProviderOpenTimeout))
	defer cancel()
	if ds := s.openDrivers(octx); ds.HasErrors() {
		fail()
		return nil, operation.IfInterrupted(ctx, append(diags, ds...))
	}
	// An unlocked session (inventory) reads state only now: one that waited
	// for a provider held by an apply then sees the state that apply saved.
	// A locked one sees the same state whenever it reads it.
	if read == nil {
		read = w.readState(ctx)
	}
	st, err := read.wait()
	if err != nil {
		s.discard()
		return nil, append(diags, w.backendError("Cannot read the state", err)...)
	}
	s.State = st
	return s, append(diags, w.PlaintextNotice()...)
}

// stateRead is a read of the state in progress.
type stateRead struct {
	done chan struct{}
	st   *state.State
	err  error
}

// readState starts reading the state; wait returns it.
func (w *Workspace) readState(ctx context.Context) *stateRead {
	r := &stateRead{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.st, r.err = w.Store.Read(ctx)
	}()
	return r
}

// wait waits for the read to end (nothing, for a nil read) and returns
// what it read.
func (r *stateRead) wait() (*state.State, error) {
	if r == nil {
		return nil, nil
	}
	<-r.done
	return r.st, r.err
}

// Repairs returns, as warnings, what the store repaired when it took the
// lock: temporary files of interrupted state writes removed, a torn last
// history record set aside.
func (w *Workspace) Repairs() hcl.Diagnostics {
	r, ok := w.Store.(state.Repairer)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	for _, note := range r.Repairs() {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Repaired the state folder", Detail: note})
	}
	return diags
}

// ProviderOpenTimeout bounds opening a provider — connecting, or waiting
// for the simulator's lock — unless -lock-timeout allows longer.
const ProviderOpenTimeout = 30 * time.Second

func (w *Workspace) lock(ctx context.Context, op, who string, timeout time.Duration) (string, error) {
	if err := os.MkdirAll(w.DataDir, 0o700); err != nil {
		return "", err
	}
	lctx, cancel := context.WithTimeout(ctx, LockWait(timeout))
	defer cancel()
	return waitingLock(lctx, w.Store, state.LockInfo{Operation: op, Who: who, PID: os.Getpid(), Created: time.Now().UTC(), Workspace: w.Name},
		timeout, w.LockWaiting)
}

// openDrivers opens every provider the spec declares. A driver's error may
// quote its settings: the sensitive ones are removed.
func (s *Session) openDrivers(ctx context.Context) hcl.Diagnostics {
	var diags hcl.Diagnostics
	red := s.Spec.Redactor()
	keys := make([]string, 0, len(s.Spec.Providers))
	for k := range s.Spec.Providers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := s.Spec.Providers[k]
		d, err := p.Factory.Open(ctx, driver.OpenRequest{Name: p.Name, DataDir: s.ws.DataDir, Config: p.Config})
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Cannot open provider " + k,
				Detail: spec.Sentence(userText(red.String(err.Error()))), Subject: p.DeclRange.Ptr(),
			})
			continue
		}
		s.Drivers[k] = d
	}
	return diags
}

// Close closes the drivers and releases the lock. A driver's error has
// the spec's sensitive values removed.
func (s *Session) Close() error {
	errs := append(s.closeErrs, s.closeDrivers()...)
	s.closeErrs = nil
	if s.lockID != "" {
		errs = append(errs, s.ws.Store.Unlock(s.lockID))
		s.lockID = ""
	}
	return errors.Join(errs...)
}

// closeDrivers closes the session's drivers, keeps what they noted, and
// returns their errors.
func (s *Session) closeDrivers() []error {
	var errs []error
	red := s.Spec.Redactor()
	for k, d := range s.Drivers {
		if err := d.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing provider %s: %w", k, red.Error(err)))
		}
		if n, ok := d.(driver.Noter); ok {
			s.notes = append(s.notes, n.Notes()...)
		}
	}
	s.Drivers = nil
	return errs
}

// Notes returns, as warnings, what the drivers told when they closed
// (driver.Noter): a file of theirs moved to a newer format. Call it after
// Close; each note is returned once.
func (s *Session) Notes() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, note := range s.notes {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Upgraded the provider's files", Detail: note})
	}
	s.notes = nil
	return diags
}

// discard ends a session refused before it used its drivers: drivers
// that keep files in the workspace (driver.Discarder) leave them as they
// found them, the others are closed; then the lock is released.
func (s *Session) discard() {
	for k, d := range s.Drivers {
		if dd, ok := d.(driver.Discarder); ok {
			_ = dd.Discard() // the session's error is the one to report
			delete(s.Drivers, k)
		}
	}
	_ = s.Close()
}

func errorDiag(summary string, err error) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: spec.Sentence(userText(err.Error()))}}
}

// Workspace returns the workspace the session runs in.
func (s *Session) Workspace() *Workspace { return s.ws }
