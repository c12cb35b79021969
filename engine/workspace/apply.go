package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// ApplyOptions tune an apply.
type ApplyOptions struct {
	Operation   string // apply or destroy, for the audit log
	Parallelism int
	Retry       exec.RetryPolicy
	// Events receives progress, one event at a time.
	Events func(exec.Event)
	// Stop, when closed, stops starting new work (Ctrl-C).
	Stop <-chan struct{}
}

// Apply runs a plan, recording state after every action through one
// writer, and an audit record of the run. Failed actions are in the
// result. When state cannot be saved, the executor stops starting actions
// and lets those in flight finish; the error is then a *SaveError, naming
// the recovery file that holds the state as the apply left it.
func (s *Session) Apply(ctx context.Context, p *plan.Plan, o ApplyOptions) (*exec.Result, error) {
	g, err := plan.BuildGraph(p)
	if err != nil {
		return nil, err
	}
	st := s.State
	if st == nil {
		// The lineage goes into every VM's marker: it must be saved before
		// the first VM exists, or a crash would orphan what was created.
		st = state.New(p.Lineage)
		if err := s.ws.Store.Write(ctx, st); err != nil {
			return nil, fmt.Errorf("saving the new state: %w", err)
		}
	}
	w := state.NewWriter(s.ws.Store, st)
	runID := NewID()
	w.Record(state.HistoryRecord{
		Kind: state.RecordStart, Time: time.Now().UTC(), RunID: runID, Who: Who(),
		Operation: o.Operation, PlanDigest: Digest(p),
	})
	ex := &exec.Executor{
		Drivers: s.Drivers, Recorder: w, Events: o.Events,
		Options: exec.Options{
			Parallelism: o.Parallelism, Retry: o.Retry, RunID: runID,
			ProviderLimits: map[string]int{}, RateLimits: map[string]float64{},
		},
	}
	for k, pv := range s.Spec.Providers {
		ex.Options.ProviderLimits[k], ex.Options.RateLimits[k] = pv.Parallelism, pv.RateLimit
	}
	res := ex.Apply(ctx, o.Stop, p, g)
	w.Record(state.HistoryRecord{Kind: state.RecordEnd, Time: time.Now().UTC(), RunID: runID, Outcome: outcome(res)})
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	err = w.Close(cctx)
	s.State = w.Snapshot()
	if err != nil {
		return res, s.saveFailed(err, s.State)
	}
	return res, nil
}

func outcome(r *exec.Result) state.Outcome {
	switch {
	case r.Interrupted:
		return state.OutcomeInterrupted
	case r.OK():
		return state.OutcomeOK
	}
	return state.OutcomeFailed
}

// Digest identifies a plan in the audit log.
func Digest(p *plan.Plan) string {
	b, _ := json.Marshal(p)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// PrepareSaved checks that a saved plan can be applied as it was shown:
// the same spec and sensitive values, the same state, the same VMs.
func (s *Session) PrepareSaved(ctx context.Context, p *plan.Plan) hcl.Diagnostics {
	if err := checkVariables(p, s.Spec); err != nil {
		return errorDiag("Cannot apply the saved plan", err)
	}
	s.Spec.SealTemplates(p.Lineage)
	if err := p.Bind(s.Spec); err != nil {
		return errorDiag("Cannot apply the saved plan", err)
	}
	invs, diags := s.Inventory(ctx)
	if diags.HasErrors() {
		return diags
	}
	if err := p.CheckFresh(s.State, invs); err != nil {
		return errorDiag("Cannot apply the saved plan", err)
	}
	return nil
}
