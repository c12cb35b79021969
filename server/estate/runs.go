package estate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// MaxRuns is how many finished runs the estate remembers, over all
// workspaces; the oldest finished ones are forgotten first. Runs queued or
// running are always kept.
const MaxRuns = 500

// runs are the runs the estate remembers.
type runs struct {
	mu    sync.Mutex
	byID  map[string]*runState
	order []*runState // oldest first
}

// runState is one run and who waits for it.
type runState struct {
	mu   sync.Mutex
	run  Run
	done chan struct{} // closed when the run finished
}

// snapshot returns a copy of the run that shares nothing mutable.
func (r *runState) snapshot() Run {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.run
	out.Summary = maps.Clone(r.run.Summary)
	out.Failed = slices.Clone(r.run.Failed)
	return out
}

// update changes the run under its lock.
func (r *runState) update(f func(*Run)) {
	r.mu.Lock()
	f(&r.run)
	r.mu.Unlock()
}

// add remembers a new run, forgetting the oldest finished ones past
// MaxRuns.
func (rs *runs) add(r *runState) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.byID == nil {
		rs.byID = map[string]*runState{}
	}
	rs.byID[r.run.ID] = r
	rs.order = append(rs.order, r)
	for i := 0; len(rs.order) > MaxRuns && i < len(rs.order); {
		old := rs.order[i]
		select {
		case <-old.done:
			delete(rs.byID, old.run.ID)
			rs.order = slices.Delete(rs.order, i, i+1)
		default:
			i++
		}
	}
}

func (rs *runs) get(id string) *runState {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.byID[id]
}

// list returns the runs of a workspace ("" for all), newest first.
func (rs *runs) list(ws string) []*runState {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var out []*runState
	for i := len(rs.order) - 1; i >= 0; i-- {
		if r := rs.order[i]; ws == "" || r.run.Workspace == ws {
			out = append(out, r)
		}
	}
	return out
}

// GetRun returns a run, or ErrNotFound; with wait > 0 it waits up to wait
// (and while ctx lasts) for the run to finish first.
func (e *Estate) GetRun(ctx context.Context, id string, wait time.Duration) (*Run, error) {
	r := e.runs.get(id)
	if r == nil {
		return nil, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-r.done:
		case <-t.C:
		case <-ctx.Done():
		}
	}
	out := r.snapshot()
	return &out, nil
}

// Runs lists the runs of a workspace ("" for all), newest first: those
// the estate remembers (MaxRuns) since it opened.
func (e *Estate) Runs(ctx context.Context, workspace string) ([]Run, error) {
	if workspace != "" {
		if _, err := e.space(workspace); err != nil {
			return nil, err
		}
	}
	states := e.runs.list(workspace)
	out := make([]Run, len(states))
	for i, r := range states {
		out[i] = r.snapshot()
	}
	return out, nil
}
