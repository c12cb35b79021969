package operation

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/plan"
)

// Drift reads the inventories in bulk and compares them with the state
// and the spec (plan.DiffDrift): what changed out of band, and apart from
// it what the spec would change. It writes nothing.
func (o *Operation) Drift(ctx context.Context) (*plan.Drift, hcl.Diagnostics) {
	invs, diags := o.Inventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	d, ds := plan.DiffDrift(o.input(invs))
	return d, append(diags, ds...)
}
