package estate

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"
)

// MaxRuns is how many finished runs the estate remembers per workspace;
// a workspace's oldest finished ones are forgotten first. Runs queued or
// running are always kept. A run forgotten (or from before a restart) is
// read back from its workspace's history (GetRun).
const MaxRuns = 200

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
	ws, n := r.run.Workspace, 0
	for _, o := range rs.order {
		if o.run.Workspace == ws {
			n++
		}
	}
	for i := 0; n > MaxRuns && i < len(rs.order); {
		old := rs.order[i]
		if old.run.Workspace != ws {
			i++
			continue
		}
		select {
		case <-old.done:
			delete(rs.byID, old.run.ID)
			rs.order = slices.Delete(rs.order, i, i+1)
			n--
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
		return e.historyRun(ctx, id)
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
// the estate remembers (MaxRuns per workspace) since it opened.
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
