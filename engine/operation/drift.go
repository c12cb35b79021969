package operation

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
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
	d, ds := o.DriftWith(invs)
	return d, append(diags, ds...)
}

// DriftWith is Drift against inventories already read, by provider key
// (the server compares the inventory it just read for its listing).
func (o *Operation) DriftWith(invs map[string]driver.Inventory) (*plan.Drift, hcl.Diagnostics) {
	return plan.DiffDrift(o.input(invs))
}
