package operation

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/plan"
)

// PlanRequest reads the inventories and plans an explicit request on one
// VM of the state (plan.PlanRequest: a power action or a migration), with
// the fingerprint and graph of any plan, so that it is applied like one.
func (o *Operation) PlanRequest(ctx context.Context, r plan.VMRequest) (*Planned, hcl.Diagnostics) {
	invs, diags := o.Inventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	p, ds := plan.PlanRequest(o.input(invs), r)
	return o.finish(p, invs, append(diags, ds...))
}
