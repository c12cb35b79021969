package libvirt

// failAt is set only by this package's tests. It stands in for a crash or a
// libvirt failure at a step that no real fault reaches on cue: checkpoint
// calls it with the step's name, and it returns the error to fail with, or
// panics as a crash would (nothing after the step runs, nothing is cleaned
// up). It is nil in the program.
var failAt func(step string) error

// checkpoint marks a step after which a crash or failure leaves something
// behind that a retry must find and finish or remove.
func checkpoint(step string) error {
	if failAt == nil {
		return nil
	}
	return failAt(step)
}

// The steps tests can fail at.
const (
	stepVolumesMade  = "create: volumes made, domain not defined"
	stepDefined      = "create: domain defined, not started"
	stepDiskCopied   = "copy disk: larger copy made, domain not switched"
	stepDiskSwitched = "copy disk: domain points at the larger copy"
)
