package estate

import (
	"context"
	"fmt"

	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/state"
)

// historyRun is a run the estate no longer remembers (forgotten past
// MaxRuns, or from before a restart) as its workspace's history tells it:
// the run id is the history's run_id. Its status comes from its end
// record (running when there is none yet: another process's run, or one
// cut short). Runs that ended before they changed anything (a plan that
// failed) have no history, and are ErrNotFound.
func (e *Estate) historyRun(ctx context.Context, id string) (*Run, error) {
	if id == "" || len(id) > 100 {
		return nil, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	for _, name := range e.names {
		recs, err := e.spaces[name].w.History(ctx, workspace.HistoryFilter{RunID: id})
		if err != nil {
			return nil, err
		}
		if len(recs) > 0 {
			r := runOfRecords(name, id, recs)
			return &r, nil
		}
	}
	return nil, fmt.Errorf("run %q: %w", id, ErrNotFound)
}

// runOfRecords rebuilds a run from its history records, oldest first.
func runOfRecords(ws, id string, recs []state.HistoryRecord) Run {
	r := Run{ID: id, Workspace: ws, Status: RunRunning, Summary: map[string]int{}, Failed: []FailedChange{}}
	for _, rec := range recs {
		switch rec.Kind {
		case state.RecordStart:
			r.Who, r.Operation, r.PlanDigest, r.Started = rec.Who, rec.Operation, rec.PlanDigest, rec.Time
		case state.RecordAction:
			switch rec.Outcome {
			case state.OutcomeOK:
				r.Summary[rec.Action]++
			case state.OutcomeFailed:
				r.Failed = append(r.Failed, FailedChange{Address: rec.Address, Action: rec.Action, Error: hidePaths(rec.Error)})
			}
		case state.RecordEnd:
			t := rec.Time
			r.Finished, r.Status, r.Error = &t, RunSucceeded, ""
			if rec.Outcome != state.OutcomeOK {
				r.Status, r.Error = RunFailed, hidePaths(endError(rec))
			}
		}
	}
	if r.Started.IsZero() && len(recs) > 0 {
		r.Started = recs[0].Time
	}
	return r
}

// endError is why a run's end record says it did not succeed.
func endError(rec state.HistoryRecord) string {
	if rec.Error != "" {
		return rec.Error
	}
	return "the run ended " + string(rec.Outcome) + " (from the history; the server no longer remembers its details)"
}
