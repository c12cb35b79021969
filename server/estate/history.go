package estate

import (
	"context"

	"github.com/novacron/novacron/engine/workspace"
)

// DefaultHistory is how many records History returns when limit is not
// positive.
const DefaultHistory = 100

// History returns a workspace's audit history, newest first, at most
// limit (DefaultHistory when limit is not positive): each run's start and
// end and its actions, with who ran it.
func (e *Estate) History(ctx context.Context, workspace string, limit int) ([]HistoryRecord, error) {
	s, err := e.space(workspace)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultHistory
	}
	recs, err := s.w.History(ctx, historyAll)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryRecord, 0, min(limit, len(recs)))
	for i := len(recs) - 1; i >= 0 && len(out) < limit; i-- {
		r := recs[i]
		out = append(out, HistoryRecord{
			Kind: string(r.Kind), Time: r.Time, RunID: r.RunID, Who: r.Who, Operation: r.Operation, PlanDigest: r.PlanDigest,
			Address: r.Address, Action: r.Action, Outcome: string(r.Outcome), Error: r.Error,
		})
	}
	return out, nil
}

// historyAll selects every record.
var historyAll = workspace.HistoryFilter{}
