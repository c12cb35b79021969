package operation

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// RequestInput is what a chooser of requests sees: the plan input (spec,
// state, inventories, capabilities) and, when asked for, the utilization
// the drivers that measure it report, per provider key and VM id.
type RequestInput struct {
	plan.Input
	Utilization map[string]map[string]driver.Usage
}

// Chooser picks the migrations of a plan (`nova-plan rebalance`'s).
type Chooser func(RequestInput) ([]plan.VMRequest, hcl.Diagnostics)

// PlanRequests reads the inventories (and, with readUse, the drivers'
// utilization), lets choose pick migrations, and plans them as one plan
// (plan.PlanRequests), with the fingerprint and graph of any plan, so that
// it is saved, checked and applied like one.
func (o *Operation) PlanRequests(ctx context.Context, readUse bool, choose Chooser) (*Planned, hcl.Diagnostics) {
	invs, diags := o.Inventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	in := RequestInput{Input: o.input(invs)}
	if readUse {
		use, ds := o.utilization(ctx)
		if diags = append(diags, ds...); diags.HasErrors() {
			return nil, diags
		}
		in.Utilization = use
	}
	rs, ds := choose(in)
	if diags = append(diags, ds...); diags.HasErrors() {
		return nil, diags
	}
	p, ds := plan.PlanRequests(in.Input, rs)
	return o.finish(p, invs, append(diags, ds...))
}

// utilization reads the use of the VMs of every driver that measures it,
// one after the other (each read is one bulk pass).
func (o *Operation) utilization(ctx context.Context) (map[string]map[string]driver.Usage, hcl.Diagnostics) {
	out := map[string]map[string]driver.Usage{}
	var diags hcl.Diagnostics
	for _, key := range slices.Sorted(maps.Keys(o.Providers)) {
		r, ok := o.Providers[key].Driver.(driver.UtilizationReader)
		if !ok {
			continue
		}
		use, err := r.Utilization(ctx)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read utilization",
				Detail: fmt.Sprintf("Provider %s: %v", key, redactError(o.redactor(), err))})
			continue
		}
		out[key] = use
	}
	return out, diags
}
