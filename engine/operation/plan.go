package operation

import (
	"context"
	"errors"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// PlanOptions are the choices of a plan.
type PlanOptions struct {
	Destroy bool
	// Targets and Replace are addresses in canonical form (engine/addrs).
	Targets []string
	Replace []string
	// ForceImport lets the spec's import blocks take over VMs that carry
	// another lineage's marker.
	ForceImport bool
}

// Plan reads the inventories and diffs them against the spec and state:
// the plan of the spec's instances and import blocks, its inventory
// fingerprint, and its graph. A VM the plan creates that its driver says
// it would refuse (driver.CreateChecker) fails the plan (checks.go).
func (o *Operation) Plan(ctx context.Context, opts PlanOptions) (*Planned, hcl.Diagnostics) {
	invs, diags := o.sharedInventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	p, ds := o.PlanWith(invs, opts)
	diags = append(diags, ds...)
	if p == nil {
		return nil, diags
	}
	if ds := o.checkCreates(ctx, p.Plan); ds.HasErrors() {
		return nil, append(diags, ds...)
	}
	return p, diags
}

// PlanWith is Plan against inventories already read, by provider key: by
// Inventory, or by a face that needs the inventory for its own use too (the
// Terraform provider reads it once per call).
func (o *Operation) PlanWith(invs map[string]driver.Inventory, opts PlanOptions) (*Planned, hcl.Diagnostics) {
	in := o.input(invs)
	in.Destroy, in.Targets, in.Replace, in.ForceImport = opts.Destroy, opts.Targets, opts.Replace, opts.ForceImport
	if o.Spec != nil {
		in.Imports = o.Spec.Imports
	}
	p, diags := plan.Diff(in)
	return o.finish(p, invs, diags)
}

// input is the diff's input. It first seals the spec's sensitive template
// settings with the lineage the plan marks VMs with, so that templates
// compare by digest.
func (o *Operation) input(invs map[string]driver.Inventory) plan.Input {
	o.seal(o.lineage())
	return plan.Input{
		Spec: o.Spec, State: o.State, Lineage: o.Lineage,
		Inventories: invs, Capabilities: o.capabilities(), CanonicalIDs: o.canonicalIDs(),
		Prices: o.prices(),
	}
}

// prices returns the open drivers that know what a VM costs.
func (o *Operation) prices() map[string]driver.Pricer {
	out := map[string]driver.Pricer{}
	for k, p := range o.Providers {
		if pr, ok := p.Driver.(driver.Pricer); ok {
			out[k] = pr
		}
	}
	return out
}

// canonicalIDs returns each open driver's spelling of VM ids.
func (o *Operation) canonicalIDs() map[string]func(string) (string, bool) {
	out := make(map[string]func(string) (string, bool), len(o.Providers))
	for k, p := range o.Providers {
		d := p.Driver
		out[k] = func(id string) (string, bool) { return driver.CanonicalID(d, id) }
	}
	return out
}

// finish records the fingerprint a saved plan is checked against, and
// orders the changes.
func (o *Operation) finish(p *plan.Plan, invs map[string]driver.Inventory, diags hcl.Diagnostics) (*Planned, hcl.Diagnostics) {
	if diags.HasErrors() {
		return nil, diags
	}
	p.InventoryFingerprint = plan.FingerprintOf(invs, p.Lineage, o.State)
	pl, ds := Order(p)
	return pl, append(diags, ds...)
}

// CheckSaved checks that a saved plan can still be applied as it was
// shown: the same spec (its digest, and the template of every create,
// which it attaches), the same state, and the same VMs and hosts. The
// error says what changed. Checking the variables a plan was made with is
// the caller's (they are the workspace's).
func (o *Operation) CheckSaved(ctx context.Context, p *plan.Plan) (*Planned, hcl.Diagnostics) {
	if o.Spec == nil {
		return nil, errorDiag("Cannot apply the saved plan", errors.New("there is no spec to check it against"))
	}
	o.seal(p.Lineage)
	if err := p.Bind(o.Spec); err != nil {
		return nil, errorDiag("Cannot apply the saved plan", err)
	}
	invs, diags := o.sharedInventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	if err := p.CheckFresh(o.State, invs); err != nil {
		return nil, errorDiag("Cannot apply the saved plan", err)
	}
	return Order(p)
}

// lineage is the lineage a plan marks VMs with: the state's, else the
// operation's.
func (o *Operation) lineage() string {
	if o.State != nil {
		return o.State.Lineage
	}
	return o.Lineage
}

// seal sets the digests that stand for sensitive template settings
// (spec.SealTemplates), salted with lineage.
func (o *Operation) seal(lineage string) {
	if o.Spec != nil {
		o.Spec.SealTemplates(lineage)
	}
}

// buildGraph is plan.BuildGraph; a test counts its calls.
var buildGraph = plan.BuildGraph

// Order builds the plan's graph: the one place an operation does. It
// fails, naming the cycle, when the changes cannot be ordered.
func Order(p *plan.Plan) (*Planned, hcl.Diagnostics) {
	g, err := buildGraph(p)
	if err != nil {
		return nil, errorDiag("Cannot order the changes", err)
	}
	return &Planned{Plan: p, graph: g}, nil
}

func errorDiag(summary string, err error) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: spec.Sentence(err.Error())}}
}
