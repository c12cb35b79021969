package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/novacron/novacron/engine/exec"
	"github.com/novacron/novacron/engine/operation"
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
	// RunID names the run in the audit history; "" makes a new one
	// (the server passes the id of its run).
	RunID string
	// CloseDrivers says the caller is done with the drivers once the
	// apply ends: they are closed while the state is saved (a simulated
	// provider then writes its snapshot beside the state's final write,
	// not after it). Their errors and notes come from Close and Notes as
	// before.
	CloseDrivers bool
}

// Apply runs a planned operation with the core, recording state after
// every action through one writer, and an audit record of the run. Failed
// actions are in the result. When state cannot be saved, the executor
// stops starting actions and lets those in flight finish; the error is then
// a *SaveError, naming the recovery file that holds the state as the apply
// left it.
func (s *Session) Apply(ctx context.Context, p *operation.Planned, o ApplyOptions) (*exec.Result, error) {
	st := s.State
	if st == nil {
		// The lineage goes into every VM's marker: it must be saved before
		// the first VM exists, or a crash would orphan what was created.
		st = state.New(p.Lineage)
		if err := s.ws.Store.Write(ctx, st); err != nil {
			return nil, fmt.Errorf("saving the new state: %w", err)
		}
	}
	st.Reserve(newAddresses(p.Plan))
	w := state.NewWriter(s.ws.Store, st)
	runID := o.RunID
	if runID == "" {
		runID = NewID()
	}
	w.Record(state.HistoryRecord{
		Kind: state.RecordStart, Time: time.Now().UTC(), RunID: runID, Who: s.who,
		Operation: o.Operation, PlanDigest: Digest(p.Plan),
	})
	res := s.operation().Apply(ctx, p, operation.ApplyOptions{
		Recorder: w, Events: o.Events, Stop: o.Stop,
		Parallelism: o.Parallelism, Retry: o.Retry, RunID: runID,
	})
	w.Record(state.HistoryRecord{Kind: state.RecordEnd, Time: time.Now().UTC(), RunID: runID, Outcome: outcome(res)})
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	closed := make(chan struct{})
	if o.CloseDrivers {
		go func() {
			defer close(closed)
			s.closeErrs = s.closeDrivers()
		}()
	} else {
		close(closed)
	}
	err := w.Close(cctx)
	<-closed
	s.State = w.Final()
	if err != nil {
		return res, s.saveFailed(err, s.State)
	}
	return res, nil
}

// newAddresses is how many addresses a plan may add to the state: its
// creates, replaces (a new VM, perhaps at a moved address), adoptions
// and moves.
func newAddresses(p *plan.Plan) int {
	n := 0
	for _, c := range p.Changes {
		switch c.Action {
		case plan.Create, plan.Replace, plan.Adopt, plan.Move:
			n++
		}
	}
	return n
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

// Digest identifies a plan in the audit log: the SHA-256 of its JSON
// encoding (plan.Checksum), the checksum of its saved plan file.
func Digest(p *plan.Plan) string { return p.Checksum() }
