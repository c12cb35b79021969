package vsphere

// failAt is set only by this package's tests. It stands in for a crash at
// a step no real fault reaches on cue: checkpoint calls it with the step's
// name, and it returns the error to fail with, or panics as a crash would
// (nothing after the step runs, nothing is cleaned up). It is nil in the
// program.
var failAt func(step string) error

// checkpoint marks a step after which a crash leaves something behind
// that the next run must find.
func checkpoint(step string) error {
	if failAt == nil {
		return nil
	}
	return failAt(step)
}

// The steps tests can fail at.
const stepCloned = "create: cloned, not read back, reconfigured or powered on"
