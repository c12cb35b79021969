package workspace

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/plan"
)

// PlanOptions are the choices of a plan.
type PlanOptions struct {
	Destroy bool
	Targets []string
	Replace []string
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
	p, ds := plan.Diff(plan.Input{
		Spec: s.Spec, State: s.State, Lineage: lineage,
		Inventories: invs, Capabilities: s.Capabilities(),
		Destroy: o.Destroy, Targets: o.Targets, Replace: o.Replace,
	})
	diags = append(diags, ds...)
	if diags.HasErrors() {
		return nil, diags
	}
	p.InventoryFingerprint = plan.Fingerprint(invs, p.Lineage, s.State)
	p.Variables = savedVariables(s.Spec)
	if _, err := plan.BuildGraph(p); err != nil {
		return nil, append(diags, errorDiag("Cannot order the changes", err)...)
	}
	return p, diags
}
