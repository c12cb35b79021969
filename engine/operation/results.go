package operation

import "github.com/novacron/novacron/engine/exec"

// The executor's types that a face handles when it applies through the
// core, named here so that a face reaches engine/exec only through the
// core (internal/layout's provider-through-core rule): the Recorder it
// passes, the events it receives, and the result it reports.
type (
	// Recorder receives the result of every finished action.
	Recorder = exec.Recorder
	// Event reports the progress of one change.
	Event = exec.Event
	// EventKind says what an Event reports.
	EventKind = exec.EventKind
	// Result is the result of an apply; its Outcomes align with the
	// plan's Changes.
	Result = exec.Result
	// Outcome is the result of one change.
	Outcome = exec.Outcome
	// Status is what happened to one change.
	Status = exec.Status
)

// The event kinds.
const (
	EventStarted   = exec.EventStarted
	EventRetrying  = exec.EventRetrying
	EventSucceeded = exec.EventSucceeded
	EventFailed    = exec.EventFailed
	EventSkipped   = exec.EventSkipped
)

// The statuses of a change.
const (
	NotStarted = exec.NotStarted
	Succeeded  = exec.Succeeded
	Failed     = exec.Failed
	Skipped    = exec.Skipped
)
