package estate

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/jsonformat"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/policy"
)

// checkPolicies checks a plan against the policies the workspace's spec
// names (its novacron block's policy setting, a folder relative to the
// workspace's own folder, whatever spec was uploaded), as nova-plan plan
// and apply do. A denial, or policies that cannot be loaded or
// evaluated, is an *InvalidError whose diagnostics say why; the warnings
// are returned, as the plan's warnings read.
func (s *space) checkPolicies(ctx context.Context, sess *session, p *plan.Plan) ([]string, error) {
	set := s.w.Policy
	if set.Dir == "" {
		return nil, nil
	}
	dir := set.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(s.w.Dir, dir)
	}
	policies, diags := policy.Load(ctx, policy.Folder{Path: dir, Range: set.Range})
	if diags.HasErrors() {
		return nil, diagsError(diags, s.w.Dir)
	}
	input, err := jsonformat.PolicyDocument(p, sess.Spec)
	if err != nil {
		return nil, err
	}
	results, diags := policies.Evaluate(ctx, input)
	var warnings []string
	for _, r := range results {
		d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Denied by policy", Detail: r.Message}
		if r.Level == policy.Warn {
			d.Severity, d.Summary = hcl.DiagWarning, "Policy warning"
			warnings = append(warnings, fmt.Sprintf("Policy warning: %s", r.Message))
		}
		if r.Address != "" {
			d.Summary += ": " + r.Address
		}
		diags = append(diags, d)
	}
	if diags.HasErrors() {
		return nil, diagsError(diags, s.w.Dir)
	}
	return warnings, nil
}
