package main

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/policy"
	"github.com/novacron/novacron/engine/workspace"
)

// policyFolders are the folders of -policy, then the spec's policy
// setting (relative to the spec folder).
func policyFolders(flags []string, ws *workspace.Workspace) []policy.Folder {
	var out []policy.Folder
	for _, d := range flags {
		out = append(out, policy.Folder{Path: d})
	}
	if set := ws.Policy; set.Dir != "" {
		dir := set.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(ws.Dir, dir)
		}
		out = append(out, policy.Folder{Path: dir, Range: set.Range})
	}
	return out
}

// loadPolicies loads the policies a plan is checked against, before it
// is made, so that a broken policy stops the command early. nil and true
// when there are none; false after printing why they cannot be loaded.
func loadPolicies(ctx context.Context, u *ui, flags []string, sess *workspace.Session) (*policy.Set, bool) {
	folders := policyFolders(flags, sess.Workspace())
	if len(folders) == 0 {
		return nil, true
	}
	set, diags := policy.Load(ctx, folders...)
	u.addFiles(set.Files())
	if u.diagnostics(diags) {
		return nil, false
	}
	return set, true
}

// checkPolicies evaluates set on p and the session's fleets and prints
// what the policies say (reportPolicies). It reports whether the plan may
// go on: no denial and no evaluation error.
func checkPolicies(ctx context.Context, u *ui, set *policy.Set, sess *workspace.Session, p *plan.Plan, summary bool) ([]policy.Result, bool) {
	results, diags := evaluatePolicies(ctx, set, sess, p)
	return results, u.reportPolicies(set, results, diags, summary)
}

// evaluatePolicies evaluates set (nil: no policies) on the policy input
// of p: its results, and its diagnostics with each denial as an error and
// each warning as a warning, each naming the address it names.
func evaluatePolicies(ctx context.Context, set *policy.Set, sess *workspace.Session, p *plan.Plan) ([]policy.Result, hcl.Diagnostics) {
	if set == nil {
		return nil, nil
	}
	input, err := policyDocument(p, sess.Spec)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot check the policies", Detail: err.Error()}}
	}
	results, diags := set.Evaluate(ctx, input)
	for _, r := range results {
		diags = append(diags, resultDiagnostic(r))
	}
	return results, diags
}

// reportPolicies prints the diagnostics of a policy check and, with
// summary, a closing line on standard output (not under -json or
// -markdown). It reports whether the plan may go on.
func (u *ui) reportPolicies(set *policy.Set, results []policy.Result, diags hcl.Diagnostics, summary bool) bool {
	if set == nil {
		return true
	}
	failed := u.diagnostics(diags)
	if summary {
		u.printf("\n%s\n", u.policyVerdict(results, failed))
	}
	return !failed
}

// markdownPolicy is what the Markdown summary shows of a policy check.
func markdownPolicy(results []policy.Result) []PolicyResult {
	out := make([]PolicyResult, 0, len(results))
	for _, r := range results {
		out = append(out, PolicyResult(r))
	}
	return out
}

func resultDiagnostic(r policy.Result) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Denied by policy", Detail: r.Message}
	if r.Level == policy.Warn {
		d.Severity, d.Summary = hcl.DiagWarning, "Policy warning"
	}
	if r.Address != "" {
		d.Summary += ": " + r.Address
	}
	return d
}

// policyVerdict is the line that closes a policy check.
func (u *ui) policyVerdict(results []policy.Result, failed bool) string {
	denials, warnings := 0, 0
	for _, r := range results {
		if r.Level == policy.Deny {
			denials++
		} else {
			warnings++
		}
	}
	counts := fmt.Sprintf("%s, %s.", plural(denials, "denial"), plural(warnings, "warning"))
	if failed {
		return u.paint(bold+red, "Policy check failed:") + " " + counts
	}
	return u.paint(bold+green, "Policy check passed:") + " " + counts
}

// addFiles adds files diagnostics may point into.
func (u *ui) addFiles(files map[string]*hcl.File) {
	merged := maps.Clone(u.files) // u.files may be the spec parser's own map
	if merged == nil {
		merged = map[string]*hcl.File{}
	}
	maps.Copy(merged, files)
	u.files = merged
}
