package workspace

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
)

// PlanOptions are the choices of a plan.
type PlanOptions = operation.PlanOptions

// Plan reads the inventories and diffs them against the spec and state,
// with the core; the plan records the variable values for saving it.
func (s *Session) Plan(ctx context.Context, o PlanOptions) (*operation.Planned, hcl.Diagnostics) {
	p, diags := s.operation().Plan(ctx, o)
	return s.saveable(p, diags)
}

// PlanImport plans `nova-plan import ADDRESS ID`: the adopt of that one VM
// into that address of the spec, and nothing else.
func (s *Session) PlanImport(ctx context.Context, addr, id string, force bool) (*operation.Planned, hcl.Diagnostics) {
	a, err := addrs.ParseInstance(addr)
	if err != nil {
		return nil, errorDiag("Invalid address", err)
	}
	p, diags := s.operation().PlanImport(ctx, a, id, force)
	return s.saveable(p, diags)
}

// PlanRequest plans an explicit request on one VM of the state (a power
// action or a migration the server's API asks for), with the core.
func (s *Session) PlanRequest(ctx context.Context, r plan.VMRequest) (*operation.Planned, hcl.Diagnostics) {
	return s.saveable(s.operation().PlanRequest(ctx, r))
}

// saveable records the variable values a saved plan is checked against.
func (s *Session) saveable(p *operation.Planned, diags hcl.Diagnostics) (*operation.Planned, hcl.Diagnostics) {
	if p != nil {
		p.Variables = savedVariables(s.Spec)
	}
	return p, diags
}

// PrepareSaved checks that a saved plan can be applied as it was shown:
// the same variable values (sensitive ones by digest) here, then the same
// spec, state and VMs in the core.
func (s *Session) PrepareSaved(ctx context.Context, p *plan.Plan) (*operation.Planned, hcl.Diagnostics) {
	if err := checkVariables(p, s.Spec); err != nil {
		return nil, errorDiag("Cannot apply the saved plan", err)
	}
	return s.operation().CheckSaved(ctx, p)
}

// PlanRequests plans migrations a chooser picks from the inventories (and
// the drivers' utilization, with readUse) as one plan: `nova-plan
// rebalance`, with the core.
func (s *Session) PlanRequests(ctx context.Context, readUse bool, choose operation.Chooser) (*operation.Planned, hcl.Diagnostics) {
	return s.saveable(s.operation().PlanRequests(ctx, readUse, choose))
}
