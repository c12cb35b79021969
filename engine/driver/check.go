package driver

import "context"

// CreateChecker is implemented by a driver that can tell, before any VM is
// made, that Create would refuse what it is asked to make: a template that
// does not exist, a disk smaller than the template's, a linked clone asked
// to grow its disk. The engine calls CheckCreate at plan time for each VM
// a plan would create, and reports an error as a diagnostic at the fleet's
// template (one per fleet), so that a plan bound to fail is refused before
// an apply makes half of it. CheckCreate changes nothing, and is cheap for
// many VMs of one template (the driver keeps what it read of it). Its
// error names the template setting to change.
type CreateChecker interface {
	CheckCreate(ctx context.Context, spec VMSpec) error
}
