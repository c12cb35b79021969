package policy

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// Namespace is the package, or the prefix of the packages, whose deny and
// warn rules are evaluated: novacron, novacron.tags, ….
const Namespace = "novacron"

// Set is a compiled set of policies, ready to evaluate.
type Set struct {
	rules []rule
	files map[string]*hcl.File
}

// rule is one deny or warn rule set, prepared as its own query.
type rule struct {
	level string
	ref   ast.Ref // data.novacron.x.deny
	query rego.PreparedEvalQuery
	srcs  []source
	at    *hcl.Range // the first rule of the set
}

// Load reads and compiles the policies of folders (their _test.rego files
// aside) and prepares the deny and warn rules of the novacron packages.
// Every file's errors are collected.
func Load(ctx context.Context, folders ...Folder) (*Set, hcl.Diagnostics) {
	all, diags := readFolders(folders)
	srcs := slices.DeleteFunc(all, func(s source) bool { return s.test })
	set := &Set{files: hclFiles(all)}
	if len(srcs) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read the policies",
			Detail: "The policy folders hold only _test.rego files: a policy check needs the policies themselves."})
	}
	mods, ds := parse(srcs)
	if diags = append(diags, ds...); diags.HasErrors() {
		return set, diags
	}
	c, ds := compile(mods, srcs)
	if diags = append(diags, ds...); diags.HasErrors() {
		return set, diags
	}
	diags = append(diags, checkRules(c)...)
	if diags.HasErrors() {
		return set, diags
	}
	set.rules, ds = prepare(ctx, c, srcs)
	diags = append(append(diags, ds...), outsideNamespace(c, srcs)...)
	if len(set.rules) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No policy rules",
			Detail: "The policies define no deny or warn rule in package novacron or novacron.NAME, so they would check nothing. " +
				"Rules of other packages (such as conftest's package main) are not read: write package novacron.NAME."})
	}
	return set, diags
}

// outsideNamespace warns, at its package line, of each policy with deny or
// warn rules whose package is not novacron or under it: they are never
// evaluated.
func outsideNamespace(c *ast.Compiler, srcs []source) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, m := range c.Modules {
		if inNamespace(m.Package.Path) || !slices.ContainsFunc(m.Rules, func(r *ast.Rule) bool {
			name := r.Head.Name.String()
			return name == Deny || name == Warn
		}) {
			continue // a library of helpers defines no deny or warn of its own
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Policy not checked",
			Detail:  fmt.Sprintf("Package %s is not novacron or novacron.NAME, so its rules are not evaluated against plans.", m.Package.Path),
			Subject: locationRange(m.Package.Location, srcs)})
	}
	return diags
}

// Files returns the policy files read, for rendering diagnostics.
func (s *Set) Files() map[string]*hcl.File { return s.files }

// Rules returns how many deny and warn rule sets the policies define.
func (s *Set) Rules() int { return len(s.rules) }

func hclFiles(srcs []source) map[string]*hcl.File {
	out := make(map[string]*hcl.File, len(srcs))
	for _, s := range srcs {
		out[s.path] = &hcl.File{Bytes: s.src}
	}
	return out
}

// inNamespace reports whether a package path is data.novacron or under it.
func inNamespace(path ast.Ref) bool {
	ns := ast.MustParseRef("data." + Namespace)
	return path.HasPrefix(ns)
}

// checkRules refuses a deny or warn rule in the namespace that is not a
// set (deny := true, deny[x] := y): the contract is a set of messages.
func checkRules(c *ast.Compiler) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, m := range c.Modules {
		if !inNamespace(m.Package.Path) {
			continue
		}
		for _, r := range m.Rules {
			name := r.Head.Ref().String()
			if (name == Deny || name == Warn) && r.Head.RuleKind() != ast.MultiValue {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError, Summary: "Invalid policy rule",
					Detail:  fmt.Sprintf("%s must be a set of messages: write `%s contains msg if { … }`, msg a string or an object {\"msg\": …, \"address\": …}.", name, name),
					Subject: locationRange(r.Location, nil),
				})
			}
		}
	}
	return diags
}

// prepare prepares one query per package and level that has rules, in
// package order.
func prepare(ctx context.Context, c *ast.Compiler, srcs []source) ([]rule, hcl.Diagnostics) {
	var out []rule
	for _, path := range packagePaths(c) {
		for _, level := range []string{Deny, Warn} {
			ref := path.Append(ast.StringTerm(level))
			rules := c.GetRulesExact(ref)
			if len(rules) == 0 {
				continue
			}
			q, err := rego.New(rego.ParsedQuery(ast.NewBody(ast.NewExpr(ast.NewTerm(ref)))), rego.Compiler(c)).PrepareForEval(ctx)
			if err != nil {
				return nil, regoDiagnostics("Invalid policy", err, srcs)
			}
			out = append(out, rule{level: level, ref: ref, query: q, srcs: srcs, at: locationRange(rules[0].Location, srcs)})
		}
	}
	return out, nil
}

// packagePaths returns the namespace's package paths, sorted, once each.
func packagePaths(c *ast.Compiler) []ast.Ref {
	var out []ast.Ref
	for _, m := range c.Modules {
		if inNamespace(m.Package.Path) && !slices.ContainsFunc(out, func(r ast.Ref) bool { return r.Equal(m.Package.Path) }) {
			out = append(out, m.Package.Path)
		}
	}
	slices.SortFunc(out, func(a, b ast.Ref) int { return a.Compare(b) })
	return out
}
