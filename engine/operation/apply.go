package operation

import (
	"context"

	"github.com/novacron/novacron/engine/exec"
)

// ApplyOptions are the face's parts of an apply.
type ApplyOptions struct {
	// Recorder receives every finished action; required. The workspace's
	// is its state.Writer, the provider's an in-memory document.
	Recorder exec.Recorder
	// Events, if set, receives progress, one event at a time.
	Events func(exec.Event)
	// Stop, when closed, stops starting new work (a graceful interrupt);
	// cancelling ctx aborts the driver calls in flight.
	Stop <-chan struct{}
	// Parallelism caps concurrent actions over all providers; 0: exec's
	// default.
	Parallelism int
	Retry       exec.RetryPolicy
	// RunID tags the history records the executor sends the Recorder.
	RunID string
}

// Apply applies a planned operation with the executor, through the
// providers' drivers within their limits; the Recorder receives every
// result. It walks the graph the plan was ordered with. No error, event or
// history record it passes on holds a sensitive value of the spec.
func (o *Operation) Apply(ctx context.Context, p *Planned, opts ApplyOptions) *exec.Result {
	r := o.redactor()
	opts = redactOptions(r, opts)
	ex := &exec.Executor{
		Drivers: o.drivers(), Recorder: opts.Recorder, Events: opts.Events,
		Options: exec.Options{
			Parallelism: opts.Parallelism, Retry: opts.Retry, RunID: opts.RunID,
			ProviderLimits: make(map[string]int, len(o.Providers)),
			RateLimits:     make(map[string]float64, len(o.Providers)),
		},
	}
	for k, pv := range o.Providers {
		ex.Options.ProviderLimits[k], ex.Options.RateLimits[k] = pv.Parallelism, pv.RateLimit
	}
	return redactResult(r, ex.Apply(ctx, opts.Stop, p.Plan, p.graph))
}
