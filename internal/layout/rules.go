package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// violation is one place the code breaks a rule.
type violation struct {
	rule    *rule
	pkg     string // import path, relative to the module
	problem string
}

func (v violation) String() string { return v.pkg + ": " + v.problem }

// rule is one layout rule.
type rule struct {
	name string
	why  string // the design the rule keeps, for the report
	// pending, when set, says what removes the rule's violations; until
	// then they are warnings. Delete it when that lands.
	pending string
	check   func(t *tree, p *pkg, rel string) []string
}

// rules are the layout rules, in the order they are reported.
var rules = []*rule{{
	name: "no-terraform-in-engine",
	why:  "engine/ and state/ never import terraform-plugin packages, directly or through another package; only provider/ does",
	check: func(t *tree, p *pkg, rel string) []string {
		if !under(rel, "engine") && !under(rel, "state") {
			return nil
		}
		if c := t.chain(p.ImportPath, isTerraformPlugin); c != nil {
			return []string{"imports " + c[len(c)-1] + " (" + strings.Join(shorten(t, c), " → ") + ")"}
		}
		return nil
	},
}, {
	name: "drivers-import-only-driver",
	why:  "a driver (engine/driver/NAME) imports nothing of the engine but engine/driver and its own subpackages (its tests may also use engine/driver/drivertest)",
	check: func(t *tree, p *pkg, rel string) []string {
		own := driverOf(rel)
		if own == "" {
			return nil
		}
		allowed := func(r string, test bool) bool {
			return !under(r, "engine") || r == "engine/driver" || under(r, own) || (test && r == "engine/driver/drivertest")
		}
		var out []string
		for _, r := range moduleImports(t, p.Imports) {
			if !allowed(r, false) {
				out = append(out, "imports "+r)
			}
		}
		for _, r := range moduleImports(t, append(slices.Clone(p.TestImports), p.XTestImports...)) {
			if r != rel && !allowed(r, true) {
				out = append(out, "its tests import "+r)
			}
		}
		return out
	},
}, {
	name: "addrs-imports-nothing",
	why:  "engine/addrs imports nothing of the project: state and the spec both build on it",
	check: func(t *tree, p *pkg, rel string) []string {
		if rel != "engine/addrs" {
			return nil
		}
		return prefixed("imports ", moduleImports(t, p.Imports))
	},
}, {
	name: "state-imports-only-addrs",
	why:  "state imports nothing of the engine but engine/addrs: the engine imports state, not the reverse",
	check: func(t *tree, p *pkg, rel string) []string {
		if !under(rel, "state") {
			return nil
		}
		var out []string
		for _, r := range moduleImports(t, p.Imports) {
			if under(r, "engine") && r != "engine/addrs" {
				out = append(out, "imports "+r)
			}
		}
		return out
	},
}, {
	name: "one-composer",
	why:  "one place composes an operation: only engine/operation constructs exec.Executor or calls plan.Diff, plan.DiffImport or plan.BuildGraph (besides the packages that define them, tests, and the provider, which provider-through-core covers)",
	check: func(t *tree, p *pkg, rel string) []string {
		if rel == "engine/operation" || rel == "engine/exec" || rel == "engine/plan" || under(rel, "provider") {
			return nil
		}
		return composerRefs(t, p)
	},
}, {
	name: "provider-through-core",
	why:  "the provider plans and applies only through engine/operation: it does not import engine/exec, construct exec.Executor or call plan.Diff, plan.DiffImport or plan.BuildGraph",
	check: func(t *tree, p *pkg, rel string) []string {
		if !under(rel, "provider") {
			return nil
		}
		var out []string
		if slices.Contains(p.Imports, t.module+"/engine/exec") {
			out = append(out, "imports engine/exec")
		}
		return append(out, composerRefs(t, p)...)
	},
}, {
	name: "patterns-at-first-use",
	why:  "the packages under engine/, server/ and cmd/ compile no regular expression at start-up (nova-plan links them all, every driver's included): a package-level pattern is an internal/lazyregexp, compiled at its first use",
	check: func(t *tree, p *pkg, rel string) []string {
		if !under(rel, "engine") && !under(rel, "server") && !under(rel, "cmd") {
			return nil
		}
		return eagerPatterns(t, p)
	},
}, {
	name:    "state-patterns-at-first-use",
	why:     "as patterns-at-first-use, for the packages under state/",
	pending: "state/pg's password patterns (config.go) become internal/lazyregexp ones",
	check: func(t *tree, p *pkg, rel string) []string {
		if !under(rel, "state") {
			return nil
		}
		return eagerPatterns(t, p)
	},
}}

// composed are the identifiers only engine/operation may use, by the
// package that defines them.
var composed = map[string][]string{
	"engine/exec": {"Executor"},
	"engine/plan": {"Diff", "DiffImport", "BuildGraph"},
}

// composerRefs lists the package's non-test references to composed.
func composerRefs(t *tree, p *pkg) []string {
	var out []string
	fset := token.NewFileSet()
	for _, path := range p.files() {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			out = append(out, "cannot parse "+path+": "+err.Error())
			continue
		}
		names := importNames(t, f)
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && slices.Contains(composed[names[id.Name]], sel.Sel.Name) {
				pos := fset.Position(sel.Pos())
				out = append(out, fmt.Sprintf("%s:%d uses %s.%s", t.relFile(pos.Filename), pos.Line, id.Name, sel.Sel.Name))
			}
			return true
		})
	}
	return out
}

// importNames maps each name a file imports a module package under to
// the package's path relative to the module.
func importNames(t *tree, f *ast.File) map[string]string {
	out := map[string]string{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		rel, ok := strings.CutPrefix(path, t.module+"/")
		if !ok {
			continue
		}
		name := rel[strings.LastIndexByte(rel, '/')+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		out[name] = rel
	}
	return out
}

func isTerraformPlugin(path string) bool {
	return strings.HasPrefix(path, "github.com/hashicorp/terraform-plugin-")
}

// driverOf returns the driver a package belongs to ("engine/driver/sim"),
// or "" for a package that is not part of a driver.
func driverOf(rel string) string {
	rest, ok := strings.CutPrefix(rel, "engine/driver/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	if name == "catalog" || name == "drivertest" {
		return ""
	}
	return "engine/driver/" + name
}

// moduleImports returns the module's packages among imports, relative to
// the module, sorted and without duplicates.
func moduleImports(t *tree, imports []string) []string {
	var out []string
	for _, imp := range imports {
		if rel, ok := strings.CutPrefix(imp, t.module+"/"); ok && !slices.Contains(out, rel) {
			out = append(out, rel)
		}
	}
	slices.Sort(out)
	return out
}

// shorten writes the module's paths in a chain relative to the module.
func shorten(t *tree, chain []string) []string {
	out := make([]string, len(chain))
	for i, c := range chain {
		out[i] = strings.TrimPrefix(c, t.module+"/")
	}
	return out
}

func under(rel, dir string) bool { return rel == dir || strings.HasPrefix(rel, dir+"/") }

func prefixed(prefix string, items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = prefix + s
	}
	return out
}

// check runs every rule on every package of the module.
func check(t *tree) []violation {
	var out []violation
	for _, r := range rules {
		for _, p := range t.own {
			rel := strings.TrimPrefix(p.ImportPath, t.module+"/")
			for _, problem := range r.check(t, p, rel) {
				out = append(out, violation{rule: r, pkg: rel, problem: problem})
			}
		}
	}
	return out
}
