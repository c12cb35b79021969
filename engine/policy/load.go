package policy

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/open-policy-agent/opa/v1/ast"
)

// Folder is a folder of policies and where it was named: Range is the
// spec setting that named it, empty for a command-line flag.
type Folder struct {
	Path  string
	Range hcl.Range
}

// source is one .rego file read from a folder.
type source struct {
	path string
	src  []byte
	test bool // a _test.rego file: for RunTests only
}

// readFolders reads the .rego files under each folder, recursively, in
// lexical order. A folder that cannot be read, or that holds no .rego
// file, is an error: a misspelt folder must not pass every plan.
func readFolders(folders []Folder) ([]source, hcl.Diagnostics) {
	var out []source
	var diags hcl.Diagnostics
	for _, f := range folders {
		files, err := regoFiles(f.Path)
		if err == nil && len(files) == 0 {
			err = fmt.Errorf("it holds no .rego file")
		}
		if err != nil {
			diags = append(diags, folderError(f, err))
			continue
		}
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				diags = append(diags, folderError(Folder{Path: path, Range: f.Range}, err))
				continue
			}
			out = append(out, source{path: path, src: src, test: strings.HasSuffix(path, "_test.rego")})
		}
	}
	return out, diags
}

func regoFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path != dir && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		case !d.IsDir() && filepath.Ext(path) == ".rego":
			files = append(files, path)
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

func folderError(f Folder, err error) *hcl.Diagnostic {
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: "Cannot read the policies",
		Detail: fmt.Sprintf("Cannot read the policies in %s: %v.", f.Path, strings.TrimSuffix(unwrapPath(err), ".")),
	}
	if f.Range.Filename != "" {
		d.Subject = f.Range.Ptr()
	}
	return d
}

// unwrapPath drops the path an fs error repeats.
func unwrapPath(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// parse parses each source as Rego v1 (the `if` and `contains`
// keywords), collecting every file's errors.
func parse(srcs []source) (map[string]*ast.Module, hcl.Diagnostics) {
	mods := map[string]*ast.Module{}
	var diags hcl.Diagnostics
	for _, s := range srcs {
		m, err := ast.ParseModuleWithOpts(s.path, string(s.src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			diags = append(diags, regoDiagnostics("Invalid policy", err, srcs)...)
			continue
		}
		mods[s.path] = m
	}
	return mods, diags
}

// compile compiles modules together, as OPA does a bundle.
func compile(mods map[string]*ast.Module, srcs []source) (*ast.Compiler, hcl.Diagnostics) {
	c := ast.NewCompiler().WithEnablePrintStatements(false)
	if c.Compile(mods); c.Failed() {
		return nil, regoDiagnostics("Invalid policy", c.Errors, srcs)
	}
	return c, nil
}
