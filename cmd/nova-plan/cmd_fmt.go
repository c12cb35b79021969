package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/spec"
)

// runFmt rewrites *.nova.hcl and *.nova.tfvars files in canonical layout.
// With -check it changes nothing and exits 3 if a file is not formatted, as
// terraform fmt -check does.
func runFmt(args []string, e *env) int {
	fs := newFlags("fmt", "[DIR or FILE…]", e)
	check := fs.Bool("check", false, "change nothing; exit 3 if any file is not formatted")
	list := fs.Bool("list", true, "print the names of files that are (or would be) changed")
	noColor := fs.Bool("no-color", false, "do not color the output")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	u := newUI(e, *noColor)
	targets := fs.Args()
	if len(targets) == 0 {
		targets = []string{"."}
	}
	files, err := specFiles(targets)
	if err != nil {
		return u.errorf("%v", err)
	}
	unformatted, failed := 0, false
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			u.errorf("%v", err)
			failed = true
			continue
		}
		out, diags := spec.Format(src, name)
		if diags.HasErrors() {
			u.files = map[string]*hcl.File{name: {Bytes: snippetSource(name, src)}}
			u.diagnostics(diags)
			failed = true
			continue
		}
		if bytes.Equal(src, out) {
			continue
		}
		unformatted++
		if *list {
			u.printf("%s\n", name)
		}
		if !*check {
			if err := writeFileKeepMode(name, out); err != nil {
				u.errorf("%v", err)
				failed = true
			}
		}
	}
	switch {
	case failed:
		return 1
	case *check && unformatted > 0:
		return 3
	}
	return 0
}

func specFiles(targets []string) ([]string, error) {
	var out []string
	for _, t := range targets {
		info, err := os.Stat(t)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, t)
			continue
		}
		entries, err := os.ReadDir(t)
		if err != nil {
			return nil, err
		}
		for _, en := range entries {
			n := en.Name()
			if !en.IsDir() && (strings.HasSuffix(n, spec.FileSuffix) || strings.HasSuffix(n, ".nova.tfvars")) {
				out = append(out, filepath.Join(t, n))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func writeFileKeepMode(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp := name + ".nova-fmt.tmp"
	if err := os.WriteFile(tmp, data, info.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// snippetSource is what diagnostics may show of a file fmt could not read:
// a variable file's values may be secrets, and fmt does not know which, so
// they are masked.
func snippetSource(name string, src []byte) []byte {
	if strings.HasSuffix(name, spec.FileSuffix) {
		return src
	}
	return spec.MaskValues(src)
}
