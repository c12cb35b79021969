package estate

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/workspace"
)

// space is one workspace of the estate.
type space struct {
	name string
	w    *workspace.Workspace // as opened; each session works on a copy
	api  bool                 // Options.APIWorkspace
	// observe, when set, is told of every inventory read of a session.
	observe func(provider string, d time.Duration, err error)
	// turn is held by the one session of the workspace that has its
	// drivers open: a driver may allow one open instance at a time (the
	// simulator's file lock does, even within one process), so the
	// server's own sessions take turns before they take the state lock.
	turn chan struct{}
	// apiMu serializes edits of the API file.
	apiMu sync.Mutex

	mu  sync.Mutex // guards inv and err
	inv *inventory // the last read; nil before the first
	err string     // the last read's error, redacted; "" when it succeeded
}

// inventory is what a workspace's last inventory read found.
type inventory struct {
	rows      []VM // sorted as jsonformat.InventoryRows sorts them
	fleets    []Fleet
	invs      map[string]driver.Inventory
	caps      map[string]driver.Capabilities
	lineage   string
	serial    uint64
	refreshed time.Time
}

func newSpace(name string, w *workspace.Workspace, api bool, obs Observer) *space {
	s := &space{name: name, w: w, api: api, turn: make(chan struct{}, 1)}
	if obs != nil {
		s.observe = obs.InventoryRead
	}
	return s
}

// info describes the workspace from its last inventory read.
func (s *space) info() WorkspaceInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := WorkspaceInfo{Name: s.name, Dir: s.w.Dir, APIOwned: s.api, Fleets: []Fleet{}, Error: s.err}
	if s.api {
		out.APISpecFile = APISpecFile
	}
	if inv := s.inv; inv != nil {
		out.Lineage, out.Serial, out.VMs, out.Refreshed = inv.lineage, inv.serial, len(inv.rows), inv.refreshed
		out.Fleets = append(out.Fleets, inv.fleets...)
	}
	return out
}

// cached returns the last inventory read, or nil.
func (s *space) cached() *inventory {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inv
}

// session is a workspace session holding the workspace's turn.
type session struct {
	*workspace.Session
	release func()
}

// begin waits up to timeout for the workspace's turn, then begins a
// session on a copy of the workspace whose spec folder is dir ("" for the
// workspace's own): the copy has the workspace's data folder and backend.
// The state lock is waited for with what is left of timeout.
func (s *space) begin(ctx context.Context, dir string, o workspace.BeginOptions, timeout time.Duration) (*session, error) {
	start := time.Now()
	if err := s.wait(ctx, timeout); err != nil {
		return nil, err
	}
	o.LockTimeout = max(timeout-time.Since(start), time.Second)
	release := func() { <-s.turn }
	w := *s.w
	if dir != "" {
		w.Dir = dir
		o.Spec.Env, o.Spec.ModuleRoot = uploadEnv(o.Spec.Env), s.w.Dir
	}
	sess, diags := w.Begin(ctx, o)
	if diags.HasErrors() {
		release()
		return nil, diagsError(diags, w.Dir, s.w.Dir)
	}
	sess.InventoryRead = s.observe
	return &session{Session: sess, release: release}, nil
}

// wait takes the workspace's turn, waiting up to timeout.
func (s *space) wait(ctx context.Context, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case s.turn <- struct{}{}:
		return nil
	case <-t.C:
		return &ConflictError{Message: fmt.Sprintf("workspace %s is busy: another run held it for longer than the lock timeout (%s)", s.name, timeout)}
	case <-ctx.Done():
		return fmt.Errorf("workspace %s: gave up waiting for its lock: %w", s.name, context.Cause(ctx))
	}
}

// close closes the session and gives the turn back. A driver's error in
// closing is returned, redacted by the engine.
func (s *session) close() error {
	err := s.Close()
	s.release()
	return err
}
