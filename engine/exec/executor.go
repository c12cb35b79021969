package exec

import (
	"context"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// Recorder receives the result of every finished action. state.Writer is
// the production Recorder; it persists what it receives.
type Recorder interface {
	// Set records vm at addr. It keeps a copy: vm shares its tags and
	// dependencies with the plan.
	Set(addr string, vm *state.VM)
	// RemoveIf forgets addr if the state still records the VM id there.
	RemoveIf(addr, id string)
	Record(rec state.HistoryRecord)
	// Err reports that what was recorded can no longer be saved (a full
	// disk): the walker then starts no new change, lets those in flight
	// finish, and sets Result.StateErr.
	Err() error
}

// Options tune an apply. Zero values take the defaults.
type Options struct {
	Parallelism int // concurrent actions in all; default 10
	// ProviderLimits caps concurrent actions per provider key; a missing
	// or zero entry uses the driver's Capabilities().MaxParallel.
	ProviderLimits map[string]int
	// RateLimits caps driver calls per second per provider key.
	RateLimits map[string]float64
	Retry      RetryPolicy
	// Timeout bounds one attempt of one action; default 30 minutes.
	Timeout time.Duration
	// RunID tags history records.
	RunID string
}

// Executor applies plans through drivers.
type Executor struct {
	Drivers  map[string]driver.Driver // by provider key
	Recorder Recorder
	// Events, if set, is called for every event, never concurrently.
	Events  func(Event)
	Options Options
}

// Status is what happened to one change.
type Status int

// The statuses.
const (
	NotStarted Status = iota // the apply stopped before it
	Succeeded
	Failed
	Skipped // a change it depends on failed, or its fleet halted
)

func (s Status) String() string {
	return [...]string{"not started", "ok", "failed", "skipped"}[s]
}

// Outcome is the result of one change.
type Outcome struct {
	Status   Status
	Err      error  // for Failed
	Reason   string // for Skipped
	Attempts int
}

// Result is the result of an apply; Outcomes align with the plan's Changes.
type Result struct {
	Outcomes    []Outcome
	Interrupted bool // stopped by the stop channel or the context
	// StateErr is the Recorder's error when the apply stopped because state
	// could no longer be saved: the changes in flight then finished and
	// the rest are NotStarted.
	StateErr error
}

// Count returns how many changes ended with status s.
func (r *Result) Count(s Status) int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Status == s {
			n++
		}
	}
	return n
}

// OK reports whether every change succeeded.
func (r *Result) OK() bool {
	return !r.Interrupted && r.StateErr == nil && r.Count(Succeeded) == len(r.Outcomes)
}

func (o Options) withDefaults() Options {
	if o.Parallelism <= 0 {
		o.Parallelism = 10
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Minute
	}
	o.Retry = o.Retry.withDefaults()
	return o
}

// EventKind says what an Event reports.
type EventKind int

// The event kinds.
const (
	EventStarted EventKind = iota
	EventRetrying
	EventSucceeded
	EventFailed
	EventSkipped
)

// Event reports progress of one change.
type Event struct {
	Kind    EventKind
	Change  *plan.Change
	Attempt int
	Err     error         // EventRetrying, EventFailed
	Reason  string        // EventSkipped
	Elapsed time.Duration // of the change, for finished events
	// Done and Total count finished changes (succeeded, failed, skipped).
	Done, Total int
}

// Apply runs the plan. Cancelling ctx aborts in-flight driver calls; closing
// stop only stops starting new work (a graceful interrupt). The result says
// what happened to every change.
func (e *Executor) Apply(ctx context.Context, stop <-chan struct{}, p *plan.Plan, g *plan.Graph) *Result {
	w := newWalker(ctx, stop, e, p, g)
	return w.run()
}
