package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
)

// eagerPatterns lists the package-level variables of the package's
// non-test files whose initial value compiles a regular expression
// (regexp.Compile, MustCompile, CompilePOSIX or MustCompilePOSIX, at any
// depth but inside a function literal, which runs later).
func eagerPatterns(t *tree, p *pkg) []string {
	var out []string
	fset := token.NewFileSet()
	for _, path := range p.files() {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			out = append(out, "cannot parse "+path+": "+err.Error())
			continue
		}
		name := regexpName(f)
		if name == "" {
			continue
		}
		for _, v := range packageValues(f) {
			if call := compileCall(v, name); call != nil {
				pos := fset.Position(call.Pos())
				out = append(out, fmt.Sprintf("%s:%d compiles a pattern at start-up (%s.%s)",
					t.relFile(pos.Filename), pos.Line, name, call.Fun.(*ast.SelectorExpr).Sel.Name))
			}
		}
	}
	return out
}

// regexpName is the name f imports package regexp under, "" for none.
func regexpName(f *ast.File) string {
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path != "regexp" {
			continue
		}
		if imp.Name != nil {
			return imp.Name.Name
		}
		return "regexp"
	}
	return ""
}

// packageValues are the initial values of f's package-level variables.
func packageValues(f *ast.File) []ast.Expr {
	var out []ast.Expr
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, spec := range g.Specs {
			out = append(out, spec.(*ast.ValueSpec).Values...)
		}
	}
	return out
}

// compileCall returns the first call of a regexp compile function in e
// outside function literals, or nil.
func compileCall(e ast.Expr, name string) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(e, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && compiles[sel.Sel.Name] {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
					found = n
					return false
				}
			}
		}
		return true
	})
	return found
}

// compiles are package regexp's functions that compile a pattern.
var compiles = map[string]bool{"Compile": true, "MustCompile": true, "CompilePOSIX": true, "MustCompilePOSIX": true}
