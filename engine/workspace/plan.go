package workspace

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// PlanOptions are the choices of a plan.
type PlanOptions struct {
	Destroy bool
	Targets []string
	Replace []string
	// ForceImport lets import blocks take over VMs that carry another
	// workspace's marker.
	ForceImport bool
}

// Plan reads the inventories and diffs them against the spec and state.
func (s *Session) Plan(ctx context.Context, o PlanOptions) (*plan.Plan, hcl.Diagnostics) {
	invs, diags := s.Inventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	lineage := NewID()
	if s.State != nil {
		lineage = s.State.Lineage
	}
	s.Spec.SealTemplates(lineage)
	p, ds := plan.Diff(plan.Input{
		Spec: s.Spec, State: s.State, Lineage: lineage,
		Inventories: invs, Capabilities: s.Capabilities(),
		Destroy: o.Destroy, Targets: o.Targets, Replace: o.Replace,
		Imports: s.Spec.Imports, ForceImport: o.ForceImport,
	})
	return s.finishPlan(p, invs, append(diags, ds...))
}

// finishPlan records what a saved plan needs to be checked at apply time,
// and checks that the changes can be ordered.
func (s *Session) finishPlan(p *plan.Plan, invs map[string]driver.Inventory, diags hcl.Diagnostics) (*plan.Plan, hcl.Diagnostics) {
	if diags.HasErrors() {
		return nil, diags
	}
	p.InventoryFingerprint = plan.FingerprintOf(invs, p.Lineage, s.State)
	p.Variables = savedVariables(s.Spec)
	if _, err := plan.BuildGraph(p); err != nil {
		return nil, append(diags, errorDiag("Cannot order the changes", err)...)
	}
	return p, diags
}

// PlanImport plans `nova-plan import ADDRESS ID`: the adopt of that one VM
// into that address of the spec, and nothing else.
func (s *Session) PlanImport(ctx context.Context, addr, id string, force bool) (*plan.Plan, hcl.Diagnostics) {
	a, err := addrs.ParseInstance(addr)
	if err != nil {
		return nil, errorDiag("Invalid address", err)
	}
	canon := a.String()
	invs, diags := s.Inventory(ctx)
	if diags.HasErrors() {
		return nil, diags
	}
	lineage := NewID()
	if s.State != nil {
		lineage = s.State.Lineage
	}
	s.Spec.SealTemplates(lineage)
	p, ds := plan.DiffImport(plan.Input{
		Spec: s.Spec, State: s.State, Lineage: lineage,
		Inventories: invs, Capabilities: s.Capabilities(),
		Imports: []*spec.Import{{Address: canon, ID: id}}, ForceImport: force,
	})
	return s.finishPlan(p, invs, append(diags, ds...))
}
